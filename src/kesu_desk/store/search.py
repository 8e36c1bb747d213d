"""Full-text search that works for one or two Chinese characters.

Han, kana and hangul are indexed one character per token and every other word as a lower-cased
token (accents folded); a query becomes phrases of consecutive characters, so "退款" finds exactly the texts that
contain 退款, on SQLite FTS5 (unicode61) and on PostgreSQL tsvector ('simple') alike. User input
never reaches the FTS syntax: only the tokens we cut out of it are quoted into the query.
The text limits (domain/limits.py) keep a case's index within PostgreSQL's tsvector limits.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_TOKEN = re.compile(rf"(?P<cjk>[{_CJK}])|(?P<word>[^\W_{_CJK}]+)")


def _fold(word: str) -> str:
    """Lower case without accents and with full-width letters made plain: envío → envio."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def tokens(text: str) -> list[tuple[str, bool]]:
    """(token, is_cjk) for every indexable piece of ``text``, in order."""
    out: list[tuple[str, bool]] = []
    for match in _TOKEN.finditer(text):
        if match.group("cjk"):
            out.append((match.group("cjk"), True))
        else:
            out.append((_fold(match.group("word")), False))
    return out


def index_text(*parts: str | None) -> str:
    """The body stored in the search index for a case."""
    return " ".join(tok for part in parts if part for tok, _ in tokens(part))


def _groups(query: str) -> list[tuple[list[str], bool]]:
    """Runs of adjacent CJK characters become one phrase; each other word stands alone."""
    groups: list[tuple[list[str], bool]] = []
    last_end = -1
    for match in _TOKEN.finditer(query):
        if match.group("cjk"):
            if groups and groups[-1][1] and match.start() == last_end:
                groups[-1][0].append(match.group("cjk"))
            else:
                groups.append(([match.group("cjk")], True))
        else:
            groups.append(([_fold(match.group("word"))], False))
        last_end = match.end()
    return groups


def fts5_query(query: str) -> str | None:
    """An FTS5 MATCH expression for ``query``; None when nothing searchable is in it."""
    parts = []
    for toks, cjk in _groups(query):
        phrase = '"' + " ".join(toks) + '"'
        # The last word may still be being typed: match it as a prefix.
        parts.append(phrase if cjk else phrase + "*")
    return " AND ".join(parts) or None


def tsquery(query: str) -> str | None:
    """A PostgreSQL to_tsquery('simple', …) expression for ``query``."""
    parts = []
    for toks, cjk in _groups(query):
        if cjk:
            parts.append("(" + " <-> ".join(f"'{t}'" for t in toks) + ")")
        else:
            parts.append(f"'{toks[0]}':*")
    return " & ".join(parts) or None


def fts5_any(terms: Sequence[str]) -> str | None:
    """An FTS5 MATCH expression true for a text containing any of ``terms`` (each a phrase)."""
    parts = []
    for term in terms:
        # A word matched by a rule may be a stem (leak* for leaks): look for it as a prefix.
        phrases = ['"' + " ".join(toks) + '"' + ("" if cjk else "*") for toks, cjk in _groups(term)]
        if phrases:
            parts.append("(" + " AND ".join(phrases) + ")")
    return " OR ".join(parts) or None


def tsquery_any(terms: Sequence[str]) -> str | None:
    """The PostgreSQL to_tsquery('simple', …) form of :func:`fts5_any`."""
    parts = []
    for term in terms:
        phrases = [
            "(" + " <-> ".join(f"'{t}'" for t in toks) + ")" if cjk else f"'{toks[0]}':*"
            for toks, cjk in _groups(term)
        ]
        if phrases:
            parts.append("(" + " & ".join(phrases) + ")")
    return " | ".join(parts) or None
