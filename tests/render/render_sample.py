"""Small hand-made agreements and results for render tests (no other stage needed)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from slacode.durations import Duration
from slacode.evaluate.results import Budget, Credit, DailyValue, Miss, PeriodResult, ServiceResults
from slacode.model import (
    Agreement,
    Calendar,
    Contact,
    Continuity,
    Contract,
    Credits,
    CreditTier,
    EscalationLevel,
    Maintenance,
    MaintenancePolicy,
    Objective,
    Party,
    Priority,
    Review,
    Source,
    Window,
)
from slacode.pull.base import Incident

NOW = "2026-11-26T00:00:00Z"
NOW_TS = int(datetime(2026, 11, 26, tzinfo=UTC).timestamp())
MARKER = "INTERNAL-MARKER-7f3a"
HOSTILE_NAME = 'Payments API </title><img src=x onerror="window.__pwned=3"> **x** {: #y }'
HOSTILE = (
    '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> '
    '[click](javascript:alert(1)) **bold** {: onclick="alert(3)" } '
    '<a href="javascript:alert(4)">x</a>'
)

MONTH = Window("month")
FILE = Source("file", path="data/x.csv")


def _avail(target: float = 99.95, **kw) -> Objective:
    return Objective(
        "availability",
        "availability",
        target,
        MONTH,
        FILE,
        name="Availability",
        method="events",
        **kw,
    )


def agreements(hostile: bool = False) -> tuple[Agreement, ...]:
    pay = Agreement(
        id="payments-api",
        name=HOSTILE_NAME if hostile else "Payments API",
        version=3,
        effective=date(2026, 1, 1),
        path="slas/payments-api.yaml",
        owners=("team-payments",),
        tags=("api",),
        provider=Party("Example Cloud", "sla@example.com"),
        customer=Party("All customers"),
        description=HOSTILE if hostile else "Card and wallet payment processing over HTTPS.",
        scope=("REST API", "[Webhooks](javascript:alert(7))" if hostile else "Webhooks"),
        exclusions=("Sandbox environment",),
        objectives=(
            _avail(internal_notes=f"objective note {MARKER}"),
            Objective(
                "latency",
                "latency",
                99.0,
                MONTH,
                FILE,
                name="Latency under 300 ms",
                threshold=Duration(300, "ms"),
            ),
            Objective(
                "p1-response",
                "response-time",
                100,
                Window("quarter"),
                Source("incidents", path="data/incidents.csv"),
                priority="P1",
                within=Duration(15, "m"),
            ),
        ),
        priorities=(
            Priority("P1", "Critical", "Payments fail", Duration(15, "m"), Duration(4, "h")),
        ),
        maintenance_policy=MaintenancePolicy(notice=Duration(7, "d")),
        maintenance=(
            Maintenance(
                datetime(2026, 12, 6, 2, tzinfo=UTC),
                datetime(2026, 12, 6, 4, tzinfo=UTC),
                datetime(2026, 11, 20, tzinfo=UTC),
                "Database upgrade",
            ),
            Maintenance(
                datetime(2026, 10, 10, 2, tzinfo=UTC),
                datetime(2026, 10, 10, 3, tzinfo=UTC),
                datetime(2026, 10, 9, tzinfo=UTC),
                "Emergency patch",
            ),
        ),
        credits=Credits(
            "availability",
            (CreditTier(99.95, 10), CreditTier(99.0, 30), CreditTier(95.0, 100)),
            100,
            Duration(30, "d"),
            5000,
            "USD",
        ),
        responsibilities_provider=("Notify planned maintenance 7 days ahead",),
        responsibilities_customer=("Retry failed requests with backoff",),
        escalation=(
            EscalationLevel(1, "oncall@example.com", Duration(15, "m"), "On call"),
            EscalationLevel(2, "javascript:alert(5)", Duration(1, "h")),
        ),
        continuity=Continuity(
            Duration(4, "h"),
            Duration(15, "m"),
            (Contact("Incident desk", "+1 555 0100", "24x7"),),
            ("Fail over to the second region",),
        ),
        contract=Contract(
            "EC-2026-001", date(2026, 1, 1), date(2027, 12, 31), "automatic, 12 months"
        ),
        review=Review(Duration(6, "mo"), date(2026, 3, 1)),
        depends_on=("auth-internal",),
        internal_notes=f"pager rota {MARKER}",
    )
    desk = Agreement(
        id="support-desk",
        name="Support desk",
        version=1,
        effective=date(2026, 1, 1),
        path="slas/support-desk.yaml",
        owners=("team-support",),
        timezone="Asia/Shanghai",
        calendars=(
            Calendar("cn-business", "Asia/Shanghai", (0, 1, 2, 3, 4), time(9), time(18), "CN"),
        ),
        objectives=(
            Objective(
                "satisfaction",
                "satisfaction",
                4.2,
                MONTH,
                Source("survey", path="data/s.csv"),
                name="Satisfaction",
                method="mean",
                min_responses=20,
            ),
        ),
    )
    auth = Agreement(
        id="auth-internal",
        name=f"Auth {MARKER}",
        version=1,
        effective=date(2026, 1, 1),
        path="slas/auth-internal.yaml",
        visibility="internal",
        description=MARKER,
        objectives=(_avail(99.9),),
        internal_notes=MARKER,
    )
    acme = Agreement(
        id="acme-analytics",
        name="ACME Analytics",
        version=1,
        effective=date(2026, 1, 1),
        path="slas/acme-analytics.yaml",
        visibility="customer:acme",
        objectives=(_avail(99.9),),
    )
    return (pay, desk, auth, acme)


def _months(n: int) -> list[tuple[str, datetime, datetime]]:
    out = []
    y, m = 2026, 11
    for _ in range(n):
        start = datetime(y, m, 1, tzinfo=UTC)
        ny, nm = (y + 1, 1) if m == 12 else (y, m + 1)
        out.append((f"{y}-{m:02d}", start, datetime(ny, nm, 1, tzinfo=UTC)))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return out[::-1]


def _period(
    service: str,
    objective: str,
    period: str,
    start: datetime,
    end: datetime,
    value: float | None,
    target: float,
    unit: str = "%",
    **kw,
) -> PeriodResult:
    closed = end <= datetime(2026, 11, 26, tzinfo=UTC)
    if value is None:
        verdict = "no-data"
    elif value >= target:
        verdict = "met" if closed else ("on-track" if value - target > 0.01 else "at-risk")
    else:
        verdict = "breached"
    return PeriodResult(
        service=service,
        objective=objective,
        period=period,
        start=start.isoformat(),
        end=end.isoformat(),
        closed=closed,
        value=value,
        target=target,
        unit=unit,
        verdict=kw.pop("verdict", verdict),
        margin=None if value is None else value - target,
        coverage=0.0 if value is None else 1.0,
        as_of="2026-11-25T23:00:00+00:00",
        agreement_version=3,
        **kw,
    )


AVAIL_VALUES = [
    99.99,
    99.97,
    99.96,
    99.98,
    99.91,
    99.99,
    99.97,
    None,
    99.995,
    99.96,
    98.7,
    99.99,
    99.97,
    99.99,
]


def results() -> tuple[ServiceResults, ...]:
    out = []
    for service, target in (
        ("payments-api", 99.95),
        ("auth-internal", 99.9),
        ("acme-analytics", 99.9),
    ):
        periods = []
        for (label, s, e), v in zip(_months(14), AVAIL_VALUES, strict=True):
            credit = None
            misses = ()
            if v is not None and v < target and e <= datetime(2026, 11, 26, tzinfo=UTC):
                pct = 30.0 if v < 99.0 else 10.0
                credit = Credit(
                    pct,
                    5000 * pct / 100,
                    "USD",
                    99.0 if pct == 30 else 99.95,
                    (e + timedelta(days=30)).date().isoformat(),
                )
                misses = (Miss(f"availability {v}% below target {target}%"),)
            budget = None
            if e > datetime(2026, 11, 26, tzinfo=UTC):
                budget = Budget("requests", 500.0, 120.0, 380.0, 0.3)
            periods.append(
                _period(
                    service,
                    "availability",
                    label,
                    s,
                    e,
                    v,
                    target,
                    credit=credit,
                    budget=budget,
                    misses=misses,
                    projection=99.98 if budget else None,
                )
            )
        if service == "payments-api":
            for (label, s, e), v in zip(
                _months(14),
                [
                    99.5,
                    99.4,
                    99.2,
                    98.9,
                    99.3,
                    99.6,
                    99.1,
                    99.3,
                    99.5,
                    99.7,
                    99.2,
                    99.4,
                    99.6,
                    99.8,
                ],
                strict=True,
            ):
                periods.append(_period(service, "latency", label, s, e, v, 99.0))
            periods.append(
                _period(
                    service,
                    "p1-response",
                    "2026-Q4",
                    datetime(2026, 10, 1, tzinfo=UTC),
                    datetime(2027, 1, 1, tzinfo=UTC),
                    100.0,
                    100.0,
                )
            )
        start = datetime(2026, 8, 28, tzinfo=UTC)
        daily = tuple(
            DailyValue(
                (start + timedelta(days=i)).date().isoformat(),
                None if i in (30, 31) else (98.9 if i == 60 else 99.99),
            )
            for i in range(90)
        )
        current = tuple(p for p in periods if not p.closed)
        out.append(
            ServiceResults(
                service,
                "2026-11-25T23:00:00+00:00",
                NOW,
                tuple(periods),
                {"availability": daily},
                current,
            )
        )
    return tuple(out)


def incidents() -> dict[str, tuple[Incident, ...]]:
    base = NOW_TS - 10 * 86400
    return {
        "payments-api": (
            Incident(
                "INC-1", "P1", base, base + 600, base + 7200, "Card payments <b>failing</b>", True
            ),
            Incident("INC-2", "P2", base + 1000, None, None, f"secret {MARKER}", False),
        )
    }


def unlabelled(page: str) -> str:
    """``page`` without the ``data-label`` attributes render.tables adds to table cells
    (the column headers a narrow screen shows beside each cell), for tests that read a
    table's cells as HTML."""
    import re

    return re.sub(r' data-label="[^"]*"', "", page)
