"""Task templates (issue 13): the templates shipped in assets/tasks/ and those of the user's config
folder (``<config folder>/tasks/<name>.toml``, which replace a shipped one of the same name)."""

from __future__ import annotations

import re
import tomllib
from datetime import datetime
from importlib.resources import files
from pathlib import Path

from kesu_desk.config import config_path
from kesu_desk.domain.tasks import BadTaskTemplate, TaskStep, TaskTemplate, parse_template
from kesu_desk.sla import Calendar

_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")


def user_templates_dir() -> Path:
    """Where a desk's own templates live: ``tasks/`` next to the config file."""
    return config_path().parent / "tasks"


def _shipped() -> dict[str, str]:
    folder = files("kesu_desk.assets") / "tasks"
    return {entry.name.removesuffix(".toml"): entry.read_text(encoding="utf-8")
            for entry in folder.iterdir() if entry.name.endswith(".toml")}


def _own(folder: Path) -> dict[str, Path]:
    if not folder.is_dir():
        return {}
    return {path.stem: path for path in folder.glob("*.toml") if _NAME.fullmatch(path.stem)}


def template_names(folder: Path | None = None) -> list[str]:
    """The templates a case can carry, shipped and the desk's own, sorted."""
    return sorted(set(_shipped()) | set(_own(folder or user_templates_dir())))


def load_template(name: str, folder: Path | None = None) -> TaskTemplate:
    """The template ``name``: the desk's own file wins over the shipped one."""
    own = _own(folder or user_templates_dir())
    shipped = _shipped()
    if name in own:
        text, where = own[name].read_text(encoding="utf-8"), str(own[name])
    elif name in shipped:
        text, where = shipped[name], name
    else:
        raise BadTaskTemplate("unknown_template", template=name,
                                allowed=", ".join(sorted(set(shipped) | set(own))))
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise BadTaskTemplate("not_toml", template=where, reason=str(error)) from error
    return parse_template(name, data)


def missing_departments(template: TaskTemplate, known: set[str] | frozenset[str]) -> list[str]:
    """The departments the template names that the desk does not have, sorted."""
    return sorted(template.departments - set(known))


def plan(template: TaskTemplate, start: datetime, calendar: Calendar) -> list[tuple[TaskStep, datetime]]:
    """The template's steps with their due times on the desk's working-day calendar."""
    return template.schedule(start, calendar.add_working_days)
