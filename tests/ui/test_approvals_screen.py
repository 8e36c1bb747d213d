"""The approval inbox driven with Pilot as a supervisor would: approve, return with a comment,
approve a batch holding one's own proposal; and an agent who has nothing to approve."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from textual.pilot import Pilot
from textual.widgets import Static, TextArea
from uisteps import app_for, open_case, press, screen_text, settle, static_text, type_text

from casesteps import to_investigating, to_proposed
from kesu_desk.app import HelpScreen, KesuDesk
from kesu_desk.domain.vocabulary import Status
from kesu_desk.screens.approvals import (
    ApprovalsScreen,
    ApproveBatchDialog,
    InboxList,
    ReturnWithComment,
)
from kesu_desk.screens.case_detail import CaseScreen
from kesu_desk.services import cases
from kesu_desk.services.desk import Desk
from kesu_desk.services.views import CaseView

pytestmark = pytest.mark.parametrize("desk", ["sqlite"], indirect=True)

Register = Callable[..., CaseView]


async def open_inbox(app: KesuDesk, pilot: Pilot[None]) -> ApprovalsScreen:
    await settle(app, pilot)
    await press(app, pilot, "f7")
    assert isinstance(app.screen, ApprovalsScreen)
    return app.screen


def approvals_by(view: CaseView, who: str) -> list[int]:
    return [e.id for e in view.timeline if e.action == "approve" and e.actor == who]


def own_proposal(desk: Desk, register: Register, proposer: str = "sup") -> CaseView:
    """A remedy proposed by a supervisor (staff may propose) after the handler found the cause."""
    view = to_investigating(desk, register(customer_name="Own Proposal"))
    return cases.propose(desk, proposer, view.number, remedy="apology", amount=None, version=view.version)


async def test_a_supervisor_approves_the_highlighted_proposal_and_the_badge_goes_down(
    desk: Desk, register: Register
) -> None:
    first = to_proposed(desk, register(customer_name="First Customer"), amount="300")
    registered = register(customer_name="Second Customer")
    cases.record_suggestion(desk, "ag", registered.number, suggested={"remedies": ["exchange", "repair"]},
                            chosen={})
    second = to_proposed(desk, registered, remedy="refund", amount="80")
    app = app_for(desk, "sup")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_inbox(app, pilot)
        assert "2 approvals waiting" in app.sub_title
        shown = screen_text(app)
        # Oldest first, with the deadline's symbol, the remedy, the amount and the proposer.
        assert shown.index(first.number) < shown.index(second.number)
        assert "✓" in shown and "refund ¥300.00 (no suggestion) · by hq" in shown
        # The rules' suggestion at registration next to what was proposed.
        assert "refund ¥80.00 (suggested: exchange, repair)" in shown
        assert "Waiting for your approval: 2" in static_text(app, "#inbox-status")

        await press(app, pilot, "a")
        assert isinstance(app.screen, ApproveBatchDialog)
        assert first.number in screen_text(app)
        await pilot.press(*"ok")
        await press(app, pilot, "enter")

        assert app.screen is screen
        view = cases.get_case(desk, first.number)
        assert view.status is Status.APPROVED
        event = next(e for e in view.timeline if e.action == "approve")
        assert event.actor == "sup" and event.comment == "ok"
        assert f"✓ {first.number}: approved" in static_text(app, "#inbox-results")
        assert cases.get_case(desk, second.number).status is Status.PROPOSED
        # The list and the header's badge follow at once.
        assert [o.id for o in screen.query_one(InboxList).options] == [
            str(i.proposal_id) for i in screen.items
        ]
        assert len(screen.items) == 1 and screen.items[0].number == second.number
        assert "1 approvals waiting" in app.sub_title


async def test_returning_needs_a_comment_and_sends_the_proposal_back(desk: Desk, register: Register) -> None:
    proposed = to_proposed(desk, register())
    app = app_for(desk, "sup")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_inbox(app, pilot)
        await press(app, pilot, "r")
        dialog = app.screen
        assert isinstance(dialog, ReturnWithComment)

        await press(app, pilot, "ctrl+s")  # no comment: refused on the spot, nothing sent
        assert app.screen is dialog
        assert "Comment is required." in static_text(app, "#dialog-error")
        assert cases.get_case(desk, proposed.number).status is Status.PROPOSED

        dialog.query_one("#comment", TextArea).focus()
        await pilot.press(*"amount too high")
        await press(app, pilot, "ctrl+s")
        assert app.screen is screen
        view = cases.get_case(desk, proposed.number)
        assert view.status is Status.RETURNED
        event = view.timeline[-1]
        assert event.action == "return" and event.actor == "sup" and event.comment == "amount too high"
        assert screen.items == []
        assert "Nothing is waiting for your approval." in static_text(app, "#inbox-status")
        assert f"{proposed.number}: returned" in static_text(app, "#inbox-results")


async def test_a_batch_approves_the_others_and_leaves_out_the_supervisors_own_proposal(
    desk: Desk, register: Register
) -> None:
    one = to_proposed(desk, register(customer_name="One"), amount="100")
    own = own_proposal(desk, register)
    two = to_proposed(desk, register(customer_name="Two"), remedy="repair", amount=None)
    app = app_for(desk, "sup")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_inbox(app, pilot)
        # The own proposal is listed, greyed, with the reason it cannot be approved here;
        # the badge does not count it.
        assert "⊘ not yours to approve: You proposed this remedy yourself" in screen_text(app)
        assert "2 approvals waiting" in app.sub_title
        # Issue 15 item 14: the inbox says the header's number, and why one more is listed.
        assert ("Waiting for your approval: 2 (oldest first) · also listed, not yours to approve: 1"
                in static_text(app, "#inbox-status"))
        assert [i.number for i in screen.items] == [one.number, own.number, two.number]

        await press(app, pilot, "asterisk")  # all that this user may approve
        assert screen.marked == {one_item.proposal_id for one_item in screen.items if one_item.approvable}
        await press(app, pilot, "asterisk")  # again: none
        assert screen.marked == set()

        await press(app, pilot, "space", "space", "space")  # Space marks and moves on
        assert screen.marked == {i.proposal_id for i in screen.items}
        assert "marked: 3" in static_text(app, "#inbox-status")
        assert screen_text(app).count("[x]") == 3

        await press(app, pilot, "o")
        assert isinstance(app.screen, ApproveBatchDialog)
        # Issue 15 item 14: the own proposal is left out of the batch, and the dialog says so.
        shown = screen_text(app)
        assert "Approve 2 proposal(s)?" in shown
        assert f"⊘ {own.number} left out — You proposed this remedy yourself" in shown
        await press(app, pilot, "enter")

        results = static_text(app, "#inbox-results")
        assert f"✓ {one.number}: approved" in results
        assert f"✓ {two.number}: approved" in results
        assert f"⊘ {own.number} left out — You proposed this remedy yourself" in results
        for number in (one.number, two.number):
            view = cases.get_case(desk, number)
            assert view.status is Status.APPROVED
            assert len(approvals_by(view, "sup")) == 1  # each its own timeline event
        mine = cases.get_case(desk, own.number)
        assert mine.status is Status.PROPOSED and approvals_by(mine, "sup") == []
        assert [i.number for i in screen.items] == [own.number]
        assert screen.marked == set()
        assert "approvals waiting" not in app.sub_title


async def test_above_the_threshold_a_supervisors_approval_is_the_first_of_two(
    desk: Desk, register: Register
) -> None:
    big = to_proposed(desk, register(), amount="5000")
    app = app_for(desk, "sup", "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_inbox(app, pilot)
        assert "第 1 级审批（共 2 级）" in screen_text(app)
        await press(app, pilot, "a", "enter")
        assert "已记录第一级审批，尚需经理批准" in static_text(app, "#inbox-results")
    view = cases.get_case(desk, big.number)
    assert view.status is Status.PROPOSED and len(approvals_by(view, "sup")) == 1
    assert view.timeline[-1].details["level"] == 1 and view.timeline[-1].details["of"] == 2


async def test_enter_opens_the_case_and_the_inbox_reloads_on_the_way_back(
    desk: Desk, register: Register
) -> None:
    proposed = to_proposed(desk, register())
    app = app_for(desk, "sup")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_inbox(app, pilot)
        await press(app, pilot, "enter")
        assert isinstance(app.screen, CaseScreen) and app.screen.number == proposed.number
        # Decided elsewhere meanwhile (another supervisor's terminal).
        cases.approve(desk, "sup2", proposed.number)
        await press(app, pilot, "escape")
        assert app.screen is screen
        assert screen.items == []


async def test_an_agent_sees_an_empty_inbox_and_why(desk: Desk, register: Register) -> None:
    to_proposed(desk, register())
    app = app_for(desk, "ag")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_inbox(app, pilot)
        assert "Approvals are given by supervisors and managers" in static_text(app, "#inbox-status")
        assert "(agent)" in static_text(app, "#inbox-status")
        assert screen.query_one(InboxList).option_count == 0
        await press(app, pilot, "a", "space", "r")
        assert app.screen is screen  # nothing to approve, mark or return
        await press(app, pilot, "escape")
        assert not isinstance(app.screen, ApprovalsScreen)


async def test_typed_text_in_the_inbox_is_shown_as_text(desk: Desk, register: Register) -> None:
    view = to_investigating(desk, register(customer_name="[b]Ana[/b]", description="\x1b[31m[red]boom"))
    cases.propose(desk, "hq", view.number, remedy="refund", amount=Decimal("20"), version=view.version,
                  details="[@click=app.quit]x[/]")
    app = app_for(desk, "sup")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_inbox(app, pilot)
        shown = screen_text(app)
        assert "[b]Ana[/b]" in shown and "␛[31m[red]boom" in shown
        assert "[@click=app.quit]x[/]" in shown
        assert "\x1b" not in shown


def footer_keys(app: KesuDesk) -> str:
    """The footer as drawn: its last row."""
    return screen_text(app).splitlines()[-1]


async def help_text(app: KesuDesk, pilot: Pilot[None]) -> str:
    await press(app, pilot, "f1")
    assert isinstance(app.screen, HelpScreen)
    text = str(app.screen.query_one("#help Static", Static).render())
    await press(app, pilot, "escape")
    return text


async def test_approve_is_not_offered_on_ones_own_proposal(desk: Desk, register: Register) -> None:
    """Issue 15 item 14: four-eyes — the proposer is not offered `o`, neither in the footer nor
    in F1, in the inbox or on the case; approving it is still refused (store tests)."""
    own = own_proposal(desk, register)
    other = to_proposed(desk, register(customer_name="Other"))
    app = app_for(desk, "sup")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_inbox(app, pilot)
        assert screen.current is not None and screen.current.number == own.number
        assert "Approve" not in footer_keys(app)
        assert "Approve" not in await help_text(app, pilot)
        await press(app, pilot, "o")
        assert app.screen is screen  # no dialog asking "approve 1?"
        assert cases.get_case(desk, own.number).status is Status.PROPOSED

        await press(app, pilot, "down")  # someone else's: offered
        assert screen.current is not None and screen.current.number == other.number
        assert "o Approve" in footer_keys(app)
        assert "Approve" in await help_text(app, pilot)

        case = await open_case(app, pilot, own.number)
        assert "Approve" not in footer_keys(app)
        assert not case.check_action("act", ("approve",))
        await press(app, pilot, "o")
        assert app.screen is case


async def test_a_batch_of_only_ones_own_proposals_asks_nothing(desk: Desk, register: Register) -> None:
    own = own_proposal(desk, register)
    app = app_for(desk, "sup")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_inbox(app, pilot)
        assert "Nothing is waiting for your approval. · also listed, not yours to approve: 1" in static_text(
            app, "#inbox-status")
        await press(app, pilot, "space")
        assert screen.marked == {screen.items[0].proposal_id}
        assert "Approve" not in footer_keys(app)
        await press(app, pilot, "o")
        assert app.screen is screen and "Approve 1" not in screen_text(app)
        assert cases.get_case(desk, own.number).status is Status.PROPOSED


async def test_space_on_the_last_row_stays_on_the_last_row(desk: Desk, register: Register) -> None:
    made = [to_proposed(desk, register(customer_name=f"C{i}")) for i in range(3)]
    app = app_for(desk, "sup")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_inbox(app, pilot)
        await press(app, pilot, "end")
        assert screen.current is not None and screen.current.number == made[-1].number
        await press(app, pilot, "space")
        assert screen.current is not None and screen.current.number == made[-1].number
        assert screen.marked == {screen.items[-1].proposal_id}
        await press(app, pilot, "space")  # again: unmarks it, still there
        assert screen.current is not None and screen.current.number == made[-1].number
        assert screen.marked == set()


async def test_slash_searches_the_inbox_as_you_type_and_a_case_number_jumps_to_it(
    desk: Desk, register: Register
) -> None:
    made = [to_proposed(desk, register(customer_name=name, description=words, phone=f"1380013800{n}"))
            for n, (name, words) in enumerate((("Ana Ruiz", "kettle leaks"), ("Bo Li", "handle broke off"),
                                               ("Carla Gil", "lid cracked")))]
    app = app_for(desk, "sup")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_inbox(app, pilot)
        assert "Search" in await help_text(app, pilot)
        await press(app, pilot, "slash")
        await type_text(app, pilot, "bo l")  # the customer, as you type
        assert [o.id for o in screen.query_one(InboxList).options] == [str(screen.items[1].proposal_id)]
        assert "shown: 1" in static_text(app, "#inbox-status")
        await press(app, pilot, *["backspace"] * 4)
        await type_text(app, pilot, "cracked")  # words of the case
        assert [o.id for o in screen.query_one(InboxList).options] == [str(screen.items[2].proposal_id)]
        await press(app, pilot, "escape")  # the whole inbox again; Esc once more leaves
        assert screen.query_one(InboxList).option_count == 3 and app.screen is screen

        await press(app, pilot, "slash")
        await type_text(app, pilot, made[2].number[-4:])  # the end of a case number: jumps to it
        await press(app, pilot, "enter")  # back in the list, on that proposal
        assert screen.current is not None and screen.current.number == made[2].number
        await press(app, pilot, "o")
        assert isinstance(app.screen, ApproveBatchDialog)
        assert made[2].number in screen_text(app)


@pytest.mark.parametrize("start", ["queue", "case", "overview", "follow_ups"])
async def test_the_top_proposal_is_approved_in_three_keys_from_every_main_screen(
    desk: Desk, register: Register, start: str
) -> None:
    """Issue 15: approving the proposal at the top of the inbox stays ≤ 3 keys from any screen."""
    top = to_proposed(desk, register(customer_name="Top"))
    to_proposed(desk, register(customer_name="Next"))
    app = app_for(desk, "sup")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        if start == "case":
            await open_case(app, pilot, top.number)
        elif start == "overview":
            await press(app, pilot, "f10")
        elif start == "follow_ups":
            await press(app, pilot, "f9")
        before = app.screen
        await press(app, pilot, "f7", "o", "enter")
        assert app.screen is not before and isinstance(app.screen, ApprovalsScreen)
        assert f"✓ {top.number}: approved" in static_text(app, "#inbox-results")
    assert cases.get_case(desk, top.number).status is Status.APPROVED
