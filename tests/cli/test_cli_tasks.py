"""`kesu-desk tasks`: the task templates a case can carry (issue 13), shipped and the desk's own."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kesu_desk.cli import main


def own_folder() -> Path:
    return Path(os.environ["KESU_DESK_CONFIG"]).parent / "tasks"


def test_templates_lists_the_shipped_and_the_desk_s_own(capsys: pytest.CaptureFixture[str]) -> None:
    own_folder().mkdir(parents=True, exist_ok=True)
    (own_folder() / "recall.toml").write_text(
        '[[step]]\nkey = "notify"\ntitle = { zh = "通知", en = "Notify", es = "Avisar" }\n'
        'department = "SALES"\ndue_days = 1\n', encoding="utf-8")
    assert main(["tasks", "templates"]) == 0
    out, err = capsys.readouterr()
    assert out.split() == ["es_handover", "es_investigation", "recall", "returned_defectives"]
    assert str(own_folder()) in err
    assert main(["--lang", "es", "tasks", "show", "recall"]) == 0
    assert "notify [SALES] Avisar — vence 1 día(s) hábil(es) después del inicio" in capsys.readouterr().out


def test_show_gives_the_steps_in_the_user_s_language(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "zh", "tasks", "show", "returned_defectives"]) == 0
    out = capsys.readouterr().out
    assert "1. receipt [WH] 仓库接收不良品并开具入库单 — 开始后 1 个工作日内完成" in out
    assert "[PLAN]" in out and "8. dispatch [WH]" in out


def test_a_broken_template_is_one_line_and_a_non_zero_exit(capsys: pytest.CaptureFixture[str]) -> None:
    own_folder().mkdir(parents=True, exist_ok=True)
    (own_folder() / "es_handover.toml").write_text('[[step]]\nkey = "Bad Key"\n', encoding="utf-8")
    assert main(["--lang", "en", "tasks", "show", "es_handover"]) != 0
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and "es_handover, step 1: 'key'" in err
    assert main(["--lang", "en", "tasks", "show", "nope"]) != 0
    assert "There is no task template nope" in capsys.readouterr().err
