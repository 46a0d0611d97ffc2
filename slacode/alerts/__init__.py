"""Burn-rate and credit-at-risk alerts generated from the agreements (``slacode alerts``).

The nightly site tells of a breach a day late; these rules let Prometheus warn while
there is still budget to save. For every ratio objective read from Prometheus (events
availability, latency, time slices) the file holds, in one group per agreement:

* ``slacode:sli_bad:5m`` / ``slacode:sli_total:5m``: bad and all events (or slices) of
  the last five minutes, once a minute, from the same expressions the pull sends
  (``plan_for``, ``slice_rule``). Samples whose five minutes touch maintenance that
  evaluation excludes (``maintenance_account``) are left out, as evaluation leaves them
  out, so a burst during announced maintenance spends no budget, then or later;
* ``slacode:error_ratio:<w>`` for the windows the alerts need (5m, 30m, 1h, 6h, 3d),
  and ``slacode:error_ratio:period``: the error ratio of the period so far, from the
  first local midnight of the agreement's month (quarter, year) on (``calendar``);
* multi-window, multi-burn-rate alerts (Google SRE workbook, "Alerting on SLOs"):
  page when 2 % of the period's budget goes in 1 h (confirmed over 5 m) or 5 % in 6 h
  (confirmed over 30 m), ticket when 10 % goes in 3 d (confirmed over 6 h). The burn
  rate is scaled to the objective's own window: for a calendar month the budget is that
  month's (744 hours in January, 672 in February, 743 in a Berlin March);
* ``SLACreditAtRisk`` on the objective the credits name: the period's figure, if the
  current burn (of the last 6 h, and still of the last 30 m) goes on to the period's
  end, ends below the first credit tier. It names the tier and the money at stake.

Announced maintenance that evaluation excludes also silences the alerts for exactly
its window (a rule condition); late or over-cap maintenance counts as downtime, so it
neither silences nor leaves data out. After the last day of ``contract.end`` nothing is
promised, and nothing alerts.

Text from agreements (names) only reaches annotations and is made literal for
Prometheus' templates (``literal``); ids are restricted by the schema; the file is
written by ruamel.yaml, so no text can add YAML structure.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slacode.alerts import calendar
from slacode.model import Agreement, Objective, maintenance_account
from slacode.pull.planning import (
    RECORDED_BAD,
    RECORDED_TRAFFIC,
    plan_for,
    range_expr,
    slice_rule,
)
from slacode.pull.rules import recording_rules

#: (share of the period's budget, long window, short window, severity), SRE workbook
BURN_PAIRS: tuple[tuple[float, str, str, str], ...] = (
    (0.02, "1h", "5m", "page"),
    (0.05, "6h", "30m", "page"),
    (0.10, "3d", "6h", "ticket"),
)
WINDOWS = ("5m", "30m", "1h", "6h", "3d")
_SECONDS = {"m": 60, "h": 3600, "d": 86400}
#: the recent windows a credit projection assumes go on (the second confirms the first)
PROJECTION_WINDOWS = ("6h", "30m")
#: the length of the samples of ``slacode:sli_*:5m``: maintenance reaches this far past
#: its end into them
STEP = 300
#: where the render stage puts a service's page, under the site's URL
SERVICE_PAGE = "services/{id}/"
#: the rules' evaluation interval: the 5-minute samples overlap, which the ratios of
#: their sums do not mind
INTERVAL = "1m"


def seconds(window: str) -> int:
    return int(window[:-1]) * _SECONDS[window[-1]]


def literal(text: str) -> str:
    """``text`` as Prometheus' templates (Go text/template) print it, whatever it holds:
    text with a brace becomes one quoted template string (``{{ "..." }}``), so neither
    ``{{`` in it nor a brace next to the text around it can start an action."""
    if "{" not in text and "}" not in text:
        return text
    return "{{ " + json.dumps(text, ensure_ascii=False) + " }}"


@dataclass(frozen=True)
class Skipped:
    """An objective without alerts, and why (the file's header lists them for review)."""

    service: str
    objective: str
    reason: str


@dataclass(frozen=True)
class AlertRules:
    """The rules file as data, and what it leaves out."""

    doc: dict[str, Any]
    skipped: tuple[Skipped, ...]

    @property
    def count(self) -> tuple[int, int]:
        """(recording rules, alerting rules)."""
        rules = [r for g in self.doc["groups"] for r in g["rules"]]
        alerts = sum(1 for r in rules if "alert" in r)
        return len(rules) - alerts, alerts


def _why_not(obj: Objective, server: str) -> str:
    """Why ``obj`` gets no alerts from ``server`` ("" when it gets them)."""
    q = obj.source.prometheus
    if obj.kind not in ("availability", "latency") or obj.method in ("mean", "share"):
        return f"{obj.kind} is not a ratio of events"
    if q is None:
        return f"its source is {obj.source.kind}, not Prometheus"
    if q.server != server:
        return f"it reads Prometheus server {q.server!r}"
    try:
        plan_for(obj)
    except ValueError as exc:
        return f"it cannot be measured: {exc}"
    return ""


def _events(obj: Objective) -> tuple[str, str]:
    """PromQL for bad and all events of the last 5 minutes (label-free vectors), from the
    expressions the pull sends."""
    # each in parentheses: the pull's ``total`` is ``increase(...) and <observed>``, and
    # ``and`` binds looser than the arithmetic below
    exprs = {k: f"({range_expr(v, 300)})" for k, v in plan_for(obj).exprs.items()}
    good, bad, total = exprs.get("good"), exprs.get("bad"), exprs.get("total")
    if total and good:
        return f"clamp_min({total} - ({good} or 0 * {total}), 0)", total
    if total and bad:
        return f"({bad} or 0 * {total})", total
    assert good and bad
    return f"({bad} or 0 * {good})", f"({good} or 0 * {bad}) + ({bad} or 0 * {good})"


def _slices(obj: Objective) -> tuple[str, str]:
    """Bad and all slices of the last slice, from the recorded ``slacode:slice_bad``
    (the same rules ``slacode rules`` writes; they are in this file too)."""
    rule = slice_rule(obj)
    s = f"{rule.slice}s"
    bad = f'sum(last_over_time({RECORDED_BAD}{{slacode_key="{rule.key}"}}[{s}]))'
    traffic = f'sum(last_over_time({RECORDED_TRAFFIC}{{slacode_key="{rule.key}"}}[{s}]))'
    if obj.zero_traffic == "no-data":
        return bad, traffic
    if obj.zero_traffic == "bad":
        return f"{bad} + 1 - {traffic}", f"{bad} * 0 + 1"
    return bad, f"{bad} * 0 + 1"


def _during(spans: Iterable[tuple[int, int]], reach: int = 0) -> str:
    """PromQL that has a sample when now is in one of the half-open ``spans``; with
    ``reach``, when a sample covering the ``reach`` seconds up to now overlaps one."""
    op = ">" if reach else ">="
    parts = [f"(vector(time()) {op} {s} < {e + reach})" for s, e in spans]
    return " or ".join(parts)


def _sel(a: Agreement, obj: Objective) -> str:
    return f'{{slacode_service="{a.id}",slacode_objective="{obj.id}"}}'


def _period_sel(a: Agreement, kind: str) -> str:
    return f'{{slacode_service="{a.id}",window="calendar-{kind}"}}'


def _words(window: str) -> str:
    n, unit = int(window[:-1]), {"m": "minute", "h": "hour", "d": "day"}[window[-1]]
    return f"{n} {unit}{'' if n == 1 else 's'}"


def _period_words(obj: Objective) -> str:
    return (f"the last {obj.window.days} days'" if obj.window.kind == "rolling"
            else f"this {obj.window.kind}'s")


def _money(amount: float, currency: str) -> str:
    return f"{currency} {amount:,.2f}".strip()


def agreement_group(a: Agreement, objectives: list[Objective], site_url: str) -> dict[str, Any]:
    """One rule group: the period edges, the objectives' ratios and their alerts."""
    rules: list[dict[str, Any]] = []
    svc = {"slacode_service": a.id}
    tz = a.timezone or "UTC"
    acc = maintenance_account(a)
    page = (site_url.rstrip("/") + "/" if site_url else "") + SERVICE_PAGE.format(id=a.id)
    kinds = sorted({o.window.kind for o in objectives if o.window.kind != "rolling"})
    local = f'slacode:local_time{{slacode_service="{a.id}"}}'
    if kinds:
        rules.append({"record": "slacode:local_time", "expr": calendar.local_time(tz),
                      "labels": dict(svc)})
    for kind in kinds:
        start, end = calendar.period_bounds(kind, tz, local)
        labels = {**svc, "window": f"calendar-{kind}"}
        rules.append({"record": "slacode:period_start", "expr": start, "labels": labels})
        rules.append({"record": "slacode:period_end", "expr": end, "labels": dict(labels)})
        pl = _period_sel(a, kind)
        rules.append({"record": "slacode:period_seconds",
                      "expr": f"slacode:period_end{pl} - slacode:period_start{pl}",
                      "labels": dict(labels)})
        rules.append({"record": "slacode:period_elapsed:ratio",
                      "expr": f"(vector(time()) - on() slacode:period_start{pl}) / on() "
                              f"slacode:period_seconds{pl}",
                      "labels": dict(labels)})
    for obj in objectives:
        rules.extend(_objective_rules(a, obj, acc.excluded, page))
    return {"name": f"slacode-alerts-{a.id}", "interval": INTERVAL, "rules": rules}


def _contract_end(a: Agreement) -> int | None:
    """The local midnight after ``contract.end`` (its last day, as evaluation counts it)."""
    end = a.contract.end
    if end is None:
        return None
    after = end + timedelta(days=1)
    return int(datetime(after.year, after.month, after.day,
                        tzinfo=ZoneInfo(a.timezone or "UTC")).timestamp())


def _objective_rules(a: Agreement, obj: Objective, excluded: tuple[tuple[int, int], ...],
                     page: str) -> list[dict[str, Any]]:
    labels = {"slacode_service": a.id, "slacode_objective": obj.id}
    sel = _sel(a, obj)
    bad, total = _slices(obj) if obj.method == "slices" else _events(obj)
    reach = slice_rule(obj).slice if obj.method == "slices" else STEP
    mask = f" unless on() ({_during(excluded, reach)})" if excluded else ""
    silence = f" unless on() ({_during(excluded)})" if excluded else ""
    ended = _contract_end(a)
    if ended is not None:  # no promise after the contract's last day: nothing to warn of
        silence += f" unless on() (vector(time()) >= {ended})"
    out: list[dict[str, Any]] = [
        {"record": "slacode:sli_bad:5m", "expr": f"({bad}){mask}", "labels": dict(labels)},
        {"record": "slacode:sli_total:5m", "expr": f"({total}){mask}", "labels": dict(labels)},
    ]
    for w in WINDOWS:
        out.append({"record": f"slacode:error_ratio:{w}",
                    "expr": f"sum_over_time(slacode:sli_bad:5m{sel}[{w}]) / "
                            f"sum_over_time(slacode:sli_total:5m{sel}[{w}])",
                    "labels": dict(labels)})
    win = obj.window
    if win.kind == "rolling":
        out.append({"record": "slacode:error_ratio:period",
                    "expr": f"sum_over_time(slacode:sli_bad:5m{sel}[{win.days}d]) / "
                            f"sum_over_time(slacode:sli_total:5m{sel}[{win.days}d])",
                    "labels": dict(labels)})
        length = f"{win.days * 86400}"
        # "the period's end" of a rolling window: a day from now, one day of it new
        elapsed = f"vector({1 - 1 / win.days!r})"
    else:
        pl = _period_sel(a, win.kind)
        step = calendar.step(a.timezone or "UTC")
        hours = "1h" if step == 3600 else f"{step // 60}m"
        for part in ("bad", "total"):
            out.append({"record": f"slacode:sli_{part}:{hours}",
                        "expr": f"sum_over_time(slacode:sli_{part}:5m{sel}[{hours}])",
                        "labels": dict(labels)})
        since = f"vector(time()) - {step} >= on() slacode:period_start{pl} @ end()"
        rng = calendar.SUBQUERY_RANGE[win.kind]
        out.append({"record": "slacode:error_ratio:period",
                    "expr": f"sum_over_time((slacode:sli_bad:{hours}{sel} and on() ({since}))"
                            f"[{rng}:{hours}]) / sum_over_time((slacode:sli_total:{hours}{sel}"
                            f" and on() ({since}))[{rng}:{hours}])",
                    "labels": dict(labels)})
        length = f"slacode:period_seconds{pl}"
        elapsed = f"slacode:period_elapsed:ratio{pl}"
    budget = float(f"{1 - obj.target / 100.0:.10g}")  # 0.001, not 0.0009999999999999432
    base = {"service": a.id, "objective": obj.id, "agreement_version": str(a.version)}
    who = f"{literal(a.name)}: {literal(obj.name or obj.id)}"
    for share, long, short, severity in BURN_PAIRS:
        # the error ratio that spends ``share`` of the period's budget in ``long``
        hours = f"{length} / {seconds(long)}"
        if win.kind == "rolling":
            threshold = f"{float(f'{int(length) / seconds(long) * share * budget:.10g}')!r}"
        else:
            threshold = f"on() ({hours} * {share!r} * {budget!r})"
        expr = (f"slacode:error_ratio:{long}{sel} > {threshold} and on() "
                f"slacode:error_ratio:{short}{sel} > {threshold}{silence}")
        out.append({
            "alert": "SLAErrorBudgetBurn",
            "expr": expr,
            "labels": {**base, "severity": severity, "long_window": long,
                       "short_window": short},
            "annotations": {
                "summary": (f"{who} is spending its error budget too fast: at this rate "
                            f"{share:.0%} of {_period_words(obj)} budget goes in "
                            f"{_words(long)} (confirmed over the last {_words(short)})."),
                "sla_page": literal(page),
            },
        })
    credits = a.credits
    if credits and credits.objective == obj.id and credits.tiers:
        out.extend(_credit_rules(a, obj, sel, labels, elapsed, silence, base, who, page))
    return out


def _credit_rules(a: Agreement, obj: Objective, sel: str, labels: dict[str, str],
                  elapsed: str, silence: str, base: dict[str, str], who: str,
                  page: str) -> list[dict[str, Any]]:
    credits = a.credits
    assert credits is not None
    tier = max(credits.tiers, key=lambda t: t.below)
    out: list[dict[str, Any]] = []
    for w in PROJECTION_WINDOWS:
        # the period's error ratio so far, weighted by the time gone, and the recent one
        # for the time left (before any full hour of the period, the recent one alone)
        period = f"(slacode:error_ratio:period{sel} or on() slacode:error_ratio:{w}{sel})"
        out.append({"record": f"slacode:projected_figure:{w}",
                    "expr": f"100 * (1 - ({elapsed} * on() {period} + on() "
                            f"(1 - {elapsed}) * on() slacode:error_ratio:{w}{sel}))",
                    "labels": dict(labels)})
    first, second = PROJECTION_WINDOWS
    percent = min(tier.credit, credits.cap)
    months = calendar.MONTHS.get(obj.window.kind, 0)
    stake = f"{percent:g}% of the period's fee"
    if credits.monthly_fee is not None and months:
        stake += f" ({_money(credits.monthly_fee * months * percent / 100, credits.currency)})"
    out.append({
        "alert": "SLACreditAtRisk",
        "expr": (f"sum(slacode:projected_figure:{first}{sel}) < {tier.below!r} and on() "
                 f"slacode:projected_figure:{second}{sel} < {tier.below!r}{silence}"),
        "for": "10m",
        "labels": {**base, "severity": "ticket", "credit_tier": f"{tier.below:g}"},
        "annotations": {
            "summary": (f"{who}: at the burn rate of the last {_words(first)}, "
                        f"{_period_words(obj)} figure would end below {tier.below:g}% "
                        f"(the first credit tier): {stake} at stake."),
            "sla_page": literal(page),
        },
    })
    return out


def alert_rules(agreements: Iterable[Agreement], server: str = "default",
                site_url: str = "") -> AlertRules:
    """The alerting rules file (as data) for the ratio objectives read from ``server``,
    with the time-slice recording rules they read (those of ``slacode rules``)."""
    agreements = sorted(agreements, key=lambda a: a.id)
    groups: list[dict[str, Any]] = []
    skipped: list[Skipped] = []
    alerting: list[Agreement] = []
    for a in agreements:
        chosen = []
        for obj in a.objectives:
            why = _why_not(obj, server)
            if why:
                skipped.append(Skipped(a.id, obj.id, why))
            else:
                chosen.append(obj)
        if chosen:
            groups.append(agreement_group(a, chosen, site_url))
            alerting.append(a)
    slices = recording_rules(alerting, server)["groups"]
    return AlertRules({"groups": slices + groups}, tuple(skipped))
