"""Contact addresses in a build: escalation and emergency addresses are private unless
marked ``public: true``; a public build keeps the level, its name and time, not the address."""

from __future__ import annotations

import html
from dataclasses import replace

import render_sample as sample

from slacode.history import ChangeEntry
from slacode.history.semdiff import Change
from slacode.model import Contact, EscalationLevel
from slacode.render import render
from slacode.render.contacts import hidden_in, scrub


def _pay(**kw: object):
    a = next(a for a in sample.agreements() if a.id == "payments-api")
    levels = (EscalationLevel(1, "duty@example.com", None, "Duty engineer", public=True),
              EscalationLevel(2, "vp@example.com", None, "VP Engineering"))
    cont = replace(a.continuity, contacts=(Contact("Commander", "+1 555 0199", "Leads"),))
    return replace(a, escalation=levels, continuity=cont, **kw)


def _entry(what: str) -> ChangeEntry:
    return ChangeEntry(service="payments-api", path="slas/payments-api.yaml", commit="c" * 40,
                       date=_when(),
                       author="A", subject="Escalate to the VP", pr=None, version=2,
                       effective=None, changes=(Change(what, pointer="/escalation"),))


def _when():
    from datetime import UTC, datetime
    return datetime(2026, 1, 5, tzinfo=UTC)


def _files(audience: str) -> str:
    a = _pay()
    files = render([a], sample.results(), now=sample.NOW, audience=audience,
                   history={a.id: (_entry("escalation level 2 added: vp@example.com after "
                                          "2 hours"),)})
    return html.unescape("\n".join(files.values()))


def test_a_public_build_shows_the_level_but_not_its_private_address() -> None:
    out = _files("public")
    assert "vp@example.com" not in out and "+1 555 0199" not in out
    assert "duty@example.com" in out  # marked public
    assert "VP Engineering" in out and "not published" in out and "Commander" in out
    # the change log names who the level reaches instead of the address
    assert "escalation level 2 added: VP Engineering after 2 hours" in out


def test_an_internal_build_shows_every_address() -> None:
    out = _files("internal")
    assert "vp@example.com" in out and "+1 555 0199" in out


def test_an_address_published_elsewhere_or_by_a_later_version_is_not_private() -> None:
    a = _pay()
    assert set(hidden_in([a], "public")) == {"vp@example.com", "+1 555 0199"}
    later = replace(a, escalation=(replace(a.escalation[1], public=True),))
    assert set(hidden_in([a, later], "public")) == {"+1 555 0199"}
    support = replace(a.support, channels=(*a.support.channels,
                                           replace(a.provider, contact="vp@example.com")))
    assert "vp@example.com" not in hidden_in([replace(a, support=support)], "public")
    # a customer reads its own agreement's matrix; another customer does not
    mine = replace(a, visibility="customer:acme")
    assert hidden_in([mine], "customer:acme") == {}
    assert "vp@example.com" in hidden_in([mine], "customer:other")


def test_scrub_replaces_the_longest_address_first() -> None:
    hidden = {"a@x.io": "", "ops-a@x.io": "Ops"}
    assert scrub("to ops-a@x.io and a@x.io", hidden) == "to Ops and —"


def test_a_private_address_the_agreement_text_gives_anyway_is_a_warning_at_its_line() -> None:
    from pathlib import Path

    from slacode.load import load_text

    root = Path(__file__).resolve().parents[2]
    text = (root / "slas" / "support-desk.yaml").read_text(encoding="utf-8")
    assert "contact: cs-head@example.com, after: 1d, public: true}" in text
    _, problems = load_text(text.replace(", after: 1d, public: true}", ", after: 1d}"),
                            "slas/support-desk.yaml")
    (warning,) = [p for p in problems if p.code == "lint.private-contact"]
    line = next(i for i, x in enumerate(text.splitlines(), 1) if "cs-head@example.com, after" in x)
    assert (warning.line, warning.severity) == (line, "warning")
    assert "cs-head@example.com is private (public: true is not set), but complaints gives it" \
        in warning.message
    _, problems = load_text(text, "slas/support-desk.yaml")  # marked public: nothing to say
    assert not [p for p in problems if p.code == "lint.private-contact"]
