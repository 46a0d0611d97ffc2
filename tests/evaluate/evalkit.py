"""Small hand-built agreements and measurements for the evaluate and ledger tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from slacode.model import Agreement, Objective, Source, Window
from slacode.pull.base import Counts, CountSeries

HOUR = 3600
DAY = 86400


def ts(text: str) -> int:
    """UNIX seconds of an ISO time with offset."""
    return int(datetime.fromisoformat(text).timestamp())


def objective(oid: str = "availability", kind: str = "availability", target: float = 99.9,
              window: str = "month", days: int = 0, **kw: object) -> Objective:
    src = Source(kind="incidents" if "time" in kind else "file", path=f"data/{oid}.csv")
    return Objective(id=oid, kind=kind, target=target, window=Window(window, days),  # type: ignore[arg-type]
                     source=src, **kw)  # type: ignore[arg-type]


def agreement(aid: str = "svc", objectives: tuple[Objective, ...] | None = None,
              **kw: object) -> Agreement:
    kw.setdefault("version", 1)
    kw.setdefault("effective", date(2025, 1, 1))
    return Agreement(id=aid, name=aid, path=f"slas/{aid}.yaml",  # type: ignore[arg-type]
                     objectives=objectives if objectives is not None else (objective(),), **kw)


def series(service: str, oid: str, start: int, end: int, step: int = HOUR,
           good: Callable[[int], float | None] | None = None,
           total: Callable[[int], float | None] | None = None) -> CountSeries:
    """Contiguous intervals of ``step`` from ``start``; by default 60 of 60 good (minute slices)."""
    pts = []
    t = start
    while t < end:
        tot = total(t) if total else 60.0
        g = good(t) if good else tot
        pts.append(Counts(t, min(t + step, end), g, tot))
        t += step
    return CountSeries(service=service, objective=oid, step=step, points=tuple(pts),
                       as_of=end if pts else None)
