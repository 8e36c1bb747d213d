"""The repository itself: what `git clone` hands a new developer."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _tracked() -> list[str]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, check=True, capture_output=True, text=True)
    return out.stdout.splitlines()


def test_no_generated_file_is_tracked() -> None:
    """`pip install -e .` rewrites *.egg-info: tracked, it leaves a fresh checkout dirty after
    `make run`."""
    generated = [p for p in _tracked() if ".egg-info/" in p or "__pycache__/" in p]
    assert generated == []
