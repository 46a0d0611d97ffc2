"""The incident table says, under each incident's summary, whether service came back
within the RTO and data lost stayed within the RPO, in English and Chinese; what was
missed is its tooltip."""

from __future__ import annotations

from dataclasses import replace

import render_sample as sample

from slacode.evaluate.results import IncidentVerdict
from slacode.render import render

VERDICTS = (
    IncidentVerdict("recovery-time", "recovery-time", "INC-1", "met"),
    IncidentVerdict("recovery-point", "recovery-point", "INC-1", "missed",
                    "P1 incident INC-1 lost 40 minutes of data (target at most 15 minutes)",
                    "data-lost", {"priority": "P1", "id": "INC-1", "lost_s": 2400, "goal": "15m"}),
)


def _page(language: str = "en", verdicts: tuple[IncidentVerdict, ...] = VERDICTS) -> str:
    results = tuple(replace(r, incident_verdicts=verdicts) if r.service == "payments-api"
                    else r for r in sample.results())
    files = render(sample.agreements(), results, now=sample.NOW, language=language,
                   incidents=sample.incidents())
    return sample.unlabelled(files["services/payments-api.md"])


def _row(page: str, incident: str) -> str:
    start = f'<tr data-incident="{incident}"><th scope="row">{incident}</th>'
    return page.split(start, 1)[1].split("</tr>", 1)[0]


def test_each_incident_shows_its_rto_and_rpo_verdicts() -> None:
    page = _page()
    row = _row(page, "INC-1")
    assert ('<br><span class="slc-meta"><span class="slc-recovery">RTO&nbsp;<span '
            'class="slc-chip slc-chip-met">met</span></span><br>') in row
    # the project's escaper writes parentheses as character references, in attributes too
    assert ('<span class="slc-recovery" title="P1 incident INC-1 lost 40 minutes of data '
            '&#40;target at most 15 minutes&#41;">RPO&nbsp;<span class="slc-chip '
            'slc-chip-breached">missed</span></span>') in row


def test_the_verdicts_read_in_chinese() -> None:
    page = _page("zh")
    row = _row(page, "INC-1")
    assert 'title="P1 事件 INC-1 丢失 40 分钟 的数据（目标不超过 15 分钟）"' in row
    assert "slc-chip-breached\">未达成</span>" in row


def test_without_recovery_objectives_the_table_has_no_recovery_column() -> None:
    page = _page(verdicts=())
    assert "slc-recovery" not in page
