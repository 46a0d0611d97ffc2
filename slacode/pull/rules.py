"""Prometheus recording rules for time-slice objectives (``slacode rules``).

Counting time slices from raw samples makes the server evaluate every slice of every
interval again on each cold pull: for a fleet with a year of 5-minute slices that is
most of the server's work (see ``benchmarks/README.md``). Like other SLO tools, slacode
can instead let Prometheus record each slice once, as it happens: one rule per
objective writes ``slacode:slice_bad`` (1 bad, 0 good, one sample per slice with data)
and, when ``zero_traffic`` is not ``good``, ``slacode:slice_traffic``. A server whose
settings say ``recording_rules: true`` is then read with plain ``count_over_time`` and
``sum_over_time`` over those samples.

Every recorded series carries ``slacode_key``, a digest of the rule's expressions, and
the pull asks for that key: an agreement that changes its threshold or slice reads a new
series (no data until its history is backfilled with ``promtool tsdb create-blocks-from
rules``), never figures of the old definition.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from slacode.model import Agreement
from slacode.pull.planning import RECORDED_BAD, RECORDED_TRAFFIC, slice_rule


def recording_rules(agreements: Iterable[Agreement], server: str = "default") -> dict[str, Any]:
    """The rule file (as data) for the time-slice objectives read from ``server``: one
    group per slice length, evaluated once per slice."""
    groups: dict[int, list[dict[str, Any]]] = {}
    for agr in sorted(agreements, key=lambda a: a.id):
        for obj in agr.objectives:
            q = obj.source.prometheus
            if obj.method != "slices" or q is None or q.server != server:
                continue
            try:
                rule = slice_rule(obj)
            except ValueError:
                continue  # ``slacode validate`` reports it
            labels = {"slacode_service": agr.id, "slacode_objective": obj.id,
                      "slacode_key": rule.key}
            rules = groups.setdefault(rule.slice, [])
            rules.append({"record": RECORDED_BAD, "expr": rule.bad, "labels": labels})
            if rule.traffic:
                rules.append({"record": RECORDED_TRAFFIC, "expr": rule.traffic,
                              "labels": dict(labels)})
    return {"groups": [
        {"name": f"slacode-slices-{_length(s)}", "interval": _length(s), "rules": rules}
        for s, rules in sorted(groups.items())
    ]}


def _length(seconds: int) -> str:
    """A Prometheus duration: ``5m``, ``1h``, ``90s``."""
    for unit, size in (("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"
