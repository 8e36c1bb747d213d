"""Plain-text helpers shared by the services (reports, record forms) and the widgets."""

from __future__ import annotations


def one_line(value: str | None, limit: int | None = None) -> str:
    """``value`` on one line (newlines and runs of white space become one space, none at either
    end), cut to ``limit`` characters with an ellipsis when longer."""
    flat = " ".join((value or "").split())
    if limit is not None and len(flat) > limit:
        return flat[: limit - 1] + "…"
    return flat
