"""How to claim a credit, and what was owed, claimed and paid per period.

A credit a customer cannot act on is not worth much: the section says where to claim
(the agreement's ``credits.claim.channel``), what to include, how long the window is
and how soon a credit is paid, then lists each period that owes a credit with the state
of its window (open until DATE, closed on DATE, claimed, paid). Who claimed what is the
customer's business: a customer's own site and the internal one show the claims, with
what evaluation says of each (``slacode.evaluate.claims``); the public site shows the
windows only. An agreement without credits says so.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from slacode.evaluate.claims import window_state
from slacode.render import escape, fmt
from slacode.render.overview_parts import period_name
from slacode.render.pages import money

if TYPE_CHECKING:
    from slacode.render.service_page import ServiceView


def claims_section(v: ServiceView) -> Markup:
    """The "How to claim" section of the agreement part of the page."""
    w, a = v.words, v.a
    out = [f"### {w.t('claims.title')}\n\n"]
    cr = a.credits
    if cr is None:
        out.append(f'<p class="slc-no-credits">{w.t("claims.no_credits")}</p>\n\n')
        return Markup("".join(out))
    lines = []
    if cr.claim is not None:
        lines.append(w.t("claims.channel", channel=w.link(cr.claim.channel, cr.claim.channel)))
        if cr.claim.include:
            lines.append(w.t("claims.include", items=Markup(w.t("common.list_sep")).join(
                escape.text(x) for x in cr.claim.include)))
    else:
        lines.append(w.t("claims.no_channel"))
    if cr.claim_within is not None:
        lines.append(w.t("claims.window", within=w.dur(cr.claim_within)))
    if cr.pay_within is not None:
        lines.append(w.t("claims.pay", within=w.dur(cr.pay_within)))
    out.append('<ul class="slc-claim-how">' + "".join(f"<li>{x}</li>" for x in lines)
               + "</ul>\n\n")
    owed = list(v.page.credits_owed)
    if not owed:
        out.append(f"<p>{w.t('claims.none_owed')}</p>\n\n")
        return Markup("".join(out))
    # a customer's agreement is shown only on that customer's site and the internal one
    shows_claims = v.page.internal or bool(a.customer_name) or any(c.claims for c in owed)
    keys = ["common.period", "claims.owed", "claims.state"]
    if shows_claims:
        keys += ["claims.claimed"]
    head = "".join(f'<th scope="col">{w.t(k)}</th>' for k in keys)
    rows = []
    today = v.claims_today or v.now.date()
    for c in sorted(owed, key=lambda c: c.period, reverse=True):
        state = window_state(c, c.claims, today)
        text = {"open": w.t("claims.state_open", date=_day(c.claim_by)),
                "closed": w.t("claims.state_closed", date=_day(c.claim_by)),
                "claimed": w.t("claims.state_claimed"), "paid": w.t("claims.state_paid"),
                "none": w.t("claims.state_none"),
                "not-owed": w.t("claims.state_not_owed")}[state]
        named = period_name(c.period, v.language, kind=False)  # "March 2026", not 2026-03
        cells = [f'<th scope="row">{escape.text(named)}</th>',
                 f'<td class="slc-num">{_owed(v, c)}</td>',
                 f'<td data-state="{state}">{text}</td>']
        if shows_claims:
            cells.append("<td>" + ("<br>".join(_claimed(v, x) for x in c.claims) or "—")
                         + "</td>")
        rows.append(f'<tr data-period="{escape.text(c.period)}">{"".join(cells)}</tr>')
    out.append("<!-- slacode:html -->\n\n"
               '<div class="slc-table-wrap"><table data-table="claims"><thead><tr>' + head
               + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>\n\n"
               "<!-- /slacode:html -->\n\n")
    return Markup("".join(out))


def _owed(v: ServiceView, c: Any) -> str:
    if not c.percent:
        return escape.text(v.words.t("claims.nothing_owed"))
    text = fmt.percent(c.percent, 2)
    if c.amount is not None:
        text += f" ({money(c.amount, c.currency)})"
    return escape.text(text)


def _claimed(v: ServiceView, x: Any) -> str:
    w, c = v.words, x.claim
    line = str(w.t("claims.claim_line", id=c.id, date=_day(c.claimed),
                   status=w.t(f"claims.status_{c.status}"))) + _paid(v, x)
    for f in x.flags:
        line += (f' <span class="slc-chip slc-chip-breached" data-flag="{escape.text(f.code)}">'
                 f'{w.t("claims.flag_" + f.code)}</span>')
    return line


def _paid(v: ServiceView, x: Any) -> str:
    """`` · AMOUNT DATE`` of a paid claim (nothing before it is paid)."""
    c = x.claim
    if c.amount is None and c.paid is None:
        return ""
    amount = money(c.amount, v.a.credits.currency if v.a.credits else "") \
        if c.amount is not None else "—"
    return " · " + escape.text(amount) + (f" {_day(c.paid)}" if c.paid else "")


def _day(value: Any) -> Markup:
    """A date that never breaks at its hyphens (a narrow column wrapped 2026-09-|10)."""
    return Markup(f'<span class="slc-num">{escape.text(fmt.day(value))}</span>')


def report_claims(owed: Any, words: Any, names: Any, today: Any, period: str,
                  show_claims: bool) -> Markup:
    """The claims table of one period report: each owed credit of ``period`` (and of the
    claims naming it) with its window's state, and, where ``show_claims`` (a customer's
    own site, the internal one), the claims with their flags. ``owed`` maps a service id
    to its owed credits as the build shows them, ``names`` to the agreement's name,
    ``today`` to its local date. Empty when the period owes nothing and nobody claimed."""
    rows = []
    for service in sorted(owed):
        for c in owed[service]:
            if c.period != period:
                continue
            state = window_state(c, c.claims, today.get(service) or date.min)
            text = {"open": words.t("claims.state_open", date=fmt.day(c.claim_by)),
                    "closed": words.t("claims.state_closed", date=fmt.day(c.claim_by)),
                    "claimed": words.t("claims.state_claimed"),
                    "paid": words.t("claims.state_paid"), "none": words.t("claims.state_none"),
                    "not-owed": words.t("claims.state_not_owed")}[state]
            owed_text = escape.text(fmt.percent(c.percent, 2) + (
                f" ({money(c.amount, c.currency)})" if c.amount is not None else "")
                if c.percent else words.t("claims.nothing_owed"))
            cells = [f'<th scope="row"><a href="../../services/{escape.text(service)}/">'
                     f"{escape.text(names.get(service, service))}</a></th>",
                     f'<td class="slc-num">{owed_text}</td>',
                     f'<td data-state="{state}">{text}</td>']
            if show_claims:
                line = []
                for x in c.claims:
                    one = str(words.t("claims.claim_line", id=x.claim.id,
                                      date=fmt.day(x.claim.claimed),
                                      status=words.t(f"claims.status_{x.claim.status}")))
                    for f in x.flags:
                        one += (f' <span class="slc-chip slc-chip-breached" '
                                f'data-flag="{escape.text(f.code)}">'
                                f'{words.t("claims.flag_" + f.code)}</span>')
                    line.append(one)
                cells.append("<td>" + ("<br>".join(line) or "—") + "</td>")
            rows.append(f'<tr data-service="{escape.text(service)}">{"".join(cells)}</tr>')
    if not rows:
        return Markup("")
    keys = ["overview.service", "claims.owed", "claims.state"] + (
        ["claims.claimed"] if show_claims else [])
    head = "".join(f'<th scope="col">{words.t(k)}</th>' for k in keys)
    return Markup('<div class="slc-table-wrap"><table data-table="report-claims"><thead><tr>'
                  + head + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>")
