"""On demo data, the similar closed cases an agent is shown make sense (issue 15, item 16): a
complaint about yoghurt is never put beside a yoghurt that missed its power cord."""

from __future__ import annotations

import pytest
from uisteps import app_for, static_text

from kesu_desk.demo import generate
from kesu_desk.screens.intake import FIELDS, IntakeScreen
from kesu_desk.services.desk import Desk

pytestmark = pytest.mark.parametrize("desk", ["sqlite"], indirect=True)

# What no food, and no complaint about a service, can have.
NONSENSE = ("电源线", "涂层", "内胆", "开机", "插电", "屏幕", "电池", "power cable", "power cord", "coating",
            "switch on", "screen", "battery")


@pytest.mark.parametrize(("lang", "text", "food"), [
    ("zh", "订的酸奶只收到一盒，包装里少了东西", "酸奶"),
    ("en", "Part of my yogurt order was missing from the box", "yogurt"),
])
async def test_similar_closed_cases_of_a_food_complaint_are_about_food(
    desk: Desk, people: dict[str, object], lang: str, text: str, food: str
) -> None:
    generate(desk, 3000)
    app = app_for(desk, "ag", lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, IntakeScreen)
        for _ in range(len(FIELDS) + 1):  # Tab to "what happened", as an agent does
            if app.focused is not None and app.focused.id == "description":
                break
            await pilot.press("tab")
        await pilot.press(*text)
        await pilot.pause(0.5)
        await app.workers.wait_for_complete()
        await pilot.pause()
        suggestion = app.screen.form.suggestion
        assert suggestion is not None and suggestion.similar, "no similar closed cases shown"
        body = static_text(app, "#suggestion-body")
        shown = [c.summary for c in suggestion.similar]
        assert any(food in s.lower() for s in shown), shown
        for summary in shown:
            assert summary[:20] in body  # what the agent sees
            assert not [w for w in NONSENSE if w in summary.lower()], summary
