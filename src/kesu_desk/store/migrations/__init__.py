"""Alembic migrations of the case store (run by the app and by ``kesu-desk db upgrade``)."""
