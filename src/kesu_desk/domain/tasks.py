"""Task templates a case can carry (issue 13): the steps of a flow as data, not code.

A template is a TOML document (assets/tasks/<name>.toml, overridable in the user's config folder):
``[[step]]`` tables, each with ``key``, ``title = {zh, en, es}``, ``department`` (a department
code), ``due_days`` (working days after the previous step, or after the start for the first),
optional ``parallel`` (may be done before the previous step) and ``checklist`` (items or questions).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kesu_desk.domain.errors import DeskError

LANGS = ("zh", "en", "es")
MAX_DUE_DAYS = 365
_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
_DEPARTMENT = re.compile(r"[A-Z][A-Z0-9_]{0,19}")


class BadTaskTemplate(DeskError):
    """A task template file that cannot be used; ``params`` name the template, step and what is wrong."""

    catalogue = "tasks"


@dataclass(frozen=True)
class TaskStep:
    key: str
    title: Mapping[str, str]
    department: str
    due_days: int
    parallel: bool = False
    checklist: tuple[str, ...] = ()

    def title_in(self, lang: str) -> str:
        return self.title.get(lang) or self.title["en"]


@dataclass(frozen=True)
class TaskTemplate:
    name: str
    steps: tuple[TaskStep, ...]

    @property
    def departments(self) -> frozenset[str]:
        return frozenset(step.department for step in self.steps)

    def step(self, key: str) -> TaskStep:
        for step in self.steps:
            if step.key == key:
                return step
        raise BadTaskTemplate("unknown_step", template=self.name, step=key,
                                allowed=", ".join(s.key for s in self.steps))

    def may_finish(self, key: str, done: set[str] | frozenset[str]) -> bool:
        """Whether step ``key`` may be marked done when the steps ``done`` are: the previous
        step must be done first unless the step is parallel."""
        index = [s.key for s in self.steps].index(self.step(key).key)
        return index == 0 or self.steps[index].parallel or self.steps[index - 1].key in done

    def schedule(self, start: datetime, add_working_days: Callable[[datetime, int], datetime]
                 ) -> list[tuple[TaskStep, datetime]]:
        """Each step with its due time: ``due_days`` working days after the previous step's due
        time (after ``start`` for the first step and for a parallel step)."""
        planned: list[tuple[TaskStep, datetime]] = []
        previous = start
        for step in self.steps:
            base = start if step.parallel else previous
            due = add_working_days(base, step.due_days)
            planned.append((step, due))
            previous = max(previous, due)
        return planned


def parse_template(name: str, data: Mapping[str, Any]) -> TaskTemplate:
    """The template ``name`` from its parsed TOML; BadTaskTemplate names the first problem."""
    steps = data.get("step")
    if not isinstance(steps, list) or not steps:
        raise BadTaskTemplate("no_steps", template=name)
    parsed: list[TaskStep] = []
    for number, raw in enumerate(steps, start=1):
        parsed.append(_step(name, number, raw))
    keys = [step.key for step in parsed]
    for key in keys:
        if keys.count(key) > 1:
            raise BadTaskTemplate("duplicate_step", template=name, step=key)
    return TaskTemplate(name=name, steps=tuple(parsed))


def _step(name: str, number: int, raw: Any) -> TaskStep:
    def bad(what: str) -> BadTaskTemplate:
        return BadTaskTemplate("bad_step", template=name, step=str(number), what=what)

    if not isinstance(raw, dict):
        raise bad("table")
    key = raw.get("key")
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        raise bad("key")
    title = raw.get("title")
    if not isinstance(title, dict) or any(not isinstance(title.get(lang), str) or not title[lang].strip()
                                          for lang in LANGS):
        raise bad("title")
    department = raw.get("department")
    if not isinstance(department, str) or not _DEPARTMENT.fullmatch(department):
        raise bad("department")
    due_days = raw.get("due_days")
    if isinstance(due_days, bool) or not isinstance(due_days, int) or not 0 <= due_days <= MAX_DUE_DAYS:
        raise bad("due_days")
    parallel = raw.get("parallel", False)
    if not isinstance(parallel, bool):
        raise bad("parallel")
    checklist = raw.get("checklist", [])
    if not isinstance(checklist, list) or any(not isinstance(item, str) or not item.strip() for item in checklist):
        raise bad("checklist")
    unknown = set(raw) - {"key", "title", "department", "due_days", "parallel", "checklist"}
    if unknown:
        raise bad(sorted(unknown)[0])
    return TaskStep(key=key, title={lang: title[lang].strip() for lang in LANGS}, department=department,
                    due_days=due_days, parallel=parallel, checklist=tuple(item.strip() for item in checklist))
