"""The tasks a case carries (issue 13): the steps of a task template (assets/tasks/, or the desk's
own in its config folder) put on a case — returned defectives: warehouse receipt → QA test and
marking → R&D opinion → PE parts → planning → workshop repair → re-test → dispatch; the Spanish
chain's investigation questionnaire and hand-over sheet. Each step has its department, an owner,
a due time on the desk's working days, and is done in order unless the template says it runs
alongside. Every change is on the case's timeline."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from kesu_desk.domain import workflow
from kesu_desk.domain.errors import AccessDenied, DeskError, InvalidInput
from kesu_desk.domain.limits import TEXT_LIMITS, TOO_LONG
from kesu_desk.domain.vocabulary import Action, Role
from kesu_desk.services import cases
from kesu_desk.services.desk import Desk
from kesu_desk.services.tasks import load_template, missing_departments, plan
from kesu_desk.sla import as_utc, utcnow
from kesu_desk.store import case_tasks as store
from kesu_desk.store.models import Case, CaseTask
from kesu_desk.store.uow import UnitOfWork
from kesu_desk.text import one_line


@dataclass(frozen=True)
class TaskView:
    template: str
    key: str
    position: int
    title: dict[str, str]
    department: str
    owner: str | None
    due_at: datetime
    done_at: datetime | None
    done_by: str | None
    note: str
    parallel: bool

    def title_in(self, lang: str) -> str:
        return self.title.get(lang) or self.title.get("en") or self.key

    def overdue(self, now: datetime) -> bool:
        return self.done_at is None and as_utc(self.due_at) < as_utc(now)


def _tasks(uow: UnitOfWork, case: Case) -> list[CaseTask]:
    return store.of_case(uow.session, case)


def _views(uow: UnitOfWork, rows: list[CaseTask]) -> list[TaskView]:
    names = store.user_names(uow.session, {i for r in rows for i in (r.owner_id, r.done_by) if i is not None})
    return [TaskView(r.template, r.step_key, r.position, json.loads(r.title), r.department_code,
                     names.get(r.owner_id or 0), r.due_at, r.done_at, names.get(r.done_by or 0), r.note, r.parallel)
            for r in rows]


def list_tasks(desk: Desk, number: str) -> list[TaskView]:
    """The case's tasks, template by template, in order (whoever may see the case)."""
    with desk.uow(write=False) as uow:
        case = cases._visible_case(desk, uow, number)
        return _views(uow, _tasks(uow, case))


def add_template(desk: Desk, actor: str, number: str, template: str) -> list[TaskView]:
    """Put every step of ``template`` on the case, due on the desk's working days from now.
    Refused, with nothing written, when a department it names does not exist or is retired, or
    when the case already carries it."""
    desk.check_actor(actor)
    chosen = load_template(template)
    with desk.uow() as uow:
        who = uow.users.actor(actor)
        case = cases._for_change(desk, uow, number, None)
        workflow.check(Action.TASK, cases.case_facts(case), who)
        active = {d.code for d in uow.users.departments(active_only=True)}
        if missing := missing_departments(chosen, active):
            raise DeskError("task_departments_missing", template=chosen.name, departments=", ".join(missing))
        if any(t.template == chosen.name for t in _tasks(uow, case)):
            raise DeskError("task_template_carried", template=chosen.name, number=case.number)
        now = utcnow()
        assert case.id is not None
        for position, (step, due) in enumerate(plan(chosen, now, desk.calendar), start=1):
            uow.session.add(CaseTask(
                case_id=case.id, template=chosen.name, step_key=step.key, position=position,
                title=json.dumps(dict(step.title), ensure_ascii=False), department_code=step.department,
                parallel=step.parallel, due_at=due, note=""))
        uow.session.flush()
        uow.events.write(case, who, Action.TASK, case.status, case.status, now=now, change="added",
                         template=chosen.name, steps=len(chosen.steps))
        views = _views(uow, _tasks(uow, case))
        uow.commit()
        return views


def _step(uow: UnitOfWork, case: Case, key: str) -> CaseTask:
    rows = [t for t in _tasks(uow, case) if t.step_key == key]
    if not rows:
        raise DeskError("task_unknown", number=case.number, step=key)
    if len(rows) > 1:  # the same step key in two templates the case carries: name it template:step
        raise DeskError("task_ambiguous", number=case.number, step=key)
    return rows[0]


def _find(uow: UnitOfWork, case: Case, key: str) -> CaseTask:
    template, _, step = key.rpartition(":")
    if template:
        rows = [t for t in _tasks(uow, case) if (t.template, t.step_key) == (template, step)]
        if not rows:
            raise DeskError("task_unknown", number=case.number, step=key)
        return rows[0]
    return _step(uow, case, key)


def _may_work_on(who: workflow.Actor, task: CaseTask) -> None:
    """A handler works on their own department's steps; agents and staff on any."""
    if who.role is Role.HANDLER and who.department != task.department_code:
        raise AccessDenied("task_other_department", user=who.name, department=task.department_code)


@contextmanager
def _step_change(desk: Desk, actor: str, number: str, step: str
                 ) -> Iterator[tuple[UnitOfWork, workflow.Actor, Case, CaseTask]]:
    """The unit of work changing step ``step`` of case ``number`` as ``actor``: the case locked
    and visible to them, the step found, and theirs to work on."""
    desk.check_actor(actor)
    with desk.uow() as uow:
        who = uow.users.actor(actor)
        case = cases._for_change(desk, uow, number, None)
        workflow.check(Action.TASK, cases.case_facts(case), who)
        task = _find(uow, case, step)
        _may_work_on(who, task)
        yield uow, who, case, task


def mark_done(desk: Desk, actor: str, number: str, step: str, *, note: str = "") -> TaskView:
    """Step ``step`` (its key, or ``template:key``) done, with an optional note. Not before the
    step before it, unless the template runs it alongside; of two terminals marking it at once,
    one does and the other is told it is done already."""
    note = " ".join(note.split())
    if len(note) > TEXT_LIMITS["task_note"]:
        raise InvalidInput("invalid_input", errors={"task_note": TOO_LONG})
    with _step_change(desk, actor, number, step) as (uow, who, case, task):
        if task.done_at is not None:
            raise DeskError("task_done_already", step=task.step_key)
        siblings = [t for t in _tasks(uow, case) if t.template == task.template]
        before = [t for t in siblings if t.position == task.position - 1]
        if not task.parallel and before and before[0].done_at is None:
            raise DeskError("task_out_of_order", step=task.step_key, previous=before[0].step_key)
        now = utcnow()
        # The row changes only while still open: a second terminal at the same instant finds
        # it done and writes nothing.
        assert task.id is not None
        if not store.mark_done(uow.session, task.id, now, who.id, note):
            raise DeskError("task_done_already", step=task.step_key)
        uow.events.write(case, who, Action.TASK, case.status, case.status, now=now, change="done",
                         template=task.template, step=task.step_key, note=note or None)
        uow.session.refresh(task)
        [view] = _views(uow, [task])
        uow.commit()
        return view


def assign_task(desk: Desk, actor: str, number: str, step: str, owner: str) -> TaskView:
    """Give step ``step`` an owner: a desk user of the step's department (or staff)."""
    with _step_change(desk, actor, number, step) as (uow, who, case, task):
        person = uow.users.actor(owner)
        if person.role is Role.HANDLER and person.department != task.department_code:
            raise DeskError("task_owner_department", user=person.name, department=task.department_code)
        task.owner_id = person.id
        uow.session.add(task)
        uow.events.write(case, who, Action.TASK, case.status, case.status, now=utcnow(), change="assigned",
                         template=task.template, step=task.step_key, owner=one_line(person.name))
        uow.session.flush()
        [view] = _views(uow, [task])
        uow.commit()
        return view
