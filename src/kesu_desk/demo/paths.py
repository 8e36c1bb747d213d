"""How demo cases move: paths of moves, whose statuses and deadlines the desk's own rules decide.

A path says what happens to a case (assigned, cause recorded, proposed, approved, the customer
agrees…), by whom and how many working days apart. :func:`profiles` walks every path through
:func:`kesu_desk.domain.workflow.transition`, the check every service runs, so the status after
each step is the workflow's, and a path the workflow would refuse fails here, before anything is
written. Which deadline a case waits for and when its clock started come from ``sla`` the same
way (:func:`deadline_kind`).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from kesu_desk.demo.texts import URGENT_AT_REGISTRATION
from kesu_desk.domain.vocabulary import (
    Action,
    Closure,
    ProposalStatus,
    Remedy,
    Role,
    Status,
    Validity,
)
from kesu_desk.domain.workflow import Actor, CaseFacts, transition
from kesu_desk.sla import CaseDeadlines, clock_start, next_deadline

# Actors of a step; the approver is a manager when the amount needs two approvals.
REGISTRAR, AGENT, HANDLER, SUPERVISOR, MANAGER, APPROVER = range(1, 7)
# When a step happens at all.
ALWAYS, IF_URGENT, IF_TWO_APPROVALS = range(3)
# The role each actor acts in when the workflow checks a path (demo registrars are agents or
# supervisors, who may do the same; the approver is a supervisor, or a manager as the second of two).
ROLES = {REGISTRAR: Role.AGENT, AGENT: Role.AGENT, HANDLER: Role.HANDLER,
         SUPERVISOR: Role.SUPERVISOR, MANAGER: Role.MANAGER, APPROVER: Role.SUPERVISOR}

# The scores of a follow-up call that left the customer satisfied, and those that did not; the
# demo draws a case's score from one of them.
SATISFIED_SCORES = (4, 5)
UNSATISFIED_SCORES = (1, 2, 3)

GIVEN = "…"  # a text the workflow asks for; the case's own comes from its template (sql.py)


@dataclass(frozen=True)
class Move:
    """One thing that happens to a case, and what the workflow needs to know to say where it leads.

    A value given as a tuple is each of several outcomes the demo draws from (the scores): they
    must all lead to the same status.
    """

    action: Action
    actor: int
    gap: int  # working days after the move before; 0 = at the moment of registration
    when: int = ALWAYS
    outcome: Mapping[str, Any] = field(default_factory=dict)


def _move(action: Action, actor: int, gap: int, when: int = ALWAYS, **outcome: Any) -> Move:
    return Move(action, actor, gap, when, outcome)


# Registration is not a transition: services.cases.register_in makes the case, registered, and
# writes the escalation of an urgent one at the same moment.
REGISTRATION = [_move(Action.REGISTER, REGISTRAR, 0),
                _move(Action.ESCALATE, REGISTRAR, 0, IF_URGENT, comment=URGENT_AT_REGISTRATION)]
PIECES: dict[str, list[Move]] = {
    "assign": [_move(Action.ASSIGN, AGENT, 1, department="QA")],
    "cause": [_move(Action.RECORD_CAUSE, HANDLER, 2, what=GIVEN, why=GIVEN, fishbone=GIVEN)],
    "propose": [_move(Action.PROPOSE, HANDLER, 1, remedy=Remedy.REFUND)],
    # Above the approval threshold a supervisor approves first and a manager second.
    "approve": [_move(Action.APPROVE, SUPERVISOR, 1, IF_TWO_APPROVALS),
                _move(Action.APPROVE, APPROVER, 1)],
    "return": [_move(Action.RETURN, SUPERVISOR, 1, comment=GIVEN)],
    "agree": [_move(Action.CUSTOMER_ANSWER, AGENT, 1, agrees=True)],
    "disagree": [_move(Action.CUSTOMER_ANSWER, AGENT, 1, agrees=False, comment=GIVEN)],
    "implement": [_move(Action.IMPLEMENT, HANDLER, 2, implementation=GIVEN, accountability=GIVEN)],
    "satisfied": [_move(Action.FOLLOW_UP, AGENT, 3, score=SATISFIED_SCORES)],
    "unsatisfied": [_move(Action.FOLLOW_UP, AGENT, 3, score=UNSATISFIED_SCORES)],
    "close": [_move(Action.CLOSE, SUPERVISOR, 5, comment=GIVEN)],
    "not_founded": [_move(Action.DECIDE_VALIDITY, AGENT, 1, founded=False, reason=GIVEN)],
}
_TO_APPROVAL = ("assign", "cause", "propose", "approve")
_TO_FOLLOW_UP = (*_TO_APPROVAL, "agree", "implement")
# What happens to the cases of each path after their registration; named by where they end.
PATHS: dict[str, tuple[str, ...]] = {
    "registered": (),
    "assigned": ("assign",),
    "investigating": ("assign", "cause"),
    "refused": (*_TO_APPROVAL, "disagree"),
    "proposed": ("assign", "cause", "propose"),
    "returned": ("assign", "cause", "propose", "return"),
    "approved": _TO_APPROVAL,
    "implementing": (*_TO_APPROVAL, "agree"),
    "follow_up": _TO_FOLLOW_UP,
    "satisfied": (*_TO_FOLLOW_UP, "satisfied"),
    "by_supervisor": (*_TO_FOLLOW_UP, "close"),
    "reopened": (*_TO_FOLLOW_UP, "unsatisfied"),
    "second_proposal": ("assign", "cause", "propose", "return", "propose", "approve", "agree",
                        "implement", "satisfied"),
    "not_founded": ("not_founded",),
}
# Working-day paces: every gap times this, at least one day.
PACES = {"fast": (0.5, 1.0), "usual": (1.0, 2.0), "slow": (2.0, 1.0)}  # factor, weight
# Age buckets: the least number of working days since registration.
BUCKETS = (0, 1, 3, 6, 11, 21, 41)
# Share of each path per age bucket. A path only goes where its timeline fits; old open cases
# are the stale, overdue ones.
SHARES: dict[str, tuple[float, ...]] = {
    "registered": (100, 15, 3, 0.5, 0.5, 0.3, 0.1),
    "assigned": (0, 40, 12, 3, 0.5, 0.5, 0.15),
    "investigating": (0, 20, 30, 8, 2, 1.5, 0.25),
    "refused": (0, 0, 1, 2, 1, 0.5, 0.1),
    "proposed": (0, 0, 20, 10, 2, 1, 0.1),
    "returned": (0, 0, 3, 3, 1, 0.5, 0.05),
    "approved": (0, 0, 8, 8, 2, 1, 0.1),
    "implementing": (0, 0, 5, 15, 5, 1.5, 0.1),
    "follow_up": (0, 0, 0, 15, 8, 2, 0.15),
    "satisfied": (0, 0, 0, 20, 55, 65, 68),
    "by_supervisor": (0, 0, 0, 0, 3, 5, 6),
    "reopened": (0, 0, 0, 2, 3, 1.5, 0.2),
    "second_proposal": (0, 0, 0, 0, 3, 4, 4),
    "not_founded": (0, 25, 15, 15, 15, 16, 16),
}
SLOTS = 1000  # a case picks its path by a hash modulo this


@dataclass(frozen=True)
class Step:
    """A move and the status the workflow leads it to."""

    move: Move
    to: Status

    @property
    def action(self) -> Action:
        return self.move.action

    @property
    def actor(self) -> int:
        return self.move.actor

    @property
    def when(self) -> int:
        return self.move.when


# -- the workflow decides --------------------------------------------------------------------------

_THRESHOLD = Decimal(1000)  # any: the walk needs amounts on both sides of an approval threshold


def _walk(moves: list[Move], two: bool, urgent: bool) -> tuple[list[Status | None], Validity]:
    """The status after each move (None: the move does not happen to this case), and the case's
    validity at the end, for a case whose amount needs two approvals or one."""
    facts = CaseFacts(Status.REGISTERED)
    amount = _THRESHOLD + 1 if two else _THRESHOLD
    proposer: Actor | None = None
    approvals: list[Actor] = []
    statuses: list[Status | None] = []
    for n, move in enumerate(moves):
        if (move.when == IF_URGENT and not urgent) or (move.when == IF_TWO_APPROVALS and not two):
            statuses.append(None)
            continue
        if move.action is Action.REGISTER:
            statuses.append(facts.status)
            continue
        role = Role.MANAGER if move.actor == APPROVER and two else ROLES[move.actor]
        actor = Actor(n + 1, f"demo {role.value}", role,
                      facts.department if role is Role.HANDLER else None)
        params = dict(move.outcome)
        if move.action is Action.ASSIGN and facts.validity is Validity.UNDECIDED:
            # The demo's cases that go to a department are founded, without an event of its own.
            facts = replace(facts, validity=Validity.FOUNDED)
        if move.action is Action.PROPOSE:
            params["amount"] = amount
            proposer, approvals = actor, []
        if move.action is Action.APPROVE:
            params.update(proposer_id=proposer.id if proposer else 0, amount=amount, threshold=_THRESHOLD,
                          prior_approvals=list(approvals))
            approvals.append(actor)
        drawn = [k for k, v in params.items() if isinstance(v, tuple)]
        targets = {transition(move.action, facts, actor, **(params | dict(zip(drawn, values, strict=True))))
                   for values in itertools.product(*(params[k] for k in drawn))}
        if len(targets) != 1:
            raise ValueError(f"the demo's {move.action.value} leads to {sorted(targets)}: "
                             "draw its outcome from values that lead to one status")
        target = targets.pop()
        if move.when != ALWAYS and target is not facts.status:
            # The statements chain a case's events over the steps that always happen.
            raise ValueError(f"the demo's optional {move.action.value} changes the status")
        facts = replace(facts, status=target)
        if move.action is Action.ASSIGN:
            facts = replace(facts, department=params["department"])
        elif move.action is Action.RECORD_CAUSE:
            facts = replace(facts, has_cause=True)
        elif move.action is Action.DECIDE_VALIDITY:
            facts = replace(facts, validity=Validity.FOUNDED if params["founded"] else Validity.NOT_FOUNDED)
        statuses.append(target)
    return statuses, facts.validity


def _steps(name: str) -> tuple[list[Step], Validity]:
    """The steps of path ``name``: the same statuses whatever the amount and the urgency."""
    moves = REGISTRATION + [m for piece in PATHS[name] for m in PIECES[piece]]
    walks = [_walk(moves, two, urgent) for two in (False, True) for urgent in (False, True)]
    steps = []
    for n, move in enumerate(moves):
        taken = {status for statuses, _ in walks if (status := statuses[n]) is not None}
        if len(taken) != 1:
            raise ValueError(f"demo path {name}: {move.action.value} leads to {sorted(taken)}")
        steps.append(Step(move, taken.pop()))
    validity = {v for _, v in walks}
    assert len(validity) == 1
    return steps, validity.pop()


# -- profiles: a path at a pace ------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """One path at one pace: the working-day offset of each of its steps."""

    pid: int
    name: str
    steps: list[tuple[Step, int]]  # (step, working days after registration)
    validity: Validity

    @property
    def status(self) -> Status:
        return self.steps[-1][0].to

    def last(self, action: Action) -> tuple[int, int]:
        """(offset, index) of the last step of ``action``; (0, 0) if none."""
        for n in range(len(self.steps) - 1, -1, -1):
            step, c = self.steps[n]
            if step.action is action:
                return c, n
        return 0, 0

    @property
    def span(self) -> int:
        return self.steps[-1][1]

    @property
    def deadline(self) -> int:
        """The deadline its cases wait for and when its clock started (a :data:`DEADLINES` number)."""
        actions = {s.action for s, _ in self.steps}
        return deadline_kind(self.status, Action.ASSIGN in actions, Action.IMPLEMENT in actions)


def profiles() -> list[Profile]:
    out: list[Profile] = []
    for name in PATHS:
        path, validity = _steps(name)
        for factor, _weight in PACES.values():
            c = 0
            steps = []
            for step in path:
                if step.move.gap:
                    c += max(1, round(step.move.gap * factor))
                steps.append((step, c))
            out.append(Profile(len(out), name, steps, validity))
    return out


# -- sla decides ---------------------------------------------------------------------------------

# The moments a case's deadlines are worked out from, and its deadlines.
STARTS = ("registered", "assigned", "implemented")
DUES = ("acknowledge", "answer", "department", "follow_up")
# demo_pick.deadline: 0 = no deadline, else 1 + the index of (due, start) here.
DEADLINES = list(itertools.product(DUES, STARTS))


def deadline_kind(status: Status, assigned: bool, implemented: bool) -> int:
    """Which deadline a case in ``status`` waits for and when its clock started, as sla's
    next_deadline and clock_start say, for a case assigned and implemented or not (a
    :data:`DEADLINES` number)."""
    moments = {name: datetime(2000, 1, 1, tzinfo=UTC) + timedelta(days=j)
               for j, name in enumerate(STARTS + DUES)}
    name_of = {moment: name for name, moment in moments.items()}
    due = next_deadline(status, CaseDeadlines(
        acknowledge=moments["acknowledge"], answer=moments["answer"],
        department=moments["department"] if assigned else None,
        follow_up=moments["follow_up"] if implemented else None))
    if due is None:
        return 0
    start = clock_start(status, moments["registered"], moments["assigned"] if assigned else None,
                        moments["implemented"] if implemented else None)
    return 1 + DEADLINES.index((name_of[due], name_of[start]))


# -- the rows of the small tables that describe the profiles --------------------------------------


def profile_rows(profs: list[Profile]) -> dict[str, list[tuple[Any, ...]]]:
    """Rows of demo_step, demo_prop and demo_appr: what each profile's timeline holds."""
    steps, props, apprs = [], [], []
    for prof in profs:
        before: Status | None = None
        proposal: dict[str, Any] | None = None
        proposals: list[dict[str, Any]] = []
        for n, (step, c) in enumerate(prof.steps):
            mult = 100
            if step.action is Action.PROPOSE:
                # A proposal that the supervisor sends back asked for too much.
                returned_later = any(s.action is Action.RETURN for s, _ in prof.steps[n + 1:n + 2])
                proposal = {"c": c, "n": n, "mult": 150 if returned_later else 100,
                            "status": ProposalStatus.PENDING, "approvals": []}
                proposals.append(proposal)
            if proposal is not None and step.action in (Action.APPROVE, Action.RETURN,
                                                       Action.CUSTOMER_ANSWER, Action.IMPLEMENT):
                mult = proposal["mult"]
            if proposal is not None:
                if step.action is Action.APPROVE:
                    proposal["approvals"].append((n, c, "approved", step.actor, step.when))
                    if step.to is Status.APPROVED:
                        proposal["status"] = ProposalStatus.APPROVED
                elif step.action is Action.RETURN:
                    proposal["approvals"].append((n, c, "returned", step.actor, step.when))
                    proposal["status"] = ProposalStatus.RETURNED
                elif step.action is Action.CUSTOMER_ANSWER:
                    proposal["status"] = (ProposalStatus.ACCEPTED if step.move.outcome["agrees"]
                                          else ProposalStatus.REFUSED)
            visibility = "customer" if step.action in (Action.CUSTOMER_ANSWER, Action.FOLLOW_UP) else "internal"
            comment, details, fixed = _step_texts(step.move)
            steps.append((prof.pid, n, step.action.value, before and before.value,
                          step.to.value, step.actor, c, step.when, visibility, mult,
                          comment, details, fixed))
            if step.when == ALWAYS:
                before = step.to
        for pno, p in enumerate(proposals):
            props.append((prof.pid, pno, p["status"].value, p["c"], p["n"], p["mult"]))
            for n, c, decision, actor, when in p["approvals"]:
                apprs.append((prof.pid, p["status"].value, n, c, decision, actor, when, p["mult"]))
    return {"demo_step": steps, "demo_prop": props, "demo_appr": apprs}


# What an event's comment and details hold, by kind; the events statement fills them in.
COMMENTS = ("''", "tp.not_founded", f"'{URGENT_AT_REGISTRATION}'", "tp.proposal", "tp.returned",
            "tp.refused", "tp.implementation", "tp.survey_good", "tp.survey_bad", "tp.closed")
DETAILS = ("fixed", "channel", "department", "fishbone", "proposal", "approval", "score")


def _step_texts(move: Move) -> tuple[int, int, str]:
    """(comment kind, details kind, fixed details) of a move."""
    a, outcome = move.action, move.outcome
    comment = {
        Action.DECIDE_VALIDITY: "tp.not_founded", Action.ESCALATE: f"'{URGENT_AT_REGISTRATION}'",
        Action.PROPOSE: "tp.proposal", Action.RETURN: "tp.returned",
        Action.IMPLEMENT: "tp.implementation", Action.CLOSE: "tp.closed",
        Action.CUSTOMER_ANSWER: "''" if outcome.get("agrees") else "tp.refused",
        Action.FOLLOW_UP: "tp.survey_good" if outcome.get("score") == SATISFIED_SCORES else "tp.survey_bad",
    }.get(a, "''")
    details = {
        Action.REGISTER: "channel", Action.ASSIGN: "department", Action.RECORD_CAUSE: "fishbone",
        Action.PROPOSE: "proposal", Action.APPROVE: "approval", Action.FOLLOW_UP: "score",
    }.get(a, "fixed")
    fixed: dict[str, Any] = {}  # as the services write them (json.dumps)
    if a is Action.DECIDE_VALIDITY:
        fixed = {"validity": (Validity.FOUNDED if outcome["founded"] else Validity.NOT_FOUNDED).value}
    elif a is Action.CUSTOMER_ANSWER:
        fixed = {"agrees": outcome["agrees"]}
    return COMMENTS.index(comment), DETAILS.index(details), json.dumps(fixed)


def pick_rows(profs: list[Profile]) -> list[tuple[Any, ...]]:
    """demo_pick: for each age bucket, SLOTS rows naming a profile in proportion to its share."""
    rows = []
    for b, least in enumerate(BUCKETS):
        weights: list[tuple[Profile, float]] = []
        for name, shares in SHARES.items():
            share = shares[b]
            fitting = [(p, PACES[pace][1]) for p, pace in zip(
                [p for p in profs if p.name == name], PACES, strict=True) if p.span <= least]
            total = sum(w for _, w in fitting)
            weights += [(p, share * w / total) for p, w in fitting if share > 0]
        whole = sum(w for _, w in weights)
        counts = [int(SLOTS * w / whole) for _, w in weights]
        rest = sorted(range(len(weights)), key=lambda j: -(SLOTS * weights[j][1] / whole - counts[j]))
        for j in rest[: SLOTS - sum(counts)]:
            counts[j] += 1
        x = 0
        for (prof, _w), count in zip(weights, counts, strict=True):
            for _ in range(count):
                rows.append((b * SLOTS + x, *_profile_columns(prof)))
                x += 1
    return rows


def _profile_columns(prof: Profile) -> tuple[Any, ...]:
    actions = [s.action for s, _ in prof.steps]
    status = prof.status
    reopened = status is Status.REOPENED
    assigned = Action.ASSIGN in actions
    implemented = Action.IMPLEMENT in actions
    # The department's clock starts again when the follow-up call reopens the case.
    c_assign, n_assign = (prof.last(Action.FOLLOW_UP) if reopened else prof.last(Action.ASSIGN))
    c_impl, n_impl = prof.last(Action.IMPLEMENT)
    c_fu, n_fu = prof.last(Action.FOLLOW_UP)
    closing = status is Status.CLOSED
    c_close, n_close = (len(prof.steps) and prof.steps[-1][1], len(prof.steps) - 1) if closing else (0, 0)
    remedy_on = False
    for s, _ in prof.steps:
        if s.action is Action.APPROVE and s.to is Status.APPROVED:
            remedy_on = True
        if s.action is Action.CUSTOMER_ANSWER and not s.move.outcome["agrees"]:
            remedy_on = False
    score = 0
    if Action.FOLLOW_UP in actions:
        last_call = prof.steps[prof.last(Action.FOLLOW_UP)[1]][0]
        score = 1 if last_call.move.outcome["score"] == SATISFIED_SCORES else 2
    closure = None
    if prof.validity is Validity.NOT_FOUNDED:
        closure = Closure.NOT_FOUNDED.value
    elif closing:
        closure = (Closure.BY_SUPERVISOR if actions[-1] is Action.CLOSE else Closure.SATISFIED).value
    bumps = sum(1 for s, _ in prof.steps[1:] if s.when == ALWAYS)
    two = any(s.when == IF_TWO_APPROVALS for s, _ in prof.steps)
    last_n = max(n for n, (s, _) in enumerate(prof.steps) if s.when == ALWAYS)
    return (prof.pid, status.value, 1 + bumps, int(two), prof.validity.value, closure, int(assigned),
            int(Action.RECORD_CAUSE in actions), int(implemented), int(remedy_on),
            score, int(closing), c_assign, n_assign, c_impl, n_impl, c_close, n_close, c_fu, n_fu,
            prof.steps[last_n][1], last_n, prof.deadline)
