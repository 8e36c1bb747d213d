"""The search tokenizer: one or two Chinese characters, words, and user input kept out of FTS syntax."""

from __future__ import annotations

import pytest

from kesu_desk.store import search


def test_chinese_characters_are_single_tokens_and_words_are_lowercased() -> None:
    assert search.index_text("王芳", "Laptop 屏幕坏了 envío") == "王 芳 laptop 屏 幕 坏 了 envio"


def test_adjacent_chinese_characters_form_one_phrase() -> None:
    assert search.fts5_query("屏幕") == '"屏 幕"'
    assert search.fts5_query("屏") == '"屏"'
    assert search.fts5_query("屏幕 坏") == '"屏 幕" AND "坏"'


def test_words_match_as_prefixes_while_typing() -> None:
    assert search.fts5_query("lapt") == '"lapt"*'
    assert search.tsquery("lapt") == "'lapt':*"
    assert search.tsquery("屏幕") == "('屏' <-> '幕')"


@pytest.mark.parametrize(
    "raw",
    ['"', "a\" OR \"b", "NEAR(a b)", "*", "^abc", "col:abc", "a AND", "'); DROP TABLE cases;--", "()"],
)
def test_fts_operators_in_user_input_never_reach_the_query(raw: str) -> None:
    for query in (search.fts5_query(raw), search.tsquery(raw)):
        if query is None:
            continue
        # Only our own quoting, prefix stars, AND, <-> and parentheses remain.
        stripped = query.replace('"', " ").replace("'", " ")
        for forbidden in ("NEAR(", "OR", ";", "^", ":abc", "--"):
            assert forbidden not in stripped


def test_nothing_searchable_gives_no_query() -> None:
    assert search.fts5_query("  ,.!? ") is None
    assert search.tsquery("") is None
