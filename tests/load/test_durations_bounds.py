"""Six-digit durations: refused past 1000 years where they are written, never a traceback."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from load_helpers import MINIMAL, ROOT, run_cli

from slacode.durations import MAX_YEARS, Duration


@pytest.mark.parametrize("text", ["1001y", "12001mo", "999999y", "999999d", "999999w"])
def test_a_duration_past_1000_years_is_refused_with_its_reason(text: str) -> None:
    with pytest.raises(ValueError, match=rf"duration '{text}' is too long: at most 1000 years"):
        Duration.parse(text)


def test_the_longest_durations_allowed_still_parse() -> None:
    assert MAX_YEARS == 1000
    assert str(Duration.parse("1000y")) == "1000y"
    assert str(Duration.parse("12000mo")) == "12000mo"
    assert Duration.parse("999999h").seconds == 999999 * 3600  # about 114 years


def test_adding_past_the_last_date_gives_the_last_date_not_a_crash() -> None:
    assert Duration(999999, "y").add_to(date(2026, 1, 31)) == date.max
    late = Duration(999999, "w").add_to(datetime(2026, 1, 1, tzinfo=UTC))
    assert late == datetime.max.replace(tzinfo=UTC)
    assert Duration(1, "mo").add_to(date(2026, 1, 31)) == date(2026, 2, 28)  # unchanged


def _project(tmp_path: Path, extra: str) -> Path:
    (tmp_path / "slas").mkdir()
    (tmp_path / "slas" / "minimal.yaml").write_text(MINIMAL + extra, encoding="utf-8")
    return tmp_path


def test_validate_points_at_a_review_period_too_long_for_any_date(tmp_path: Path) -> None:
    root = _project(tmp_path, "review:\n  every: 999999y\n  last: 2026-01-01\n")
    line = len(MINIMAL.splitlines()) + 2
    r = run_cli("validate", cwd=root)
    assert r.returncode == 1, r.stderr
    assert (f"slas/minimal.yaml:{line}:10: error: review.every: duration '999999y' is too long: "
            "at most 1000 years") in r.stdout
    assert "Traceback" not in r.stderr


def test_validate_points_at_a_claim_period_too_long_for_any_date(tmp_path: Path) -> None:
    """The demo's payments agreement with credits claimable for 999999 years."""
    (tmp_path / "slas").mkdir()
    text = (ROOT / "slas" / "payments-api.yaml").read_text(encoding="utf-8")
    assert "claim_within: 30d" in text
    (tmp_path / "slas" / "payments-api.yaml").write_text(
        text.replace("claim_within: 30d", "claim_within: 999999y"), encoding="utf-8")
    line = text.splitlines().index("  claim_within: 30d") + 1
    r = run_cli("validate", "slas/payments-api.yaml", cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    assert (f"slas/payments-api.yaml:{line}:17: error: credits.claim_within: duration "
            "'999999y' is too long: at most 1000 years") in r.stdout
    assert "Traceback" not in r.stderr


def test_evaluate_refuses_the_agreement_instead_of_crashing(tmp_path: Path) -> None:
    root = _project(tmp_path, "review:\n  every: 999999y\n  last: 2026-01-01\n")
    r = run_cli("evaluate", "--now", "2026-11-26T00:00:00Z", cwd=root)
    assert r.returncode == 1
    assert "review.every: duration '999999y' is too long" in r.stdout + r.stderr
    assert "Traceback" not in r.stderr
