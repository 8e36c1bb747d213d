"""The footer shows the keys the screen offers now, rebuilt once for changes that come together
(widgets/keys.DeskFooter)."""

from __future__ import annotations

from unittest.mock import patch

from textual.widgets._footer import FooterKey
from uisteps import app_for, settle

from kesu_desk.services.desk import Desk
from kesu_desk.services.views import CaseView
from kesu_desk.widgets.keys import DeskFooter


async def test_the_footer_follows_the_keys_and_is_rebuilt_once_per_burst(
    fixed_desk: tuple[Desk, dict[str, CaseView]],
) -> None:
    desk, _ = fixed_desk
    app = app_for(desk, "ag")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        footer = app.screen.query_one(DeskFooter)
        shown = {key.description for key in footer.query(FooterKey)}
        assert "New case" in shown and "Open" in shown

        rebuilds = 0
        recompose = DeskFooter.recompose

        async def counted(widget: DeskFooter) -> None:
            nonlocal rebuilds
            rebuilds += 1
            await recompose(widget)

        with patch.object(DeskFooter, "recompose", counted):
            for _ in range(5):  # five changes of the bindings in one go
                app.screen.refresh_bindings()
            await settle(app, pilot)
        assert rebuilds == 1

        app.new_case()  # another screen, other keys: its footer shows them
        await settle(app, pilot)
        shown = {key.description for key in app.screen.query_one(DeskFooter).query(FooterKey)}
        assert "Register" in shown and "New case" not in shown
