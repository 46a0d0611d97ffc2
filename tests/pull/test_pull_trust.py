"""What a Prometheus answer may not do to a published figure: quote the credentials it was
sent into a public reason, turn a mistyped good selector into 0% good, or make good
exceed total; and data file paths that lead outside the project are refused."""

from __future__ import annotations

import base64
import json
import logging
import math
from collections.abc import Callable
from dataclasses import replace
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, quote

import pytest
from pull_support import FakePrometheus, make_agreement, make_settings

from slacode.config import Settings
from slacode.model import Objective, PrometheusQuery, Source, Window
from slacode.pull import pull
from slacode.pull.base import CountSeries
from slacode.pull.planning import GOOD_UNMATCHED, INF, NO_GOOD, plan_for

NOW = 1_790_000_000 - 1_790_000_000 % 86400  # a UTC midnight
START = NOW - 2 * 86400


def events(**selectors: str) -> Objective:
    q = PrometheusQuery(**selectors)
    return Objective("availability", "availability", 99.9, Window("month"),
                     Source("prometheus", q))


GOOD_TOTAL = events(good='ok_total{job="x"}', total='all_total{job="x"}')

#: (expression name, interval end) -> the value the stub answers, None = no series
Values = Callable[[str, int], float | None]


class Stub(FakePrometheus):
    """A query API on 127.0.0.1 answering ``answer(form, headers)`` -> (status, document):
    for behaviour no real Prometheus has (echoing credentials, good above total)."""

    def __init__(self, answer: Callable[[dict[str, str], dict[str, str]], tuple[int, dict]]):
        self.reply = answer
        super().__init__("stub")

    def answer(self, h: BaseHTTPRequestHandler, body: str) -> None:
        form = {k: v[0] for k, v in parse_qs(body).items()}
        code, doc = self.reply(form, dict(h.headers.items()))
        data = json.dumps(doc).encode()
        h.send_response(code)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)


def series_answer(values: Values) -> Callable[[dict[str, str], dict[str, str]], tuple[int, dict]]:
    """Answers a pooled range (or instant) query with ``values`` per part and interval end."""
    import re

    def answer(form: dict[str, str], _headers: dict[str, str]) -> tuple[int, dict]:
        parts = re.findall(r'"slacode_part", "([^"]+)"', form["query"])
        if "time" in form:
            ends = [int(float(form["time"]))]
        else:
            start, end, step = (int(float(form[k])) for k in ("start", "end", "step"))
            ends = list(range(start, end + 1, step))
        result = []
        for part in parts:
            pts = [(t, values(part.split(".")[-1], t)) for t in ends]
            pts = [(t, v) for t, v in pts if v is not None]
            if not pts:
                continue
            num = [[t, _prom_number(v)] for t, v in pts]
            if "time" in form:
                result.append({"metric": {"slacode_part": part}, "value": num[0]})
            else:
                result.append({"metric": {"slacode_part": part}, "values": num})
        rtype = "vector" if "time" in form else "matrix"
        return 200, {"status": "success", "data": {"resultType": rtype, "result": result}}

    return answer


def _prom_number(v: float) -> str:
    if math.isinf(v):
        return "+Inf" if v > 0 else "-Inf"
    return repr(v)


@pytest.fixture
def stubs():
    made: list[Stub] = []

    def make(answer) -> Stub:
        made.append(Stub(answer))
        return made[-1]

    yield make
    for s in made:
        s.close()


def pull_one(settings: Settings, obj: Objective = GOOD_TOTAL, now: int = NOW, **kw):
    res = pull([make_agreement(obj)], settings, now, START, **kw)
    m = res.measurements[("api", obj.id)]
    assert isinstance(m, CountSeries)
    return res, m


# --- 1. credentials echoed by the server never reach a reason, a problem or a log --------

PASSWORD = "S3cr3t/p@ss"  # needs percent-encoding in a URL


def echo(padding: int = 0) -> Callable[[dict[str, str], dict[str, str]], tuple[int, dict]]:
    """A hostile server: quotes the credentials it got, in every form, in an HTTP 400
    error (odd queries) and in warnings of a successful answer (range queries)."""

    def answer(form: dict[str, str], headers: dict[str, str]) -> tuple[int, dict]:
        auth = headers.get("Authorization", "")
        b64 = auth.removeprefix("Basic ")
        plain = base64.b64decode(b64).decode("latin-1") if b64 else ""
        password = plain.partition(":")[2]
        said = (f"{'x' * padding}{password} got={auth} creds {b64} as {plain} "
                f"enc={quote(password, safe='')}")
        if "time" in form:
            return 400, {"status": "error", "errorType": "bad_data", "error": said}
        return 200, {"status": "success", "warnings": [said],
                     "data": {"resultType": "matrix", "result": []}}

    return answer


def _secret_forms(user: str, password: str) -> list[str]:
    b64 = base64.b64encode(f"{user}:{password}".encode()).decode()
    return [password, quote(password, safe=""), b64, f"{user}:{password}", password[:5]]


def _assert_nowhere(forms: list[str], res, m: CountSeries, logs: str, lines: list[str],
                    root: Path) -> None:
    texts = [g.reason for g in m.gaps] + list(m.warnings) + [p.message for p in res.problems]
    texts += [logs, *lines]
    assert any("got=" in t for t in texts)  # the server's text did come through ...
    for secret in forms:  # ... without the credentials
        for t in texts:
            assert secret not in t, (secret, t)
        for f in root.rglob("*"):
            if f.is_file():
                assert secret.encode() not in f.read_bytes(), f


# a cut after 300 characters of the server's text used to leave the password's first 5
@pytest.mark.parametrize("padding", [0, 300 - len("bad_data ") - 5])
def test_url_userinfo_echoed_back_is_redacted(stubs, tmp_path, monkeypatch, caplog,
                                              padding) -> None:
    stub = stubs(echo(padding))
    monkeypatch.setenv("PULL_TRUST_URL", f"http://alice:{quote(PASSWORD, safe='')}@127.0.0.1:"
                                         f"{stub.port}")
    settings = make_settings(tmp_path, "", retries=0)
    settings = replace(settings, servers=(replace(settings.servers[0], url_env="PULL_TRUST_URL"),))
    caplog.set_level(logging.DEBUG)
    lines: list[str] = []
    # the day in progress is an odd interval: instant query, HTTP 400 echo
    res, m = pull_one(settings, now=NOW + 1800, progress=lines.append)
    assert not any(p.has_data for p in m.points)
    assert any("answered HTTP 400: bad_data" in g.reason for g in m.gaps)
    assert any("may be partial" in g.reason for g in m.gaps)
    _assert_nowhere(_secret_forms("alice", PASSWORD), res, m, caplog.text, lines, tmp_path)


def test_basic_auth_echoed_back_as_base64_is_redacted(stubs, tmp_path, monkeypatch,
                                                      caplog) -> None:
    stub = stubs(echo())
    monkeypatch.setenv("PULL_TRUST_USER", "bob")
    monkeypatch.setenv("PULL_TRUST_PASSWORD", "hunter2-basic")
    settings = make_settings(tmp_path, stub.url, username_env="PULL_TRUST_USER",
                             password_env="PULL_TRUST_PASSWORD", retries=0)
    caplog.set_level(logging.DEBUG)
    res, m = pull_one(settings, now=NOW + 1800)
    assert m.warnings and "got=***" in m.warnings[0]
    _assert_nowhere(_secret_forms("bob", "hunter2-basic"), res, m, caplog.text, [], tmp_path)


def test_a_long_server_text_is_shortened_after_redaction(stubs, tmp_path, monkeypatch) -> None:
    stub = stubs(echo(5000))
    monkeypatch.setenv("PULL_TRUST_USER", "carol")
    monkeypatch.setenv("PULL_TRUST_PASSWORD", "long-answer-pw")
    settings = make_settings(tmp_path, stub.url, username_env="PULL_TRUST_USER",
                             password_env="PULL_TRUST_PASSWORD", retries=0)
    _res, m = pull_one(settings)
    assert m.warnings and len(m.warnings[0]) <= 400 and m.warnings[0].endswith("…")
    assert all(len(g.reason) <= 400 for g in m.gaps)


# --- 2a. a good selector that never matches is no data, not 0% good ----------------------

def test_a_good_selector_matching_nothing_anywhere_is_no_data(stubs, tmp_path) -> None:
    stub = stubs(series_answer(lambda name, t: 100.0 if name == "total" else None))
    res, m = pull_one(make_settings(tmp_path, stub.url))
    assert not any(p.has_data for p in m.points)
    assert [(g.start, g.end, g.reason) for g in m.gaps] == [(START, NOW, GOOD_UNMATCHED)]
    assert GOOD_UNMATCHED == ("the good selector matched no series while total has data: "
                              "check the selector")
    assert any(GOOD_UNMATCHED in p.message for p in res.problems)
    # the cache keeps the points as answered: the next night judges the old days again
    _res, m2 = pull_one(make_settings(tmp_path, stub.url), now=NOW + 86400)
    assert len(stub.requests) == 2
    assert int(stub.requests[1]["start"]) == NOW  # only the new (and unsettled) hours asked
    assert not any(p.has_data for p in m2.points)
    assert {g.reason for g in m2.gaps} == {GOOD_UNMATCHED}


def test_a_good_series_missing_in_some_intervals_counts_as_zero_good(stubs, tmp_path) -> None:
    outage = range(START + 3600, START + 4 * 3600 + 1)  # ends of the first four hours
    stub = stubs(series_answer(
        lambda name, t: 50.0 if name == "total" else (None if t in outage else 50.0)))
    _res, m = pull_one(make_settings(tmp_path, stub.url))
    assert all(p.has_data for p in m.points) and not m.gaps
    assert [p.good for p in m.points[:5]] == [0.0, 0.0, 0.0, 0.0, 50.0]


def test_no_traffic_and_no_good_series_is_not_a_wrong_selector(stubs, tmp_path) -> None:
    stub = stubs(series_answer(lambda name, t: 0.0 if name == "total" else None))
    _res, m = pull_one(make_settings(tmp_path, stub.url))
    assert all(p.has_data and p.total == 0 for p in m.points)


def test_a_bad_selector_matching_nothing_is_still_zero_bad(stubs, tmp_path) -> None:
    stub = stubs(series_answer(lambda name, t: 100.0 if name == "total" else None))
    obj = events(bad='err_total{job="x"}', total='all_total{job="x"}')
    _res, m = pull_one(make_settings(tmp_path, stub.url), obj)
    assert all(p.good == p.total == 100.0 for p in m.points)


def test_combine_keeps_an_absent_good_apart() -> None:
    combine = plan_for(GOOD_TOTAL).combine
    assert combine({"good": None, "total": 10.0}) == (0.0, 10.0, NO_GOOD)
    assert combine({"good": 4.0, "total": 10.0}) == (4.0, 10.0, "")


# --- 2b. good above total, infinite values ------------------------------------------------

@pytest.mark.parametrize(
    ("good", "total", "expected"),
    [
        (100_050.0, 100_000.0, (100_000.0, 100_000.0, "")),  # 0.05%: extrapolation, capped
        (10.9, 10.0, (10.0, 10.0, "")),  # under one event
        (100_200.0, 100_000.0,
         (None, None, "good (100200) is greater than total (100000)")),
        (12.5, 10.0, (None, None, "good (12.5) is greater than total (10)")),
        (math.inf, 10.0, (None, None, INF)),
        (5.0, math.inf, (None, None, INF)),
    ],
)
def test_good_above_total_beyond_extrapolation_is_no_data(good, total, expected) -> None:
    assert plan_for(GOOD_TOTAL).combine({"good": good, "total": total}) == expected


def test_bad_above_total_is_no_data() -> None:
    combine = plan_for(events(bad="e_total", total="t_total")).combine
    assert combine({"bad": 30.0, "total": 20.0}) == (
        None, None, "bad (30) is greater than total (20)")
    assert combine({"bad": 20.5, "total": 20.0}) == (0.0, 20.0, "")


def test_good_above_total_is_cached_as_no_data_not_as_good(stubs, tmp_path) -> None:
    def values(name: str, t: int) -> float | None:
        if name == "total":
            return 100.0
        return math.inf if t == START + 7200 else 150.0 if t == START + 3600 else 90.0

    answer = [values]
    stub = stubs(series_answer(lambda name, t: answer[0](name, t)))
    res, m = pull_one(make_settings(tmp_path, stub.url))
    assert [(p.good, p.total) for p in m.points[:3]] == [(None, None), (None, None), (90, 100)]
    assert [g.reason for g in m.gaps] == ["good (150) is greater than total (100)", INF]
    assert any("good (150) is greater than total (100)" in p.message for p in res.problems)
    # from the cache the next night: still no data with the reason, never good data
    answer[0] = lambda name, t: 100.0
    _res, m2 = pull_one(make_settings(tmp_path, stub.url), now=NOW + 86400)
    assert int(stub.requests[-1]["start"]) == NOW  # the old days came from the cache
    assert [(p.good, p.total) for p in m2.points[:3]] == [(None, None), (None, None), (90, 100)]
    assert [g.reason for g in m2.gaps] == ["good (150) is greater than total (100)", INF]


# --- 3. data files outside the project are refused ----------------------------------------

def _file_objective(kind: str, path: str) -> Objective:
    if kind == "file":
        return Objective("o", "availability", 99.0, Window("month"), Source("file", path=path))
    if kind == "incidents":
        return Objective("o", "response-time", 100.0, Window("month"),
                         Source("incidents", path=path), priority="P1")
    return Objective("o", "satisfaction", 4.0, Window("month"), Source("survey", path=path),
                     method="mean")


CONTENT = {
    "file": f"start,good,total\n{START},9,10\n",
    "incidents": f"id,service,priority,opened\nINC-1,api,P1,{START + 60}\n",
    "survey": f"time,score\n{START + 60},5\n",
}


@pytest.mark.parametrize("kind", ["file", "incidents", "survey"])
@pytest.mark.parametrize("how", ["absolute", "dotdot", "symlink"])
def test_a_data_file_outside_the_project_is_refused(tmp_path, kind, how) -> None:
    root = tmp_path / "project"
    (root / "data").mkdir(parents=True)
    outside = tmp_path / "outside.csv"  # readable and well-formed: only its place is wrong
    outside.write_text(CONTENT[kind], encoding="utf-8")
    if how == "absolute":
        rel = str(outside)
    elif how == "dotdot":
        rel = "data/../../outside.csv"
    else:
        (root / "data" / "link.csv").symlink_to(outside)
        rel = "data/link.csv"
    res = pull([make_agreement(_file_objective(kind, rel))], Settings(root=root, cache="c"),
               NOW, START)
    m = res.measurements[("api", "o")]
    reason = f"refused to read {rel}: the path leads outside the project folder"
    assert [(g.reason, g.fault) for g in m.gaps] == [(reason, True)]
    if isinstance(m, CountSeries):
        assert not any(p.has_data for p in m.points)
    else:
        assert not getattr(m, "incidents", getattr(m, "responses", ()))
    assert any(reason in p.message for p in res.problems)


def test_a_path_that_climbs_back_inside_the_project_is_read(tmp_path) -> None:
    root = tmp_path / "project"
    (root / "data").mkdir(parents=True)
    (root / "data" / "r.csv").write_text(CONTENT["file"], encoding="utf-8")
    obj = _file_objective("file", "data/../data/r.csv")
    res = pull([make_agreement(obj)], Settings(root=root, cache="c"), NOW, START)
    m = res.measurements[("api", "o")]
    assert isinstance(m, CountSeries) and m.points[0].good == 9
