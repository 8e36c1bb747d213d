"""The desk's compositor draws the same as Textual's: what changes is only how many widgets it
asks to render for a partial update (widgets/textual_private.py)."""

from __future__ import annotations

from unittest.mock import patch

from rich.console import Console
from textual._compositor import Compositor
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import TextArea
from uisteps import settle

from kesu_desk.app import KesuDesk
from kesu_desk.services.desk import Desk
from kesu_desk.services.users import whoami
from kesu_desk.services.views import CaseView
from kesu_desk.widgets.textual_private import CroppedCompositor


def _partial(compositor: Compositor, changed: Region, console: Console) -> tuple[str, list[Widget]]:
    """What a partial update of ``changed`` writes to the terminal, and whom it asked to render."""
    asked: list[Widget] = []
    original = Widget.render_lines

    def render_lines(widget: Widget, crop: Region) -> object:
        asked.append(widget)
        return original(widget, crop)

    compositor._dirty_regions = {changed}
    with patch.object(Widget, "render_lines", render_lines):
        update = compositor.render_partial_update()
    assert update is not None
    return update.render_segments(console), asked


async def test_a_partial_update_writes_what_textuals_compositor_writes(
    fixed_desk: tuple[Desk, dict[str, CaseView]],
) -> None:
    desk, _ = fixed_desk
    app = KesuDesk(desk, whoami(desk, "ag"), "zh", watch_changes=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.new_case()
        await settle(app, pilot)
        description = app.screen.query_one("#description", TextArea)
        description.focus()
        for key in "电水壶漏水 leaks":
            await pilot.press(key if key != " " else "space")
        await settle(app, pilot)
        compositor = app.screen._compositor
        assert isinstance(compositor, CroppedCompositor)
        console = app.console
        areas = [region.intersection(clip) for region, clip in compositor.visible_widgets.values()]
        areas += [description.region, Region(30, 5, 20, 10), app.screen.region]
        fewer = False
        for changed in areas:
            ours, asked = _partial(compositor, changed, console)
            with patch.object(CroppedCompositor, "_get_renders", Compositor._get_renders):
                textuals, asked_by_textual = _partial(compositor, changed, console)
            assert ours == textuals, f"different output for a change in {changed}"
            assert set(asked) <= set(asked_by_textual)
            fewer = fewer or len(asked) < len(asked_by_textual)
        # Typing into the description asks the field and its containers, not the whole form.
        _, asked = _partial(compositor, description.region, console)
        assert description in asked
        assert len(asked) <= 8, [type(w).__name__ for w in asked]
        assert fewer
