"""The desk's log file is in the platformdirs log folder and never grows without bound."""

from __future__ import annotations

import logging

import pytest
from platformdirs import user_log_path

from kesu_desk import logfile


def test_the_log_is_rotated_and_kept_to_a_few_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logfile, "MAX_BYTES", 2_000)
    handler = logfile.open_log()
    try:
        for n in range(500):
            logging.getLogger("kesu_desk.test").error("line %d %s", n, "x" * 80)
    finally:
        logfile.close_log(handler)
    folder = user_log_path("kesu-desk")
    files = sorted(p.name for p in folder.iterdir())
    assert files == ["kesu-desk.log", *(f"kesu-desk.log.{n}" for n in range(1, logfile.BACKUPS + 1))]
    assert all((folder / name).stat().st_size <= 2_000 for name in files)
    assert "line 499" in (folder / "kesu-desk.log").read_text(encoding="utf-8")


def test_a_desk_with_nothing_to_say_leaves_no_file() -> None:
    logfile.close_log(logfile.open_log())
    assert not user_log_path("kesu-desk").exists()
