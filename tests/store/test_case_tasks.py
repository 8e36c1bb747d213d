"""Issue 13: the tasks a case carries (returned defectives, the Spanish chain's questionnaire and
hand-over sheet), on SQLite and PostgreSQL: put on a case from a template, done in order unless a
step runs alongside, a handler on their own department's steps only, owners of the step's
department, two terminals at once, and every change on the timeline."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from casesteps import signed_in
from kesu_desk.domain.errors import AccessDenied, DeskError
from kesu_desk.services import case_tasks, departments, users
from kesu_desk.services.desk import Desk
from kesu_desk.services.views import CaseView

Register = Callable[..., CaseView]
SEED_DEPARTMENTS = ("WH", "RND", "PE", "PLAN", "PROD")


@pytest.fixture
def maker(desk: Desk, people: Any) -> None:
    """The water-purifier maker's departments besides the seven defaults (seed 002, 4.2–4.7)."""
    for code in SEED_DEPARTMENTS:
        departments.add_department(desk, code, zh=code, en=code, es=code)
    users.add_user(desk, "wh.li", "handler", "WH")


def test_returned_defectives_are_done_step_by_step_on_the_timeline(
    desk: Desk, maker: None, register: Register
) -> None:
    number = register().number
    steps = case_tasks.add_template(desk, "ag", number, "returned_defectives")
    assert [s.key for s in steps][:3] == ["receipt", "qa_test", "rnd_opinion"]
    assert steps[0].department == "WH" and steps[0].due_at < steps[1].due_at
    with pytest.raises(DeskError) as early:
        case_tasks.mark_done(desk, "hq", number, "qa_test")
    assert early.value.code == "task_out_of_order"
    case_tasks.assign_task(desk, "ag", number, "receipt", "wh.li")
    done = case_tasks.mark_done(desk, "wh.li", number, "receipt", note="收到三台")
    assert (done.done_by, done.note, done.owner) == ("wh.li", "收到三台", "wh.li")
    case_tasks.mark_done(desk, "hq", number, "qa_test")
    # a step the template runs alongside may be done at any time
    parallel = [s for s in steps if s.parallel]
    if parallel:
        case_tasks.mark_done(desk, "ag", number, parallel[0].key)
    changes = [e.details.get("change") for e in case_tasks.cases.get_case(desk, number).timeline if e.action == "task"]
    assert changes[:4] == ["added", "assigned", "done", "done"]


def test_a_template_naming_departments_the_desk_lacks_writes_nothing(desk: Desk, people: Any,
                                                                     register: Register) -> None:
    number = register().number
    with pytest.raises(DeskError) as refused:
        case_tasks.add_template(desk, "ag", number, "returned_defectives")
    assert refused.value.code == "task_departments_missing" and "RND" in refused.value.params["departments"]
    assert case_tasks.list_tasks(desk, number) == []


def test_a_handler_works_on_their_own_departments_steps_and_owners_belong_to_it(
    desk: Desk, maker: None, register: Register
) -> None:
    number = register().number
    case_tasks.add_template(desk, "ag", number, "returned_defectives")
    with signed_in(desk, "hq"), pytest.raises(AccessDenied):
        case_tasks.mark_done(desk, "hq", number, "receipt")  # the warehouse's step
    with pytest.raises(DeskError) as wrong_owner:
        case_tasks.assign_task(desk, "ag", number, "receipt", "hq")
    assert wrong_owner.value.code == "task_owner_department"
    with pytest.raises(DeskError):
        case_tasks.add_template(desk, "ag", number, "returned_defectives")  # carried already


def test_two_terminals_marking_the_same_step_at_once_one_does(desk: Desk, maker: None, register: Register) -> None:
    number = register().number
    case_tasks.add_template(desk, "ag", number, "returned_defectives")
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def mark(who: str) -> None:
        barrier.wait()
        try:
            case_tasks.mark_done(desk, who, number, "receipt")
            outcomes.append("done")
        except DeskError as refused:
            outcomes.append(refused.code)

    threads = [threading.Thread(target=mark, args=(who,)) for who in ("ag", "wh.li")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["done", "task_done_already"]
    assert [e.details.get("change") for e in case_tasks.cases.get_case(desk, number).timeline
            if e.action == "task"].count("done") == 1
