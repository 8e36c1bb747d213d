"""The business word lists (assets/words/, assets/replies/): complete for every remedy and
language, the replies alike in the three languages."""

from __future__ import annotations

import string

import pytest

from kesu_desk.config import LANGUAGES
from kesu_desk.domain.vocabulary import Remedy
from kesu_desk.i18n import catalogue
from kesu_desk.services.cases import outcome_words
from kesu_desk.wordlists import load, reply_templates, reveal_words


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_remedy_has_its_words_in_every_language_and_nothing_else_is_listed() -> None:
    words = load("words", "outcome")
    # A misspelt remedy's words would never be checked: the tables are exactly the remedies.
    assert set(words) == {r.value for r in Remedy}
    for remedy, by_lang in words.items():
        assert set(by_lang) == set(LANGUAGES), remedy
        for lang, listed in by_lang.items():
            assert all(isinstance(w, str) and w.strip() == w and w for w in listed), (remedy, lang)


def test_the_guard_checks_a_remedys_name_and_its_words_in_every_language() -> None:
    words = outcome_words(Remedy.REFUND.value)
    for lang in LANGUAGES:
        assert catalogue(lang)[f"remedy.{Remedy.REFUND.value}"] in words
        assert reveal_words(Remedy.REFUND.value, lang)
        assert set(reveal_words(Remedy.REFUND.value, lang)) <= set(words)
    assert {"reimburse", "退钱", "reembols"} <= set(words)


@pytest.mark.parametrize("lang", ["zh", "es"])
def test_the_replies_are_the_same_in_every_language(lang: str) -> None:
    english = {r.key: r for r in reply_templates("en")}
    other = {r.key: r for r in reply_templates(lang)}
    assert list(other) == list(english)  # offered in the same order
    for key, reply in english.items():
        assert _placeholders(other[key].text) == _placeholders(reply.text), key
        assert other[key].title and other[key].title != key, key
