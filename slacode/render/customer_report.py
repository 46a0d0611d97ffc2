"""The monthly service report of one customer: a standalone HTML page (and, printed by
``slacode report``, a PDF of it) that both sides keep.

It shows only frozen figures (closed periods in the ledger), so it never changes after
it is written, and it carries the SHA-256 fingerprint of the ledger records it shows
(:mod:`slacode.ledger.fingerprint`). Every figure, verdict and credit it prints from a
record is tagged ``data-ledger="SERVICE/PERIOD/OBJECTIVE/FIELD"`` with the very text
:func:`figures` makes of the record: ``slacode report --verify`` makes that text again
from the ledger and names the first figure that differs, so a disputed figure can be
traced to its record.

Everything from an agreement, a data file or the ledger passes the template
environment's escaping (:func:`slacode.render.pages.environment`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from markupsafe import Markup

from slacode.evaluate.objectives import incident_target
from slacode.evaluate.results import PeriodResult, ServiceResults
from slacode.model import Agreement
from slacode.render import (
    _internal_changes_out,
    _public_miss,
    changes,
    contacts,
    escape,
    fmt,
    svg,
)
from slacode.render.overview_parts import period_name
from slacode.render.pages import (
    Words,
    _late_windows,
    _over_cap,
    _zone,
    environment,
    maint_excluded,
    money,
    objective_name,
    phrases,
)
from slacode.render.reasons import say
from slacode.render.strings import t

#: the id of the machine-readable block a report embeds (what ``--verify`` reads)
DATA_ID = "slacode-report"


@dataclass(frozen=True)
class Section:
    """One agreement of the customer in the report's month."""

    agreement: Agreement  # the version in force at the end of the month
    versions: tuple[Agreement, ...]  # every version in force during the month, oldest first
    results: tuple[PeriodResult, ...]  # frozen results of the periods ending in the month
    incidents: tuple[Any, ...] = ()  # slacode.pull.base.Incident opened in the month
    changes: tuple[Any, ...] = ()  # slacode.history.ChangeEntry committed or effective then
    shown: ServiceResults | None = None  # all its results as shown (maintenance accounting)
    #: ids of the service's incidents kept from customers: never named in what was missed
    hidden: frozenset[str] = frozenset()
    #: the customer's claims (``slacode.evaluate.claims.CheckedClaim``) of these periods
    claims: tuple[Any, ...] = ()
    #: contact addresses the customer may not see in any version's words (an escalation
    #: address of a version that was not theirs) -> what stands in for each
    #: (``slacode.render.contacts.hidden_in``): never printed in the month's changes
    hidden_contacts: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class CustomerReport:
    customer: str  # the NAME of customer:NAME
    period: str  # "2026-10"
    first: date  # the month's first and last day
    last: date
    language: str
    generated: str  # ISO time the report was made ("now")
    fingerprint: str  # sha256:<hex> over ``records``
    records: tuple[str, ...]  # "SERVICE/PERIOD.json" of every ledger record shown
    sections: tuple[Section, ...]
    site_title: str = "Service levels"


def figures(p: PeriodResult, language: str) -> dict[str, str]:
    """The texts a report prints of one frozen result, by field: what ``--verify``
    compares the report's tagged texts with."""
    no_data = t("common.no_data_mark", language)
    # a period judged "no data" shows no figure and owes no credit, as on the site: a
    # figure from part of the period would look like compliance
    judged = p.verdict != "no-data"
    out = {
        "value": fmt.figure(p.value if judged else None, p.unit, no_data),
        "target": fmt.figure(p.target, p.unit),
        "verdict": t("verdict." + svg.verdict_class(p.verdict), language),
        "coverage": fmt.percent(p.coverage * 100, 1),
    }
    c = p.credit if judged else None
    if c is not None and c.percent:
        out["credit"] = fmt.percent(c.percent, 2)
        if c.amount is not None:
            out["credit_amount"] = money(c.amount, c.currency)
        if c.claim_by:
            out["claim_by"] = fmt.day(c.claim_by, language)
    if c is not None and c.bonus_percent:
        out["bonus"] = fmt.percent(c.bonus_percent, 2)
        if c.bonus_amount is not None:
            out["bonus_amount"] = money(c.bonus_amount, c.currency)
    return out


def key(p: PeriodResult, field: str) -> str:
    return f"{p.service}/{p.period}/{p.objective}/{field}"


def html(report: CustomerReport) -> str:
    """The report as one standalone HTML page (styles inline, no request to any host)."""
    lang = report.language
    words = Words(lang)

    def tagged(p: PeriodResult, field: str) -> Markup:
        text = figures(p, lang)[field]
        return Markup(f'<span data-ledger="{escape.text(key(p, field))}">'
                      f"{escape.text(text)}</span>")

    data = {"customer": report.customer, "period": report.period, "language": lang,
            "customer_name": report.sections[0].agreement.customer.name or report.customer,
            "generated": report.generated, "fingerprint": report.fingerprint,
            "records": list(report.records)}
    with fmt.page_language(lang):  # every date as the report's language writes dates
        return _html(report, lang, words, data, tagged)


def _html(report: CustomerReport, lang: str, words: Words, data: dict[str, Any],
          tagged: Any) -> str:
    # inside <script>: no "<" at all, so no "</script>" can end the block early
    embedded = json.dumps(data, sort_keys=True, ensure_ascii=False).replace("<", "\\u003c")
    return environment().get_template("customer_report.html.j2").render(
        r=report,
        w=words,
        T=phrases(lang),
        lang="zh-CN" if lang == "zh" else "en",
        tagged=tagged,
        embedded=Markup(embedded),
        data_id=DATA_ID,
        objective_name=objective_name,
        objective_of=lambda s, p: s.agreement.objective(p.objective) or next(
            (o for v in s.versions if (o := v.objective(p.objective))), None),
        version_of=_version_of,
        credited=lambda s: [p for p in s.results if p.credit and p.verdict != "no-data" and (
            p.credit.percent or p.credit.bonus_percent)],
        incident_rows=lambda s: _incident_rows(s, lang),
        maintenance_rows=lambda s: _maintenance_rows(s, report, lang),
        change_rows=lambda s: _change_rows(s, lang),
        misses=lambda s, p: [say(_public_miss(m, set(s.hidden)), lang) for m in p.misses],
        claim=lambda s, p: _how_to_claim(s, p, lang),
        claims_of=lambda s, p: [_claim_line(c, s, lang) for c in s.claims
                                if c.claim.period == p.period
                                and c.claim.objective == p.objective],
        when=lambda x: fmt.when(x, lang),
        day=lambda x: fmt.day(x, lang),
        period_name=lambda p: period_name(p, lang, kind=False),
    )


def _how_to_claim(s: Section, p: PeriodResult, lang: str) -> str:
    """How to claim this credit: the agreement's claim channel and what to include when it
    names them (``credits.claim``), else the provider's contact."""
    a = s.agreement
    procedure = a.credits.claim if a.credits else None
    if procedure is None:
        return t("report.how_to_claim", lang, contact=a.provider.contact or a.provider.name,
                 ref=a.contract.reference or a.id, period=p.period)
    text = t("claims.channel", lang, channel=procedure.channel)
    if procedure.include:
        text += " " + t("claims.include", lang,
                        items=t("common.list_sep", lang).join(procedure.include))
    return text


def _claim_line(c: Any, s: Section, lang: str) -> str:
    """One claim of the customer, what was paid, and what evaluation says of it."""
    x = c.claim
    text = t("claims.claim_line", lang, id=x.id, date=fmt.day(x.claimed),
             status=t(f"claims.status_{x.status}", lang))
    if x.amount is not None:
        currency = s.agreement.credits.currency if s.agreement.credits else ""
        text += f" · {money(x.amount, currency)}" + (f" {fmt.day(x.paid)}" if x.paid else "")
    flags = [t("claims.flag_" + f.code, lang) for f in c.flags]
    return text + (f" ({t('common.list_sep', lang).join(flags)})" if flags else "")


def _version_of(s: Section, number: int) -> Agreement | None:
    return next((v for v in s.versions if v.version == number), None)


def _local(ts: int | None, a: Agreement) -> str:
    if ts is None:
        return "—"
    return fmt.when(datetime.fromtimestamp(ts, tz=_zone(a.timezone or "UTC")))


def _incident_rows(s: Section, lang: str) -> list[dict[str, Any]]:
    """Each incident of the month with its response and resolution against their targets:
    the time taken, the target (the objective's, else the priority matrix's) and, where
    an objective of the report judged it, whether it was met (from the frozen misses)."""
    rows = []
    for inc in s.incidents:
        row: dict[str, Any] = {"id": inc.id, "priority": inc.priority, "title": inc.title,
                               "opened": _local(inc.opened, s.agreement)}
        for kind, done, name in (("response-time", inc.first_response, "response"),
                                 ("resolution-time", inc.resolved, "resolution")):
            took = fmt.elapsed(done - inc.opened, lang) if done is not None else "—"
            target, verdict, missed = "", "", False
            for o in s.agreement.objectives:
                if o.kind != kind or (o.priority and o.priority != inc.priority):
                    continue
                within, clock = incident_target(s.agreement, o, inc.priority)
                if within is None:
                    continue
                target = fmt.duration(within, lang)
                if clock != "24x7":
                    target += f" ({Words(lang).clock(clock)})"
                judged = next((p for p in s.results if p.objective == o.id), None)
                if judged is not None:
                    missed = any(inc.id in m.incident.split(", ") for m in judged.misses)
                    verdict = t("report.inc_missed" if missed else "report.inc_met", lang)
                break
            if not target:
                matrix = next((p for p in s.agreement.priorities if p.id == inc.priority), None)
                within = getattr(matrix, name, None) if matrix else None
                target = fmt.duration(within, lang) if within else "—"
            row[name] = {"took": took, "target": target, "verdict": verdict, "missed": missed}
        rows.append(row)
    return rows


def _maintenance_rows(s: Section, r: CustomerReport, lang: str) -> list[dict[str, str]]:
    """The version in force's maintenance windows that touch the month, and whether each
    was left out of the figures (announced in time, within the monthly maximum)."""
    zone = _zone(s.agreement.timezone or "UTC")
    start = datetime(r.first.year, r.first.month, r.first.day, tzinfo=zone)
    end = datetime.combine(r.last, datetime.max.time(), tzinfo=zone)
    late, over = _late_windows(s.shown), _over_cap(s.shown)
    cap = s.agreement.maintenance_policy.max_per_month
    return [{"start": fmt.when(m.start), "end": fmt.when(m.end),
             "announced": fmt.when(m.announced), "description": m.description,
             "excluded": maint_excluded(m, late, over, cap, lang)}
            for m in s.agreement.maintenance if m.end > start and m.start <= end]


def _change_rows(s: Section, lang: str) -> list[dict[str, Any]]:
    """The month's changes as a customer's site shows them: without what only an internal
    build may say (owners)."""
    return [{"date": fmt.day(c.date), "version": "—" if c.version is None else c.version,
             "effective": fmt.day(c.effective),
             "what": [changes.say(x, lang, _names(s)) for x in c.changes]}
            for c in contacts.scrub_changes(_internal_changes_out(s.changes, False),
                                            dict(s.hidden_contacts))]


def _names(s: Section) -> dict[str, str]:
    """Objective id -> name over the versions the report shows (the one in force last)."""
    out: dict[str, str] = {}
    for a in (*s.versions, s.agreement):
        out |= {o.id: objective_name(o) for o in a.objectives}
    return out


def report_file_name(customer: str, period: str) -> str:
    """``report-acme-2026-10``: the stem of the HTML and PDF files."""
    return f"report-{escape.segment(customer)}-{escape.segment(period)}"


def in_month(p: PeriodResult, first: date, last: date) -> bool:
    """Whether period ``p`` ends in the month from ``first`` to ``last`` (its last day
    falls there): a month's report shows its month, and the quarter or year ending then."""
    final = (datetime.fromisoformat(p.end) - timedelta(microseconds=1)).date()
    return first <= final <= last
