"""The scratch files of the search build (search_build.py), next to the SQLite database: made with
a lock that says "in use", and removed by the next demo when a killed one left them behind."""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import tempfile

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)


def _scratch_pattern(main: str) -> str:
    """The scratch files of the database ``main``: "<main>.XXXXXXXX.search", in its folder."""
    return glob.escape(main) + ".*.search"


def scratch_file(main: str) -> tuple[int, str]:
    """A new, empty scratch file next to the database ``main``, and a descriptor of it that holds
    a lock on it for as long as it is open, which says "in use" to :func:`remove_stale_scratch_files`.

    The lock goes with the process however it ends; the file does not when the process is
    killed (SIGKILL cannot be caught; SIGTERM, SIGHUP and SIGINT are, by the command line), so the
    next demo on the database removes it.
    """
    while True:
        handle, path = tempfile.mkstemp(prefix=os.path.basename(main) + ".", suffix=".search",
                                        dir=os.path.dirname(main))
        if fcntl is None:
            return handle, path
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            if os.stat(path).st_ino == os.fstat(handle).st_ino:
                return handle, path
        except FileNotFoundError:
            pass
        # Another demo removed it between its creation and our lock: it was not in use yet.
        os.close(handle)


def remove_stale_scratch_files(main: str) -> None:
    """Remove the scratch files of the database ``main`` that no running demo uses: those left by
    a demo that was killed."""
    for path in glob.glob(_scratch_pattern(main)):
        if fcntl is None:  # Windows: a file still open cannot be removed
            with contextlib.suppress(OSError):
                os.unlink(path)
            continue
        try:
            handle = os.open(path, os.O_RDONLY)
        except OSError:
            continue
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # locked: a demo is using it
        else:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
                log.debug("removed the stale scratch file %s", path)
        finally:
            os.close(handle)
