"""Prometheus selectors are parsed at load: only a plain vector selector (a metric name and
label matchers) gets through, because the source pastes selectors into the PromQL it
builds and pools many agreements into one query (issue 17, item 1)."""

from __future__ import annotations

from pathlib import Path

import pytest
from load_helpers import MINIMAL, run_cli

from slacode.load import load_text

#: the attack of the audit: close the wrapping ``label_replace(`` and append a series
#: labelled as the next objective's ``good`` part
INJECTION = (
    'ok_total{job="evil"}[1s])), "slacode_part", "0.good", "", "") or '
    'label_replace(vector(1e9), "slacode_part", "1.good", "", "") or '
    'label_replace(sum(increase(ok_total{job="evil"}'
)


def agreement(good: str, total: str = 'all_total{job="api"}', kind: str = "availability",
              extra: str = "") -> str:
    """MINIMAL measured by Prometheus with the given selectors (single-quoted YAML)."""
    source = (
        "    source:\n"
        "      prometheus:\n"
        f"        good: '{good}'\n"
        f"        total: '{total}'\n"
    )
    text = MINIMAL.replace("    source:\n      file: {path: data/minimal.csv}\n", source)
    return text.replace("kind: availability", f"kind: {kind}{extra}")


def problems(text: str) -> list[str]:
    agr, found = load_text(text, "slas/evil.yaml")
    assert agr is None or not any(p.severity == "error" for p in found)
    return [str(p) for p in found]


def test_the_audits_injection_fails_validate_at_the_selectors_line(tmp_path: Path) -> None:
    (tmp_path / "slas").mkdir()
    (tmp_path / "slas" / "evil.yaml").write_text(agreement(INJECTION), encoding="utf-8")
    r = run_cli("validate", "slas", cwd=tmp_path)
    assert r.returncode == 1
    assert r.stdout.splitlines() == [
        "slas/evil.yaml:17:15: error: objectives[0].source.prometheus.good: '[' cannot appear "
        "in a selector: write a metric name and label matchers only, such as "
        'http_requests_total{job="api",code!~"5.."}'
    ]
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize(("selector", "why"), [
    ('all_total{job="api"} # the rest of the line', "'#' cannot appear in a selector"),
    ('rate(all_total{job="api"}[5m])', "'(' cannot appear in a selector"),
    ('all_total{job="api"}[5m]', "'[' cannot appear in a selector"),
    ('all_total{job="api"} @ 1700000000', "'@' cannot appear in a selector"),
    ('all_total{job="api"} or vector(1)', "'(' cannot appear in a selector"),
    ('all_total{job="api"} or other_total', "not a plain vector selector"),
    ('all_total{job="api"} offset 1d', "a selector cannot shift time (offset, @)"),
    ('all_total{job="api" or job="web"}', "'or' between label matchers is not supported"),
    ('all_total{job="api"', "not a valid PromQL selector: unexpected end of input"),
    ('all_total{job=~"("}', "not a valid PromQL selector: illegal regex"),
    ('{job=~".*"}', "at least one non-empty matcher"),
])
def test_anything_but_a_plain_vector_selector_is_an_error_at_its_line(
    selector: str, why: str
) -> None:
    (line,) = problems(agreement('ok_total{job="api"}', total=selector))
    assert line.startswith("slas/evil.yaml:18:16: error: objectives[0].source.prometheus.total: ")
    assert why in line


@pytest.mark.parametrize(("histogram", "why"), [
    ('{job="api"}', "a histogram needs its metric name first"),
    ('{__name__="h_seconds"}', "a histogram needs its metric name first"),
    ('h_seconds{le="0.3"}', "cannot match 'le': the threshold picks the bucket"),
    ('h_seconds{job="api"}) or vector(1', "')' cannot appear in a selector"),
])
def test_a_histogram_is_a_metric_name_and_matchers_without_le(histogram: str, why: str) -> None:
    text = MINIMAL.replace(
        "    source:\n      file: {path: data/minimal.csv}\n",
        f"    threshold: 300ms\n    source:\n      prometheus:\n        histogram: '{histogram}'\n",
    ).replace("kind: availability", "kind: latency")
    (line,) = problems(text)
    assert line.startswith(
        "slas/evil.yaml:18:20: error: objectives[0].source.prometheus.histogram: ")
    assert why in line


@pytest.mark.parametrize("selector", [
    'http_requests_total{job="api",code!~"5.."}',
    "up",
    '{__name__=~"ok_total|fine_total", job="api"}',
    'ok_total{path=~"/a#b(c)[d]"}',  # what a selector may not hold is fine inside a value
    'ok_total{job="api", }',
    'ok_total{"service.name"="api"}',  # Prometheus 3: quoted UTF-8 label names
    'ok_total{job=`api`}',
])
def test_legitimate_selectors_still_load(selector: str) -> None:
    assert problems(agreement(selector)) == []


def test_a_selector_folded_over_several_lines_still_loads() -> None:
    text = agreement("x").replace(
        "        good: 'x'\n",
        "        good: >-\n          ok_total{job=\"api\",\n          code!~\"5..\"}\n")
    assert problems(text) == []
