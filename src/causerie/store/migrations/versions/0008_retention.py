"""Retention: legal holds, where purged messages and pictures came from, and the audit log's
checkpoint once its oldest entries are purged.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "legal_holds",
        sa.Column("reference", sa.String(128), primary_key=True),
        sa.Column("scope", sa.String(8), nullable=False),
        sa.Column("nick", sa.String(40), nullable=True),
        sa.Column("room_id", sa.String(64), nullable=True),
        sa.Column("from_ms", sa.BigInteger, nullable=False),
        sa.Column("to_ms", sa.BigInteger, nullable=False),
        sa.Column("operator", sa.String(40), nullable=False),
        sa.Column("created_at_ms", sa.BigInteger, nullable=False),
        sa.Column("released_at_ms", sa.BigInteger, nullable=True),
        sa.Column("released_by", sa.String(40), nullable=True),
    )
    op.create_table(
        "message_origins",
        sa.Column("kind", sa.String(8), primary_key=True),
        sa.Column("ref", sa.String(32), primary_key=True),
        sa.Column("room_id", sa.String(64), nullable=True),
        sa.Column("session", sa.String(64), nullable=False),
        sa.Column("nick", sa.String(40), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("port", sa.Integer, nullable=False),
        sa.Column("created_at_ms", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_message_origins_created_at_ms", "message_origins", ["created_at_ms"])
    op.create_index("ix_message_origins_nick", "message_origins", ["nick"])
    op.create_index("ix_message_origins_address", "message_origins", ["address"])
    op.create_table(
        "audit_checkpoints",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("purged_at_ms", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("audit_checkpoints")
    op.drop_index("ix_message_origins_address", "message_origins")
    op.drop_index("ix_message_origins_nick", "message_origins")
    op.drop_index("ix_message_origins_created_at_ms", "message_origins")
    op.drop_table("message_origins")
    op.drop_table("legal_holds")
