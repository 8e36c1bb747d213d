"""Fold text for matching: width, case, accents, and traditional to simplified Chinese.

Traditional characters map to simplified ones through OpenCC's character table
(``TSCharacters.txt``, shipped by the ``opencc-python-reimplemented`` package), read once into a
``str.translate`` table: converting character by character is what matching needs, and it takes
microseconds where the package's own phrase converter takes milliseconds. Without the package a
compact table of common characters (``_tables.py``) is used.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib.resources import files

from kesu_desk.rules._tables import SIMPLIFIED, TRADITIONAL

_MARKS = re.compile("[\u0300-\u036f]")


def _opencc_pairs() -> dict[int, str] | None:
    try:
        raw = (files("opencc") / "dictionary" / "TSCharacters.txt").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return None
    table: dict[int, str] = {}
    for line in raw.splitlines():
        parts = line.split()
        if len(parts) >= 2 and len(parts[0]) == 1 and len(parts[1]) == 1:
            table[ord(parts[0])] = parts[1]
    return table or None


@lru_cache(maxsize=1)
def t2s_table() -> dict[int, str]:
    table = {ord(t): s for t, s in zip(TRADITIONAL, SIMPLIFIED, strict=True)}
    found = _opencc_pairs()
    if found:
        table.update(found)
    return {k: v for k, v in table.items() if chr(k) != v}


@lru_cache(maxsize=1)
def _traditional() -> frozenset[str]:
    return frozenset(chr(k) for k in t2s_table())


def fold(text: str) -> str:
    """The form keywords and texts are compared in."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text)
    text = _MARKS.sub("", text)
    text = text.casefold()
    # Most texts have no traditional character; finding that out costs less than translating.
    if not _traditional().isdisjoint(text):
        text = text.translate(t2s_table())
    return text
