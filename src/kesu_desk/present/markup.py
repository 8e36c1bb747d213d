"""User text made safe for Markdown and HTML, and a whole self-contained HTML page: what the
period review and the record form are written with."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

from kesu_desk.text import visible, visible_line

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def md_text(value: str, *, line_start: bool = False) -> str:
    """User text for Markdown: one line, every character that could become markup escaped
    (inline markup, HTML, table pipes; with ``line_start``, a heading or list marker too), control
    characters as pictures (text.visible: Markdown is read on terminals too)."""
    escaped = _MD_SPECIAL.sub(r"\\\1", visible_line(value))
    if line_start:
        escaped = re.sub(r"^(\d+)([.)])", r"\1\\\2", escaped)
        escaped = re.sub(r"^([#+=-])", r"\\\1", escaped)
    return escaped


_STYLE = """
body { font-family: system-ui, "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: .4em 0; }
th, td { border: 1px solid #ccc; padding: .25em .6em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
section, table { break-inside: avoid; }
.muted { color: #666; }
@media print { body { margin: 0; } }
"""


def html_text(value: str) -> str:
    """User text for HTML: escaped, control characters as pictures (HTML has no place for them,
    and a page may well be looked at with ``cat``)."""
    return html.escape(visible(value))


def html_page(title: str, lang: str, body: Iterable[str]) -> str:
    """A whole, self-contained HTML document; ``body`` is markup built with :func:`html_text`."""
    return "\n".join([
        "<!DOCTYPE html>",
        f'<html lang="{html.escape(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html_text(title)}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        *body,
        "</body>",
        "</html>",
        "",
    ])


def html_table(headers: Sequence[str], rows: Iterable[Sequence[str]], numeric: frozenset[int] = frozenset()) -> str:
    def cell(i: int, text: str, tag: str = "td") -> str:
        cls = ' class="n"' if i in numeric and tag == "td" else ""
        return f"<{tag}{cls}>{html_text(text)}</{tag}>"

    head = "".join(cell(i, x, "th") for i, x in enumerate(headers))
    body = "\n".join("<tr>" + "".join(cell(i, x) for i, x in enumerate(row)) + "</tr>" for row in rows)
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"
