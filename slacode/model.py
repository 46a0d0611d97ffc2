"""The typed agreement: what ``load`` produces and every later stage reads.

Frozen dataclasses built once from a validated document (``slacode.load.build``);
durations, dates and times are parsed here, so no later stage touches raw YAML.
Optional fields default to empty values so that tests can build small agreements
by hand. Times are timezone-aware ``datetime`` objects; dates are ``date``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from typing import Literal, TypeVar
from zoneinfo import ZoneInfo

from slacode.durations import Duration

ObjectiveKind = Literal[
    "availability", "latency", "response-time", "resolution-time", "satisfaction",
    "complaint-response", "complaint-resolution", "recovery-time", "recovery-point",
    "escalation",
]
WindowKind = Literal["month", "quarter", "year", "rolling"]
SourceKind = Literal["prometheus", "file", "incidents", "survey", "complaints"]

#: The clock id every agreement has without declaring it: all hours of all days, UTC.
CLOCK_24X7 = "24x7"

#: The years a date or time may fall in, in an agreement (the schema's date patterns say
#: the same) and in measurements. Python's dates end at year 9999 and begin at year 1, and
#: every stage works on UNIX seconds and adds months and days to them: a value near either
#: end (``9999-12-31``, ``0001-01-01T00:00:00+23:59``) would crash a later stage on what
#: validation let through. Far inside both, no month arithmetic or time zone can leave them.
FIRST_YEAR, LAST_YEAR = 1970, 2999
#: Agreement ids that name a generated page or file of the whole fleet: ``services`` is
#: ``api/services.json`` (the fleet index, which would overwrite the agreement's own
#: ``api/<id>.json``), ``index`` is ``services/index.md`` (the folder's index page, so
#: every link to ``services/index/`` is dead). The schema refuses them with the same list.
RESERVED_IDS = frozenset({"index", "services"})
#: A folder or file name an agreement's path may have: ASCII letters, digits, ``.``, ``_``
#: and ``-``, not starting with ``-`` or ``.``. The path is written into
#: ``.github/CODEOWNERS`` (where a space, ``#``, ``!``, ``*``, ``?``, ``[`` or ``\``
#: changes the pattern, and a line break adds a line), given to git (which refuses a
#: line break in a ``REV:PATH``) and into CI annotations; a name outside this set would
#: change what each of them says.
SAFE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")


def unsafe_path(path: str) -> str | None:
    """Why ``path`` (``/``-separated, relative) cannot name an agreement file, or None."""
    for part in path.split("/"):
        if not SAFE_NAME.fullmatch(part):
            bad = next((c for c in part if not re.fullmatch(r"[A-Za-z0-9._-]", c)), part[:1])
            what = f"the name {part!r} has {bad!r}" if bad else "an empty name"
            return (f"{what}: agreement files and folders may use only "
                    "ASCII letters, digits, '.', '_' and '-' (not first), because the path is "
                    "written into CODEOWNERS, git commands and CI annotations")
    return None


#: :data:`FIRST_YEAR` to the end of :data:`LAST_YEAR` in UNIX seconds (UTC), ``[start, end)``
TIME_RANGE = (0, 32_503_680_000)


@dataclass(frozen=True)
class Position:
    """Where a node starts in its file, 1-based, for messages."""

    line: int
    col: int


@dataclass(frozen=True)
class Party:
    name: str
    contact: str = ""


@dataclass(frozen=True)
class Plan:
    """A tier of the service (e.g. Basic / Business) with its own fee."""

    id: str
    name: str
    description: str = ""
    monthly_fee: float | None = None
    currency: str = ""


@dataclass(frozen=True)
class Calendar:
    """Working hours and holidays that a business-hours clock counts."""

    id: str
    timezone: str  # IANA name, e.g. "Asia/Shanghai"
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)  # Monday = 0
    start: time = time(0, 0)
    end: time = time(23, 59, 59, 999999)  # "24:00" is parsed as end of day
    holidays: str = ""  # country code for the `holidays` package, e.g. "CN"; "" for none
    subdivision: str = ""
    extra_holidays: tuple[date, ...] = ()
    extra_working_days: tuple[date, ...] = ()


@dataclass(frozen=True)
class PrometheusQuery:
    """Counter selectors; the source wraps them in ``sum(increase(...[step]))``.

    Events availability uses ``good``/``total`` or ``bad``/``total``. Latency uses
    ``histogram`` (the metric name with its selector, without ``_bucket``), and the
    objective's ``threshold``; ``good``/``total`` may be given instead.
    """

    good: str = ""
    bad: str = ""
    total: str = ""
    histogram: str = ""
    server: str = "default"  # name of a server in the project settings


@dataclass(frozen=True)
class Source:
    kind: SourceKind
    prometheus: PrometheusQuery | None = None
    path: str = ""  # file, incidents, survey, complaints: path relative to the project root
    format: Literal["csv", "jsonl", ""] = ""  # "" means: from the file name


@dataclass(frozen=True)
class Window:
    kind: WindowKind
    days: int = 0  # rolling windows only

    def __str__(self) -> str:
        return f"rolling-{self.days}d" if self.kind == "rolling" else f"calendar-{self.kind}"


@dataclass(frozen=True)
class Objective:
    id: str
    kind: ObjectiveKind
    target: float  # percent for all kinds but satisfaction with method "mean" (score)
    window: Window
    source: Source
    name: str = ""
    description: str = ""
    # availability
    method: Literal["events", "slices", "mean", "share", ""] = ""  # events|slices; mean|share
    slice: Duration | None = None  # slices: length of one slice, e.g. 1m
    slice_threshold: float | None = None  # slices: a slice is bad above this error rate (%)
    zero_traffic: Literal["good", "bad", "no-data"] = "good"  # how a 0/0 interval counts
    # latency
    threshold: Duration | None = None  # a request is good when faster than this, e.g. 300ms
    # response-time / resolution-time; complaint-response / complaint-resolution (no priority)
    priority: str = ""
    within: Duration | None = None
    #: CLOCK_24X7 or a calendar id; when the YAML gives none, load takes the clock of the
    #: priority's matrix row (what the matrix promises), so this is always the clock counted
    clock: str = CLOCK_24X7
    # satisfaction
    scale_min: float = 1
    scale_max: float = 5
    at_least: float | None = None  # share method: a response counts when score >= at_least
    min_responses: int = 0
    # evaluation
    resolution: Duration | None = None  # interval of pulled measurements (default 1h)
    min_coverage: float = 0.9  # below this share of intervals with data, the verdict is no data
    internal_notes: str = ""  # never reaches a non-internal build
    pos: Position | None = None


@dataclass(frozen=True)
class Priority:
    """One row of the incident priority matrix."""

    id: str  # e.g. "P1"
    name: str = ""
    description: str = ""
    response: Duration | None = None
    resolution: Duration | None = None
    clock: str = CLOCK_24X7


@dataclass(frozen=True)
class Maintenance:
    start: datetime
    end: datetime
    announced: datetime | None = None  # when customers were told; None = not announced
    description: str = ""


@dataclass(frozen=True)
class MaintenancePolicy:
    notice: Duration | None = None  # required notice; windows announced later are not excluded
    max_per_month: Duration | None = None


@dataclass(frozen=True)
class CreditTier:
    below: float  # achieved figure strictly below this (percent) earns ...
    credit: float  # ... this percent of the period's fee


@dataclass(frozen=True)
class Bonus:
    at_least: float  # achieved figure at or above this earns ...
    bonus: float  # ... this percent of the fee


@dataclass(frozen=True)
class Credits:
    objective: str  # objective id the tiers apply to
    tiers: tuple[CreditTier, ...]  # ordered by `below`, descending
    cap: float = 100.0  # percent of the fee
    claim_within: Duration | None = None
    monthly_fee: float | None = None
    currency: str = ""
    bonuses: tuple[Bonus, ...] = ()
    #: how long after a claim the credit is paid; longer is flagged (``slacode.evaluate.claims``)
    pay_within: Duration | None = None
    claim: ClaimProcedure | None = None  # where and how to claim ("How to claim")
    claims_path: str = ""  # the claims record (CSV), relative to the project root


@dataclass(frozen=True)
class ClaimProcedure:
    """Where a customer claims a credit and what the claim must say: a credit nobody
    knows how to claim is not one a customer can act on."""

    channel: str
    include: tuple[str, ...] = ()


@dataclass(frozen=True)
class Contact:
    name: str
    contact: str = ""
    role: str = ""
    #: the address may be published (``slacode.render.contacts``); private by default
    public: bool = False


@dataclass(frozen=True)
class EscalationLevel:
    level: int
    contact: str
    after: Duration | None = None
    name: str = ""
    #: the address may be published (``slacode.render.contacts``); private by default
    public: bool = False


@dataclass(frozen=True)
class Continuity:
    rto: Duration | None = None
    rpo: Duration | None = None
    contacts: tuple[Contact, ...] = ()
    plans: tuple[str, ...] = ()
    #: priorities (keys of the matrix) whose incidents count as disasters: each is judged
    #: against ``rto`` and ``rpo`` by the recovery-time and recovery-point objectives
    priorities: tuple[str, ...] = ()


@dataclass(frozen=True)
class Contract:
    reference: str = ""
    start: date | None = None
    end: date | None = None
    renewal: str = ""  # free text, e.g. "automatic, 12 months"


@dataclass(frozen=True)
class Acceptance:
    """Who at the customer accepted a version of the agreement, and when."""

    by: str
    date: date
    reference: str = ""


@dataclass(frozen=True)
class Review:
    every: Duration | None = None
    last: date | None = None


@dataclass(frozen=True)
class Support:
    hours: str = CLOCK_24X7  # calendar id or 24x7
    channels: tuple[Party, ...] = ()  # name = channel (e.g. "Email"), contact = address
    reporting: str = ""  # e.g. "monthly report by the 5th working day"


def visible(visibility: str, audience: str) -> bool:
    """Whether a build for ``audience`` (public, internal, customer:NAME) may show what
    has ``visibility`` (public, internal, customer:NAME)."""
    if audience == "internal":
        return True
    if visibility == "public":
        return True
    return audience.startswith("customer:") and visibility == audience


@dataclass(frozen=True)
class Agreement:
    id: str  # unique across slas/, safe as a URL path segment and file name
    name: str
    version: int
    effective: date
    path: str  # source file, relative to the project root
    visibility: str = "public"  # "public", "internal" or "customer:<name>"
    #: IANA timezone of the agreement's periods (top-level YAML key `timezone`, default UTC):
    #: months, quarters, days and the 90-day strip start at midnight here.
    timezone: str = "UTC"
    owners: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    provider: Party = Party("")
    customer: Party = Party("")
    description: str = ""
    scope: tuple[str, ...] = ()
    exclusions: tuple[str, ...] = ()
    plans: tuple[Plan, ...] = ()
    support: Support = Support()
    calendars: tuple[Calendar, ...] = ()
    objectives: tuple[Objective, ...] = ()
    priorities: tuple[Priority, ...] = ()
    maintenance_policy: MaintenancePolicy = MaintenancePolicy()
    maintenance: tuple[Maintenance, ...] = ()
    credits: Credits | None = None
    responsibilities_provider: tuple[str, ...] = ()
    responsibilities_customer: tuple[str, ...] = ()
    escalation: tuple[EscalationLevel, ...] = ()
    complaints: str = ""  # complaint channel
    continuity: Continuity = Continuity()
    contract: Contract = Contract()
    #: the customer's acceptance of this version (None: not recorded)
    acceptance: Acceptance | None = None
    review: Review = Review()
    depends_on: tuple[str, ...] = ()  # agreement ids this service depends on (serial chain)
    underpins: tuple[str, ...] = ()  # agreement ids this one supports (supplier/OLA side)
    internal_notes: str = ""  # never reaches a non-internal build
    #: JSON pointer ("/objectives/0/target") -> position, for messages of later stages.
    positions: dict[str, Position] = field(default_factory=dict, compare=False, repr=False)
    #: the agreement's free text in other languages, as (language, field, text); field is
    #: ``name``, ``description`` or ``objective:<id>:name`` / ``objective:<id>:description``.
    #: The plain fields hold ``en`` (see :func:`localized`). Not a promise: not compared.
    translations: tuple[tuple[str, str, str], ...] = field(default=(), compare=False,
                                                           repr=False)

    @property
    def is_public(self) -> bool:
        return self.visibility == "public"

    @property
    def is_internal(self) -> bool:
        return self.visibility == "internal"

    def visible_to(self, audience: str) -> bool:
        """Whether a build for ``audience`` (public, internal, customer:NAME) may show this."""
        return visible(self.visibility, audience)

    def calendar(self, clock: str) -> Calendar | None:
        """The calendar a clock id names; ``None`` for 24x7."""
        return next((c for c in self.calendars if c.id == clock), None)

    @property
    def customer_name(self) -> str:
        """``NAME`` of a ``customer:NAME`` visibility; "" for public and internal ones."""
        return self.visibility.removeprefix("customer:") if self.visibility.startswith(
            "customer:") else ""

    def objective(self, objective_id: str) -> Objective | None:
        return next((o for o in self.objectives if o.id == objective_id), None)

    def pos(self, pointer: str) -> Position:
        """Position of a node, falling back to its nearest ancestor, then to the file start."""
        while pointer:
            if pointer in self.positions:
                return self.positions[pointer]
            pointer = pointer.rsplit("/", 1)[0]
        return self.positions.get("", Position(1, 1))


#: a half-open stretch of time ``[start, end)`` in epoch seconds
Span = tuple[int, int]


#: the number type of a span's ends (whole seconds, or seconds as a float)
Num = TypeVar("Num", int, float)


def merge(spans: list[tuple[Num, Num]]) -> list[tuple[Num, Num]]:
    """Sorted union of half-open spans (of whole seconds or of float ones alike)."""
    out: list[tuple[Num, Num]] = []
    for s, e in sorted(spans):
        if e <= s:
            continue
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def overlap(spans: Sequence[tuple[float, float]], a: float, b: float) -> float:
    """Seconds of merged ``spans`` inside ``[a, b)``."""
    return sum(min(e, b) - max(s, a) for s, e in spans if s < b and e > a)


@dataclass(frozen=True)
class MaintenanceAccount:
    """How an agreement's maintenance windows count in its figures."""

    excluded: tuple[Span, ...]  # merged spans left out of the measurements
    late: tuple[Maintenance, ...]  # announced with less notice than agreed: downtime
    over_cap: tuple[Span, ...]  # in time, but beyond ``max_per_month`` that month: downtime


def maintenance_account(a: Agreement) -> MaintenanceAccount:
    """Which maintenance is excluded from ``a``'s measurements.

    A window is excluded only when announced with the agreed notice, and only up to
    ``max_per_month`` in each calendar month of the agreement's timezone, earliest
    first: maintenance beyond the monthly maximum counts as downtime, as the page
    promises. Pull cuts its intervals at these same edges, so no interval is prorated.
    """
    notice = a.maintenance_policy.notice
    ok: list[Span] = []
    late: list[Maintenance] = []
    for w in a.maintenance:
        if w.end <= w.start:
            continue
        told = w.announced
        if told is not None and (notice.add_to(told) if notice else told) <= w.start:
            ok.append((int(w.start.timestamp()), int(w.end.timestamp())))
        else:
            late.append(w)
    spans = merge(ok)
    cap = a.maintenance_policy.max_per_month
    if cap is None or cap.is_calendar:  # a month or more a month: no bound
        return MaintenanceAccount(tuple(spans), tuple(late), ())
    room = int(cap.seconds)
    used: dict[int, int] = {}  # local month start -> seconds excluded so far
    excluded: list[Span] = []
    over: list[Span] = []
    zone = ZoneInfo(a.timezone or "UTC")
    for s, e in spans:
        while s < e:
            month, following = _local_month(s, zone)
            piece_end = min(e, following)
            take = min(piece_end - s, max(0, room - used.get(month, 0)))
            used[month] = used.get(month, 0) + take
            if take:
                excluded.append((s, s + take))
            if s + take < piece_end:
                over.append((s + take, piece_end))
            s = piece_end
    return MaintenanceAccount(tuple(merge(excluded)), tuple(late), tuple(merge(over)))


def _local_month(ts: int, zone: ZoneInfo) -> Span:
    """The calendar month around ``ts`` in ``zone``, as epoch seconds."""
    d = datetime.fromtimestamp(ts, zone)
    nxt = (d.year + d.month // 12, d.month % 12 + 1)
    return (int(datetime(d.year, d.month, 1, tzinfo=zone).timestamp()),
            int(datetime(*nxt, 1, tzinfo=zone).timestamp()))


def localized(a: Agreement, language: str, latest: Agreement | None = None) -> Agreement:
    """``a`` with its free text in ``language`` where the agreement gives it (``name:
    {en: ..., zh: ...}``), the English or plain text elsewhere: what a site in that
    language shows. Ids, figures and promises are untouched.

    ``latest`` (the agreement as it stands now) lends its translations to a past version
    ``a`` for every text whose English is the same in both: a translation added later
    is not a change of the promise, and the version in force says the same words."""
    texts = {key: text for lang, key, text in a.translations if lang == language}
    if latest is not None and latest is not a:
        same = _english(a)
        mine = _english(latest)
        for lang, key, text in latest.translations:
            if lang == language and key not in texts and key in same and same[key] == mine.get(key):
                texts[key] = text
    if not texts:
        return a
    objectives = tuple(
        replace(o, name=texts.get(f"objective:{o.id}:name", o.name),
                description=texts.get(f"objective:{o.id}:description", o.description))
        for o in a.objectives)
    return replace(a, name=texts.get("name", a.name),
                   description=texts.get("description", a.description), objectives=objectives)


def _english(a: Agreement) -> dict[str, str]:
    """The plain (English) text of each field :attr:`Agreement.translations` may name."""
    out = {"name": a.name, "description": a.description}
    for o in a.objectives:
        out[f"objective:{o.id}:name"] = o.name
        out[f"objective:{o.id}:description"] = o.description
    return out


ActionStatus = Literal["open", "done", "dropped"]


@dataclass(frozen=True)
class Action:
    """An improvement action linked to a period of an objective (usually a breached one),
    kept in ``actions/<service>.yaml`` beside the agreements: what was learnt from the
    evaluation and who does something about it by when (``slacode.load.actions``)."""

    service: str
    id: str
    title: str
    objective: str
    period: str  # a period name as results say it: 2026-03, 2026-Q1, 2026
    due: date
    status: ActionStatus
    owner: str = ""  # internal: routes the work, shown in internal builds only
    link: str = ""  # http(s) URL of the ticket or post-mortem
    path: str = ""  # the actions file, relative to the project root
    pos: Position | None = None
