"""The migrations build exactly the schema the models describe, and bring older databases up."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

from kesu_desk.config import Settings
from kesu_desk.services.desk import Desk
from kesu_desk.store import schema
from kesu_desk.store.engine import make_engine
from kesu_desk.store.schema import include_object


def test_models_and_migrations_agree(desk: Desk) -> None:
    with desk.engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn, opts={"include_object": include_object, "compare_type": True}
        )
        assert compare_metadata(ctx, SQLModel.metadata) == []


def test_app_brings_an_older_database_up_to_date(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    cfg = schema.alembic_config(sqlite_url)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        command.downgrade(cfg, "base")
    assert "cases" not in inspect(engine).get_table_names()
    engine.dispose()

    desk = Desk.open(Settings(db=sqlite_url))
    assert schema.current_revision(desk.engine) == schema.head_revision()
    assert {"cases", "case_events", "departments"} <= set(inspect(desk.engine).get_table_names())
    desk.close()
