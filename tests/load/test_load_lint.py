"""Meaning checks that need more than one file, or the date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from load_helpers import MINIMAL

from slacode.load import load_agreements, load_text
from slacode.load.lint import lint_agreement


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(text.replace("id: minimal", f"id: {name}"), encoding="utf-8")
    return path


def _lines(result) -> list[str]:
    return [str(p) for p in result.problems]


def test_unknown_dependency_is_an_error_with_a_suggestion(tmp_path: Path) -> None:
    _write(tmp_path, "auth-api", MINIMAL)
    _write(tmp_path, "shop", MINIMAL + "depends_on: [auth-apy]\n")
    result = load_agreements([tmp_path], root=tmp_path)
    assert _lines(result) == [
        "shop.yaml:17:14: error: depends_on[0]: no agreement has the id 'auth-apy' "
        "(did you mean 'auth-api'?)"]
    assert [a.id for a in result.agreements] == ["auth-api"]


def test_duplicate_ids_across_files_are_errors_in_both(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(MINIMAL)
    (tmp_path / "b.yaml").write_text(MINIMAL)
    result = load_agreements([tmp_path], root=tmp_path)
    assert _lines(result) == [
        "a.yaml:1:5: error: id: id 'minimal' is also used by b.yaml",
        "b.yaml:1:5: error: id: id 'minimal' is also used by a.yaml"]
    assert result.agreements == ()


def test_a_promise_stricter_than_its_serial_dependencies_is_a_warning(tmp_path: Path) -> None:
    _write(tmp_path, "db", MINIMAL.replace("target: 99.9", "target: 99.95"))
    _write(tmp_path, "auth", MINIMAL.replace("target: 99.9", "target: 99.9"))
    _write(tmp_path, "shop", MINIMAL.replace("target: 99.9", "target: 99.9")
           + "depends_on: [db, auth]\n")
    result = load_agreements([tmp_path], root=tmp_path)
    assert result.ok
    assert _lines(result) == [
        "shop.yaml:13:13: warning: objectives[0].target: 99.9% is stricter than the 99.8501% "
        "its dependencies promise together (db 99.95%, auth 99.9%)"]


def test_checking_one_file_still_sees_its_neighbours(tmp_path: Path) -> None:
    _write(tmp_path, "auth", MINIMAL.replace("target: 99.9", "target: 99.99"))
    shop = _write(tmp_path, "shop", MINIMAL + "depends_on: [auth]\n")
    _write(tmp_path, "broken", "id: [")
    result = load_agreements([shop], root=tmp_path)
    assert result.problems == ()  # the broken neighbour is not reported, auth is found
    assert [a.id for a in result.agreements] == ["shop"]


def test_underpins_without_the_matching_depends_on_is_a_warning(tmp_path: Path) -> None:
    _write(tmp_path, "auth", MINIMAL + "underpins: [shop]\n")
    _write(tmp_path, "shop", MINIMAL)
    result = load_agreements([tmp_path], root=tmp_path)
    assert _lines(result) == [
        "auth.yaml:17:13: warning: underpins[0]: 'shop' does not list 'auth' in depends_on"]


def test_review_overdue_depends_on_today() -> None:
    agreement, _ = load_text(MINIMAL + "review: {every: 6mo, last: 2026-01-31}\n", "x.yaml")
    assert agreement is not None
    assert lint_agreement(agreement, today=date(2026, 7, 31)) == []
    (late,) = lint_agreement(agreement, today=date(2026, 8, 1))
    assert str(late) == ("x.yaml:17:28: warning: review.last: review overdue: last reviewed "
                         "2026-01-31, due every 6 months, so by 2026-07-31")


def test_every_problem_of_every_file_in_one_run(tmp_path: Path) -> None:
    _write(tmp_path, "one", MINIMAL.replace("target: 99.9", "target: 101"))
    _write(tmp_path, "two", MINIMAL.replace("version: 1", "version: 1\nversion: 2"))
    _write(tmp_path, "three", MINIMAL.replace("calendar-month", "monthly")
           .replace("kind: availability", "kind: availabilty"))
    result = load_agreements([tmp_path], root=tmp_path)
    assert [f"{p.path}:{p.line}:{p.col}" for p in result.problems] == [
        "one.yaml:13:13", "three.yaml:12:11", "three.yaml:14:13", "two.yaml:4:1"]


def test_a_data_file_that_is_not_there_is_a_warning_at_its_path(tmp_path: Path) -> None:
    (tmp_path / "slas").mkdir()
    (tmp_path / "slas" / "minimal.yaml").write_text(MINIMAL, encoding="utf-8")
    assert load_agreements([tmp_path / "slas"], root=tmp_path).problems == ()  # no project
    result = load_agreements([tmp_path / "slas"], root=tmp_path, data_root=tmp_path)
    assert [(p.path, p.severity, p.code) for p in result.problems] == [
        ("slas/minimal.yaml", "warning", "lint.source-missing")]
    (p,) = result.problems
    line = MINIMAL.splitlines()[p.line - 1]
    assert line[p.col - 1:].startswith("data/minimal.csv")
    assert "data file data/minimal.csv not found" in p.message
    assert len(result.agreements) == 1  # a warning: the agreement still loads


def test_maintenance_beyond_the_monthly_maximum_is_a_warning_at_its_window(
        tmp_path: Path) -> None:
    text = MINIMAL + (
        "maintenance:\n"
        "  max_per_month: 4h\n"
        "  windows:\n"
        "    - start: 2026-03-03T01:00:00Z\n"
        "      end: 2026-03-03T04:00:00Z\n"
        "      announced: 2026-02-01T00:00:00Z\n"
        "    - start: 2026-03-17T09:00:00Z\n"
        "      end: 2026-03-17T17:00:00Z\n"
        "      announced: 2026-02-01T00:00:00Z\n"
        "    - start: 2026-04-17T09:00:00Z\n"
        "      end: 2026-04-17T12:00:00Z\n"
        "      announced: 2026-02-01T00:00:00Z\n")
    path = _write(tmp_path, "shop", text)
    result = load_agreements([path], root=tmp_path)
    over = [str(p) for p in result.problems if "beyond" in str(p)]
    line = text.splitlines().index("    - start: 2026-03-17T09:00:00Z") + 1
    # 3h on the 3rd leave 1h of March's 4h: 7 of the 8 hours on the 17th count; April is fine
    assert over == [f"shop.yaml:{line}:7: warning: maintenance.windows[1]: 7h of this window "
                    "is beyond the 4h of maintenance a month the agreement allows: it will "
                    "count as downtime"]


def test_a_window_announced_late_or_not_at_all_warns_at_its_line() -> None:
    """It is not excluded from the figures: the author must hear so when validating, not
    only when the month's figure comes out lower than expected."""
    windows = (
        "maintenance:\n  notice: 7d\n  windows:\n"
        "    - {start: 2026-03-10T02:00:00Z, end: 2026-03-10T03:00:00Z,"
        " announced: 2026-03-01T00:00:00Z}\n"
        "    - {start: 2026-03-12T02:00:00Z, end: 2026-03-12T03:00:00Z,"
        " announced: 2026-03-08T00:00:00Z}\n"
        "    - {start: 2026-03-14T02:00:00Z, end: 2026-03-14T03:00:00Z}\n")
    _, problems = load_text(MINIMAL + windows, "x.yaml")
    late = [str(p) for p in problems if "counts as downtime" in str(p)]
    text = MINIMAL + windows
    line = text.splitlines().index(next(x for x in text.splitlines() if "03-12" in x)) + 1
    assert late == [
        f"x.yaml:{line}:75: warning: maintenance.windows[1].announced: announced "
        "2026-03-08T00:00:00+00:00, less than the agreed 7 days ahead: the window is not "
        "excluded from the figures and counts as downtime",
        f"x.yaml:{line + 1}:7: warning: maintenance.windows[2]: not announced: the window "
        "is not excluded from the figures and counts as downtime"]
