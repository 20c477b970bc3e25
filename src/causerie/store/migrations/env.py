"""Alembic environment: runs on the connection the store hands over (see store/sql.py).

There is no alembic.ini: migrations run from `causerie db upgrade` or at server start, always
on a connection the caller opened, so the URL and engine options live in one place.
"""

from __future__ import annotations

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `causerie db upgrade`")

context.configure(connection=connection, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
