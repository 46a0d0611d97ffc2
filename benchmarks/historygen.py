"""A long agreement history: N agreements and C commits over two years, deterministic.

The same (agreements, commits, start) give the same repository, commit ids included
(fixed author and committer, dates from the seed), written in one ``git fast-import``
stream. What happens over the two years, on the first-parent line of ``main``:

* the agreements are added in the first weeks (a few per commit);
* edits that change no promise (a description, a contact), made in place;
* version bumps (``version`` + 1, ``effective`` a week after the commit, a target or a
  response time changed), the kind of change ``slacode diff --pr`` asks for;
* renames (a file moved into a team folder, or back), its id unchanged;
* commits that touch nothing under ``slas/`` (docs), as most of a repository's do;
* pull requests: a third are merged with a merge commit ("Merge pull request #N from
  ..."), whose branch holds two to four commits (an intermediate text the branch never
  held among them); the rest are squashed ("Title (#N)").

The agreement text is the fleet benchmark's (``fleetgen.agreement_yaml``), so each file
is a realistic 100-line agreement with five objectives.
"""

from __future__ import annotations

import random
import re
import subprocess
from pathlib import Path

import fleetgen

SEED = 20261206
DAY = 86400
#: 2024-12-01T00:00:00Z: two years before the fleet benchmark's days
START = 1733011200
SPAN = 730 * DAY
AUTHOR = "Fleet Owner <owner@example.com>"
MKDOCS = "site_name: History benchmark\nplugins:\n  - slacode\n"


class _Fleet:
    """Each agreement's current file name and text state (version, targets, ...)."""

    def __init__(self, n: int) -> None:
        self.ids = [f"svc-{i:04d}" for i in range(1, n + 1)]
        self.path = {sid: f"slas/{sid}.yaml" for sid in self.ids}
        self.version = dict.fromkeys(self.ids, 1)
        self.effective = {sid: "2024-12-01" for sid in self.ids}
        self.target = dict.fromkeys(self.ids, 99.9)
        self.response = dict.fromkeys(self.ids, 15)
        self.note = dict.fromkeys(self.ids, 0)

    def text(self, sid: str) -> str:
        t = fleetgen.agreement_yaml(sid, self.effective[sid])
        t = t.replace("version: 1\n", f"version: {self.version[sid]}\n", 1)
        t = t.replace(f"description: Benchmark fleet service {sid}.",
                      f"description: Benchmark fleet service {sid} (revision "
                      f"{self.note[sid]}).", 1)
        t = re.sub(r"(id: availability\n(?:.*\n){3})    target: 99\.9",
                   lambda m: m.group(1) + f"    target: {self.target[sid]}", t, count=1)
        t = t.replace("P1: {name: Critical, response: 15m}",
                      f"P1: {{name: Critical, response: {self.response[sid]}m}}")
        return t.replace("    within: 15m\n", f"    within: {self.response[sid]}m\n", 1)


def _data(text: str | bytes) -> bytes:
    raw = text.encode() if isinstance(text, str) else text
    return b"data %d\n" % len(raw) + raw + b"\n"


def _day(ts: int) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(ts, dt.UTC).date().isoformat()


def stream(n: int, commits: int, start: int = START) -> bytes:
    """The ``git fast-import`` stream of the whole history (see the module's docstring)."""
    rng = random.Random(f"{SEED}-{n}-{commits}")
    fleet = _Fleet(n)
    out: list[bytes] = []
    mark = 0
    made = 0
    main_tip: int | None = None
    pr = 0
    step = SPAN // commits

    def commit(branch: str, when: int, subject: str, ops: list[bytes],
               parents: list[int]) -> int:
        nonlocal mark, made
        mark += 1
        made += 1
        name, email = AUTHOR.split(" <")
        head = [f"commit refs/heads/{branch}", f"mark :{mark}",
                f"author {name} <{email} {when} +0000",
                f"committer {name} <{email} {when} +0000"]
        out.append(("\n".join(head) + "\n").encode() + _data(subject))
        if parents:
            out.append(f"from :{parents[0]}\n".encode())
            for p in parents[1:]:
                out.append(f"merge :{p}\n".encode())
        out.extend(ops)
        out.append(b"\n")
        return mark

    def put(sid: str) -> bytes:
        return f"M 100644 inline {fleet.path[sid]}\n".encode() + _data(fleet.text(sid))

    def change(sid: str, when: int, kind: str) -> tuple[str, list[bytes]]:
        """One change to one agreement: (subject, fast-import file operations)."""
        if kind == "bump":
            fleet.version[sid] += 1
            fleet.effective[sid] = _day(when + 7 * DAY)
            if rng.random() < 0.5:
                fleet.target[sid] = rng.choice([99.5, 99.9, 99.95])
            else:
                fleet.response[sid] = rng.choice([10, 15, 20, 30])
            return (f"{sid}: version {fleet.version[sid]}", [put(sid)])
        if kind == "rename":
            old = fleet.path[sid]
            team = f"team-{int(sid[4:]) % 17:02d}"
            fleet.path[sid] = (f"slas/{sid}.yaml" if "/team-" in old
                               else f"slas/{team}/{sid}.yaml")
            return (f"{sid}: move to {fleet.path[sid]}",
                    [f"R {old} {fleet.path[sid]}\n".encode()])
        fleet.note[sid] += 1
        return (f"{sid}: reword the description", [put(sid)])

    # the first weeks: the agreements arrive, ten per commit
    when = start
    for i in range(0, n, 10):
        ops = [b"M 100644 inline mkdocs.yml\n" + _data(MKDOCS)] if i == 0 else []
        ops += [put(sid) for sid in fleet.ids[i:i + 10]]
        main_tip = commit("main", when, f"add agreements {i + 1}-{min(n, i + 10)}", ops,
                          [main_tip] if main_tip else [])
        when += step
    docs = 0
    while made < commits:
        when = max(when + 60 * 5, start + made * step)
        roll = rng.random()
        if roll < 0.45 or commits - made < 5:  # a commit outside slas/
            docs += 1
            ops = [f"M 100644 inline docs/notes-{docs % 50:02d}.md\n".encode()
                   + _data(f"# Notes {docs}\n\nRevision {docs}.\n")]
            main_tip = commit("main", when, f"docs: notes {docs}", ops, [main_tip])
            continue
        pr += 1
        sid = rng.choice(fleet.ids)
        kind = rng.choices(["edit", "bump", "rename"], [0.55, 0.35, 0.10])[0]
        if rng.random() < 0.33:  # a pull request merged with a merge commit
            branch = "pull-request"
            tip = main_tip
            before = fleet.path[sid]
            k = rng.randrange(2, 5)
            for j in range(k - 1):  # earlier steps: descriptions reworded on the branch
                subject, ops = change(sid, when + j * 60, "edit")
                tip = commit(branch, when + j * 60, subject, ops, [tip])
            subject, ops = change(sid, when + k * 60, kind)
            tip = commit(branch, when + k * 60, subject, ops, [tip])
            # fast-import takes a merge's tree from its first parent: the merge brings
            # the branch's text (the branch started at main's tip, so no conflict)
            ops = [put(sid)]
            if fleet.path[sid] != before:
                ops.insert(0, f"D {before}\n".encode())
            main_tip = commit("main", when + k * 60 + 60,
                              f"Merge pull request #{pr} from example/pr-{pr}", ops,
                              [main_tip, tip])
        else:
            subject, ops = change(sid, when, kind)
            main_tip = commit("main", when, f"{subject} (#{pr})", ops, [main_tip])
    return b"".join(out)


def write_repo(root: Path, n: int = 200, commits: int = 5000, start: int = START) -> Path:
    """The repository at ``root`` (made anew), on branch ``main``, checked out."""
    import shutil

    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    env_git = ["git", "-c", "init.defaultBranch=main", "-C", str(root)]
    subprocess.run([*env_git, "init", "-q"], check=True)
    subprocess.run([*env_git, "fast-import", "--quiet"], input=stream(n, commits, start),
                   check=True)
    subprocess.run([*env_git, "checkout", "-q", "-f", "main"], check=True)
    subprocess.run([*env_git, "branch", "-q", "-D", "pull-request"], check=False)
    return root
