"""``slacode pull`` as a user runs it: a line per objective in CI, JSON, --strict, and a
bearer token that reaches the server but no log line and no output file."""

from __future__ import annotations

import json
from pathlib import Path

import pull_synthetic as ps
import pytest
from click.testing import CliRunner
from pull_support import DelayProxy, make_agreement

from slacode import load
from slacode.cli import cli
from slacode.model import Objective, PrometheusQuery, Source, Window

NOW_ISO = "2026-09-02T00:00:00Z"  # with history_months 0, pulls start on 1 September
DAY0 = 1_788_220_800  # 2026-09-01T00:00:00Z


def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *objectives: Objective,
            settings: str = "") -> Path:
    (tmp_path / "slas").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\nplugins:\n  - slacode:\n      history_months: 0\n" + settings,
        encoding="utf-8")
    agr = make_agreement(*objectives)
    monkeypatch.setattr(load, "load_agreements",
                        lambda paths, root=None, **kw: load.LoadResult((agr,), ()))
    return tmp_path


def file_obj(oid: str, path: str) -> Objective:
    return Objective(oid, "availability", 99.0, Window("month"), Source("file", path=path))


def test_plain_lines_per_objective_and_json(tmp_path, monkeypatch) -> None:
    root = project(tmp_path, monkeypatch, file_obj("a", "r.csv"))
    (root / "r.csv").write_text("start,good,total\n" + "".join(
        f"{DAY0 + 3600 * i},9,10\n" for i in range(24)), encoding="utf-8")
    r = CliRunner().invoke(cli, ["pull", "--root", str(root), "--now", NOW_ISO])
    assert r.exit_code == 0, r.output
    assert "pull api/a: 24 intervals, 0 without data" in r.stderr
    assert "api/a: 24 intervals, 0 without data" in r.stdout
    r = CliRunner().invoke(cli, ["pull", "--root", str(root), "--now", NOW_ISO,
                                 "--format", "json"])
    doc = json.loads(r.stdout)
    assert doc["queries"] == 0 and doc["now"] == NOW_ISO
    assert doc["objectives"][0]["with_data"] == 24 and doc["objectives"][0]["gaps"] == []


def test_strict_turns_a_gap_into_exit_1(tmp_path, monkeypatch) -> None:
    root = project(tmp_path, monkeypatch, file_obj("a", "missing.csv"))
    r = CliRunner().invoke(cli, ["pull", "--root", str(root), "--now", NOW_ISO])
    assert r.exit_code == 0
    assert "warning: api/a: 24 intervals without data" in r.stderr
    r = CliRunner().invoke(cli, ["pull", "--root", str(root), "--now", NOW_ISO, "--strict"])
    assert r.exit_code == 1
    assert "error: api/a: 24 intervals without data" in r.stderr
    assert "file not found: missing.csv" in r.stderr
    assert "Traceback" not in r.output


def test_bad_rows_exit_1_with_path_line(tmp_path, monkeypatch) -> None:
    root = project(tmp_path, monkeypatch, file_obj("a", "r.csv"))
    (root / "r.csv").write_text(f"start,good,total\n{DAY0},x,1\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["pull", "--root", str(root), "--now", NOW_ISO])
    assert r.exit_code == 1
    assert "r.csv:2:12: error: good: 'x' is not a number" in r.stderr


@pytest.mark.prometheus
def test_bearer_token_reaches_the_server_but_no_log_or_output(
    prometheus, tmp_path, monkeypatch
) -> None:
    token = "tok-9f8e7d6c5b4a-SECRET"
    obj = Objective("availability", "availability", 99.9, Window("month"),
                    Source("prometheus", PrometheusQuery(good=ps.GOOD_SEL, total=ps.TOTAL_SEL)))
    (tmp_path / "project").mkdir()
    root = project(tmp_path / "project", monkeypatch, obj)
    proxy = DelayProxy(prometheus.port, delay=0)
    monkeypatch.setenv("SLACODE_PROMETHEUS_URL", proxy.url)
    monkeypatch.setenv("SLACODE_PROMETHEUS_TOKEN", token)
    try:
        r = CliRunner().invoke(cli, ["pull", "--root", str(root), "--now", "2026-10-27T00:00:00Z",
                                     "--format", "json", "--verbose"])
    finally:
        proxy.close()
    assert r.exit_code == 0, r.output
    (root / "out").mkdir()
    (root / "out" / "pull.json").write_text(r.stdout, encoding="utf-8")
    (root / "out" / "pull.log").write_text(r.stderr, encoding="utf-8")
    assert f"Authorization: Bearer {token}".encode() in bytes(proxy.sent)
    assert "/api/v1/query_range" in r.stderr  # the verbose log did show the queries
    doc = json.loads(r.stdout)
    assert doc["queries"] > 0 and doc["objectives"][0]["with_data"] > 0
    leaks = [f for f in root.rglob("*") if f.is_file() and token.encode() in f.read_bytes()]
    assert leaks == []
    assert token not in r.output


def test_slacode_now_replaces_the_pinned_time_and_the_flag_still_wins(
    tmp_path, monkeypatch
) -> None:
    root = project(tmp_path, monkeypatch, file_obj("a", "r.csv"),
                   settings='      now: "2026-09-02T00:00:00Z"\n')
    (root / "r.csv").write_text("start,good,total\n", encoding="utf-8")

    def now_of(*args: str) -> str:
        r = CliRunner().invoke(cli, ["pull", "--root", str(root), "--format", "json", *args])
        assert r.exit_code == 0, r.output
        return json.loads(r.stdout)["now"]

    assert now_of() == "2026-09-02T00:00:00Z"
    monkeypatch.setenv("SLACODE_NOW", "2026-09-03T12:00:00Z")
    assert now_of() == "2026-09-03T12:00:00Z"
    assert now_of("--now", NOW_ISO) == NOW_ISO
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setenv("SLACODE_NOW", "clock")  # the nightly job: the real clock
    assert now_of() > "2026-11-01"
