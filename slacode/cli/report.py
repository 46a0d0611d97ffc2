"""``slacode report``: a customer's monthly service report, as HTML and PDF; and
``slacode report --verify FILE``, which checks one against the ledger.

A report covers every agreement of ``customer:NAME`` in force during the month, and
shows only frozen figures: a month whose periods are still open or provisional is
refused with the date from which it can be made, rather than printed with figures that
may still change (a document both sides keep must not). The figures are the ones the
customer's site shows (the ledger applied, the customer's view of the versions in
force), in the site's language.

The PDF is printed by headless Chromium through Playwright (``page.pdf``): the same
engine the site tests use, and the Debian ``chromium`` and ``fonts-noto-cjk`` packages
make Chinese reports print without a font of their own. ``SLACODE_CHROMIUM`` names
another Chromium (default ``/usr/bin/chromium``).
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import click

from slacode.cli.options import Project, project_options
from slacode.problems import SlacodeError

_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")
_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@click.command("report")
@project_options()
@click.argument("records", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--customer", default=None, metavar="NAME", help="The customer of customer:NAME.")
@click.option("--period", default=None, metavar="YYYY-MM", help="The month to report on.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("reports"),
              show_default=True, help="Folder for report-NAME-PERIOD.html and .pdf.")
@click.option("--language", type=click.Choice(["en", "zh"]), default=None,
              help="Language (default: the site's, from mkdocs.yml).")
@click.option("--no-pdf", is_flag=True, help="Write the HTML only.")
@click.option("--verify", "verify_file", type=click.Path(dir_okay=False, path_type=Path),
              default=None, metavar="FILE",
              help="Check a report (HTML) against the ledger instead of writing one.")
@click.option("--print", "print_files", is_flag=True,
              help="Print the report HTML files given as arguments to PDF beside them.")
def command(project: Project, records: tuple[Path, ...], customer: str | None,
            period: str | None, out: Path, language: str | None, no_pdf: bool,
            verify_file: Path | None, print_files: bool) -> None:
    """Write a customer's monthly report, or check one against the ledger.

    RECORDS (ledger record files, e.g. the night's newly frozen ones) stand for the
    customers and months they belong to: a report is written for each such month whose
    periods are all frozen, and the others are named and skipped."""
    if print_files:
        for html_file in records:
            pdf = html_file.with_suffix(".pdf")
            print_pdf(html_file.read_text(encoding="utf-8"), pdf, _embedded(html_file))
            click.echo(f"report written to {pdf}")
        return
    settings = project.settings()
    if verify_file is not None:
        said = verify(verify_file, settings.path(settings.ledger))
        click.echo(said)
        return
    wanted = [(customer, period)] if customer or period else []
    if records:
        wanted += months_of(records, settings)
    elif not (customer and period):
        raise click.UsageError("give --customer NAME and --period YYYY-MM (or --verify FILE)")
    checked: list[tuple[str, str]] = []
    for name, month in wanted:
        if not name or not month or not _NAME.fullmatch(name):
            raise SlacodeError(f"--customer {name!r}: a customer name is lower-case letters, "
                               "digits and dashes, as in visibility: customer:NAME")
        if _MONTH.fullmatch(month) is None:
            raise SlacodeError(f"--period {month!r}: give a month as YYYY-MM, e.g. 2026-10")
        checked.append((name, month))
    from slacode.cli.render import _mkdocs

    _docs, title, _url, site_language = _mkdocs(project.mkdocs_yml)
    for name, month in checked:
        # the customer site's language: its own (languages:), else the site's
        own = dict(settings.languages).get(f"customer:{name}")
        lang = language or own or site_language
        try:
            report = build_report(replace(settings, language=lang), name, month, title)
        except NotFrozen as exc:
            if not records:
                raise
            click.echo(f"skipped: {exc}", err=True)
            continue
        write_report(report, out, pdf=not no_pdf)


class NotFrozen(SlacodeError):
    """A period the report would show is still open or provisional."""


def months_of(records: tuple[Path, ...], settings: Any) -> list[tuple[str, str]]:
    """(customer NAME, month) of each ledger record of a customer: a monthly record's month,
    the last month of a quarter's or a year's; in order, each once. A record frozen before
    records kept their visibility is taken as its agreement's."""
    from slacode.ledger import read_record
    from slacode.load import load_agreements

    out: list[tuple[str, str]] = []
    current: dict[str, str] | None = None
    for path in records:
        rec = read_record(path.parent.parent, path.parent.name, path.stem)
        if rec is None:
            raise SlacodeError(f"{path}: no such ledger record")
        visibility = str(rec.get("visibility") or "")
        if not visibility:
            if current is None:
                loaded = load_agreements([settings.path(settings.slas)], root=settings.root)
                current = {a.id: a.visibility for a in loaded.agreements}
            visibility = current.get(path.parent.name, "")
        if not visibility.startswith("customer:"):
            continue
        period = path.stem
        if re.fullmatch(r"\d{4}-Q[1-4]", period):
            period = f"{period[:4]}-{3 * int(period[-1]):02d}"
        elif re.fullmatch(r"\d{4}", period):
            period = f"{period}-12"
        elif _MONTH.fullmatch(period) is None:
            continue  # a rolling window is never a month's
        pair = (visibility.partition(":")[2], period)
        if pair not in out:
            out.append(pair)
    return out


def write_report(report: Any, out: Path, *, pdf: bool) -> None:
    from slacode.render.customer_report import html, report_file_name

    text = html(report)
    out.mkdir(parents=True, exist_ok=True)
    stem = report_file_name(report.customer, report.period)
    html_path = out / f"{stem}.html"
    html_path.write_text(text, encoding="utf-8", newline="\n")
    click.echo(f"report written to {html_path}")
    if pdf:
        pdf_path = out / f"{stem}.pdf"
        print_pdf(text, pdf_path, footer_data(report))
        click.echo(f"report written to {pdf_path}")


def footer_data(report: Any) -> dict[str, str]:
    return {"language": report.language, "period": report.period,
            "customer_name": report.sections[0].agreement.customer.name or report.customer,
            "fingerprint": report.fingerprint}


def _embedded(path: Path) -> dict[str, str]:
    import json

    parser = _Tagged()
    try:
        parser.feed(path.read_text(encoding="utf-8"))
        data = json.loads(parser.data)
    except (OSError, UnicodeDecodeError, ValueError):
        raise SlacodeError(f"{path}: not a slacode report (no readable report data)") from None
    return {k: str(data.get(k) or "") for k in ("language", "period", "customer_name",
                                               "fingerprint")}


def build_report(settings: Any, customer: str, period: str, site_title: str) -> Any:
    """The report of ``customer`` for ``period`` from a fresh pull and evaluation, with the
    ledger applied as the customer's site applies it."""
    from slacode import ledger
    from slacode.history import for_audience, in_force_during
    from slacode.ledger.fingerprint import fingerprint, records
    from slacode.pipeline import (
        evaluate_project,
        incidents_by_service,
        incidents_in_view,
        judged_in_view,
        project_claims,
    )
    from slacode.render.contacts import hidden_in
    from slacode.render.customer_report import CustomerReport, Section, in_month
    from slacode.render.fmt import iso_utc

    audience = f"customer:{customer}"
    year, month = (int(x) for x in period.split("-"))
    first = date(year, month, 1)
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    ev = evaluate_project(settings)
    if not ev.ok:
        errors = tuple(p for p in ev.problems if p.severity == "error")
        raise SlacodeError(f"{len(errors)} error(s) in agreements or data; no report",
                           problems=errors)
    applied = ledger.apply(ev.results, settings.path(settings.ledger), audience=audience)
    results = {r.service: r for r in judged_in_view(applied.results, ev.versions, audience,
                                                    ev.agreements)}
    incidents = incidents_in_view(incidents_by_service(ev.measurements), ev.agreements,
                                  ev.versions, audience)
    # the customer's own claims, checked against the credits owed (what its site shows)
    claims = [c for c in project_claims(settings, ev.agreements, applied.results, ev.now).claims
              if c.claim.customer == customer]
    sections, keys, waiting = [], [], []
    for a in ev.agreements:
        every = {v.version: v for v in (*ev.versions.get(a.id, ()), a)}
        vs = sorted(every.values(), key=lambda v: (v.effective, v.version))
        during = [v for v in in_force_during(vs, first, last) if v.visibility == audience]
        if not during or vs[0].effective > last:
            continue
        res = results.get(a.id)
        shown = tuple(p for p in (res.periods if res else ()) if in_month(p, first, last))
        for p in shown:
            if not p.frozen_at:
                waiting.append(p)
        keys += [(p.service, p.period) for p in shown]
        start_ts = _epoch(first, a.timezone)
        end_ts = _epoch(last + timedelta(days=1), a.timezone)
        incs = tuple(sorted((i for i in incidents.get(a.id, ())
                             if start_ts <= i.opened < end_ts
                             and getattr(i, "customer_visible", True)
                             and getattr(i, "service", "") in ("", a.id)),
                            key=lambda i: (i.opened, i.id)))
        changes = tuple(c for c in for_audience(ev.changes.get(a.id, ()), audience)
                        if first <= c.date.date() <= last
                        or (c.effective is not None and first <= c.effective <= last))
        hidden = frozenset(i.id for i in incidents.get(a.id, ())
                           if not getattr(i, "customer_visible", True))
        mine = tuple(c for c in claims if c.claim.service == a.id
                     and any(c.claim.period == p.period for p in shown))
        in_force = during[-1]
        if in_force.credits is not None and a.credits is not None and a.credits.claim:
            # where to claim is how things are done now: the latest file's, as on the site
            in_force = replace(in_force, credits=replace(in_force.credits, claim=a.credits.claim))
        sections.append(Section(in_force, tuple(during), shown, incs, changes, res, hidden,
                                mine, tuple(sorted(hidden_in(vs, audience).items()))))
    if not sections:
        raise SlacodeError(f"no agreement of {audience} was in force in {period}")
    if waiting:
        p = min(waiting, key=lambda p: (p.final_at or "9", p.service, p.objective))
        why = (f"it is still open (it ends {p.end})" if not p.closed else
               f"it is provisional until {p.final_at}" if p.final_at else "it is provisional")
        raise NotFrozen(
            f"{p.service} {p.period} {p.objective} is not frozen yet: {why}. A report shows "
            "frozen figures only; make it once the period is frozen (slacode evaluate "
            "--freeze)")
    found = records(settings.path(settings.ledger), keys)
    return CustomerReport(
        customer, period, first, last, settings.language, iso_utc(ev.now),
        fingerprint(found), tuple(found), tuple(sorted(sections, key=lambda s: s.agreement.name)),
        site_title)


def _epoch(day: date, zone: str) -> int:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return int(datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(zone or "UTC")).timestamp())


def print_pdf(text: str, path: Path, about: dict[str, str]) -> None:
    """``text`` printed to ``path`` on A4 by headless Chromium, with the customer, the
    period, the fingerprint and the page number in the footer of every page."""
    from slacode.render import escape
    from slacode.render.strings import t

    chromium = os.environ.get("SLACODE_CHROMIUM", "/usr/bin/chromium")
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        raise SlacodeError("the PDF needs Playwright (pip install playwright) and Chromium; "
                           "the HTML was written, or pass --no-pdf") from None
    if not Path(chromium).is_file():
        raise SlacodeError(f"the PDF needs Chromium at {chromium} (Debian package chromium, or "
                           "set SLACODE_CHROMIUM); the HTML was written, or pass --no-pdf")
    language = about["language"]
    from slacode.render.overview_parts import period_name

    named = period_name(about["period"], language, kind=False)  # "March 2026", not 2026-03
    page_words = t("report.page", language, page='<span class="pageNumber"></span>',
                   pages='<span class="totalPages"></span>')
    footer = (
        '<div style="font-size:7pt;width:100%;padding:0 16mm;color:#555;'
        'font-family:\'Noto Sans\',\'Noto Sans CJK SC\',sans-serif;display:flex;'
        'justify-content:space-between;gap:4mm">'
        f"<span>{escape.text(t('report.title', language, period=named))} · "
        f"{escape.text(about['customer_name'])}</span>"
        f"<span style=\"font-family:monospace\">{escape.text(about['fingerprint'])}</span>"
        f"<span style=\"white-space:nowrap\">{page_words}</span></div>")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                # nothing to fetch: the report is standalone; any request is refused
                page.route("**/*", lambda route: route.abort())
                page.set_content(text, wait_until="load")
                page.pdf(path=str(path), format="A4", print_background=True,
                         display_header_footer=True, header_template="<span></span>",
                         footer_template=footer,
                         margin={"top": "16mm", "bottom": "18mm", "left": "14mm",
                                 "right": "14mm"})
            finally:
                browser.close()
    except Error as exc:
        raise SlacodeError(f"printing the PDF failed: {str(exc).splitlines()[0]}") from None


class _Tagged(HTMLParser):
    """The texts of a report's ``data-ledger`` elements, its fingerprint and its data."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self.fingerprint = ""
        self.data = ""
        self._open: list[tuple[str, str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if "data-ledger" in a or "data-fingerprint" in a or a.get("id") == "slacode-report":
            kind = ("ledger" if "data-ledger" in a else
                    "fingerprint" if "data-fingerprint" in a else "data")
            self._open.append((tag, kind + ":" + (a.get("data-ledger") or ""), []))

    def handle_data(self, data: str) -> None:
        for _tag, _what, parts in self._open:
            parts.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1][0] == tag:
            _tag, what, parts = self._open.pop()
            kind, _, name = what.partition(":")
            text = "".join(parts)
            if kind == "ledger":
                self.found.append((name, text))
            elif kind == "fingerprint":
                self.fingerprint = text.strip()
            else:
                self.data = text


def verify(path: Path, ledger_dir: Path) -> str:
    """What ``--verify`` says of a report that matches the ledger; a :class:`SlacodeError`
    naming the first difference otherwise (a changed figure, a changed record)."""
    import json

    from slacode.ledger import result_from_dict
    from slacode.ledger.fingerprint import fingerprint, records
    from slacode.render.customer_report import figures

    if path.suffix.lower() == ".pdf":
        return _verify_pdf(path, ledger_dir)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SlacodeError(f"{path}: cannot read: {exc}") from None
    parser = _Tagged()
    parser.feed(text)
    try:
        data = json.loads(parser.data)
        names = [str(n) for n in data["records"]]
        language, claimed = str(data["language"]), str(data["fingerprint"])
    except (ValueError, KeyError, TypeError):
        raise SlacodeError(f"{path}: not a slacode report (no readable report data)") from None
    if parser.fingerprint != claimed:
        raise SlacodeError(f"{path}: the fingerprint printed ({parser.fingerprint or 'none'}) "
                           f"is not the one in the report's data ({claimed})")
    keys = []
    for n in names:
        service, _, file = n.partition("/")
        keys.append((service, file.removesuffix(".json")))
    found = records(ledger_dir, keys)
    now = fingerprint(found)
    if now != claimed:
        raise SlacodeError(f"{path}: the ledger records it shows have changed since it was "
                           f"made (fingerprint {claimed}, the ledger now gives {now}): a "
                           "restatement, or an edited record")
    if not parser.found and found:
        raise SlacodeError(f"{path}: no figures to check")
    for name, shown in parser.found:
        service, period, objective, field = [*name.split("/"), "", "", ""][:4]
        rec = found.get(f"{service}/{period}.json")
        result = (rec or {}).get("results", {}).get(objective)
        if result is None:
            raise SlacodeError(f"{path}: {name}: no such result in the records it names")
        expected = figures(result_from_dict(result, f"{service}/{period}.json"),
                           language).get(field)
        if expected != shown:
            raise SlacodeError(f"{path}: {service} {period} {objective} {field}: the report "
                               f"says {shown!r}, the ledger {expected!r} "
                               f"({ledger_dir / service / (period + '.json')})")
    return (f"{path}: matches the ledger: {len(parser.found)} figures from "
            f"{len(found)} frozen records, fingerprint {claimed}")


_FINGERPRINT = re.compile(r"sha256:[0-9a-f]{64}")
_RECORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*/(?:\d{4}(?:-\d{2}|-Q[1-4])?)\.json")


def _verify_pdf(path: Path, ledger_dir: Path) -> str:
    """A PDF report: its fingerprint against the records it names (poppler's pdftotext
    reads the text). That the figures printed are those of the records is checked on
    the HTML, which tags each one with its record."""
    import shutil
    import subprocess

    from slacode.ledger.fingerprint import fingerprint, records

    tool = shutil.which("pdftotext")
    if tool is None:
        raise SlacodeError("checking a PDF needs pdftotext (Debian package poppler-utils); "
                           "or check the report's HTML")
    r = subprocess.run([tool, str(path), "-"], capture_output=True, text=True,
                       timeout=60)
    if r.returncode != 0:
        raise SlacodeError(f"{path}: cannot read the PDF: {r.stderr.strip()[:200]}")
    claimed = _FINGERPRINT.search(r.stdout)
    names = sorted(set(_RECORD.findall(r.stdout)))
    if claimed is None or not names:
        raise SlacodeError(f"{path}: not a slacode report (no fingerprint or records named)")
    keys = [(n.partition("/")[0], n.partition("/")[2].removesuffix(".json")) for n in names]
    now = fingerprint(records(ledger_dir, keys))
    if now != claimed.group(0):
        raise SlacodeError(f"{path}: the ledger records it names do not give its fingerprint "
                           f"({claimed.group(0)}; the ledger gives {now}): a record was "
                           "restated or edited since, or the report was")
    return (f"{path}: its fingerprint matches the {len(names)} ledger records it names "
            f"({now}); check the HTML for each figure")
