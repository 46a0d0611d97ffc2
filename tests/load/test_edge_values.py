"""Values at the edge of their type: each is refused where it is written, with why, and
never reaches a later stage as a traceback (a 400-digit fee overflowed a float in
``validate``; a maintenance end in year 9999 overflowed a month; a start of
``0001-01-01T00:00:00+23:59`` passed ``validate`` and crashed ``build``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from load_helpers import MINIMAL, run_cli

from slacode.load import load_text
from slacode.load.schema import DATE_YEARS, bundle
from slacode.model import FIRST_YEAR, LAST_YEAR, TIME_RANGE

TOO_LARGE = "is too large (the limit is 2**53 = 9007199254740992)"
YEARS = "is not a valid date or time: expected a year from 1970 to 2999, e.g. 2026-11-14"
CREDITS = ("credits:\n  objective: availability\n  tiers: [{{below: 99.9, credit: 10}}]\n"
           "  currency: USD\n  monthly_fee: {fee}\n")
WINDOW = ("maintenance:\n  windows:\n    - start: {start}\n      end: {end}\n"
          "      announced: 2026-01-01T00:00:00Z\n")


@pytest.mark.parametrize(("extra", "value", "message"), [
    (CREDITS.format(fee="9" * 400), "9" * 400, f"number {'9' * 37}... {TOO_LARGE}"),
    (CREDITS.format(fee="1.7e308"), "1.7e308", f"number 1.7e308 {TOO_LARGE}"),
    (CREDITS.format(fee="1e400"), "1e400", f"number 1e400 {TOO_LARGE}"),
    (CREDITS.format(fee="0x" + "f" * 20), "0x", f"number 0x{'f' * 20} {TOO_LARGE}"),
    (CREDITS.format(fee="9007199254740992"), "9007199254740992",
     "credits.monthly_fee: 9007199254740992 is greater than the maximum of 1000000000000000"),
    (WINDOW.format(start="2026-03-01T00:00:00Z", end="9999-12-31T00:00:00Z"), "9999-12-31T",
     f"maintenance.windows[0].end: '9999-12-31T00:00:00Z' {YEARS}"),
    (WINDOW.format(start="0001-01-01T00:00:00+23:59", end="2026-03-01T00:00:00Z"), "0001-",
     f"maintenance.windows[0].start: '0001-01-01T00:00:00+23:59' {YEARS}"),
    ("contract:\n  end: 9999-12-31\n", "9999-12-31", f"contract.end: '9999-12-31' {YEARS}"),
    ("review:\n  every: 1y\n  last: 1969-12-31\n", "1969-12-31",
     f"review.last: '1969-12-31' {YEARS}"),
])
def test_a_value_past_its_type_is_refused_where_it_is_written(
    extra: str, value: str, message: str
) -> None:
    text = MINIMAL + extra
    agreement, problems = load_text(text, "slas/minimal.yaml")
    assert agreement is None
    line = text[: text.index(value)].count("\n") + 1
    col = text.index(value) - (text.rfind("\n", 0, text.index(value)) + 1) + 1
    assert [str(p) for p in problems] == [f"slas/minimal.yaml:{line}:{col}: error: {message}"]


def test_the_largest_values_allowed_still_load() -> None:
    text = (MINIMAL.replace("effective: 2026-01-01", "effective: 1970-01-01")
            + CREDITS.format(fee="1000000000000000")
            + WINDOW.format(start="2999-12-31T00:00:00+23:59", end="2999-12-31T23:00:00-23:59")
            + "contract:\n  end: 2999-12-31\n")
    agreement, problems = load_text(text, "slas/minimal.yaml")
    assert [p for p in problems if p.severity == "error"] == []
    assert agreement is not None and agreement.credits.monthly_fee == 1e15


def test_the_schema_and_the_model_agree_on_the_years() -> None:
    common = bundle()["$defs"]["common"]["$defs"]
    assert common["date"]["pattern"] == common["datetime"]["pattern"] == DATE_YEARS
    years = [y for y in range(1000, 10000) if re.match(DATE_YEARS, f"{y:04d}-")]
    assert (years[0], years[-1], len(years)) == (FIRST_YEAR, LAST_YEAR, LAST_YEAR - FIRST_YEAR + 1)
    assert TIME_RANGE == (0, 32_503_680_000)  # 1970-01-01 to 3000-01-01, UTC


def test_validate_says_so_at_the_value_without_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "slas").mkdir()
    (tmp_path / "slas" / "minimal.yaml").write_text(
        MINIMAL + WINDOW.format(start="0001-01-01T00:00:00+23:59", end="2026-03-01T00:00:00Z"),
        encoding="utf-8")
    r = run_cli("validate", cwd=tmp_path)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "slas/minimal.yaml:19:14: error: maintenance.windows[0].start: " in r.stdout
