"""Redirects (issue 17, item 3): requests drops ``Authorization`` on a redirect to another
host but keeps the headers of ``SLACODE_PROMETHEUS_HEADERS`` (an API key, a tenant), and
that host's answer was counted. A redirect off the configured server is not followed:
the other host gets no request at all, and the figures are "no data" with the reason. A
redirect within the server (a proxy moving the API's path) is still followed."""

from __future__ import annotations

import logging
from http.server import BaseHTTPRequestHandler

import pytest
from pull_support import FakePrometheus, make_agreement, make_settings

from slacode.model import Objective, PrometheusQuery, Source, Window
from slacode.pull import pull

NOW = 1_790_000_000 - 1_790_000_000 % 86400  # a UTC midnight
START = NOW - 2 * 86400
TOKEN = "tok-redirect-7f3a-secret"
API_KEY = "key-redirect-91c2-secret"
NAME = "Prometheus server 'default'"

EVENTS = Objective("availability", "availability", 99.9, Window("month"),
                   Source("prometheus", PrometheusQuery(good='ok_total{job="x"}',
                                                        total='all_total{job="x"}')))


class Redirecting(FakePrometheus):
    """Answers every query under ``/api/`` with ``status`` to ``to + path``; anything else
    as a healthy Prometheus would."""

    def __init__(self, to: str, status: int = 307) -> None:
        self.to, self.status = to, status
        super().__init__("ok")

    def answer(self, h: BaseHTTPRequestHandler, body: str) -> None:
        if not h.path.startswith("/api/"):
            return super().answer(h, body)
        h.send_response(self.status)
        h.send_header("Location", self.to + h.path)
        h.send_header("Content-Length", "0")
        h.end_headers()
        return None


@pytest.fixture
def servers():
    made: list[FakePrometheus] = []
    yield made
    for s in made:
        s.close()


@pytest.fixture
def credentials(monkeypatch):
    monkeypatch.setenv("REDIRECT_TEST_TOKEN", TOKEN)
    monkeypatch.setenv("REDIRECT_TEST_HEADERS", f"X-Api-Key: {API_KEY}; X-Scope-OrgID: t-7")
    return {"token_env": "REDIRECT_TEST_TOKEN", "headers_env": "REDIRECT_TEST_HEADERS"}


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_to_another_host_is_refused_and_no_data(
    servers, credentials, status, tmp_path, caplog
) -> None:
    other = FakePrometheus("ok")  # another port of 127.0.0.1: another origin
    servers.append(other)
    first = Redirecting(other.url, status)
    servers.append(first)
    caplog.set_level(logging.WARNING)
    settings = make_settings(tmp_path, first.url, retries=1, **credentials)
    res = pull([make_agreement(EVENTS)], settings, NOW, START)
    m = res.measurements[("api", "availability")]
    assert other.requests == []  # neither the query nor any header reached the other host
    assert first.requests[0]["Authorization"] == f"Bearer {TOKEN}"  # the server itself got them
    assert not any(p.has_data for p in m.points)
    reason = (f"{NAME} redirected the query to another host; slacode does not follow it, "
              "so neither the query nor the credentials went there")
    assert [g.reason for g in m.gaps] == [reason] and m.gaps[0].fault
    assert any(p.code == "pull.fault" and reason in p.message for p in res.problems)
    assert f"redirected a query to http://127.0.0.1:{other.port}, another host" in caplog.text
    for text in (caplog.text, *(p.message for p in res.problems)):
        assert TOKEN not in text and API_KEY not in text


def test_a_redirect_to_another_port_or_scheme_of_the_same_host_is_refused(
    servers, credentials, tmp_path
) -> None:
    other = FakePrometheus("ok")
    servers.append(other)
    first = Redirecting(f"https://127.0.0.1:{other.port}")
    servers.append(first)
    res = pull([make_agreement(EVENTS)],
               make_settings(tmp_path, first.url, retries=0, **credentials), NOW, START)
    m = res.measurements[("api", "availability")]
    assert other.requests == []
    assert "redirected the query to another host" in m.gaps[0].reason


def test_a_redirect_within_the_server_is_followed_with_the_credentials(
    servers, credentials, tmp_path
) -> None:
    first = Redirecting("/prometheus")  # a relative Location: the same host and port
    servers.append(first)
    res = pull([make_agreement(EVENTS)],
               make_settings(tmp_path, first.url, retries=0, **credentials), NOW, START)
    m = res.measurements[("api", "availability")]
    assert all(p.has_data for p in m.points) and m.gaps == ()
    asked, answered = first.requests
    assert asked["_path"] == "/api/v1/query_range"
    assert answered["_path"] == "/prometheus/api/v1/query_range"
    assert answered["query"] == asked["query"]  # the same query, posted again
    assert answered["X-Api-Key"] == API_KEY and answered["Authorization"] == f"Bearer {TOKEN}"


def test_a_server_redirecting_in_a_loop_is_no_data(servers, tmp_path) -> None:
    loop = Redirecting("")  # /api/v1/query_range -> itself
    servers.append(loop)
    res = pull([make_agreement(EVENTS)], make_settings(tmp_path, loop.url, retries=0), NOW,
               START)
    m = res.measurements[("api", "availability")]
    assert m.gaps[0].reason == f"{NAME} redirected the query more than 3 times"
    assert len(loop.requests) == 4  # the query and three redirects followed, no more
