"""Bring a database up to date with the migrations; tell the current and head revisions."""

from __future__ import annotations

from importlib.resources import files
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from alembic.config import Config

SEARCH_TABLE = "case_search"
# The newest migration. A database already there opens without loading Alembic at all (a test
# keeps this equal to Alembic's own head).
HEAD = "0035"


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Leave the search index out of model comparisons: it is engine-specific (an FTS5 virtual
    table on SQLite, whose shadow tables share its prefix) and lives outside the models."""
    return not (type_ == "table" and name is not None and name.startswith(SEARCH_TABLE))


def alembic_config(url: str = "") -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(files("kesu_desk.store") / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        try:
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        except DBAPIError:  # no such table: a new, empty database
            return None
        return str(row[0]) if row else None


def upgrade(engine: Engine) -> tuple[str | None, str | None]:
    """Migrate to head when needed; returns (revision before, revision after)."""
    before = current_revision(engine)
    if before == HEAD:
        return before, HEAD
    from alembic import command

    head = head_revision()
    if before != head:
        cfg = alembic_config(engine.url.render_as_string(hide_password=False))
        with engine.connect() as conn:
            # One write transaction; on SQLite it takes the lock first so terminals starting
            # together migrate one after the other.
            conn = conn.execution_options(kesu_write=True)
            with conn.begin():
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
    return before, head
