"""Rooms the operator manages: a member limit, an owner (None for an official room; member
rooms later), when a room was archived (kept, not deleted: its messages stay under the
retention and evidence rules) and when it last changed (nodes reload rooms that changed).

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rooms") as batch:
        batch.add_column(sa.Column("member_limit", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("owner", sa.String(40), nullable=True))
        batch.add_column(sa.Column("archived_at_ms", sa.BigInteger, nullable=True))
        batch.add_column(
            sa.Column("updated_at_ms", sa.BigInteger, nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("rooms") as batch:
        batch.drop_column("updated_at_ms")
        batch.drop_column("archived_at_ms")
        batch.drop_column("owner")
        batch.drop_column("member_limit")
