"""Messages in the user's language (zh, en, es) from the catalogues in assets/i18n/."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib.resources import files
from typing import Any

from kesu_desk.domain.amounts import amount_params
from kesu_desk.domain.errors import DeskError
from kesu_desk.domain.limits import limit_text

FALLBACK = "en"


@lru_cache(maxsize=4)
def catalogue(lang: str) -> dict[str, str]:
    """Every message of ``lang``, from its catalogue files."""
    flat: dict[str, str] = {}
    for _, messages in catalogue_files(lang):
        flat.update(messages)
    return flat


def catalogue_files(lang: str) -> list[tuple[str, dict[str, str]]]:
    """The messages of each catalogue file of ``lang``, by file name: ``i18n/<namespace>.<lang>.toml``
    holds the messages ``<namespace>.*`` and no others (tests/unit/test_i18n.py checks it, and
    that no message is defined in two files: one would silently replace the other here)."""
    folder = files("kesu_desk.assets") / "i18n"
    return [(entry.name, _flatten(tomllib.loads(entry.read_text(encoding="utf-8"))))
            for entry in sorted(folder.iterdir(), key=lambda e: e.name) if entry.name.endswith(f".{lang}.toml")]


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = str(value)
    return flat


def t(key: str, lang: str = FALLBACK, **params: Any) -> str:
    template = catalogue(lang).get(key) or catalogue(FALLBACK).get(key) or key
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def money(amount: str, lang: str, currency: str) -> str:
    """An amount already written as a number ("300.00") with the currency's sign where ``lang``
    writes it: "¥300.00", "300.00 €"; as it is without a currency."""
    return t("remedies.money", lang, amount=amount, currency=currency) if currency else amount


def describe(error: DeskError, lang: str = FALLBACK) -> str:
    """One sentence for a refused action or bad input, in the user's language."""
    params = dict(error.params)
    if "field" in params:
        params["field"] = t(f"field.{params['field']}", lang)
    if "action" in params:
        params["action"] = t(f"action.{params['action']}", lang)
    if "use" in params:
        params["use"] = t(f"access.use.{params['use']}", lang)
    for name in ("status", "role"):
        if name in params:
            params[name] = t(f"{name}.{params[name]}", lang)
    if error.code == "invalid_input":
        errors = params.get("errors", {})
        parts = [f"{t(f'field.{f}', lang)}: {t(f'error.{code}', lang, **field_params(f))}"
                 for f, code in errors.items()]
        return t("error.invalid_input", lang, details="; ".join(parts))
    return t(f"{error.catalogue}.{error.code}", lang, **params)


def field_params(field: str) -> dict[str, Any]:
    """What the message of a problem with ``field`` may name: the allowed range of amounts
    (``{low}``, ``{high}``) and the field's longest text (``{max}``)."""
    return {**amount_params(), "max": limit_text(field)}
