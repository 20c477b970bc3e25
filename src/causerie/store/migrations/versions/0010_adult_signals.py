"""Signals that a "teen" is an adult: the profiles declared from one address within a window
(connection records by address and time, newest first), and every flag and report about a
person by nickname as well as by session (the moderator's view of a person's signals).

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_connections_address_connected_at_ms", "connections", ["address", "connected_at_ms"]
    )
    op.create_index("ix_reports_target_nick", "reports", ["target_nick", "created_at_ms"])


def downgrade() -> None:
    op.drop_index("ix_reports_target_nick", "reports")
    op.drop_index("ix_connections_address_connected_at_ms", "connections")
