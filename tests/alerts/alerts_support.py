"""Helpers of the alert tests: hand-made agreements and ``promtool test rules`` runs."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from slacode.model import (
    Agreement,
    Credits,
    CreditTier,
    Maintenance,
    MaintenancePolicy,
    Objective,
    PrometheusQuery,
    Source,
    Window,
)

#: 1970-01-01T00:00Z: where promtool's synthetic clock starts
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MONTH = Window("month")
NO_POLICY = MaintenancePolicy()


def have_promtool() -> bool:
    return shutil.which("promtool") is not None


def events(id: str = "availability", target: float = 99.9, job: str = "api",
           window: Window = MONTH, name: str = "Availability") -> Objective:
    q = PrometheusQuery(bad=f'errors_total{{job="{job}"}}', total=f'requests_total{{job="{job}"}}')
    return Objective(id=id, kind="availability", method="events", target=target,
                     window=window, source=Source("prometheus", prometheus=q), name=name)


def agreement(id: str, *objectives: Objective, tz: str = "UTC", credits: bool = True,
              maintenance: tuple[Maintenance, ...] = (),
              policy: MaintenancePolicy = NO_POLICY, name: str = "") -> Agreement:
    tiers = Credits(objective=objectives[0].id, tiers=(CreditTier(99.9, 10), CreditTier(99.0, 25)),
                    monthly_fee=1000.0, currency="USD") if credits else None
    return Agreement(id=id, name=name or f"Service {id}", version=3, effective=date(1969, 1, 1),
                     path=f"slas/{id}.yaml", timezone=tz, objectives=objectives,
                     credits=tiers, maintenance=maintenance, maintenance_policy=policy)


def dump(doc: Any, path: Path) -> Path:
    yaml = YAML()
    yaml.width = 4096
    with path.open("w", encoding="utf-8") as f:
        yaml.dump(doc, f)
    return path


def promtool(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["promtool", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120, check=False)


def find_alerts(doc: dict[str, Any], service: str, objective: str, alert: str,
                **labels: str) -> list[dict[str, Any]]:
    """The alerting rules of ``doc`` for one objective whose labels include ``labels``."""
    return [r for g in doc["groups"] for r in g["rules"]
            if r.get("alert") == alert and r["labels"]["service"] == service
            and r["labels"]["objective"] == objective
            and all(r["labels"].get(k) == v for k, v in labels.items())]


def expected(rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """promtool's ``exp_alerts`` for these rules firing (their annotations hold no
    template but quoted literals, which print as the text inside)."""
    return [{"exp_labels": dict(r["labels"]),
             "exp_annotations": {k: _printed(v) for k, v in r["annotations"].items()}}
            for r in rules]


def _printed(text: str) -> str:
    import json
    import re

    return re.sub(r'\{\{ ("(?:[^"\\]|\\.)*") \}\}', lambda m: json.loads(m.group(1)), text)


def counter(per_minute: list[tuple[int, float]], minutes: int) -> str:
    """promtool's expanding notation for a counter sampled every minute: ``per_minute``
    lists (from minute, increase per minute) pieces in order."""
    pieces, value = [], 0.0
    bounds = [m for m, _ in per_minute] + [minutes]
    for (start, inc), end in zip(per_minute, bounds[1:], strict=True):
        n = end - start
        if not pieces:
            pieces.append(f"{value:g}+{inc:g}x{n}")
        else:
            pieces.append(f"{value + inc:g}+{inc:g}x{n - 1}")
        value += inc * n
    return " ".join(pieces)
