"""The period edges the alerts compute in PromQL agree with the agreement's timezone:
``promtool test rules`` evaluates them at instants around month, quarter and year
starts (daylight saving included) and the expected values come from Python's zoneinfo."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from alerts_support import dump, have_promtool, promtool

from slacode.alerts import calendar

pytestmark = [pytest.mark.prometheus,
              pytest.mark.skipif(not have_promtool(), reason="promtool not on PATH")]

ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Sydney",
         "Asia/Shanghai")


def _first(d: datetime, kind: str) -> tuple[int, int]:
    month = {"month": d.month, "quarter": (d.month - 1) // 3 * 3 + 1, "year": 1}[kind]
    return d.year, month


def _bounds(ts: int, kind: str, tz: str) -> tuple[int, int]:
    zone = ZoneInfo(tz)
    y, m = _first(datetime.fromtimestamp(ts, zone), kind)
    n = {"month": 1, "quarter": 3, "year": 12}[kind]
    ny, nm = y + (m - 1 + n) // 12, (m - 1 + n) % 12 + 1
    return (int(datetime(y, m, 1, tzinfo=zone).timestamp()),
            int(datetime(ny, nm, 1, tzinfo=zone).timestamp()))


def _instants(tz: str) -> list[int]:
    """A second before and after each local month start of 2028 (a leap
    year), and the middle of each month."""
    zone = ZoneInfo(tz)
    out = []
    for y in (2028,):
        for m in range(1, 13):
            start = int(datetime(y, m, 1, tzinfo=zone).timestamp())
            out += [start - 1, start, start + 14 * 86400]
    return out


@pytest.mark.parametrize("tz", ZONES)
def test_period_edges_match_zoneinfo(tz, tmp_path) -> None:
    local = f"({calendar.local_time(tz)})"
    tests = []
    for kind in ("month", "quarter", "year"):
        start, end = calendar.period_bounds(kind, tz, local)
        for ts in _instants(tz):
            want = _bounds(ts, kind, tz)
            for expr, value in ((start, want[0]), (end, want[1])):
                tests.append({"expr": expr, "eval_time": f"{ts}s",
                              "exp_samples": [{"labels": "{}", "value": value}]})
    # nothing to evaluate between 0 and 2028: an empty rules file and one long step
    dump({"groups": []}, tmp_path / "empty.yml")
    dump({"rule_files": ["empty.yml"], "evaluation_interval": "100000d",
          "tests": [{"interval": "100000d", "input_series": [], "promql_expr_test": tests}]},
         tmp_path / "test.yml")
    out = promtool("test", "rules", "test.yml", cwd=tmp_path)
    assert out.returncode == 0, (out.stdout + out.stderr)[-3000:]


def test_a_berlin_march_holding_the_switch_to_summer_time_is_743_hours() -> None:
    start, end = _bounds(int(datetime(2027, 3, 15, tzinfo=ZoneInfo("UTC")).timestamp()),
                         "month", "Europe/Berlin")
    assert timedelta(seconds=end - start) == timedelta(hours=743)
    assert calendar.offsets("Europe/Berlin")[2:4] == (3600, 7200)
    assert calendar.step("Asia/Kolkata") == 900 and calendar.step("Europe/Berlin") == 3600
