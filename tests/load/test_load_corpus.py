"""Every broken agreement in corpus/ gives exactly the problems its '# expect:' lines list."""

from __future__ import annotations

from pathlib import Path

import pytest

from slacode.load import load_text

CORPUS = Path(__file__).parent / "corpus"
FILES = sorted(CORPUS.glob("*.yaml"))


def _expected(raw: bytes) -> list[str]:
    out = []
    for line in raw.split(b"\n"):
        if not line.startswith(b"# expect: "):
            break
        out.append(line[len(b"# expect: "):].decode("utf-8", "backslashreplace"))
    return out


def test_corpus_is_large_and_covers_every_level() -> None:
    names = [f.stem for f in FILES]
    assert len(names) >= 40
    for level in ("yaml-", "schema-", "lint-"):
        assert sum(n.startswith(level) for n in names) >= 10, level


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_corpus_case(path: Path) -> None:
    raw = path.read_bytes()
    expected = _expected(raw)
    assert expected, f"{path.name} has no '# expect:' line"
    agreement, problems = load_text(raw, f"corpus/{path.name}")
    got = [f"{p.line}:{p.col}: {p.severity}: {p.message}" for p in problems]
    assert got == expected
    assert all(p.path == f"corpus/{path.name}" for p in problems)
    if any(p.severity == "error" for p in problems):
        assert agreement is None
