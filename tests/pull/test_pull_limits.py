"""What a server may cost a run (issue 17, item 4): a read timeout bounds each read, not a
server that sends a byte every few seconds; a small gzip body can unpack to gigabytes;
``Retry-After: 99999`` asks for a day. Each limit is a server setting (``query_timeout``,
``run_timeout``, ``max_body_mb``, ``max_retry_after``), and reaching one leaves the
query's intervals without data, with a reason naming the setting.

The servers here are hostile on purpose and bounded: each serves a fixed number of
connections and drips a fixed number of bytes. No test measures time: they check the
reason, the requests the server got, and the waits the client asked for (``_sleep``)."""

from __future__ import annotations

import socket
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
import urllib3.response
from pull_support import FakePrometheus, make_agreement, make_settings

from slacode.config import settings_from_mapping
from slacode.model import Objective, PrometheusQuery, Source, Window
from slacode.problems import SlacodeError
from slacode.pull import client as prom_client
from slacode.pull import pull

NOW = 1_790_000_000 - 1_790_000_000 % 86400  # a UTC midnight
START = NOW - 2 * 86400
NAME = "Prometheus server 'default'"


def objective(job: str = "x") -> Objective:
    return Objective("availability", "availability", 99.9, Window("month"),
                     Source("prometheus", PrometheusQuery(good=f'ok_total{{job="{job}"}}',
                                                          total=f'all_total{{job="{job}"}}')))


@dataclass
class Hostile:
    """A raw HTTP server on 127.0.0.1: reads each request and hands the socket to
    ``reply``. Serves at most ``connections`` connections; ``requests`` holds the request
    lines it read."""

    reply: Callable[[socket.socket], None]
    connections: int = 8
    requests: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.stop = False
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        served = 0
        while not self.stop and served < self.connections:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                continue
            served += 1
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        conn.settimeout(10)
        try:
            data = b""
            while b"\r\n\r\n" not in data and len(data) < 65536:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                data += chunk
            head, _, rest = data.partition(b"\r\n\r\n")
            length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                           if line.lower().startswith(b"content-length:")), 0)
            while len(rest) < length:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                rest += chunk
            self.requests.append(head.split(b"\r\n", 1)[0].decode())
            self.reply(conn)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.stop = True
        self.listener.close()


def drip(head: bytes, body: bytes, every: float = 0.2, limit: int = 100) -> Callable:
    """A reply sending ``head`` then ``body`` one byte every ``every`` seconds (at most
    ``limit`` of them): slow forever as far as a read timeout can tell."""

    def reply(conn: socket.socket) -> None:
        data = head + body
        for i in range(min(len(data), limit)):
            conn.sendall(data[i:i + 1])
            time.sleep(every)

    return reply


HEAD = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        b"Content-Length: 100000\r\n\r\n")
BODY = b'{"status":"success","data":{"resultType":"matrix","result":[' + b" " * 99_000


@pytest.fixture
def hostile():
    made: list[Hostile] = []

    def make(reply: Callable[[socket.socket], None]) -> Hostile:
        made.append(Hostile(reply))
        return made[-1]

    yield make
    for h in made:
        h.close()


@pytest.fixture
def sleeps(monkeypatch) -> list[float]:
    """The waits the client asks for between retries, recorded instead of slept."""
    asked: list[float] = []
    monkeypatch.setattr(prom_client, "retry_wait", asked.append)
    return asked


@pytest.mark.parametrize("where", ["headers", "body"])
def test_a_server_dripping_its_answer_ends_at_the_query_timeout(
    hostile, sleeps, tmp_path, where
) -> None:
    server = hostile(drip(b"", HEAD + BODY) if where == "headers" else drip(HEAD, BODY))
    settings = make_settings(tmp_path, server.url, read_timeout=5.0, retries=2,
                             query_timeout=1)
    res = pull([make_agreement(objective())], settings, NOW, START)
    m = res.measurements[("api", "availability")]
    assert not any(p.has_data for p in m.points)
    reason = f"{NAME} did not finish answering within 1s (query_timeout)"
    assert [g.reason for g in m.gaps] == [reason] and m.gaps[0].fault
    assert any(p.code == "pull.fault" and reason in p.message for p in res.problems)
    assert len(server.requests) == 1  # not retried: the query's time was up
    assert sleeps == []


def test_the_run_timeout_ends_the_run_and_sends_no_later_query(
    hostile, sleeps, tmp_path
) -> None:
    server = hostile(drip(HEAD, BODY))
    settings = make_settings(tmp_path, server.url, read_timeout=5.0, concurrency=1,
                             run_timeout=1)
    # two agreements at 12:00: a range query for the whole hours, then an instant query
    # for the hour still running
    agreements = [make_agreement(objective(), id="a"), make_agreement(objective(), id="b")]
    res = pull(agreements, settings, NOW + 1800, START)
    reason = f"{NAME} did not finish this run's queries within 1s (run_timeout)"
    for m in res.measurements.values():
        assert not any(p.has_data for p in m.points)
        assert {g.reason for g in m.gaps} == {reason}
    assert len(server.requests) == 1 and res.queries == 1  # the second query was not sent


def bomb(decoded: int) -> bytes:
    """A gzip body of ``decoded`` bytes of JSON whitespace (about a thousandth on the wire)."""
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    out = [z.compress(b'{"status":"success","data":')]
    block = b" " * 2**20
    out += [z.compress(block) for _ in range(decoded // len(block))]
    return b"".join(out) + z.flush()


@pytest.mark.parametrize("encoding", ["gzip", "identity"])
def test_an_answer_above_max_body_mb_is_not_read_past_the_limit(
    hostile, tmp_path, monkeypatch, encoding
) -> None:
    body = bomb(64 * 2**20) if encoding == "gzip" else b" " * (3 * 2**20)
    head = (f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: "
            f"{encoding}\r\nContent-Length: {len(body)}\r\n\r\n").encode()
    server = hostile(lambda conn: conn.sendall(head + body))
    decoded: list[int] = []
    read = urllib3.response.HTTPResponse.read

    def counted(self, *args, **kwargs):
        data = read(self, *args, **kwargs)
        decoded.append(len(data))
        return data

    monkeypatch.setattr(urllib3.response.HTTPResponse, "read", counted)
    settings = make_settings(tmp_path, server.url, retries=0, max_body_mb=1)
    res = pull([make_agreement(objective())], settings, NOW, START)
    m = res.measurements[("api", "availability")]
    assert not any(p.has_data for p in m.points)
    reason = f"{NAME} answered with more than 1 MiB (max_body_mb); the answer was not read"
    assert [g.reason for g in m.gaps] == [reason] and m.gaps[0].fault
    assert len(server.requests) == 1
    if encoding == "gzip":
        assert len(body) < 100_000  # 64 MiB once decoded
    # never more decoded than the limit and the chunk that crossed it
    assert 2**20 < sum(decoded) <= 2**20 + prom_client.READ_CHUNK


class RetryAfter(FakePrometheus):
    """Every query: HTTP 429 with ``Retry-After: <wait>``."""

    def __init__(self, wait: str) -> None:
        self.wait = wait
        super().__init__("429")

    def answer(self, h: BaseHTTPRequestHandler, body: str) -> None:
        h.send_response(429)
        h.send_header("Retry-After", self.wait)
        h.send_header("Content-Length", "0")
        h.end_headers()


@pytest.fixture
def too_many(request):
    f = RetryAfter(request.param)
    yield f
    f.close()


@pytest.mark.parametrize(("too_many", "said"),
                         [("99999", "21600s or more"), ("3000", "3000s")],
                         indirect=["too_many"])
def test_a_retry_after_above_the_cap_ends_the_query_without_waiting(
    too_many, said, sleeps, tmp_path
) -> None:
    """Three objectives that took 271 s: now no wait at all, and no query asked twice."""
    agreements = [make_agreement(objective(job=i), id=i) for i in ("a", "b", "c")]
    settings = make_settings(tmp_path, too_many.url, retries=3, concurrency=1)
    res = pull(agreements, settings, NOW, START)
    reason = (f"{NAME} asked to wait {said} before asking again (Retry-After), longer "
              "than max_retry_after (30s)")
    for m in res.measurements.values():
        assert not any(p.has_data for p in m.points)
        assert [g.reason for g in m.gaps] == [reason]
    assert sleeps == []
    # the pooled query, then one per objective (a pooled query that fails is asked
    # again per objective); none of them a second time
    assert len(too_many.requests) == res.queries == 4


@pytest.mark.parametrize("too_many", ["20"], indirect=True)
def test_a_wait_that_would_pass_the_query_timeout_ends_the_query(
    too_many, sleeps, tmp_path
) -> None:
    settings = make_settings(tmp_path, too_many.url, retries=3, query_timeout=5)
    res = pull([make_agreement(objective())], settings, NOW, START)
    m = res.measurements[("api", "availability")]
    assert [g.reason for g in m.gaps] == [
        f"{NAME} did not finish answering within 5s (query_timeout)"]
    assert sleeps == [] and len(too_many.requests) == 1


@pytest.mark.parametrize("too_many", ["2"], indirect=True)
def test_a_retry_after_within_the_cap_is_waited_for_each_retry(
    too_many, sleeps, tmp_path
) -> None:
    settings = make_settings(tmp_path, too_many.url, retries=2, max_retry_after=2)
    res = pull([make_agreement(objective())], settings, NOW, START)
    m = res.measurements[("api", "availability")]
    assert sleeps == [2, 2]
    assert len(too_many.requests) == 3
    assert m.gaps[0].reason.endswith("answered HTTP 429 (too many requests) after 2 retries")


LIMITS = ("query_timeout", "run_timeout", "max_body_mb", "max_retry_after")


@pytest.mark.parametrize(("option", "value", "what"), [
    ("query_timeout", 0, "a number of seconds above 0, at most 86400"),
    ("query_timeout", "1m", "a number of seconds above 0, at most 86400"),
    ("run_timeout", 86401, "a number of seconds above 0, at most 86400"),
    ("run_timeout", True, "a number of seconds above 0, at most 86400"),
    ("max_body_mb", 0, "a number of MiB above 0, at most 4096"),
    ("max_body_mb", float("inf"), "a number of MiB above 0, at most 4096"),
    ("max_retry_after", -1, "a number of seconds from 0 to 3600"),
    ("max_retry_after", float("nan"), "a number of seconds from 0 to 3600"),
])
def test_each_limit_is_a_checked_server_setting(tmp_path: Path, option, value, what) -> None:
    with pytest.raises(SlacodeError) as err:
        settings_from_mapping({"prometheus": {"default": {option: value}}}, tmp_path)
    assert f"option {option!r} must be {what}, got {value!r}" in str(err.value)


def test_the_limits_have_bounded_defaults_and_are_taken_as_written(tmp_path: Path) -> None:
    default = settings_from_mapping({}, tmp_path).server("default")
    assert (default.query_timeout, default.run_timeout, default.max_body_mb,
            default.max_retry_after) == (300.0, 3600.0, 64.0, 30.0)
    s = settings_from_mapping({"prometheus": {"default": {
        "query_timeout": 60, "run_timeout": 900.5, "max_body_mb": 0.5, "max_retry_after": 0,
    }}}, tmp_path).server("default")
    assert (s.query_timeout, s.run_timeout, s.max_body_mb, s.max_retry_after) == (
        60, 900.5, 0.5, 0)


def test_the_documented_settings_are_the_checked_ones() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for option in LIMITS:
        assert f"`{option}`" in readme, option


@pytest.mark.parametrize("too_many", ["soon"], indirect=True)
def test_a_retry_after_that_is_no_time_backs_off_instead(too_many, sleeps, tmp_path) -> None:
    """Neither seconds nor a date: the client backs off as without the header, rather
    than calling the server unreachable for the rest of the run."""
    settings = make_settings(tmp_path, too_many.url, retries=2)
    res = pull([make_agreement(objective())], settings, NOW, START)
    m = res.measurements[("api", "availability")]
    assert m.gaps[0].reason.endswith("answered HTTP 429 (too many requests) after 2 retries")
    assert sleeps == [1.0]  # urllib3's backoff: 0 s before the first retry, 1 s before the next
    assert len(too_many.requests) == 3
