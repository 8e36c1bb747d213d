"""Hostile rules files from the command line: `rules check` names the problem, `suggest` falls
back to the default rules, and nothing crashes or hangs (issue 11.9)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

# Generous: a backtracking engine would need years for these inputs, RE2 needs microseconds; the
# timeout only keeps a regression from hanging the suite.
TIMEOUT = 120


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kesu_desk", *args],
        capture_output=True, text=True, env=dict(os.environ), timeout=TIMEOUT,
    )


def one_rule(path: Path, rule_id: str, pattern: str) -> Path:
    path.write_text(
        f'[[rules]]\nid = "{rule_id}"\n[rules.when]\nregex = ["{pattern}"]\n'
        '[rules.then]\ndepartment = "QA"\n',
        encoding="utf-8",
    )
    return path


def test_a_deeply_nested_file_is_one_problem_and_suggest_falls_back(tmp_path: Path) -> None:
    nested = tmp_path / "nested.toml"
    nested.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    done = run("rules", "check", str(nested))
    assert done.returncode == 1
    [line] = done.stdout.strip().splitlines()
    assert line.startswith(f"{nested}: ") and "nested" in line
    assert "Traceback" not in done.stderr + done.stdout

    done = run("suggest", "--json", "--rules", str(nested), "快递太慢了，箱子压坏了")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["department"] == "LOG"  # the default rules answered
    [warning] = done.stderr.strip().splitlines()
    assert "default rules are used" in warning and str(nested) in warning


def test_a_catastrophic_pattern_neither_hangs_check_nor_suggest(tmp_path: Path) -> None:
    path = one_rule(tmp_path / "evil.toml", "evil", "^(a+)+$")
    done = run("rules", "check", str(path))
    assert done.returncode == 0 and done.stderr == ""

    def fired(text: str) -> set[str]:
        done = run("suggest", "--json", "--similar", "0", "--rules", str(path), text)
        assert done.returncode == 0 and done.stderr == "", done.stderr
        return {reason["rule_id"] for reason in json.loads(done.stdout)["reasons"]}

    # 2**64 ways to split the a's before Python's re would give up on the "!".
    assert "evil" not in fired("a" * 64 + "!")
    assert "evil" in fired("a" * 64)


def test_a_pattern_re2_cannot_take_is_reported_on_one_line(tmp_path: Path) -> None:
    path = one_rule(tmp_path / "lookbehind.toml", "lb", "(?<!不)退款")
    done = run("rules", "check", str(path))
    assert done.returncode == 1
    [line] = done.stdout.strip().splitlines()
    assert line.startswith(f"{path}:lb:when.regex.0: bad regular expression") and "RE2" in line
    assert len(done.stderr.strip().splitlines()) == 1  # the count, and nothing printed by RE2
