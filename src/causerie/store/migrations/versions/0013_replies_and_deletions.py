"""Replies and messages taken back by their authors: a room or private message may name the
message it answers (`reply_to`), and a private message may be deleted by its sender like a
room message (`deleted_at_ms`: never shown again, kept for the moderators' evidence).

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("reply_to", sa.BigInteger, nullable=True))
    with op.batch_alter_table("direct_messages") as batch:
        batch.add_column(sa.Column("reply_to", sa.BigInteger, nullable=True))
        batch.add_column(sa.Column("deleted_at_ms", sa.BigInteger, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("direct_messages") as batch:
        batch.drop_column("deleted_at_ms")
        batch.drop_column("reply_to")
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("reply_to")
