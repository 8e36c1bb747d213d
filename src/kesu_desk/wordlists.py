"""The business word lists, data of their own beside the translations: the words that give a
remedy away (assets/words/outcome.toml, for the outcome guard), the words too common to be a
rule's keyword (assets/words/common.toml, for ``kesu-desk rules review``) and the canned replies
(assets/replies/<lang>.toml)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any


@dataclass(frozen=True)
class ReplyTemplate:
    """A canned reply as written: ``text`` holds the placeholders a case fills."""

    key: str
    title: str
    text: str


@lru_cache(maxsize=8)
def load(folder: str, name: str) -> dict[str, Any]:
    """``assets/<folder>/<name>.toml``, read once."""
    return tomllib.loads((files("kesu_desk.assets") / folder / f"{name}.toml").read_text(encoding="utf-8"))


def reveal_words(remedy: str, lang: str) -> list[str]:
    """The words of ``lang`` other than its name that give ``remedy`` away."""
    return [str(word) for word in load("words", "outcome").get(remedy, {}).get(lang, [])]


def common_words() -> list[str]:
    """The words of every language too common to tell one complaint from another, as written."""
    return [str(word) for words in load("words", "common").values() for word in words]


def reply_templates(lang: str) -> list[ReplyTemplate]:
    """The canned replies of ``lang``, in the order they are offered."""
    return [ReplyTemplate(key, str(reply.get("title", key)), str(reply["text"]))
            for key, reply in load("replies", lang).items()]
