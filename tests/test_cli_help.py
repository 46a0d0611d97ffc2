"""The command line's own help: what a new user reads first."""

from __future__ import annotations

from click.testing import CliRunner

from slacode.cli import COMMANDS, cli


def test_the_top_level_help_lists_every_command_with_its_whole_first_line() -> None:
    out = CliRunner().invoke(cli, ["--help"]).output
    listed = out.split("Commands:", 1)[1].splitlines()
    assert sorted(line.split()[0] for line in listed if line.strip()) == sorted(COMMANDS)
    assert not any(line.rstrip().endswith("...") for line in listed), out
    assert "pull        Pull measurements for every objective (cached; only new intervals " \
        "are asked for)." in out


def test_strict_build_help_says_what_fails_it() -> None:
    out = CliRunner().invoke(cli, ["build", "--help"]).output
    assert "failed source" in " ".join(out.split())
