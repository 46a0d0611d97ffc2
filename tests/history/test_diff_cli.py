"""``slacode diff BASE HEAD [--pr]`` on real git repositories."""

from __future__ import annotations

import re

import pytest
from gitrepo import Repo, sla

PATH = "slas/payments-api.yaml"


def line_col(text: str, needle: str) -> tuple[int, int]:
    for n, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return n, line.index(needle) + 1
    raise AssertionError(needle)


@pytest.fixture
def branched(repo: Repo) -> Repo:
    repo.commit("Add", {PATH: sla(), "slas/old.yaml": sla(id="old-service")})
    repo.git("checkout", "-q", "-b", "change")
    return repo


def test_promise_changed_without_version_bump_is_an_error_at_its_line(
    slacode, branched: Repo
) -> None:
    text = sla(target=99.5)
    branched.commit("Lower target", {PATH: text})
    r = slacode(branched, "diff", "main", "HEAD", "--pr")
    assert r.returncode == 1, r.stderr
    line, _ = line_col(text, "99.5")
    assert (f"{PATH}:{line}:" in r.stderr and "error: payments-api: promises changed "
            "(monthly availability target 99.9% → 99.5%) but version stays 1" in r.stderr)
    assert "monthly availability target 99.9% → 99.5%" in r.stdout  # still summarised


def test_new_version_without_new_effective_date_is_an_error(slacode, branched: Repo) -> None:
    branched.commit("Raise target", {PATH: sla(version=2, target=99.95)})
    r = slacode(branched, "diff", "main", "HEAD", "--pr")
    assert r.returncode == 1
    assert "effective date stays 2026-01-01" in r.stderr


def test_versioned_change_passes_and_weaker_promises_come_first(slacode, branched: Repo) -> None:
    branched.commit("Relax", {PATH: sla(version=2, effective="2027-01-01", target=99.95,
                                        p1_response="30m", scope=("REST API",)),
                              "slas/new.yaml": sla(id="new-service")})
    branched.git("rm", "-q", "slas/old.yaml")
    branched.git("commit", "-q", "-m", "Drop old")
    r = slacode(branched, "diff", "main", "HEAD", "--pr", "--now", TODAY)
    assert r.returncode == 0, r.stderr
    md = r.stdout
    assert md.index("### ⚠️ Weaker promises for customers") < md.index("### Other changes")
    weak = md[md.index("### ⚠️"):md.index("### Other changes")]
    assert "P1 response 15 minutes → 30 minutes" in weak
    assert "scope removed: REST API" not in weak and "scope removed: Webhooks" in weak
    assert "agreement old-service removed" in weak
    other = md[md.index("### Other changes"):]
    assert "monthly availability target 99.9% → 99.95%" in other
    assert "version 1 → 2, effective 2027-01-01" in md
    assert "### Added agreements" in md and "`slas/new.yaml`" in md
    assert "### Removed agreements" in md


def test_only_the_branch_changes_count_when_base_moved_on(slacode, branched: Repo) -> None:
    branched.commit("Raise", {PATH: sla(version=2, effective="2027-01-01", target=99.95)})
    branched.git("checkout", "-q", "main")
    branched.commit("Other team", {"slas/old.yaml": sla(id="old-service", target=98.0)})
    branched.git("checkout", "-q", "change")
    r = slacode(branched, "diff", "main", "HEAD", "--pr")
    assert r.returncode == 0, r.stderr
    assert "old-service" not in r.stdout and "98.0%" not in r.stdout


def test_yaml_text_cannot_inject_markdown(slacode, branched: Repo) -> None:
    branched.commit("Scope", {PATH: sla(version=2, effective="2027-01-01",
                                        scope=("REST API", "Webhooks", "'<img src=x>'"))})
    r = slacode(branched, "diff", "main")
    assert r.returncode == 0, r.stderr
    assert "<img" not in r.stdout and "&lt;img src=x\\>" in r.stdout


def test_no_change_says_so(slacode, branched: Repo) -> None:
    r = slacode(branched, "diff", "main", "HEAD", "--pr")
    assert r.returncode == 0
    assert "No agreement promises anything differently." in r.stdout


def test_unknown_revision_and_missing_repository_are_one_line_errors(
    slacode, branched: Repo, tmp_path
) -> None:
    r = slacode(branched, "diff", "no-such-branch")
    assert r.returncode == 1 and "unknown revision 'no-such-branch'" in r.stderr
    assert "Traceback" not in r.stderr
    plain = Repo.__new__(Repo)
    plain.path = tmp_path
    r = slacode(plain, "diff", "main")
    assert r.returncode == 1 and "history unavailable: not a git repository" in r.stderr


def test_a_stronger_promise_effective_before_the_change_is_a_warning(
    slacode, branched: Repo
) -> None:
    branched.commit("Backdated", {PATH: sla(version=2, effective="2026-01-02", target=99.95)},
                    date="2026-05-01T10:00:00+00:00")
    r = slacode(branched, "diff", "main", "HEAD", "--pr", "--now", "2026-05-01T12:00:00Z")
    assert r.returncode == 0, r.stderr
    assert ("warning: payments-api: version 2 takes effect on 2026-01-02, before this change "
            "(2026-05-01)") in r.stderr


def test_a_weaker_promise_effective_before_the_check_is_an_error_at_its_line(
    slacode, branched: Repo
) -> None:
    """It would judge periods already under way (or closed) by a lower target than the
    one customers were given for them; dated from the check, not from the commit."""
    text = sla(version=2, effective="2026-06-01", target=99.5)
    branched.commit("Lower the target", {PATH: text}, date="2026-05-20T10:00:00+00:00")
    r = slacode(branched, "diff", "main", "HEAD", "--pr", "--now", "2026-06-15T00:00:00Z")
    assert r.returncode == 1
    line, col = line_col(text, "2026-06-01")
    assert r.stderr.splitlines() == [
        f"{PATH}:{line}:{col}: error: payments-api: version 2 weakens a promise (monthly "
        "availability target 99.9% → 99.5%) from 2026-06-01, before this change (2026-06-15): "
        "periods already under way or closed would be judged by the weaker promise. Set "
        "effective to 2026-06-15 or later (a new period's start, such as the first of next "
        "month, is clearest)"]
    # the same change checked before that day passes
    r = slacode(branched, "diff", "main", "HEAD", "--pr", "--now", "2026-05-21T00:00:00Z")
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize("rev", ["main..HEAD", "main...change"])
def test_a_range_is_a_one_line_error_naming_what_was_typed(
    slacode, branched: Repo, rev: str
) -> None:
    branched.commit("Raise", {PATH: sla(version=2, effective="2027-01-01", target=99.95)})
    r = slacode(branched, "diff", rev)
    assert r.returncode == 1 and r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr
    base, _, head = rev.partition("..")
    assert f"BASE {rev!r} is a range" in lines[0]
    assert "branch, tag or commit" in lines[0]
    assert f"try: slacode diff {base} {head.lstrip('.')}" in lines[0]
    hashes = branched.git("rev-parse", "main", "change").split()
    assert not any(h in r.stderr for h in hashes)  # git's expansion is not echoed back


def test_an_unknown_head_says_which_argument_and_what_is_accepted(
    slacode, branched: Repo
) -> None:
    r = slacode(branched, "diff", "main", "no/such\nbranch")
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr.strip().splitlines() == [
        "slacode: error: unknown revision 'no/such\\nbranch' given as HEAD: expected a branch, "
        "tag or commit, e.g. main, origin/main, v1.2 or a1b2c3d"]
    r = slacode(branched, "diff", "main^@")  # a revision naming several commits
    assert r.returncode == 1 and "'main^@'" in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


ZWJ = "\u200d"
HOSTILE_NAME = ("@octocat <img src=x onerror=alert(1)> [click](https://evil.example/) "
                "![i](https://evil.example/i.png) <!-- hidden --> $x^2$")
HOSTILE_SCOPE = "1. see https://evil.example, www.evil.example, a@evil.example, fixes #12"


def test_yaml_text_cannot_mention_link_or_render_in_the_pull_request_comment(
    slacode, branched: Repo
) -> None:
    """The Markdown is posted as a comment: YAML text must notify no one, link nowhere,
    render no HTML or image, yet read the same (invisible joiners aside)."""
    import html

    import markdown

    text = sla(scope=("REST API", f"'{HOSTILE_SCOPE}'")).replace(
        "name: Payments API", f"name: '{HOSTILE_NAME}'")
    branched.commit("Hostile", {PATH: text})
    r = slacode(branched, "diff", "main", "HEAD", "--pr")
    out = r.stdout
    for needle in ("@octocat", "@evil", "https://", "www.evil", "#12"):
        assert needle not in out, needle  # GitHub would mention, autolink, cross-reference
    assert "<" not in out and not re.search(r"(?<!\\)[$\[]", out)  # HTML, math, links
    rendered = markdown.markdown(out)
    for tag in ("<a", "<img", "<!--", "<ol"):
        assert tag not in rendered, (tag, rendered)
    # as CommonMark reads it: a backslash before punctuation is not shown, entities are
    visible = html.unescape(re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", out)).replace(ZWJ, "")
    assert HOSTILE_NAME in visible and HOSTILE_SCOPE in visible
    # the terminal output (problems on stderr) is plain text, left as written
    assert ZWJ not in r.stderr and "\\" not in r.stderr
    assert "scope" in r.stderr and "https://evil.example" in r.stderr


def test_an_agreement_broken_at_head_is_said_to_be_not_compared(slacode, branched: Repo) -> None:
    """A weaker target in a file that no longer loads must not read as "no change"."""
    text = sla(target=95.0).replace("  customer: {name: All customers}\n",
                                    "  customer: {name: All customers}\nname: again\n")
    branched.commit("Weaken and break", {PATH: text})
    r = slacode(branched, "diff", "main", "HEAD", "--pr")
    assert r.returncode == 1
    out = r.stdout
    assert "0 changed, 0 added, 0 removed, 1 not compared." in out
    assert "No agreement promises anything differently" not in out
    section = out[out.index("### ❓ Not compared"):out.index("### ❌ Problems")]
    line, col = line_col(text, "name: again")
    assert f"- **Payments API** (`{PATH}`): could not be compared: `{PATH}:{line}:{col}`" in section
    assert "weaker promises included" in section


def test_a_file_moved_and_broken_is_not_compared_rather_than_only_removed(
    slacode, branched: Repo
) -> None:
    branched.git("mv", PATH, "slas/payments.yaml")
    branched.commit("Move and break", {"slas/payments.yaml": sla(target=95.0) + "  - x\n"})
    r = slacode(branched, "diff", "main")
    assert "1 not compared" in r.stdout
    assert ("- `slas/payments.yaml` (new at HEAD: added, or an agreement moved here): "
            "could not be compared: `slas/payments.yaml:") in r.stdout


def with_windows(*windows: tuple[str, str, str | None], **kw: object) -> str:
    """An agreement (notice 7d) with maintenance windows ``(start, end, announced)``."""
    items = "".join(
        f"    - start: {s}\n      end: {e}\n"
        + (f"      announced: {a}\n" if a else "")
        + "      description: Planned work\n"
        for s, e, a in windows)
    return sla(**kw).replace("  notice: 7d\n", "  notice: 7d\n  windows:\n" + items)  # type: ignore[arg-type]


#: the PR check's time, pinned (``--now``) so that the expected messages do not age
TODAY = "2026-11-27T10:00:00+00:00"
IN_TIME = ("2026-10-11T02:00:00Z", "2026-10-11T03:00:00Z", "2026-09-28T09:00:00Z")
BACKDATED = ("2026-11-19T16:00:00Z", "2026-11-19T17:00:00Z", "2026-11-01T00:00:00Z")


def retroactive_error(text: str, span: str, day: str = TODAY[:10]) -> str:
    line, col = line_col(text, f"- start: {span[:10]}")
    return (
        f"{PATH}:{line}:{col + 2}: error: payments-api: maintenance window {span} started "
        f"before this change ({day}) and cannot be excluded retroactively: the agreement is "
        "the record customers are told by, so a window written down after it began was not "
        "announced in time. Remove it (the downtime counts) and record it as an incident; if "
        "customers really were told in time, show the announcement in the pull request: this "
        "check cannot verify it and stays failed, so merging is the approvers' explicit decision")


@pytest.fixture
def with_maintenance(repo: Repo) -> Repo:
    repo.commit("Add", {PATH: with_windows(IN_TIME)})
    repo.git("checkout", "-q", "-b", "change")
    return repo


def test_a_backdated_maintenance_window_is_a_weaker_promise_and_an_error(
    slacode, with_maintenance: Repo
) -> None:
    """Added after an outage with an earlier 'announced' date, it would erase the outage
    from the figures and credits; the check must not call it harmless bookkeeping."""
    text = with_windows(IN_TIME, BACKDATED)
    with_maintenance.commit("Planned maintenance", {PATH: text}, date=TODAY)
    r = slacode(with_maintenance, "diff", "main", "HEAD", "--pr", "--now", TODAY)
    assert r.returncode == 1
    span = "2026-11-19T16:00+00:00 – 2026-11-19T17:00+00:00"
    assert r.stderr.splitlines() == [retroactive_error(text, span)]
    weak = r.stdout[r.stdout.index("### ⚠️ Weaker promises"):]
    assert (f"  - maintenance window {span} added after it began: downtime already past is "
            "left out of the figures and credits") in weak
    assert "planned maintenance added" not in r.stdout and "not a promise" not in r.stdout
    # without --pr (a job summary) it is still listed as weaker, and nothing fails
    r = slacode(with_maintenance, "diff", "main", "HEAD")
    assert r.returncode == 0 and f"maintenance window {span} added after it began" in r.stdout


def test_a_commit_dated_before_the_window_does_not_hide_it(
    slacode, with_maintenance: Repo
) -> None:
    """A committer date is whatever the committer set: the check judges at its own time."""
    text = with_windows(IN_TIME, BACKDATED)
    with_maintenance.commit("Planned maintenance", {PATH: text}, date="2026-11-18T10:00:00+00:00")
    r = slacode(with_maintenance, "diff", "main", "HEAD", "--pr", "--now", TODAY)
    assert r.returncode == 1
    assert "2026-11-19T16:00+00:00 – 2026-11-19T17:00+00:00 started before this change" in r.stderr


@pytest.mark.parametrize(("window", "what"), [
    # extended past its announced end, after the fact
    (("2026-10-11T02:00:00Z", "2026-10-11T05:00:00Z", "2026-09-28T09:00:00Z"), "added"),
    # announced too late (downtime), then 'announced' rewritten to an earlier date
    (("2026-10-11T02:00:00Z", "2026-10-11T03:00:00Z", "2026-09-01T09:00:00Z"),
     "now excluded from the figures"),
])
def test_a_past_window_extended_or_announced_earlier_is_an_error(
    slacode, repo: Repo, window: tuple[str, str, str], what: str
) -> None:
    late = ("2026-10-11T02:00:00Z", "2026-10-11T03:00:00Z", "2026-10-10T09:00:00Z")
    base = IN_TIME if what == "added" else late
    repo.commit("Add", {PATH: with_windows(base)})
    repo.git("checkout", "-q", "-b", "change")
    text = with_windows(window)
    repo.commit("Fix the record", {PATH: text}, date=TODAY)
    r = slacode(repo, "diff", "main", "HEAD", "--pr", "--now", TODAY)
    assert r.returncode == 1
    span = f"{window[0][:16]}+00:00 – {window[1][:16]}+00:00"
    assert r.stderr.splitlines() == [retroactive_error(text, span)]
    assert f"maintenance window {span} {what} after it began" in r.stdout


def test_future_windows_honest_records_and_narrowed_windows_pass(
    slacode, with_maintenance: Repo
) -> None:
    """Planned maintenance ahead, a past window recorded as not announced (it counts as
    downtime), and a past window cut shorter erase nothing: the check passes."""
    future = ("2099-03-01T02:00:00Z", "2099-03-01T03:00:00Z", "2099-02-01T09:00:00Z")
    unannounced = ("2026-11-19T16:00:00Z", "2026-11-19T17:00:00Z", None)
    too_late = ("2026-11-20T16:00:00Z", "2026-11-20T17:00:00Z", "2026-11-20T15:00:00Z")
    narrowed = ("2026-10-11T02:00:00Z", "2026-10-11T02:30:00Z", "2026-09-28T09:00:00Z")
    with_maintenance.commit("Maintenance", {
        PATH: with_windows(narrowed, unannounced, too_late, future)}, date=TODAY)
    r = slacode(with_maintenance, "diff", "main", "HEAD", "--pr", "--now", TODAY)
    assert r.returncode == 0, r.stderr
    assert "Weaker promises" not in r.stdout and "after it began" not in r.stdout
    assert ("planned maintenance added: 2099-03-01T02:00+00:00 – 2099-03-01T03:00+00:00 "
            "_(not a promise)_") in r.stdout


def test_the_check_judges_at_its_own_time(slacode, with_maintenance: Repo) -> None:
    """The same change passes when checked before the window began (announced in time), and
    fails when checked after: the message dates the check, not the day the test was written."""
    text = with_windows(IN_TIME, BACKDATED)
    with_maintenance.commit("Planned maintenance", {PATH: text}, date="2026-11-10T10:00:00+00:00")
    before = slacode(with_maintenance, "diff", "main", "HEAD", "--pr", "--now",
                     "2026-11-12T00:00:00Z")
    assert before.returncode == 0, before.stderr
    later = slacode(with_maintenance, "diff", "main", "HEAD", "--pr", "--now",
                    "2031-05-05T00:00:00Z")
    assert later.returncode == 1
    span = "2026-11-19T16:00+00:00 – 2026-11-19T17:00+00:00"
    assert later.stderr.splitlines() == [retroactive_error(text, span, day="2031-05-05")]


def test_a_new_agreement_cannot_bring_a_window_that_already_began(
    slacode, with_maintenance: Repo
) -> None:
    """Otherwise a copy under a new id would carry the backdated window past the check."""
    text = with_windows(BACKDATED, id="payments-v2")
    with_maintenance.commit("New agreement", {"slas/payments-v2.yaml": text}, date=TODAY)
    r = slacode(with_maintenance, "diff", "main", "HEAD", "--pr", "--now", TODAY)
    assert r.returncode == 1
    assert ("slas/payments-v2.yaml:" in r.stderr and "error: payments-v2: maintenance window "
            "2026-11-19T16:00+00:00 – 2026-11-19T17:00+00:00 started before this change"
            in r.stderr)
