"""No agreement id collides with a page or file generated for the whole fleet: an id
of ``services`` had its JSON overwritten by the fleet index ``api/services.json``, and
an id of ``index`` became the ``services/`` folder's index page, so links to it were
dead. Every name the renderer writes is tried as an id: each is either refused by the
schema at the id, or adds exactly its own files."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import PurePosixPath

import pytest
import render_sample as sample

from slacode.load import load_text
from slacode.model import RESERVED_IDS
from slacode.problems import SlacodeError
from slacode.render import render

ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
AGREEMENT = """\
id: '{id}'
name: Probe
version: 1
effective: 2026-01-01
visibility: public
parties: {{provider: {{name: Example Cloud}}}}
service: {{description: A service.}}
objectives:
  - {{id: availability, kind: availability, target: 99.9, window: calendar-month,
      source: {{file: {{path: data/probe.csv}}}}}}
"""


def _render(agreements) -> dict[str, str]:
    return render(agreements, sample.results(), now=sample.NOW, audience="public",
                  incidents=sample.incidents())


def _names(files: dict[str, str]) -> set[str]:
    """Every folder and file stem the renderer wrote, as it could be spelled as an id."""
    out = set()
    for path in files:
        p = PurePosixPath(path)
        out.update(part for part in (*p.parent.parts, p.stem) if ID.match(part))
    return out


BASE = _render(sample.agreements())
PROBES = sorted((_names(BASE) | RESERVED_IDS | {"index"})
                - {a.id for a in sample.agreements()})  # a taken id is refused as taken


@pytest.mark.parametrize("probe", PROBES)
def test_an_id_named_like_a_generated_file_is_refused_or_adds_only_its_own_files(
    probe: str,
) -> None:
    _, problems = load_text(AGREEMENT.format(id=probe), "slas/x.yaml")
    if probe in RESERVED_IDS:
        assert [str(p) for p in problems] == [
            f"slas/x.yaml:1:5: error: id: '{probe}' is reserved: it names a page or file "
            "slacode generates for the whole fleet (reserved: index, services); choose "
            "another id"]
        return
    assert problems == ()
    first = next(a for a in sample.agreements() if a.visibility == "public")
    mine = replace(first, id=probe, name=f"Probe {probe}", depends_on=(), underpins=())
    files = _render((*sample.agreements(), mine))
    added = set(files) - set(BASE)
    # its page, feed, JSON, CSV and badge, and a badge per objective: none of them replaced
    # a file of the fleet, and none is a folder's index page (a link to it would be dead)
    assert len(added) == 5 + len(mine.objectives), sorted(added)
    assert all(probe in p and PurePosixPath(p).stem != "index" for p in added), sorted(added)
    assert f"Probe {probe}" in files[f"services/{probe}.md"]


@pytest.mark.parametrize("probe", sorted(RESERVED_IDS))
def test_render_refuses_a_reserved_id_built_by_hand(probe: str) -> None:
    first = sample.agreements()[0]
    with pytest.raises(SlacodeError, match=f"the id '{probe}' is reserved"):
        _render((replace(first, id=probe),))
