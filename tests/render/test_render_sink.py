"""``render(..., sink=...)`` hands each file over as soon as it is made (a fleet's files
need not all be held in memory before they go to disk): the sink gets exactly the files,
byte for byte, that ``render`` returns without one, each once, and the mapping returned
then names every path with no text kept."""

from __future__ import annotations

import render_sample as sample

from slacode.render import render


def _render(**kw: object) -> dict[str, str]:
    return render(sample.agreements(), sample.results(), now=sample.NOW, audience="internal",
                  incidents=sample.incidents(), **kw)


def test_a_sink_gets_every_file_once_and_as_render_returns_it() -> None:
    whole = _render()
    got: list[tuple[str, str]] = []
    kept = _render(sink=lambda path, text: got.append((path, text)))
    assert dict(got) == whole
    assert len(got) == len(whole)  # none handed over twice
    assert list(kept) == list(whole)  # every path, in the same order
    assert set(kept.values()) == {""}
    # the kinds a site needs all go through it: pages, data, badges and feeds
    assert {p.rsplit(".", 1)[-1] for p, _ in got} >= {"md", "json", "csv", "svg", "xml"}
