"""Reproducible installs (issue 17): the lock files pin every dependency pyproject.toml names, at a
version it allows, and the tests run with exactly the locked versions."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;]+)", re.MULTILINE)


def pins(name: str) -> dict[str, str]:
    text = (ROOT / name).read_text(encoding="utf-8")
    return {canonicalize_name(n): v for n, v in PIN.findall(text)}


@pytest.mark.parametrize(("lock", "needs"), [
    ("requirements.lock", PROJECT["dependencies"]),
    ("requirements-test.lock", PROJECT["dependencies"] + PROJECT["optional-dependencies"]["test"]),
])
def test_every_dependency_is_pinned_at_a_version_the_project_allows(lock: str, needs: list[str]) -> None:
    pinned = pins(lock)
    for line in needs:
        wanted = Requirement(line)
        name = canonicalize_name(wanted.name)
        assert name in pinned, f"{wanted.name} is not in {lock}: run `make lock`"
        assert wanted.specifier.contains(pinned[name], prereleases=True), (
            f"{lock} pins {wanted.name}=={pinned[name]}, pyproject.toml asks for {wanted.specifier}: run `make lock`")


def test_the_run_lock_keeps_the_test_locks_versions() -> None:
    run, test = pins("requirements.lock"), pins("requirements-test.lock")
    assert {name: test.get(name) for name in run} == run


def test_the_tests_run_with_the_locked_versions() -> None:
    """`make test` installs the lock: what is installed is what is locked."""
    for name, version in pins("requirements-test.lock").items():
        assert metadata.version(name) == version, name
