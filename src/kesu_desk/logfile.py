"""The desk's log file: the traceback of a bug, and notices about the Textual it runs on, in the
platformdirs user log folder; rotated, so it never grows without bound."""

from __future__ import annotations

import contextlib
import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from kesu_desk.config import log_dir

FILE_NAME = "kesu-desk.log"
MAX_BYTES = 1_000_000
BACKUPS = 3  # kesu-desk.log.1 … .3 besides it: at most 4 MB in all

log = logging.getLogger("kesu_desk")

__all__ = ["BACKUPS", "MAX_BYTES", "close_log", "log", "log_file", "open_log"]


def log_file() -> Path:
    return log_dir() / FILE_NAME


class _LogFile(RotatingFileHandler):
    """Opened (and its folder made) with the first record: a desk with nothing to say leaves
    no file behind."""

    def emit(self, record: logging.LogRecord) -> None:
        if self.stream is None:
            with contextlib.suppress(OSError):  # then logging reports it, and the desk goes on
                Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        super().emit(record)


def open_log() -> logging.Handler:
    """Start writing what the desk logs (kesu_desk.*, warnings and worse) to the log file."""
    handler = _LogFile(log_file(), maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    return handler


def close_log(handler: logging.Handler) -> None:
    log.removeHandler(handler)
    handler.close()
