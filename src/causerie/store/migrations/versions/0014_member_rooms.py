"""Rooms people make: the settings their owner and operators change (IRC channel modes:
moderated +m, invite-only +i, key +k, unlisted +s, topic locked +t), who holds a role in them
(`access`: operators +o, bans +b, invitations, by nickname key, as JSON) and since when a
member room has been empty (it ends a configurable time after its last member left).

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rooms") as batch:
        batch.add_column(
            sa.Column("moderated", sa.Boolean, nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column("invite_only", sa.Boolean, nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("room_key", sa.String(32), nullable=False, server_default=""))
        batch.add_column(
            sa.Column("unlisted", sa.Boolean, nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column("topic_locked", sa.Boolean, nullable=False, server_default=sa.true())
        )
        batch.add_column(sa.Column("access", sa.Text, nullable=False, server_default="{}"))
        batch.add_column(sa.Column("empty_since_ms", sa.BigInteger, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("rooms") as batch:
        for column in (
            "empty_since_ms",
            "access",
            "topic_locked",
            "unlisted",
            "room_key",
            "invite_only",
            "moderated",
        ):
            batch.drop_column(column)
