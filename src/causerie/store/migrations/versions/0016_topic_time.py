"""When a room's topic last changed (IRC's 333 RPL_TOPICWHOTIME): set with the topic's text,
0 for a room without one. Rooms that have a topic already start from their creation time.

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rooms") as batch:
        batch.add_column(
            sa.Column("topic_set_at_ms", sa.BigInteger, nullable=False, server_default="0")
        )
    op.execute("UPDATE rooms SET topic_set_at_ms = created_at_ms WHERE topic <> ''")


def downgrade() -> None:
    with op.batch_alter_table("rooms") as batch:
        batch.drop_column("topic_set_at_ms")
