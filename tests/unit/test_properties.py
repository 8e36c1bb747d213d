"""Random sequences of allowed and refused actions always leave a consistent case and timeline."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from itertools import pairwise
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlalchemy import func, select

from casesteps import PEOPLE
from kesu_desk.config import Settings
from kesu_desk.domain import workflow
from kesu_desk.domain.errors import ConflictError, DeskError, InvalidInput, WorkflowError
from kesu_desk.domain.vocabulary import (
    OPEN_STATUSES,
    Action,
    Closure,
    ProposalStatus,
    Remedy,
    Role,
    Status,
    Validity,
)
from kesu_desk.services import cases, corrective, users
from kesu_desk.services.desk import Desk
from kesu_desk.services.drafts import CaseDraft
from kesu_desk.services.views import CaseView
from kesu_desk.store import schema
from kesu_desk.store.models import Approval, CaseEvent, Proposal, Survey

NAMES = [name for name, _, _ in PEOPLE]

# Actions that only add to the timeline: no field changes, so the version stays. Opening a
# corrective action changes a row of its own, not the case.
APPEND_ONLY = {Action.NOTE, Action.CALL, Action.SUGGESTION, Action.CORRECTIVE_ACTION}
# Actions that can happen at any time without moving the case along, and merging, which is
# allowed all the time but rare (it ends the case).
ASIDES = {Action.ESCALATE, Action.NOTE, Action.CALL, Action.SUGGESTION, Action.MERGE,
          Action.TYPICAL, Action.CORRECTIVE_ACTION}

# How the caller knows the case: the current version, an older one, or not at all.
versions = st.sampled_from(["current", "current", "current", "current", "stale", "none"])


def _suggest(desk: Desk, actor: str, number: str, **kw: Any) -> CaseView:
    return cases.record_suggestion(desk, actor, number, suggested={"department": "QA"}, **kw)


def _open_corrective(desk: Desk, actor: str, number: str, version: int | None = None, **kw: Any) -> CaseView:
    """Open a corrective action on the case (it does not change the case: no version to check)."""
    corrective.open_action(desk, actor, number, due=date(2099, 1, 1), **kw)
    return cases.get_case(desk, number)


# Each action: the use case, parameters a sensible user gives, and parameters anyone might give.
def _fixed(**kw: Any) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({k: st.sampled_from(v) for k, v in kw.items()})


ANY_TEXT = ["", "  ", "客户来电", "see photos"]
GOOD_TEXT = ["客户来电", "see photos"]
AMOUNTS = [None, Decimal("0"), Decimal("-5"), Decimal("80"), Decimal("1000"), Decimal("2500.50")]

PLAYBOOK: dict[Action, tuple[Callable[..., CaseView], Any, Any]] = {
    Action.DECIDE_VALIDITY: (
        cases.decide_validity,
        _fixed(founded=[True, True, True, False], reason=["没有购买凭证"]),
        _fixed(founded=[True, False], reason=ANY_TEXT),
    ),
    Action.ASSIGN: (
        cases.assign,
        st.sampled_from(
            [
                {"department": "QA", "handler": "hq"},
                {"department": "QA", "handler": None},
                {"department": "LOG", "handler": "hl"},
            ]
        ),
        _fixed(department=["QA", "LOG", "FIN"], handler=[None, "hq", "hl", "ag", "sup"]),
    ),
    Action.RECORD_CAUSE: (
        cases.record_cause,
        _fixed(fishbone=["machine", "people"], what=GOOD_TEXT, why=GOOD_TEXT, how=ANY_TEXT),
        _fixed(fishbone=[None, "machine", "measurement"], what=ANY_TEXT, why=ANY_TEXT),
    ),
    Action.PROPOSE: (
        cases.propose,
        st.sampled_from(
            [
                {"remedy": Remedy.EXCHANGE, "amount": None},
                {"remedy": Remedy.APOLOGY, "amount": None},
                {"remedy": Remedy.REFUND, "amount": Decimal("80")},
                {"remedy": Remedy.REPAIR, "amount": Decimal("1000")},
                {"remedy": Remedy.COMPENSATION, "amount": Decimal("2500.50")},
            ]
        ),
        _fixed(remedy=list(Remedy), amount=AMOUNTS),
    ),
    Action.APPROVE: (cases.approve, _fixed(comment=["", "同意"]), _fixed(comment=ANY_TEXT)),
    Action.RETURN: (cases.return_proposal, _fixed(comment=GOOD_TEXT), _fixed(comment=ANY_TEXT)),
    Action.CUSTOMER_ANSWER: (
        cases.record_customer_answer,
        _fixed(agrees=[True, True, False], comment=GOOD_TEXT),
        _fixed(agrees=[True, False], comment=ANY_TEXT),
    ),
    Action.IMPLEMENT: (
        cases.implement,
        _fixed(implementation=GOOD_TEXT, accountability=GOOD_TEXT),
        _fixed(implementation=ANY_TEXT, accountability=ANY_TEXT),
    ),
    Action.FOLLOW_UP: (
        cases.record_follow_up,
        _fixed(score=[1, 2, 3, 4, 4, 5, 5, 5]),
        st.fixed_dictionaries({"score": st.integers(min_value=-1, max_value=7)}),
    ),
    Action.CLOSE: (cases.close, _fixed(comment=GOOD_TEXT), _fixed(comment=ANY_TEXT)),
    Action.REOPEN: (cases.reopen, _fixed(comment=GOOD_TEXT), _fixed(comment=ANY_TEXT)),
    Action.ESCALATE: (cases.escalate, _fixed(comment=GOOD_TEXT), _fixed(comment=ANY_TEXT)),
    Action.NOTE: (cases.add_note, _fixed(text=GOOD_TEXT), _fixed(text=ANY_TEXT)),
    Action.CALL: (cases.log_call, _fixed(summary=GOOD_TEXT), _fixed(summary=ANY_TEXT)),
    Action.MERGE: (cases.merge, _fixed(comment=GOOD_TEXT), _fixed(comment=ANY_TEXT)),
    Action.AWAIT_CUSTOMER: (cases.await_customer, _fixed(comment=GOOD_TEXT), _fixed(comment=ANY_TEXT)),
    Action.CUSTOMER_REPLIED: (cases.customer_replied, _fixed(comment=GOOD_TEXT), _fixed(comment=ANY_TEXT)),
    Action.TYPICAL: (
        cases.mark_typical,
        _fixed(typical=[True, False], comment=["", "培训素材"]),
        _fixed(typical=[True, False], comment=ANY_TEXT),
    ),
    # At most one unfinished action per case: a second one is refused.
    Action.CORRECTIVE_ACTION: (
        _open_corrective,
        _fixed(owner=["hq", "hl"], text=GOOD_TEXT),
        _fixed(owner=["hq", "ag"], text=ANY_TEXT, for_batch=[False, True]),
    ),
    Action.SUGGESTION: (
        _suggest,
        _fixed(chosen=[{"department": "QA"}]),
        _fixed(chosen=[{}, {"department": "LOG"}]),
    ),
}
ACTORS = [workflow.Actor(i, name, Role(role), dept) for i, (name, role, dept) in enumerate(PEOPLE)]


class CaseLife(RuleBasedStateMachine):
    """One complaint pushed around by everyone, with sensible and senseless requests."""

    def __init__(self) -> None:
        super().__init__()
        self.desk = Desk(Settings(db="sqlite://", approval_threshold=Decimal("1000")))
        schema.upgrade(self.desk.engine)
        for name, role, department in PEOPLE:
            users.add_user(self.desk, name, role, department)
        draft = CaseDraft.parse({"phone": "13800138000", "description": "电水壶漏水"})
        self.number = cases.register_case(self.desk, "ag", draft).number
        self.last = cases.get_case(self.desk, self.number)
        # The same customer's other complaint: what the case may be merged into.
        self.other = cases.register_case(self.desk, "ag", draft).number
        self.other_last = cases.get_case(self.desk, self.other)

    def teardown(self) -> None:
        self.desk.close()

    # -- the step every rule goes through ---------------------------------------------------

    def counts(self) -> tuple[int, ...]:
        counts = [
            select(func.count()).select_from(m).scalar_subquery()
            for m in (CaseEvent, Proposal, Approval, Survey)
        ]
        with self.desk.uow(write=False) as uow:
            return tuple(uow.session.execute(select(*counts)).one())

    def act(
        self, action: Action, actor: str, version: str, call: Callable[..., CaseView], **kw: Any
    ) -> None:
        before = self.last
        counts = self.counts()
        stale = version == "stale" and before.version > 1
        if version != "none":
            kw["version"] = before.version - 1 if stale else before.version
        try:
            returned = call(self.desk, actor, self.number, **kw)
        except DeskError as error:
            # Only refusals a user can be shown; anything else is a bug.
            assert isinstance(error, WorkflowError | ConflictError | InvalidInput), error
            # Input that is wrong whatever the case's state (a negative amount) is told first.
            if stale and action not in APPEND_ONLY and error.code not in ("merge_into_itself", "invalid_input"):
                # The user learns that the case changed, not some rule about its old state.
                assert isinstance(error, ConflictError)
            after = cases.get_case(self.desk, self.number)
            assert after == before, f"refused {action} ({error.code}) changed the case"
            assert cases.get_case(self.desk, self.other) == self.other_last
            assert self.counts() == counts, f"refused {action} ({error.code}) wrote rows"
            return
        assert not (stale and action not in APPEND_ONLY), "a stale change was accepted"
        after = cases.get_case(self.desk, self.number)
        assert returned == after
        assert len(after.timeline) == len(before.timeline) + 1
        event = after.timeline[-1]
        assert (event.action, event.actor) == (action.value, actor)
        assert (event.from_status, event.to_status) == (before.status.value, after.status.value)
        expected_version = before.version + (0 if action in APPEND_ONLY else 1)
        assert after.version == expected_version
        if action in APPEND_ONLY:
            assert after.status is before.status
        if action is Action.MERGE:
            assert after.closure == Closure.MERGED
            other = cases.get_case(self.desk, self.other)
            assert other.timeline[-1].details == {"merged_from": self.number}
            assert other.status is self.other_last.status
            self.other_last = other
        self.last = after

    # -- what people do --------------------------------------------------------------------------

    @rule(data=st.data())
    def someone_acts(self, data: st.DataObject) -> None:
        """Mostly what the workflow allows now, done sensibly; sometimes anything at all."""
        view = self.last
        case = workflow.CaseFacts(
            status=view.status,
            validity=Validity(view.validity),
            department=view.department,
            has_cause=bool(view.cause["why"] and view.fishbone_factor),
        )
        allowed: dict[Action, list[str]] = {}
        for who in ACTORS:
            for action in workflow.allowed_actions(case, who):
                if action in PLAYBOOK:
                    allowed.setdefault(action, []).append(who.name)
        forward = sorted(set(allowed) - ASIDES)
        how = data.draw(st.sampled_from(["forward", "forward", "forward", "aside", "anything"]))
        if how == "forward" and forward:
            action = data.draw(st.sampled_from(forward))
        elif how != "anything" and allowed:
            action = data.draw(st.sampled_from(sorted(allowed)))
        else:
            how = "anything"
            action = data.draw(st.sampled_from(list(PLAYBOOK)))
        call, sensible, anything = PLAYBOOK[action]
        if how == "anything":
            actor = data.draw(st.sampled_from(NAMES))
            params = data.draw(anything)
            if action is Action.MERGE:
                params["into"] = data.draw(st.sampled_from([self.other, self.number]))
        else:
            actor = data.draw(st.sampled_from(allowed[action]))
            params = data.draw(sensible)
            if action is Action.MERGE:
                params["into"] = self.other
        self.act(action, actor, data.draw(versions), call, **params)

    # -- what must always hold ------------------------------------------------------------------

    @invariant()
    def timeline_explains_the_status(self) -> None:
        view = self.last
        timeline = view.timeline
        assert timeline[0].action == Action.REGISTER.value
        assert (timeline[0].from_status, timeline[0].to_status) == (None, Status.REGISTERED.value)
        status_events = [e for e in timeline if e.to_status is not None]
        assert status_events[-1].to_status == view.status.value
        for previous, event in pairwise(status_events):
            assert event.from_status == previous.to_status, (previous, event)

    @invariant()
    def closure_only_on_closed_cases(self) -> None:
        view = self.last
        if view.status is Status.CLOSED:
            assert view.closure is not None
        else:
            assert view.status in OPEN_STATUSES
            assert view.closure is None

    @invariant()
    def one_remedy_under_review_at_most(self) -> None:
        view = self.last
        with self.desk.uow(write=False) as uow:
            rows = uow.session.execute(
                select(Proposal.status, Proposal.remedy).where(Proposal.case_id == view.id)
            ).all()
        pending = [remedy for status, remedy in rows if status == ProposalStatus.PENDING.value]
        approved = [remedy for status, remedy in rows if status == ProposalStatus.APPROVED.value]
        # A proposal waits for approval only while the case says so, and the customer is told
        # exactly the one approved remedy.
        assert len(pending) == (1 if view.status is Status.PROPOSED else 0)
        if view.status is Status.APPROVED:
            assert approved == [view.remedy]
        else:
            assert approved == []


def test_random_action_sequences_keep_the_case_consistent() -> None:
    run_state_machine_as_test(
        CaseLife,
        settings=settings(
            max_examples=30,
            stateful_step_count=35,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
