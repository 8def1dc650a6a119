"""The command line as its users expect it: --version, options before or after the command, levels in any
case, one-line errors with exit 2, help for every option, defaults from the environment."""

from __future__ import annotations

import argparse
from importlib.metadata import version

import pytest

from crawler.run.cli import build_parser
from sampleportal.server import SamplePortal
from tests.support.cli import run_cli


def test_version():
    result = run_cli("--version")
    assert (result.returncode, result.stdout) == (0, f"nianbao {version('nianbao')}\n")


def test_log_level_after_the_command_in_any_case(tmp_path):
    with SamplePortal() as portal:
        result = run_cli("crawl", portal.home_url, "--proxy", portal.url, "--archive", str(tmp_path / "a"),
                         "--log-level", "info")
    assert result.returncode == 0, result.stderr
    assert "INFO: Spider opened" in result.stderr  # Scrapy logged at the level asked after the command


@pytest.mark.parametrize(
    "args",
    [
        ("--log-level", "loud", "verify"),
        ("verify", "--log-level", "loud"),
        ("crawl", "--bogus"),
        ("export", "--format", "csv"),  # --out missing
        ("export", "--out", "x", "--format", "xml"),
        ("no-such-command",),
        ("portals", "add", "x"),  # home and --region-code missing
    ],
)
def test_every_bad_option_is_one_line_and_exit_two(args):
    result = run_cli(*args)
    assert result.returncode == 2
    assert result.stderr.startswith("error: nianbao") and result.stderr.count("\n") == 1, result.stderr


def _commands(parser: argparse.ArgumentParser, path: str = "nianbao"):
    yield path, parser
    for action in parser._actions:  # argparse keeps subcommands only here
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _commands(sub, f"{path} {name}")


def test_every_option_of_every_command_has_help():
    commands = dict(_commands(build_parser()))
    assert len(commands) >= 14
    missing = [f"{path} {action.dest}" for path, parser in commands.items() for action in parser._actions
               if not isinstance(action, argparse._SubParsersAction) and not (action.help or "").strip()]
    assert missing == []
    archive_helps = [a.help for p in commands.values() for a in p._actions if a.dest == "archive"]
    assert len(archive_helps) >= 7 and all("s3" in text for text in archive_helps)


def test_archive_and_log_level_from_the_environment(crawled_archive, tmp_path):
    env = {"NIANBAO_ARCHIVE": str(crawled_archive), "NIANBAO_LOG_LEVEL": "info"}
    result = run_cli("export", "--format", "csv", "--out", str(tmp_path / "out"), env=env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "reports.csv").exists() and "exported 12 reports" in result.stdout
    parsed = build_parser().parse_args(["verify"])
    assert (parsed.archive, parsed.log_level) == ("archive", "WARNING")  # no environment: the defaults


@pytest.mark.parametrize("args", [["--log-level", "critical", "verify"], ["verify", "--log-level", "Critical"]])
def test_log_level_before_or_after_the_command(args):
    assert build_parser().parse_args(args).log_level == "CRITICAL"


def test_environment_default_yields_to_the_option(monkeypatch):
    monkeypatch.setenv("NIANBAO_ARCHIVE", "s3://bucket/from-env")
    monkeypatch.setenv("NIANBAO_LOG_LEVEL", "debug")
    assert build_parser().parse_args(["verify"]).archive == "s3://bucket/from-env"
    assert build_parser().parse_args(["verify"]).log_level == "DEBUG"
    parsed = build_parser().parse_args(["verify", "--archive", "here", "--log-level", "error"])
    assert (parsed.archive, parsed.log_level) == ("here", "ERROR")


def test_a_bad_level_in_the_environment_is_one_line():
    result = run_cli("verify", env={"NIANBAO_LOG_LEVEL": "chatty"})
    assert result.returncode == 2 and result.stderr.startswith("error: NIANBAO_LOG_LEVEL: invalid log level")
