"""Rooms, room messages, private messages and connection records.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _profile_columns(prefix: str) -> list[sa.Column[object]]:
    return [
        sa.Column(f"{prefix}_session", sa.String(64), nullable=False),
        sa.Column(f"{prefix}_nick", sa.String(40), nullable=False),
        sa.Column(f"{prefix}_gender", sa.String(16), nullable=False),
        sa.Column(f"{prefix}_age", sa.Integer, nullable=False),
        sa.Column(f"{prefix}_dept", sa.String(3), nullable=False),
        sa.Column(f"{prefix}_region", sa.String(64), nullable=False),
    ]


def _origin_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at_ms", sa.BigInteger, nullable=False),
        sa.Column("source_address", sa.String(64), nullable=False),
        sa.Column("source_port", sa.Integer, nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "rooms",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("audience", sa.String(16), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("topic", sa.Text, nullable=False),
        sa.Column("created_at_ms", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "messages",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("room_id", sa.String(64), nullable=False),
        *_profile_columns("sender"),
        *_origin_columns(),
    )
    op.create_index("ix_messages_room_id_id", "messages", ["room_id", "id"])
    op.create_index("ix_messages_created_at_ms", "messages", ["created_at_ms"])
    op.create_table(
        "direct_messages",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
        *_profile_columns("sender"),
        *_profile_columns("recipient"),
        *_origin_columns(),
    )
    op.create_index("ix_direct_messages_sender", "direct_messages", ["sender_session", "id"])
    op.create_index("ix_direct_messages_recipient", "direct_messages", ["recipient_session", "id"])
    op.create_index("ix_direct_messages_created_at_ms", "direct_messages", ["created_at_ms"])
    op.create_table(
        "connections",
        sa.Column("session", sa.String(64), primary_key=True),
        sa.Column("nick", sa.String(40), nullable=False),
        sa.Column("gender", sa.String(16), nullable=False),
        sa.Column("age", sa.Integer, nullable=False),
        sa.Column("postcode", sa.String(5), nullable=False),
        sa.Column("dept", sa.String(3), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("port", sa.Integer, nullable=False),
        sa.Column("device", sa.String(64), nullable=False),
        sa.Column("user_agent", sa.String(256), nullable=False),
        sa.Column("protocol", sa.String(8), nullable=False),
        sa.Column("connected_at_ms", sa.BigInteger, nullable=False),
        sa.Column("disconnected_at_ms", sa.BigInteger, nullable=True),
    )
    op.create_index("ix_connections_nick", "connections", ["nick"])
    op.create_index("ix_connections_address", "connections", ["address"])
    op.create_index("ix_connections_connected_at_ms", "connections", ["connected_at_ms"])


def downgrade() -> None:
    op.drop_table("connections")
    op.drop_table("direct_messages")
    op.drop_table("messages")
    op.drop_table("rooms")
