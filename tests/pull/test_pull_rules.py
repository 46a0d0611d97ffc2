"""Recording rules for time slices: ``slacode rules`` output checked by promtool,
backfilled by promtool from the real server, and read back by a pull that gives the
same counts as evaluating every slice from raw samples."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pull_synthetic as ps
import pytest
from prometheus_server import PrometheusProcess
from pull_support import make_agreement, make_settings
from ruamel.yaml import YAML
from test_pull_prometheus import BERLIN, NOW, SLICES, START

from slacode.pull import pull
from slacode.pull.base import CountSeries
from slacode.pull.planning import plan_for
from slacode.pull.rules import recording_rules

pytestmark = pytest.mark.prometheus

NO_DATA_SLICES = replace(SLICES, id="quiet", zero_traffic="no-data")


def write_rules(path: Path, *objectives) -> dict:
    rules = recording_rules([make_agreement(*objectives, tz=BERLIN)])
    YAML().dump(rules, path)
    return rules


def test_rules_are_valid_for_promtool_and_name_their_definition(tmp_path) -> None:
    rules = write_rules(tmp_path / "rules.yml", SLICES, NO_DATA_SLICES)
    out = subprocess.run(["promtool", "check", "rules", str(tmp_path / "rules.yml")],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "3 rules found" in out.stdout + out.stderr  # bad + (bad, traffic)
    (group,) = rules["groups"]
    assert (group["name"], group["interval"]) == ("slacode-slices-5m", "5m")
    keys = {r["labels"]["slacode_key"] for r in group["rules"]}
    assert len(keys) == 2  # one per definition; a changed threshold is a new series
    stricter = replace(SLICES, slice_threshold=1.0)
    assert recording_rules([make_agreement(stricter)])["groups"][0]["rules"][0]["labels"][
        "slacode_key"] not in keys
    # the pull asks for exactly the recorded definition
    assert all(group["rules"][0]["labels"]["slacode_key"] in e
               for e in plan_for(SLICES, recorded=True).exprs.values())


def test_events_objectives_need_no_rules() -> None:
    from test_pull_prometheus import EVENTS

    assert recording_rules([make_agreement(EVENTS)]) == {"groups": []}


def test_recorded_slices_match_slices_from_raw_samples(prometheus, prom_tsdb, tmp_path) -> None:
    rules = tmp_path / "rules.yml"
    write_rules(rules, SLICES, NO_DATA_SLICES)
    blocks = tmp_path / "blocks"
    out = subprocess.run(
        ["promtool", "tsdb", "create-blocks-from", "rules", f"--start={START}",
         f"--end={NOW}", f"--url={prometheus.url}", f"--output-dir={blocks}", "-q", str(rules)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    tsdb = tmp_path / "tsdb"
    shutil.copytree(prom_tsdb, tsdb, ignore=shutil.ignore_patterns("lock", "wal", "chunks_head"))
    for block in blocks.iterdir():
        shutil.move(str(block), tsdb / block.name)
    agr = make_agreement(SLICES, NO_DATA_SLICES, tz=BERLIN)
    with PrometheusProcess(tsdb, workdir=tmp_path) as recorded_server:
        recorded = pull([agr], make_settings(tmp_path / "r", recorded_server.url,
                                             recording_rules=True), NOW, start=START)
        raw = pull([agr], make_settings(tmp_path / "x", recorded_server.url), NOW, start=START)
    for oid in ("slices", "quiet"):
        a, b = recorded.measurements[("api", oid)], raw.measurements[("api", oid)]
        assert isinstance(a, CountSeries) and isinstance(b, CountSeries)
        assert len(a.points) == 97
        assert [(p.start, p.end) for p in a.points] == [(p.start, p.end) for p in b.points]
        # Prometheus evaluates a rule group at an offset of its own within each slice
        # (promtool's backfill too, from a hash of the group and its file), so recorded
        # slices end a little before the raw ones: an interval may hold one slice more
        # or less, and a slice straddling an outage's edge can be judged differently
        for p, q in zip(a.points, b.points, strict=True):
            if p.has_data and q.has_data:
                assert abs(p.total - q.total) <= 1 and abs(p.good - q.good) <= 2, (p, q)
        both = [(p, q) for p, q in zip(a.points, b.points, strict=True)
                if p.has_data and q.has_data]
        assert len(both) >= 90
        bad_a = sum(p.total - p.good for p, _ in both)
        bad_b = sum(q.total - q.good for _, q in both)
        assert bad_b > 0 and abs(bad_a - bad_b) <= max(4, 0.25 * bad_b)
        # the outages are in there: not every slice is good
        assert sum(p.total - p.good for p in a.points if p.has_data) > 0
        assert any(not p.has_data for p in a.points if ps.GAP[0] <= p.start < ps.GAP[1])


def test_cli_writes_the_rules_and_settings_turn_them_on(tmp_path, monkeypatch) -> None:
    from click.testing import CliRunner
    from test_pull_cli import project

    from slacode.cli import cli
    from slacode.config import load_settings

    root = project(tmp_path, monkeypatch, SLICES, settings=(
        "      prometheus:\n        default:\n          url: http://127.0.0.1:9\n"
        "          recording_rules: true\n"))
    r = CliRunner().invoke(cli, ["rules", "--root", str(root)])
    assert r.exit_code == 0, r.output
    doc = YAML(typ="safe").load(r.stdout)
    (rule,) = doc["groups"][0]["rules"]
    assert rule["record"] == "slacode:slice_bad"
    assert rule["labels"]["slacode_service"] == "api"
    r = CliRunner().invoke(cli, ["rules", "--root", str(root), "--output",
                                 str(root / "rules" / "slacode.yml")])
    assert r.exit_code == 0 and "1 rule for server 'default'" in r.stderr
    assert (root / "rules" / "slacode.yml").read_text().startswith("# Generated by")
    assert load_settings(root).server("default").recording_rules is True
    # a server the settings do not name is a typo, not an empty rules file
    r = CliRunner().invoke(cli, ["rules", "--root", str(root), "--server", "other"])
    assert r.exit_code == 1 and r.stdout == ""
    assert "no Prometheus server named 'other' in the plugin settings (there are: default)" \
        in str(r.exception)
