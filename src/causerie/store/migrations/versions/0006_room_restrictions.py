"""A room's lock and slow mode, kept across restarts.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rooms") as batch:
        batch.add_column(sa.Column("locked", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("slow_mode_s", sa.Float, nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("rooms") as batch:
        batch.drop_column("slow_mode_s")
        batch.drop_column("locked")
