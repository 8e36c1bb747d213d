"""Drawing only what changed: a key typed into the intake form repaints the field, not the form."""

from __future__ import annotations

from collections.abc import Iterable

from textual._compositor import Compositor
from textual.geometry import Region
from textual.strip import Strip

__all__ = ["CroppedCompositor"]


class CroppedCompositor(Compositor):
    """Textual's compositor, but a partial update renders only the widgets whose visible part
    meets the changed area.

    Textual 8.2.8 asks every widget whose *clip* meets it: inside a scrolling form that is every
    row of the form, the header and the footer, for each key typed into one field (on the intake
    form about a quarter of a key's cost). A widget whose visible part does not meet the changed
    area fills no part of it, so what reaches the terminal is the same (tests/ui/test_compositor.py
    compares both, widget by widget). Written against the pinned textual==8.2.8: ``_get_renders``
    is Textual's own, not public API; the test fails if it changes shape.
    """

    def _get_renders(self, crop: Region | None = None) -> Iterable[tuple[Region, Region, list[Strip]]]:
        if crop is None:  # a full update: every widget on screen
            yield from super()._get_renders(crop)
            return
        meets = crop.overlaps
        for widget, (region, clip) in self.visible_widgets.items():
            x, y, width, height = shown = region.intersection(clip)
            if width and height and meets(shown):
                yield region, clip, widget.render_lines(Region(x - region.x, y - region.y, width, height))
