"""The nightly workflow, night after night across two month ends (issue 27).

45 nights, 2026-10-02 to 2026-11-15, run as ``nightly.yml`` runs them: a fresh checkout
(``git clean``), the pull cache restored as ``actions/cache/restore`` restores the last
saved one, ``slacode pull``, the cache saved right after a successful pull, ``slacode
evaluate --freeze``, the ledger committed (dated), ``slacode build --strict``. The data:
a real Prometheus (an API with a three-hour outage in October) and an incident file
that grows night by night with what became known that night, for a business-hours desk
whose September and October each end with an incident that is resolved late, after its
deadline in the next month. On 2026-11-10 an October incident's record is corrected: a
dispute, which the operator restates the same morning.

The commands run in this process (a subprocess each would cost more than the rest), on
one Prometheus. Step times are printed for a human to read; what is asserted instead is
what cannot be noisy: the queries the server answered each night, and the points they
asked for (each range query's steps, one per instant query), from the queries slacode
logs at debug level (what ``slacode pull -v`` shows).
"""

from __future__ import annotations

import contextlib
import html
import io
import json
import logging
import shutil
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from unittest import mock

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "history"))

from gitrepo import Repo
from prometheus_server import (
    PrometheusProcess,
    Series,
    backfill,
    have_prometheus,
    write_openmetrics_by_day,
)

pytestmark = pytest.mark.prometheus

DATA_START = datetime(2026, 9, 1, tzinfo=UTC)
DATA_END = datetime(2026, 11, 16, tzinfo=UTC)
FIRST_NIGHT = datetime(2026, 10, 2, 2, 17, tzinfo=UTC)
NIGHTS = 45
STEP = 600  # one scrape every 10 minutes: small data, the same queries as a real one
OUTAGE = (datetime(2026, 10, 20, 10, tzinfo=UTC), datetime(2026, 10, 20, 13, tzinfo=UTC))
DISPUTE_NIGHT = datetime(2026, 11, 10, 2, 17, tzinfo=UTC)

MKDOCS = """\
site_name: Soak
docs_dir: docs
site_dir: public
plugins:
  - slacode:
      history_months: 3
      cache: .slacode/cache
      prometheus:
        default: {retries: 0, connect_timeout: 2.0, read_timeout: 20.0}
"""

API = """\
id: api
name: API
version: 1
effective: 2026-09-01
visibility: public
parties:
  provider: {name: Example Cloud}
service:
  description: An API measured by Prometheus.
objectives:
  - id: availability
    kind: availability
    target: 99.9
    window: calendar-month
    source:
      prometheus:
        good: 'soak_requests_total{job="api",code!~"5.."}'
        total: 'soak_requests_total{job="api"}'
"""

DESK = """\
id: desk
name: Support desk
version: 1
effective: 2026-09-01
visibility: public
timezone: Asia/Shanghai
parties:
  provider: {name: Example Cloud}
service:
  description: A help desk on business hours.
calendars:
  office: {timezone: Asia/Shanghai, weekdays: [mon, tue, wed, thu, fri], hours: "09:00-18:00"}
support:
  hours: office
priorities:
  P3: {response: 4h, resolution: 3d, clock: office}
objectives:
  - id: p3-resolution
    kind: resolution-time
    priority: P3
    within: 3d
    clock: office
    target: 95
    window: calendar-month
    source: {incidents: {path: data/incidents.csv}}
"""


def cn(text: str) -> datetime:
    return datetime.fromisoformat(text + "+08:00")


#: (id, opened, resolved as first recorded, corrected resolution and when it was known).
#: 3 working days are 27 hours of 09:00-18:00: an incident opened on Wednesday 30
#: September at 16:00 is due on Monday 5 October at 16:00, in the next month.
INCIDENTS = (
    ("SD-1", cn("2026-09-30T16:00:00"), cn("2026-10-06T10:00:00"), None),
    ("SD-2", cn("2026-10-12T10:00:00"), cn("2026-10-13T10:00:00"),
     (cn("2026-10-19T10:00:00"), DISPUTE_NIGHT)),  # the first record was wrong
    ("SD-3", cn("2026-10-30T16:00:00"), cn("2026-11-05T10:00:00"), None),  # due 4 November
)


def incidents_csv(night: datetime) -> str:
    """The incident file as it stood on ``night``: only what had happened by then."""
    rows = ["id,service,priority,opened,first_response,resolved,title,customer_visible"]
    for iid, opened, resolved, fix in INCIDENTS:
        if opened > night:
            continue
        if fix is not None and fix[1] <= night:
            resolved = fix[0]
        done = resolved.isoformat() if resolved <= night else ""
        rows.append(f"{iid},desk,P3,{opened.isoformat()},{opened.isoformat()},{done},"
                    f"Ticket {iid},true")
    return "\n".join(rows) + "\n"


def api_series() -> list[Series]:
    good, bad, g, b = [], [], 0, 0
    t = int(DATA_START.timestamp())
    out_a, out_b = (int(x.timestamp()) for x in OUTAGE)
    while t <= int(DATA_END.timestamp()):
        if out_a < t <= out_b:
            b += 600
        else:
            g += 600
        good.append((t, g))
        bad.append((t, b))
        t += STEP
    labels = (("job", "api"),)
    return [Series("soak_requests_total", (*labels, ("code", "200")), good),
            Series("soak_requests_total", (*labels, ("code", "500")), bad)]


@pytest.fixture(scope="module")
def prometheus(tmp_path_factory: pytest.TempPathFactory):
    missing = have_prometheus()
    if missing:
        pytest.skip(f"needs a real Prometheus: {missing}")
    work = tmp_path_factory.mktemp("soak-prometheus")
    files = write_openmetrics_by_day(api_series(), {"soak_requests": "counter"}, work / "om")
    backfill(files, work / "tsdb", max_block_duration="24h")
    with PrometheusProcess(work / "tsdb") as prom:
        yield prom


def slacode(*args: str) -> tuple[int, str]:
    """One ``slacode`` command in this process: its exit status and what it wrote to stderr."""
    from slacode.cli import main

    err = io.StringIO()
    code: int | str | None = 0
    with mock.patch.object(sys, "argv", ["slacode", *args]), \
            contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            main()
        except SystemExit as exc:
            code = exc.code
    return int(code or 0), err.getvalue()


class Asked(logging.Handler):
    """The points the queries slacode sends ask for: a range query's steps, or 1."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.points = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg == "query %s %s" and isinstance(record.args, tuple):
            _path, data = record.args
            if "step" in data:
                self.points += (int(data["end"]) - int(data["start"])) // int(data["step"]) + 1
            else:
                self.points += 1


@pytest.fixture
def asked() -> Asked:
    logger = logging.getLogger("slacode.pull.prometheus")
    handler, level = Asked(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(level)


def records(ledger: Path) -> dict[str, dict]:
    return {p.relative_to(ledger).as_posix(): json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(ledger.rglob("*.json"))}


def test_forty_five_nights_across_two_month_ends(prometheus, asked, logging_restored,
                                                tmp_path, monkeypatch) -> None:
    repo = Repo(tmp_path / "repo")
    start = "2026-09-01T09:00:00+00:00"
    repo.commit("agreements", {"mkdocs.yml": MKDOCS, "slas/api.yaml": API,
                               "slas/desk.yaml": DESK, "docs/.gitkeep": "",
                               ".gitignore": ".slacode/\npublic/\n",
                               "data/incidents.csv": incidents_csv(DATA_START)}, date=start)
    monkeypatch.chdir(repo.path)
    monkeypatch.setenv("SLACODE_PROMETHEUS_URL", prometheus.url)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    saved = tmp_path / "actions-cache"  # what actions/cache/save keeps between runs
    cache = repo.path / ".slacode" / "cache"
    ledger = repo.path / "ledger"
    nights = []
    first_frozen: dict[str, str] = {}
    for n in range(NIGHTS):
        night = FIRST_NIGHT + timedelta(days=n)
        day = night.date().isoformat()
        monkeypatch.setenv("SLACODE_NOW", night.isoformat())
        # the day's incident records arrive as a commit of their own
        csv = incidents_csv(night)
        if (repo.path / "data" / "incidents.csv").read_text(encoding="utf-8") != csv:
            repo.commit(f"incidents of {day}", {"data/incidents.csv": csv},
                        date=(night - timedelta(hours=3)).isoformat())
        # a fresh checkout, and the cache restored as actions/cache/restore restores it
        repo.git("clean", "-fdxq")
        if saved.exists():
            shutil.copytree(saved, cache)
        steps: dict[str, float] = {}
        answered, points = prometheus.api_queries(), asked.points

        def step(name: str, *args: str, steps: dict[str, float] = steps) -> tuple[int, str]:
            t = time.perf_counter()
            out = slacode(*args)
            steps[name] = time.perf_counter() - t
            return out

        pulled = step("pull", "pull")
        assert pulled[0] == 0, (day, pulled[1])
        shutil.rmtree(saved, ignore_errors=True)
        shutil.copytree(cache, saved)  # saved right after the pull, whatever comes next
        frozen = step("evaluate", "evaluate", "--freeze")
        assert frozen[0] == 0, (day, frozen[1])
        if repo.git("status", "--porcelain", "--", "ledger"):
            repo.commit(f"ledger: freeze closed periods ({day})", date=night.isoformat())
        for name in records(ledger):
            first_frozen.setdefault(name, day)
        built = step("build", "build", "--strict")
        queries = prometheus.api_queries() - answered
        nights.append((day, steps, queries, asked.points - points, built[0]))
        site = repo.path / "public"
        desk_page = (site / "services" / "desk" / "index.html").read_text(encoding="utf-8")
        if day == "2026-11-03":  # SD-3 is still within its target time: October waits
            said = html.unescape(desk_page)
            assert "Provisional until 4 Nov 2026, 16:00 UTC+08:00: 1 incident(s) still " \
                   "within their target time." in said
        if night == DISPUTE_NIGHT:
            # the corrected record disputes the frozen October of the desk: the site is
            # published all the same, with those figures under review, and the night fails
            # on its own (exit 3), not as a failed build (exit 1)
            assert built[0] == 3, built[1]
            assert "slacode: error: disputed: " in built[1]
            assert "desk 2026-10 p3-resolution" in built[1]
            assert "Under review" in desk_page
            assert (site / "services" / "api" / "index.html").is_file()
            # the operator restates it that morning, and commits the record
            restated = slacode("evaluate", "--restate", "2026-10", "--service", "desk",
                               "--reason", "SD-2 was resolved on 19 October, not 13 October")
            assert restated[0] == 0, restated[1]
            repo.commit("ledger: restate the desk's October",
                        date=(night + timedelta(hours=6)).isoformat())
        else:
            assert built[0] == 0, (day, built[1])
            assert "Under review" not in desk_page
    print("\nnight       pull  evaluate  build  (seconds)  queries  points")
    for day, steps, queries, points, code in nights:
        print(f"{day}  {steps['pull']:5.2f}  {steps['evaluate']:8.2f}  {steps['build']:5.2f}"
              f"  {queries:17.0f}  {points:6d}{'  exit ' + str(code) if code else ''}")

    # a period is frozen only once final: the desk's September and October each waited
    # for an incident due in the next month; the API's months for one day of late data
    assert first_frozen == {
        "api/2026-09.json": "2026-10-02",
        "desk/2026-09.json": "2026-10-06",  # SD-1 was due on 5 October 16:00 (08:00 UTC)
        "api/2026-10.json": "2026-11-02",
        "desk/2026-10.json": "2026-11-05",  # SD-3 was due on 4 November 16:00
    }
    final = records(ledger)
    assert final["desk/2026-09.json"]["results"]["p3-resolution"]["verdict"] == "breached"
    assert final["desk/2026-10.json"]["restated"] == ["p3-resolution"]

    # the ledger the nights left equals one cold evaluation at the end, into an empty ledger
    shutil.rmtree(cache)
    shutil.copytree(repo.path / "ledger", tmp_path / "nightly-ledger")
    shutil.rmtree(ledger)
    cold = slacode("evaluate", "--freeze")
    assert cold[0] == 0, cold[1]
    once = records(ledger)
    nightly = records(tmp_path / "nightly-ledger")
    assert once.keys() == nightly.keys()
    for name, rec in once.items():
        assert rec["results"] == nightly[name]["results"], name

    # the nights do not get heavier: after the first (a cold pull of September and the
    # October so far), each asks the server only for what is new, the same every night
    queries = [q for _d, _s, q, _p, _c in nights]
    points = [p for _d, _s, _q, p, _c in nights]
    assert points[0] > 30 and max(points[1:]) <= 6, points  # a month of days; the new day
    assert max(queries[1:]) <= queries[0] and max(queries[1:]) <= 2 * min(queries[1:])
    assert max(points[-10:]) <= max(points[1:11]) and max(queries[-10:]) <= max(queries[1:11])
