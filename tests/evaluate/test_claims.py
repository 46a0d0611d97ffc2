"""Credit claims checked against what evaluation says is owed: each kind of flag a
finance team would act on is raised at the claim's row and column, a correct claim
raises none, and "no data" never owes a credit."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from slacode.durations import Duration
from slacode.evaluate.claims import OwedCredit, check_claims, window_state
from slacode.evaluate.results import Credit, PeriodResult, ServiceResults
from slacode.model import Agreement, ClaimProcedure, Credits, CreditTier, Objective, Source, Window
from slacode.pull.claims import Claim, read_claims

NOW = int(datetime(2026, 11, 26, tzinfo=UTC).timestamp())
HEADER = "id,service,customer,period,objective,claimed,status,paid,amount\n"


def _agreement(pay_within: str | None = "30d") -> Agreement:
    return Agreement(
        id="api", name="API", version=1, effective=date(2026, 1, 1), path="slas/api.yaml",
        visibility="customer:acme",
        objectives=(Objective("availability", "availability", 99.9, Window("month"),
                              Source("file", path="data/x.csv")),),
        credits=Credits("availability", (CreditTier(99.9, 10),), 100, Duration.parse("30d"),
                        1000, "USD", pay_within=Duration.parse(pay_within) if pay_within else None,
                        claim=ClaimProcedure("billing@example.com"),
                        claims_path="data/claims.csv"))


def _period(period: str, value: float | None, claim_by: str) -> PeriodResult:
    owed = value is not None and value < 99.9
    return PeriodResult(
        service="api", objective="availability", period=period, start=f"{period}-01T00:00:00Z",
        end=f"{period}-28T00:00:00Z", closed=True, value=value, target=99.9, unit="%",
        verdict="no-data" if value is None else "breached" if owed else "met",
        margin=None, coverage=1.0 if value is not None else 0.0, as_of="", agreement_version=1,
        credit=Credit(10.0 if owed else 0.0, 100.0 if owed else 0.0, "USD", None, claim_by)
        if value is not None else None)


RESULTS = (ServiceResults("api", "", "", (
    _period("2026-06", 99.95, "2026-07-31"),   # met: nothing owed
    _period("2026-07", 99.5, "2026-08-30"),    # 10 % = 100.00 USD owed
    _period("2026-08", None, ""),              # no data: nothing owed
    _period("2026-09", 99.0, "2026-10-30"),    # owed
), {}),)


def _claims(tmp_path: Path, rows: str) -> tuple[Claim, ...]:
    (tmp_path / "data").mkdir(exist_ok=True)
    (tmp_path / "data" / "claims.csv").write_text(HEADER + rows)
    claims, problems = read_claims(tmp_path, ["data/claims.csv"])
    assert problems == ()
    return claims


def _flags(tmp_path: Path, row: str, agreement: Agreement | None = None) -> list[tuple]:
    report = check_claims([agreement or _agreement()], RESULTS, _claims(tmp_path, row), NOW)
    return [(p.line, p.col, p.code, p.message) for p in report.problems]


def test_a_claim_paid_in_time_and_in_full_raises_nothing(tmp_path: Path) -> None:
    assert _flags(tmp_path, "C1,api,acme,2026-07,availability,2026-08-02,paid,2026-08-20,100\n"
                  ) == []


def test_a_claim_for_a_period_that_owes_nothing_is_unwarranted(tmp_path: Path) -> None:
    ((line, col, code, message),) = _flags(
        tmp_path, "C1,api,acme,2026-06,availability,2026-07-02,open,,\n")
    assert (line, col, code) == (2, 13, "claims.unwarranted")
    assert "no credit is owed for api availability 2026-06" in message
    assert "met at 99.950 %" in message


def test_a_period_without_data_owes_nothing(tmp_path: Path) -> None:
    ((_, _, code, message),) = _flags(
        tmp_path, "C1,api,acme,2026-08,availability,2026-09-02,open,,\n")
    assert code == "claims.unwarranted" and "no data, which owes nothing" in message


def test_a_claim_after_the_window_closed_is_late(tmp_path: Path) -> None:
    ((line, col, code, message),) = _flags(
        tmp_path, "C1,api,acme,2026-07,availability,2026-08-31,rejected,,\n")
    assert (line, col, code) == (2, 34, "claims.late")
    assert "after the claim window closed on 2026-08-30" in message


def test_a_paid_amount_other_than_the_owed_one_is_flagged(tmp_path: Path) -> None:
    ((_, col, code, message),) = _flags(
        tmp_path, "C1,api,acme,2026-07,availability,2026-08-02,paid,2026-08-20,90\n")
    assert (col, code) == (61, "claims.amount")
    assert "paid 90.00 USD, but 100.00 USD is owed" in message


def test_an_owed_credit_unpaid_after_the_agreed_days_is_flagged(tmp_path: Path) -> None:
    row = "C1,api,acme,2026-09,availability,2026-10-20,approved,,\n"
    ((_, _, code, message),) = _flags(tmp_path, row)
    assert code == "claims.unpaid"
    assert "still unpaid 37 days after the claim" in message and "due 2026-11-19" in message
    assert _flags(tmp_path, row, _agreement(pay_within="60d")) == []


def test_an_owed_credit_rejected_is_a_dispute(tmp_path: Path) -> None:
    ((_, _, code, message),) = _flags(
        tmp_path, "C1,api,acme,2026-09,availability,2026-10-20,rejected,,\n")
    assert code == "claims.disputed" and "10 % (100.00 USD) is owed" in message


def test_another_customers_claim_on_a_customer_agreement_is_flagged(tmp_path: Path) -> None:
    codes = [c for _, _, c, _ in _flags(
        tmp_path, "C1,api,globex,2026-07,availability,2026-08-02,paid,2026-08-20,100\n")]
    assert codes == ["claims.customer"]


def test_each_owed_credit_carries_its_claims_and_the_state_of_its_window(tmp_path: Path) -> None:
    claims = _claims(tmp_path, "C1,api,acme,2026-07,availability,2026-08-02,paid,2026-08-20,100\n"
                               "C2,api,acme,2026-06,availability,2026-07-02,open,,\n")
    report = check_claims([_agreement()], RESULTS, claims, NOW)
    owed = {c.period: c for c in report.of("api")}
    assert sorted(owed) == ["2026-06", "2026-07", "2026-09"]
    assert owed["2026-06"].percent == 0 and [x.claim.id for x in owed["2026-06"].claims] == ["C2"]
    assert (owed["2026-09"].percent, owed["2026-09"].amount) == (10.0, 100.0)
    today = date(2026, 10, 30)
    assert window_state(owed["2026-09"], (), today) == "open"
    assert window_state(owed["2026-09"], (), date(2026, 10, 31)) == "closed"
    assert window_state(owed["2026-07"], owed["2026-07"].claims, today) == "paid"
    assert window_state(owed["2026-06"], owed["2026-06"].claims, today) == "not-owed"
    assert window_state(OwedCredit("api", "availability", "2026-09", 10, None, "", ""), (),
                        today) == "none"


def test_a_bad_row_is_a_warning_at_its_field_and_is_left_out(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "claims.csv").write_text(
        HEADER + "C1,api,acme,2026-07,availability,2026-08-02,settled,,\n"
        "C2,api,acme,2026-07,availability,02/08/2026,open,,\n"
        "C3,api,acme,2026-07,availability,2026-08-02,open,,\nC3,api,acme,2026-07,"
        "availability,2026-08-02,open,,\n")
    claims, problems = read_claims(tmp_path, ["data/claims.csv"])
    assert [c.id for c in claims] == ["C3"]
    assert [(p.line, p.col, p.severity) for p in problems] == [
        (2, 45, "warning"), (3, 34, "warning"), (5, 1, "warning")]
    assert "status 'settled' is not one of open, approved, rejected, paid" in problems[0].message
    assert "is not a date" in problems[1].message and "given twice" in problems[2].message
    _, problems = read_claims(tmp_path, ["data/missing.csv"])
    assert problems[0].code == "claims.bad-file" and problems[0].severity == "warning"
