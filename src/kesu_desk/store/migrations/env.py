"""Alembic environment: runs on the connection the caller hands over, or on the configured URL."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlmodel import SQLModel

from kesu_desk.store import models  # noqa: F401  (registers the tables)
from kesu_desk.store.engine import make_engine
from kesu_desk.store.schema import include_object


def run(connection: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        include_object=include_object,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    engine = make_engine(context.config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as conn:
        run(conn)
