"""Inline SVG charts for pages and standalone SVG badges.

Inline charts carry ``role="img"``, an accessible name and a ``<title>``, and take
their colours from CSS classes defined over Material's colour variables
(``stylesheets/slacode.css``), so that they follow the light and dark schemes.
Badges are standalone files shown through ``<img>``, where page CSS does not
reach, so they use fixed colours with enough contrast.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import NamedTuple

from markupsafe import Markup

from slacode.evaluate.results import SEVERITY, DailyValue, PeriodResult
from slacode.render import escape, fmt

VERDICT_CLASSES = SEVERITY
#: the colour (CSS class suffix) of each verdict: open states take the colour of the
#: closed verdict they lean to, their words tell them apart
_COLOUR = {"on-track": "met", "below-target": "at-risk", "cannot-recover": "breached"}


def _label(label: str) -> str:
    """A chart's accessible name: ``Markup`` (words already escaped) as it is."""
    return str(label) if isinstance(label, Markup) else escape.text(label)


def verdict_class(verdict: str) -> str:
    """The verdict as one of :data:`~slacode.evaluate.results.SEVERITY` (an unknown one,
    say from a newer ledger, is no data)."""
    return verdict if verdict in VERDICT_CLASSES else "no-data"


def colour(verdict: str) -> str:
    """The CSS colour class of a verdict (``slc-chip-…``, ``slc-fill-…``)."""
    v = verdict_class(verdict)
    return _COLOUR.get(v, v)


def budget_bar(percent: float | None, label: str) -> Markup:
    """A horizontal bar: the share of the error budget still left (``percent``, as
    :func:`slacode.render.pages.budget_share` counts it, so bar and words agree)."""
    share = 0.0 if percent is None else max(0.0, min(1.0, percent / 100))
    cls = "met" if share > 0.25 else ("at-risk" if share > 0 else "breached")
    if percent is None:
        cls = "no-data"
    width = round(200 * share, 2)
    lab = _label(label)
    return Markup(
        f'<svg class="slc-budget" viewBox="0 0 200 10" preserveAspectRatio="none" '
        f'role="img" aria-label="{lab}"><title>{lab}</title>'
        f'<rect class="slc-track" x="0" y="0" width="200" height="10" rx="2"/>'
        f'<rect class="slc-fill-{cls}" x="0" y="0" width="{width}" height="10" rx="2"/></svg>'
    )


class DayText(NamedTuple):
    """One day of a 90-day chart, its date and figure already escaped: the strip and the
    table below it show the same texts, so they are formatted once (see ``day_texts``)."""

    value: float | None  # None = no data that day
    date: str
    figure: str | None  # None = no data that day


#: escape.text of a day's date: a fleet's pages show the same 90 dates some 70,000 times
_date_text = lru_cache(maxsize=1024, typed=True)(escape.text)


def day_texts(days: Sequence[DailyValue], unit: str) -> list[DayText]:
    """The texts of :func:`daily_strip` and of the table under it.

    A figure needs no escaping: :func:`fmt.figure` writes only digits, ``.``, ``-``,
    ``%`` (or ``nan``/``inf``), none of which :func:`escape.text` changes."""
    text, figure, new = _date_text, fmt.figure, DayText._make
    return [
        new((d.value, text(d.date), None if d.value is None else figure(d.value, unit)))
        for d in days
    ]


def daily_strip(days: Sequence[DayText], target: float, label: str, no_data: str,
                marks: Mapping[str, str] | None = None) -> Markup:
    """One bar per day, coloured by whether the day met the target; the day's figure (and
    its incidents) as each bar's tooltip and accessible name. A day without data is an
    outlined bar, never a short grey one that reads as a low figure. ``marks`` maps a
    day's escaped date to the escaped words on its incidents: such a day gets a dot above
    its bar. Every bar takes keyboard focus, so its details are not for mouse users only
    (the chart is a ``group`` of ``img`` bars: focusable parts may not sit in an image)."""
    marks = marks or {}
    bar, gap, top, height = 6, 2, 8, 42
    width = max(1, len(days)) * (bar + gap) - gap
    lab = _label(label)
    parts = [
        f'<svg class="slc-strip" viewBox="0 0 {width} {height}" role="group" '
        f'aria-label="{lab}"><title>{lab}</title>'
    ]
    # the hover text is "DATE: FIGURE"; escaping works character by character (no CR LF
    # pair spans two parts here), so the parts can be escaped apart
    sep, missing = escape.text(": "), escape.text(no_data)
    for i, d in enumerate(days):
        x = i * (bar + gap)
        if d.value is None:
            cls, figure = "no-data", missing
        else:
            cls = "met" if d.value >= target else "breached"
            figure = d.figure or missing  # a day with a value has a figure
        mark = marks.get(d.date, "")
        tip = f"{d.date}{sep}{figure}" + (f" · {mark}" if mark else "")
        if mark:
            parts.append(f'<circle class="slc-mark" cx="{x + bar / 2}" cy="3" r="2.5"/>')
        parts.append(
            f'<rect class="slc-fill-{cls}" x="{x}" y="{top}" width="{bar}" '
            f'height="{height - top}" rx="1" tabindex="0" role="img" aria-label="{tip}">'
            f"<title>{tip}</title></rect>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def overall(days: Sequence[DailyValue]) -> float | None:
    """The figure over all ``days``: good over total where the days count events, else
    the mean of the days with data; None without any."""
    counted = [d for d in days if d.good is not None and d.total]
    if counted and len(counted) == len([d for d in days if d.value is not None]):
        total = sum(d.total or 0.0 for d in counted)
        return 100.0 * sum(d.good or 0.0 for d in counted) / total if total else None
    values = [d.value for d in days if d.value is not None]
    return sum(values) / len(values) if values else None


# Badge colours: white text on these meets WCAG AA (4.5:1).
_BADGE_COLOURS = {
    "met": "#1b6e20",
    "at-risk": "#8a5300",
    "breached": "#b3261e",
    "no-data": "#545454",
    "insufficient-data": "#545454",
}


def badge(label: str, value: str, verdict: str) -> str:
    """A shields-style badge: ``label | value``, coloured by verdict."""

    def width(s: str) -> int:
        return 10 + sum(7 if ord(c) < 0x2E80 else 12 for c in s)

    lw, vw = width(label), width(value)
    total = lw + vw
    colour = _BADGE_COLOURS.get(verdict, _BADGE_COLOURS["no-data"])
    lab, val = escape.xml(label), escape.xml(value)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" role="img" '
        f'aria-label="{lab}: {val}"><title>{lab}: {val}</title>'
        f'<rect width="{lw}" height="20" fill="#333"/>'
        f'<rect x="{lw}" width="{vw}" height="20" fill="{colour}"/>'
        f'<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">'
        f'<text x="{lw / 2}" y="14" text-anchor="middle">{lab}</text>'
        f'<text x="{lw + vw / 2}" y="14" text-anchor="middle">{val}</text></g></svg>\n'
    )


def axis(values: Sequence[float], target: float, unit: str) -> tuple[float, float]:
    """The span of a period chart's axis. For percentages it is relative to the target:
    from ``target - 4 x budget`` (the budget being ``100 - target``) to 100 %, so a breach
    by a tenth of a point is a visibly short bar, not nearly as tall as a met one; a
    figure below the axis is drawn as a stub. Otherwise: the figures and target, padded."""
    if unit == "%" and target < 100:
        return max(0.0, target - 4 * (100 - target)), 100.0
    top = max([*values, target])
    bottom = min([*values, target])
    pad = max((top - bottom) * 0.25, 0.01 if unit == "%" else 0.05)
    lo, hi = bottom - pad, top + pad * 0.5
    if unit == "%":
        hi = min(hi, 100.0) if top < 100 else 100.0
        lo = max(lo, 0.0)
    return lo, hi


#: axis text at a chart's own size, in viewBox units (drawn 1.6 times as large: 14.4 px)
AXIS_UNITS = 9.0
#: the smallest axis text a reader can make out, in CSS px
AXIS_PX = 11.0
#: the narrowest area a chart gets at each of the stylesheet's widths (CSS px): Material's
#: content column from 45em up, tablets from 30em, phones from 360 px wide
AXIS_AREAS = (("l", 686.0), ("m", 448.0), ("s", 328.0))


def _ems(text: str) -> float:
    """About how wide ``text`` is, in em: a Chinese character is square, others narrower."""
    return sum(1.0 if ord(c) >= 0x2E80 else 0.62 for c in text)


def axis_sizes(width: float) -> dict[str, float]:
    """The axis text size, in viewBox units, that a chart ``width`` units wide needs at
    each width of :data:`AXIS_AREAS` to be drawn at least :data:`AXIS_PX` CSS px tall: a
    chart drawn smaller than its own size shrinks its text with it (13 months on a phone
    were 7 px), so the text grows by as much as the chart shrinks."""
    return {key: round(max(AXIS_UNITS, AXIS_PX / min(1.6, area / width)), 1)
            for key, area in AXIS_AREAS}


def period_chart(periods: Sequence[PeriodResult], unit: str, label: str, no_data: str,
                 labels: Sequence[tuple[str, str]] = ()) -> Markup:
    """Closed periods oldest first as bars against the target line, each labelled under
    it (``labels``: a short name and a second line such as the year, per closed period)
    and with its figure as tooltip and accessible name; bars take keyboard focus. A
    period without data is an outlined, dashed bar; a figure below the axis is a short
    bar in its verdict's colour."""
    shown = [p for p in periods if p.closed]
    if not shown:
        return Markup("")
    values = [p.value for p in shown if p.value is not None]
    lo, hi = axis(values, shown[-1].target, unit)
    bar, gap, chart = 28, 6, 60
    height: float = 84
    width = len(shown) * (bar + gap) - gap

    def y(v: float) -> float:
        if hi <= lo:
            return 0.0
        return round(chart - max(0.0, min(1.0, (v - lo) / (hi - lo))) * chart, 2)

    lab = _label(label)
    # labels sit under the bars in lines of the text's own size (dy in em), so the larger
    # text of a narrow screen never runs into the bars or the line under it; a year (four
    # digits, wider than a bar) under the first or last bar gets room beside the chart
    labelled = labels[:len(shown)]
    lines = 2 if any(second for _, second in labelled) else 1
    sizes = axis_sizes(width)
    pad = max(0.0, round(1.2 * max(sizes.values()) - bar / 2, 1)) if labelled else 0.0
    sizes = axis_sizes(width + 2 * pad)
    biggest = max(sizes.values())
    style = ";".join(f"--slc-axis-{k}:{v:g}px" for k, v in sizes.items() if v > AXIS_UNITS)
    if labelled:
        height = chart + round((1.2 * lines + 0.4) * biggest, 1)
        # on a wide screen the text is smaller than the room kept for a phone's: the
        # page moves up over that empty strip (never further than the narrowest wide
        # column leaves empty)
        spare = (1.2 * lines + 0.4) * (biggest - sizes["l"])
        trim = spare * min(1.6, AXIS_AREAS[0][1] / (width + 2 * pad))
        if trim >= 1:
            style += f";--slc-trim:{trim:.0f}px"
    style = style.lstrip(";")
    crowded = any(_ems(first) * sizes["s"] > bar + gap - 4 for first, _ in labelled)
    # its own size (scaled down to fit, never up): four quarters are four bars, not a wall
    parts = [
        f'<svg class="slc-trend" viewBox="{0 - pad if pad else 0:g} 0 {width + 2 * pad:g} '
        f'{height:g}" '
        f'width="{(width + 2 * pad) * 1.6:g}" height="{height * 1.6:g}"'
        + (f' style="{style}"' if style else "")
        + f' role="group" aria-label="{lab}"><title>{lab}</title>'
    ]
    for i, p in enumerate(shown):
        x = i * (bar + gap)
        if p.value is None:
            tip = escape.text(f"{p.period}: {no_data}")
            parts.append(
                f'<rect class="slc-fill-no-data" x="{x + 0.5}" y="0.5" width="{bar - 1}" '
                f'height="{chart - 1}" tabindex="0" role="img" aria-label="{tip}">'
                f"<title>{tip}</title></rect>"
            )
        else:
            top_y = min(y(p.value), chart - 3)  # a figure below the axis: a 3-unit stub
            cls = colour(p.verdict)
            tip = escape.text(
                f"{p.period}: {fmt.figure(p.value, unit)} ({fmt.figure(p.target, unit)})")
            parts.append(
                f'<rect class="slc-fill-{cls}" x="{x}" y="{top_y}" width="{bar}" '
                f'height="{round(chart - top_y, 2)}" tabindex="0" role="img" '
                f'aria-label="{tip}"><title>{tip}</title></rect>'
            )
        if i < len(labels):
            first, second = labels[i]
            cx = x + bar / 2
            # on a phone, crowded labels ("10月11月12月") run together: every other one
            # goes, counting from the newest; a label with its year under it stays
            minor = crowded and (len(shown) - 1 - i) % 2 and not second
            parts.append(f'<text class="slc-axis{" slc-axis-minor" if minor else ""}" '
                         f'x="{cx}" y="{chart}" dy="1.2em" '
                         f'text-anchor="middle" aria-hidden="true">{escape.text(first)}</text>')
            if second:
                parts.append(f'<text class="slc-axis" x="{cx}" y="{chart}" dy="2.4em" '
                             f'text-anchor="middle" aria-hidden="true">'
                             f"{escape.text(second)}</text>")
    ty = y(shown[-1].target)
    parts.append(f'<line class="slc-target-line" x1="0" x2="{width}" y1="{ty}" y2="{ty}"/></svg>')
    return Markup("".join(parts))
