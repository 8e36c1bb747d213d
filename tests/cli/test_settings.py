"""Settings are checked when they are read: each wrong one is one line in the user's language
naming the setting, what is allowed and where it came from, and the exit code is 1 (issue 11.8)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kesu_desk.cli import main
from kesu_desk.config import load_settings

# (what the config file says, the setting as the error line must name it, words of what is allowed)
WRONG: list[tuple[str, str, list[str]]] = [
    ('timezone = "Mars/Olympus"', "timezone", ["Asia/Shanghai"]),
    ('timezone = "../../etc/passwd"', "timezone", ["Asia/Shanghai"]),
    ('country = "XX"', "country", ["CN"]),
    ("[deadlines]\nanswer_working_days = -3", "deadlines.answer_working_days", ["1", "60"]),
    ("[deadlines]\nanswer_working_days = 100000000", "deadlines.answer_working_days", ["1", "60"]),
    ('[deadlines]\nanswer_working_days = "five"', "deadlines.answer_working_days", ["1", "60"]),
    ("[deadlines]\nacknowledge_hours = 0", "deadlines.acknowledge_hours", ["1", "168"]),
    ("[deadlines]\ncritical_department_working_days = 61", "deadlines.critical_department_working_days",
     ["1", "60"]),
    ("[deadlines]\nanswer_days = 5", "deadlines.answer_days", ["answer_working_days"]),
    ("deadlines = 5", "deadlines", ["[deadlines]"]),
    ('lang = "fr"', "lang", ["zh", "en", "es"]),
    ('db = "nonsense"', "db", ["sqlite:///", "postgresql+psycopg://"]),
    ('db = "mysql://kesu@db/kesu"', "db", ["sqlite:///", "postgresql+psycopg://"]),
    ("approval_threshold = 99999999999", "approval_threshold", ["10,000,000.00"]),
    ("approval_threshold = -1", "approval_threshold", ["10,000,000.00"]),
    ("approval_threshold = 10.005", "approval_threshold", ["10,000,000.00"]),
    ('approval_threshold = "nan"', "approval_threshold", ["10,000,000.00"]),
    ("follow_up_attempts = 0", "follow_up_attempts", ["1", "10"]),
    ("corrective_check_days = 100000000", "corrective_check_days", ["1", "730"]),
    ('closed_days = ["someday"]', "closed_days[0]", ["2026-12-31"]),
    ("closed_days = 2026-12-31", "closed_days", ["2026-12-31"]),
    ("user = 5", "user", []),
    ("rules = 5", "rules", []),
    ('[keymap]\n"queue.nwe" = "f2"', 'keymap."queue.nwe"', ["queue.new"]),
    ('[keymap]\n"queue.new" = "ctrl+"', 'keymap."queue.new"', ["f5,ctrl+r"]),
    ('[keymap]\n"queue.new" = 5', 'keymap."queue.new"', ["f5,ctrl+r"]),
    ('[queue_filters]\nsort = ["due"]', "queue_filters.sort", ["newest", "due"]),
    ("[queue_filters]\nstatuses = 5", "queue_filters.statuses", ["registered"]),
    ('[queue_filters]\nstatuses = ["lost"]', "queue_filters.statuses[0]", ["registered"]),
    ('[queue_filters]\noverdue = "maybe"', "queue_filters.overdue", ["true", "false"]),
    ("aproval_threshold = 500", "aproval_threshold", ["approval_threshold"]),
]


def _config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text + "\n", encoding="utf-8")
    monkeypatch.setenv("KESU_DESK_CONFIG", str(path))
    monkeypatch.setenv("LANG", "en_US.UTF-8")  # the messages' language when the settings name none
    monkeypatch.delenv("LC_ALL", raising=False)
    return path


def _error_lines(capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    assert main(list(args)) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "validation error" not in err
    return err.strip().splitlines()


@pytest.mark.parametrize(("text", "name", "allowed"), WRONG, ids=[w[0] for w in WRONG])
def test_each_wrong_setting_is_one_line_naming_it(
    text: str, name: str, allowed: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = _config(tmp_path, monkeypatch, text)
    [line] = _error_lines(capsys, "suggest", "快递太慢了")  # no --lang: it would hide lang = "fr"
    assert line.startswith(f"kesu-desk: {name} ") and str(path) in line
    for word in allowed:
        assert word in line


def test_several_wrong_settings_are_one_line_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _config(tmp_path, monkeypatch, 'timezone = "Mars/Olympus"\ncountry = "XX"\n'
                                   "[deadlines]\nanswer_working_days = -3")
    lines = _error_lines(capsys, "users", "list")
    assert [line.split()[1] for line in lines] == ["timezone", "country", "deadlines.answer_working_days"]


def test_a_wrong_environment_variable_is_named(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KESU_DESK_DEADLINES__ANSWER_WORKING_DAYS", "-3")
    monkeypatch.setenv("KESU_DESK_CLOSED_DAYS", "2026-12-31")  # not a JSON list
    lines = _error_lines(capsys, "--lang", "en", "users", "list")
    assert len(lines) == 2
    assert any(line.startswith("kesu-desk: closed_days = '2026-12-31' (from KESU_DESK_CLOSED_DAYS)")
               for line in lines)
    assert any(line.startswith("kesu-desk: deadlines.answer_working_days = '-3' "
                               "(from KESU_DESK_DEADLINES__ANSWER_WORKING_DAYS)") for line in lines)


def test_a_wrong_flag_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    [line] = _error_lines(capsys, "--lang", "en", "--db", "nonsense", "users", "list")
    assert line.startswith("kesu-desk: db ") and "--db" in line


def test_a_config_file_that_is_not_toml_names_the_file_and_the_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _config(tmp_path, monkeypatch, 'user = "wang"\nlang = "zh"\ntimezone = Asia/Shanghai')
    [line] = _error_lines(capsys, "--lang", "en", "users", "list")
    assert str(path) in line and "line 3" in line


def test_a_config_file_nested_absurdly_deep_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _config(tmp_path, monkeypatch, "x = " + "[" * 100_000 + "]" * 100_000)
    [line] = _error_lines(capsys, "--lang", "en", "users", "list")
    assert str(path) in line


def test_the_message_is_in_the_configured_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _config(tmp_path, monkeypatch, 'lang = "zh"\ntimezone = "Mars/Olympus"')
    [line] = _error_lines(capsys, "users", "list")
    assert "timezone" in line and "时区" in line


def test_a_wrong_language_is_told_in_the_locales_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _config(tmp_path, monkeypatch, 'lang = "fr"\ncountry = "XX"')
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    lines = _error_lines(capsys, "users", "list")
    assert [line.split()[1] for line in lines] == ["lang", "country"]
    assert "zh, en, es" in lines[0] and all("ajuste" in line for line in lines)
    # A flag replaces the file's value (lowest first: file, environment, flags): only the country.
    [line] = _error_lines(capsys, "--lang", "zh", "users", "list")
    assert line.startswith("kesu-desk: country ") and "设置" in line


def test_good_settings_are_taken_in_their_usual_spellings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _config(tmp_path, monkeypatch, 'lang = "zh_CN.UTF-8"\ncountry = "es"\napproval_threshold = 10000000\n'
                                   '[keymap]\n"queue.new" = "f2, ctrl+n"\n'
                                   '[queue_filters]\nstatuses = ["registered"]\nsort = "due"')
    settings = load_settings()
    assert (settings.lang, settings.country) == ("zh", "ES")
    assert settings.keymap == {"queue.new": "f2,ctrl+n"}  # Textual would not strip the space
    assert settings.queue_filters.statuses == ["registered"]


def test_no_traceback_from_a_real_process(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('timezone = "Mars/Olympus"\n[deadlines]\nanswer_working_days = 100000000\n',
                    encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "kesu_desk", "--lang", "en", "suggest", "快递太慢了"],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "KESU_DESK_CONFIG": str(path)},
    )
    assert done.returncode == 1 and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert [line.split()[1] for line in lines] == ["timezone", "deadlines.answer_working_days"]
    assert "Traceback" not in done.stderr
