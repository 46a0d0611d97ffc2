"""Which contact addresses a build may publish.

Escalation levels and emergency contacts name people and internal routes (an on-call
rota, a VP's address). A build shows such an address only where it is meant to be
read: every internal build; a customer's own build of that customer's agreement (the
matrix was agreed with them); and anywhere when the agreement marks it ``public: true``.
Elsewhere the level, its name, role and time stay (they are promises) and the address
goes, from the pages, the version pages, the change history and the feeds alike, so
that no search index or JSON file can hold it either.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from slacode.model import Agreement


def all_shown(a: Agreement, audience: str) -> bool:
    """Whether ``audience`` sees every contact address of ``a``."""
    return audience == "internal" or (
        audience.startswith("customer:") and a.visibility == audience)


def _published(a: Agreement) -> set[str]:
    """Addresses ``a`` publishes: a party's, a support channel's, and those marked public."""
    return {a.provider.contact, a.customer.contact, *(ch.contact for ch in a.support.channels),
            *(e.contact for e in a.escalation if e.public),
            *(c.contact for c in a.continuity.contacts if c.public)} - {""}


def _named(a: Agreement) -> dict[str, str]:
    """Escalation and emergency addresses of ``a`` -> the name of who they reach."""
    out: dict[str, str] = {}
    for e in a.escalation:
        if e.contact:
            out.setdefault(e.contact, e.name)
    for c in a.continuity.contacts:
        if c.contact:
            out.setdefault(c.contact, c.name)
    return out


def hidden_in(versions: Iterable[Agreement], audience: str) -> dict[str, str]:
    """The addresses of one agreement's ``versions`` that ``audience`` may not see -> what
    stands in for each (the name of who it reaches, else "").

    An address one version publishes (marked ``public: true``, or a party's or a support
    channel's address) is public in every version: marking it in the current file is
    enough for the versions before, whose text cannot change."""
    vs = list(versions)
    if not vs or all(all_shown(a, audience) for a in vs):
        return {}
    public: set[str] = set().union(*(_published(a) for a in vs))
    out: dict[str, str] = {}
    for a in vs:
        if all_shown(a, audience):
            continue
        for addr, name in _named(a).items():
            if addr not in public:
                out.setdefault(addr, name)
    return out


def private_contacts(a: Agreement, audience: str) -> dict[str, str]:
    """The addresses of ``a`` alone that ``audience`` may not see (see :func:`hidden_in`)."""
    return hidden_in((a,), audience)


def for_audience(a: Agreement, hidden: Mapping[str, str]) -> Agreement:
    """``a`` without the ``hidden`` contact addresses (see :func:`hidden_in`)."""
    if not hidden or not (a.escalation or a.continuity.contacts):
        return a
    levels = tuple(replace(e, contact="") if e.contact in hidden else e for e in a.escalation)
    contacts = tuple(replace(c, contact="") if c.contact in hidden else c
                     for c in a.continuity.contacts)
    return replace(a, escalation=levels, continuity=replace(a.continuity, contacts=contacts))


def scrub(text: str, hidden: Mapping[str, str]) -> str:
    """``text`` (e.g. a change "escalation level 3 added: vp@...") with each hidden address
    replaced by its name, or by "—" when it has none. Longest first, so that an address
    containing another is replaced whole."""
    for addr in sorted(hidden, key=len, reverse=True):
        if addr in text:
            text = text.replace(addr, hidden[addr] or "—")
    return text


def scrub_change(change: Any, hidden: Mapping[str, str]) -> Any:
    """``change`` (``history.semdiff.Change``) with each hidden address replaced by its
    name in its English line and in every text among its parameters, which pages word:
    an address must not come back through the Chinese wording."""
    def clean(x: Any) -> Any:
        if isinstance(x, str):
            return scrub(x, hidden)
        if isinstance(x, list | tuple):
            return type(x)(clean(v) for v in x)
        if isinstance(x, dict):
            return {k: clean(v) for k, v in x.items()}
        return x

    return replace(change, what=scrub(change.what, hidden),
                   params=clean(dict(getattr(change, "params", None) or {})))


def _names_hidden(change: Any, hidden: Mapping[str, str]) -> bool:
    """Whether ``change`` says one of the hidden addresses, in its line or its params."""
    said = change.what + repr(getattr(change, "params", ""))
    return any(h in said for h in hidden)


def scrub_changes(entries: Sequence[Any], hidden: Mapping[str, str]) -> tuple[Any, ...]:
    """Change-log entries whose change lines name no hidden address."""
    if not hidden:
        return tuple(entries)
    out = []
    for e in entries:
        changes = tuple(scrub_change(c, hidden) if _names_hidden(c, hidden) else c
                        for c in e.changes)
        out.append(e if changes == e.changes else replace(e, changes=changes))
    return tuple(out)
