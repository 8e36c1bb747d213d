"""The three message catalogues are complete: same keys, same placeholders, a message per error."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from kesu_desk.domain.errors import InvalidInput, WorkflowError
from kesu_desk.domain.vocabulary import Action, Role, Severity, Status
from kesu_desk.i18n import catalogue, describe, t

SRC = Path(__file__).resolve().parents[2] / "src" / "kesu_desk"
ERROR_CALL = re.compile(r'(?:Error|Input|DeskError)\(\s*"([a-z_]+)"')


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("lang", ["zh", "es"])
def test_catalogues_have_the_same_keys_and_placeholders(lang: str) -> None:
    english, other = catalogue("en"), catalogue(lang)
    assert set(other) == set(english)
    for key, template in english.items():
        assert _placeholders(other[key]) == _placeholders(template), key


def test_every_error_the_code_raises_has_a_message() -> None:
    codes = {code for path in SRC.rglob("*.py") for code in ERROR_CALL.findall(path.read_text("utf-8"))}
    assert codes, "found no error codes: the pattern is stale"
    missing = {c for c in codes if f"error.{c}" not in catalogue("en")}
    assert not missing


@pytest.mark.parametrize("lang", ["zh", "en", "es"])
def test_every_status_role_action_and_severity_has_a_name(lang: str) -> None:
    names = catalogue(lang)
    for prefix, values in (("status", Status), ("role", Role), ("action", Action), ("severity", Severity)):
        for value in values:
            assert f"{prefix}.{value.value}" in names


def test_refusals_read_as_sentences_in_the_users_language() -> None:
    err = WorkflowError("wrong_state", action="approve", status="closed")
    assert describe(err, "en") == "Cannot approve a case that is closed."
    assert "已关闭" in describe(err, "zh")
    bad = InvalidInput("invalid_input", errors={"phone": "bad_phone", "description": "description_missing"})
    assert describe(bad, "en") == "Please correct: Phone: not a valid phone number; What happened: say what happened"
    assert t("error.missing_field", "es", field="X") != t("error.missing_field", "en", field="X")
