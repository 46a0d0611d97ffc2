"""The Prometheus client against a fake server that answers faults: each fault ends in
"no data" with a reason, in bounded time, without a traceback; credentials stay secret."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from pull_support import FakePrometheus, make_agreement, make_settings

from slacode.model import Objective, PrometheusQuery, Source, Window
from slacode.pull import client as prom_client
from slacode.pull import pull
from slacode.pull.base import CountSeries
from slacode.pull.planning import histogram_selectors
from slacode.redact import REDACTOR, RedactFilter

NOW = 1_790_000_000 - 1_790_000_000 % 86400  # a UTC midnight
START = NOW - 2 * 86400

EVENTS = Objective("availability", "availability", 99.9, Window("month"),
                   Source("prometheus", PrometheusQuery(good='ok_total{job="x"}',
                                                        total='all_total{job="x"}')))


def pull_from(fake: FakePrometheus, root: Path, **server: object) -> CountSeries:
    res = pull([make_agreement(EVENTS)], make_settings(root, fake.url, **server), NOW, START)
    m = res.measurements[("api", "availability")]
    assert isinstance(m, CountSeries)
    return m


@pytest.fixture
def fake(request: pytest.FixtureRequest):
    f = FakePrometheus(request.param)
    yield f
    f.close()


@pytest.mark.parametrize(
    ("fake", "reason"),
    [
        ("503", "answered HTTP 503 after 1 retries: unavailable (the server's message is in "
                "the run's log)"),
        ("429", "answered HTTP 429 (too many requests) after 1 retries"),
        ("html", "answered with a text/html body instead of the API's JSON"),
        ("truncated", "answered with invalid or truncated JSON"),
        ("status-error", "query failed: execution (the server's message is in the run's "
                         "log)"),
        ("nan", "the server returned NaN for this interval"),
        ("empty", "not enough samples to measure this interval"),
    ],
    indirect=["fake"],
)
def test_faults_become_no_data_with_a_reason(fake, reason, tmp_path, monkeypatch) -> None:
    waits: list[float] = []  # what the client asks to wait between tries, not slept
    monkeypatch.setattr(prom_client, "retry_wait", waits.append)
    m = pull_from(fake, tmp_path, retries=1)
    assert len(m.points) == 48
    assert not any(p.has_data for p in m.points)
    assert len(m.gaps) == 1 and reason in m.gaps[0].reason
    if fake.mode in ("503", "429"):
        assert len(fake.requests) == 2  # one try, one retry; then the objective gives up
    else:
        assert len(fake.requests) == 1
    # Retry-After: 1 honoured before the retry; a first retry after a 503 backs off 0 s
    assert waits == ([1] if fake.mode == "429" else [])


@pytest.mark.parametrize("fake", ["503"], indirect=True)
def test_faults_are_not_cached(fake, tmp_path) -> None:
    pull_from(fake, tmp_path, retries=0)
    fake.mode = "ok"
    m = pull_from(fake, tmp_path, retries=0)
    assert all(p.has_data for p in m.points)


@pytest.mark.parametrize("fake", ["warnings"], indirect=True)
def test_server_warnings_are_passed_on_and_the_partial_answer_is_not_counted(
    fake, tmp_path
) -> None:
    m = pull_from(fake, tmp_path)
    assert not any(p.has_data for p in m.points)
    assert m.warnings == ("partial data: store eu-1 unavailable",)
    # the server's words go to the run's warnings, never into the published reason
    assert m.gaps[0].reason.endswith("warned that its answer to this query may be partial "
                                     "(the warning is in the run's log)")
    assert "eu-1" not in m.gaps[0].reason


@pytest.mark.parametrize("fake", ["ok"], indirect=True)
def test_queries_carry_explicit_times_aligned_to_interval_ends(fake, tmp_path) -> None:
    pull_from(fake, tmp_path)
    bodies = [r["_body"] for r in fake.requests]
    assert len(bodies) == 1  # good and total in one range query, told apart by a label
    (body,) = bodies
    assert f"start={START + 3600}" in body and f"end={NOW}" in body and "step=3600" in body
    assert body.count("sum%28increase%28") == 2 and "%5B3600s%5D" in body
    # each part is named with a tag drawn for this query, then the item and expression
    assert re.search(r"%22slacode_part%22%2C\+%22[0-9a-f]{16}\.0\.good%22", body)


def test_connection_refused_is_no_data(tmp_path) -> None:
    from prometheus_server import free_port

    settings = make_settings(tmp_path, f"http://127.0.0.1:{free_port()}", retries=1)
    res = pull([make_agreement(EVENTS)], settings, NOW, START)
    m = res.measurements[("api", "availability")]
    assert "unreachable: connection refused" in m.gaps[0].reason
    assert res.problems and "connection refused" in res.problems[0].message


def test_a_server_without_url_is_no_data(tmp_path) -> None:
    res = pull([make_agreement(EVENTS)], make_settings(tmp_path, ""), NOW, START)
    assert "has no URL" in res.measurements[("api", "availability")].gaps[0].reason


@pytest.mark.parametrize("fake", ["ok"], indirect=True)
def test_bearer_token_is_sent_but_never_logged(fake, tmp_path, monkeypatch, caplog) -> None:
    token = "s3cr3t-T0KEN-do-not-log"
    monkeypatch.setenv("PULL_TEST_TOKEN", token)
    monkeypatch.setenv("PULL_TEST_HEADERS", "X-Scope-OrgID: tenant-7")
    caplog.set_level(logging.DEBUG)
    m = pull_from(fake, tmp_path, token_env="PULL_TEST_TOKEN", headers_env="PULL_TEST_HEADERS")
    assert all(p.has_data for p in m.points)
    assert fake.requests[0]["Authorization"] == f"Bearer {token}"
    assert fake.requests[0]["X-Scope-OrgID"] == "tenant-7"
    logging.getLogger("urllib3.connectionpool").debug("headers {'Authorization': 'Bearer %s'}",
                                                      token)
    text = caplog.text + "".join(r.getMessage() for r in caplog.records)
    assert "query_range" in text  # queries were logged ...
    assert token not in text  # ... without the token
    for f in tmp_path.rglob("*"):
        if f.is_file():
            assert token.encode() not in f.read_bytes(), f


def test_redaction_covers_headers_urls_and_known_secrets() -> None:
    r = RedactFilter()
    r.secrets.add("hunter22")
    assert r.redact("Authorization: Bearer abc.def") == "Authorization: ***"
    assert r.redact("{'Authorization': 'Basic dXNlcjpwdw=='}") == "{'Authorization': '***'}"
    assert r.redact("http://bob:pw@host/x") == "http://***@host/x"
    assert r.redact("token hunter22 leaked") == "token *** leaked"
    assert REDACTOR in logging.getLogger("urllib3.connectionpool").filters


def test_histogram_selectors_match_le_spellings() -> None:
    bucket, count = histogram_selectors('h_seconds{job="a"}', 0.3)
    assert bucket == 'h_seconds_bucket{job="a",le=~"0\\\\.30*"}'
    assert count == 'h_seconds_count{job="a"}'
    bucket, count = histogram_selectors("h_seconds", 1.0)
    assert bucket == 'h_seconds_bucket{le=~"1(\\\\.0*)?"}' and count == "h_seconds_count"


def test_exceptions_in_logs_are_redacted_too(monkeypatch, caplog) -> None:
    """A requests exception quotes the URL (with user:password@) and may quote headers."""
    import requests

    from slacode.config import PrometheusServer
    from slacode.pull.client import make_session

    monkeypatch.setenv("REDACT_TEST_TOKEN", "tok-3f9c-secret")
    make_session(PrometheusServer(token_env="REDACT_TEST_TOKEN"))  # the token is now known
    log = logging.getLogger("slacode.pull.prometheus")
    caplog.set_level(logging.DEBUG)
    try:
        raise requests.exceptions.ConnectionError(
            "HTTPConnectionPool(host='bob:hunter2@prom.example', port=9090): Max retries "
            "exceeded with url: http://bob:hunter2@prom.example:9090/api/v1/query "
            "(headers {'Authorization': 'Bearer tok-3f9c-secret'})")
    except requests.exceptions.ConnectionError:
        log.exception("query failed for http://bob:hunter2@prom.example:9090")
    text = caplog.text
    assert "Traceback" in text and "ConnectionError" in text  # the exception is still there
    assert "hunter2" not in text and "tok-3f9c-secret" not in text
    assert "http://***@prom.example:9090/api/v1/query" in text


@pytest.mark.parametrize("fake", ["error-names-a-series"], indirect=True)
def test_a_servers_error_text_reaches_the_log_not_the_published_reason(
    fake, tmp_path, caplog: pytest.LogCaptureFixture
) -> None:
    """Its message (and an error type that is not one of the API's words) may quote
    series of other agreements: the reason a page shows says only what failed."""
    with caplog.at_level(logging.WARNING, logger="slacode"):
        m = pull_from(fake, tmp_path, retries=0)
    assert not any(p.has_data for p in m.points)
    reason = m.gaps[0].reason
    assert reason.endswith("answered HTTP 422: error (the server's message is in the run's log)")
    assert "SECRET" not in reason
    assert "SECRET_internal_metric" in caplog.text and "too many points" in caplog.text
