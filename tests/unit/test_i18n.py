"""The message catalogues: one namespace per file, no message defined twice, the three languages
agreeing (same keys, same placeholders), a message per error."""

from __future__ import annotations

import re
import string
from collections import Counter
from pathlib import Path

import pytest

from kesu_desk.config import LANGUAGES
from kesu_desk.domain.errors import InvalidInput, WorkflowError
from kesu_desk.domain.vocabulary import Action, Role, Severity, Status
from kesu_desk.i18n import catalogue, catalogue_files, describe, t

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "kesu_desk"
CATALOGUES = ROOT / "assets" / "i18n"
ERROR_CALL = re.compile(r'(?<!Product)(?:Error|Input|DeskError)\(\s*"([a-z_]+)"')
# domain/products.py: the catalogue's refusals are products.<code> (ProductError.catalogue).
PRODUCT_CALL = re.compile(r'(?:ProductError|_refuse)\(\s*"([a-z_]+)"')
# services/dealer_flow.py: dealers.error.<code> (DealerFlowProblem.catalogue); f"bad_{field}" spelt out.
DEALER_FLOW_CALL = re.compile(r'DealerFlowProblem\(\s*f?"([a-z_{}]+)"')
DEALER_FLOW_FIELDS = ("name", "contract", "representative", "contact")


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_each_catalogue_file_is_named_after_its_namespace_and_language() -> None:
    names = sorted(path.name for path in CATALOGUES.iterdir())
    assert names
    for name in names:
        parts = name.split(".")
        assert len(parts) == 3 and parts[1] in LANGUAGES and parts[2] == "toml", (
            f"{name}: not <namespace>.<lang>.toml, which the desk would not read")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_catalogue_file_holds_only_its_own_namespace(lang: str) -> None:
    for name, messages in catalogue_files(lang):
        namespace = name.split(".")[0]
        strays = [key for key in messages if not key.startswith(f"{namespace}.")]
        assert not strays, f"{name} holds messages of other namespaces: {strays}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_message_is_defined_in_two_files(lang: str) -> None:
    # TOML refuses a key twice in one file; across files the later one would silently win.
    files = Counter(key for _, messages in catalogue_files(lang) for key in messages)
    twice = {key: [name for name, messages in catalogue_files(lang) if key in messages]
             for key, count in files.items() if count > 1}
    assert not twice


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
    products = {code for path in SRC.rglob("*products.py") for code in PRODUCT_CALL.findall(path.read_text("utf-8"))}
    assert {c for c in products if f"products.{c}" not in catalogue("en")} == set()
    flow = {code.replace("{field}", field) for path in SRC.rglob("*.py")
            for code in DEALER_FLOW_CALL.findall(path.read_text("utf-8")) for field in DEALER_FLOW_FIELDS}
    assert "bad_contract" in flow and {c for c in flow if f"dealers.error.{c}" not in catalogue("en")} == set()


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
