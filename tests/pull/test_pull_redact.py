"""Credentials a server may echo back, in whatever spelling it uses, never reach a reason or
a log; and what is not a secret (a user name alone) is left readable."""

from __future__ import annotations

import base64
import logging

import pytest
from pull_support import make_agreement, make_settings
from test_pull_trust import GOOD_TOTAL, NOW, START, Stub

from slacode.config import PrometheusServer
from slacode.pull import pull
from slacode.pull.base import CountSeries
from slacode.pull.client import make_session
from slacode.redact import RedactFilter, redact, remember_url_secrets

# "/" and "@" need percent-encoding in a URL's userinfo; "é" is two UTF-8 bytes
WRITTEN = "S3cr3t%2Fp%40ss%C3%A9"
PASSWORD = "S3cr3t/p@ssé"


@pytest.mark.parametrize("echoed", [
    WRITTEN,  # as written in the URL
    PASSWORD,  # decoded, as sent in the basic auth header
    "S3cr3t%2fp%40ss%c3%a9",  # lowercase percent-encoding
    "S3cr3t%2fp@ss%C3%a9",  # partly encoded, mixed case
    "S3cr3t%2Fp%40ss%E9",  # latin-1 encoded
    "%53%33cr3t/p@ssé",  # letters encoded too
])
def test_a_url_password_is_redacted_in_every_spelling(echoed: str) -> None:
    remember_url_secrets(f"https://alice:{WRITTEN}@prom.example:9090")
    text = redact(f"error: auth failed for {echoed}, try again")
    assert text == "error: auth failed for ***, try again"


def test_a_url_password_is_redacted_with_its_user_and_as_basic_auth() -> None:
    remember_url_secrets(f"https://alice:{WRITTEN}@prom.example:9090")
    b64 = base64.b64encode(f"alice:{PASSWORD}".encode()).decode()
    b64_latin1 = base64.b64encode(f"alice:{PASSWORD}".encode("latin-1")).decode()
    for form in (f"alice:{PASSWORD}", f"alice:{WRITTEN}", b64, b64_latin1, f"Basic {b64}"):
        assert "***" in redact(f"got {form} here") and form not in redact(f"got {form}")


def test_a_user_name_alone_is_not_a_secret() -> None:
    """``https://reader@host`` names a user; the word stays readable in every reason,
    while the URL and the basic auth header it makes are still shown without it."""
    remember_url_secrets("https://reader@prom.example:9090")
    reason = "proofreader: the reader role may not query this series"
    assert redact(reason) == reason
    assert redact("GET https://reader@prom.example:9090/api") == "GET https://***@prom.example:9090/api"
    b64 = base64.b64encode(b"reader:").decode()
    assert redact(f"Authorization header {b64}") == "Authorization header ***"


def test_redaction_of_mixed_case_encoding_needs_no_registered_form() -> None:
    """The known secret is matched character by character, so a form never registered
    (e.g. ``%2b`` for ``+``, ``+`` for a space) is redacted too."""
    r = RedactFilter()
    r.secrets.add("a+b c/d")
    assert r.redact("x a%2Bb%20c%2fd y") == "x *** y"
    assert r.redact("x a%2bb+c/d y") == "x *** y"
    assert r.redact("x a+b c/d y") == "x *** y"
    assert r.redact("x a+b c y") == "x a+b c y"  # a part of the secret alone is not it


def test_a_token_and_header_secrets_from_the_environment_are_redacted_in_every_form(
    monkeypatch,
) -> None:
    monkeypatch.setenv("REDACT_EDGE_TOKEN", "tok/en+9=")
    monkeypatch.setenv("REDACT_EDGE_HEADERS",
                       "X-Api-Key: k3y/v@lue; Authorization: Basic "
                       + base64.b64encode(b"svc:hdr-pw/1").decode())
    make_session(PrometheusServer(token_env="REDACT_EDGE_TOKEN",
                                  headers_env="REDACT_EDGE_HEADERS"))
    for form in ("tok/en+9=", "tok%2Fen%2B9%3D", "tok%2fen%2b9%3d",  # the token
                 "k3y/v@lue", "k3y%2Fv%40lue", "k3y%2fv%40lue",  # a header's value
                 base64.b64encode(b"svc:hdr-pw/1").decode(),  # a basic auth header's
                 "hdr-pw/1", "hdr-pw%2f1"):  # credential and its password
        assert redact(f"server said <{form}>") == "server said <***>", form


def test_a_lowercase_encoded_password_echoed_by_a_server_is_not_published(
    tmp_path, monkeypatch, caplog,
) -> None:
    """End to end: the server quotes the password it was sent, lowercase-encoded."""
    from dataclasses import replace

    def answer(form: dict[str, str], headers: dict[str, str]) -> tuple[int, dict]:
        plain = base64.b64decode(headers["Authorization"].removeprefix("Basic ")).decode()
        said = "denied " + plain.partition(":")[2].replace("/", "%2f").replace("@", "%40")
        return 400, {"status": "error", "errorType": "bad_data", "error": said}

    stub = Stub(answer)
    try:
        monkeypatch.setenv("REDACT_EDGE_URL",
                           f"http://bob:low%2Fer%40pw@127.0.0.1:{stub.port}")
        settings = make_settings(tmp_path, "", retries=0)
        settings = replace(settings, servers=(replace(settings.servers[0],
                                                      url_env="REDACT_EDGE_URL"),))
        caplog.set_level(logging.DEBUG)
        res = pull([make_agreement(GOOD_TOTAL)], settings, NOW + 1800, START)
    finally:
        stub.close()
    m = res.measurements[("api", GOOD_TOTAL.id)]
    assert isinstance(m, CountSeries)
    texts = [g.reason for g in m.gaps] + [p.message for p in res.problems] + [caplog.text]
    assert any("denied ***" in t for t in texts)
    assert not any("low%2fer" in t or "low/er" in t for t in texts)
