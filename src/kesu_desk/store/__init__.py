"""Persistence: SQLModel tables, engine factory, migrations, queries and the unit of work."""
