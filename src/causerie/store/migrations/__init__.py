"""Alembic migrations: one history for SQLite and PostgreSQL, applied by `causerie db upgrade`."""
