"""Reports (and automatic flags and appeals, which share the queue) and statements of reasons.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reports",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer, "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("category", sa.String(24), nullable=False),
        sa.Column("severity", sa.Integer, nullable=False),
        sa.Column("lane", sa.String(12), nullable=False),
        sa.Column("reporter_session", sa.String(64), nullable=True),
        sa.Column("reporter_nick", sa.String(40), nullable=True),
        sa.Column("reporter_contact", sa.String(200), nullable=True),
        sa.Column("good_faith", sa.Boolean, nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("rule", sa.String(64), nullable=True),
        sa.Column("target_nick", sa.String(40), nullable=False),
        sa.Column("target_session", sa.String(64), nullable=True),
        sa.Column("message_id", sa.BigInteger, nullable=True),
        sa.Column("room_id", sa.String(64), nullable=True),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("statement_id", sa.String(32), nullable=True),
        sa.Column("assigned_to", sa.String(40), nullable=True),
        sa.Column("decided_by", sa.String(40), nullable=True),
        sa.Column("decision", sa.Text, nullable=True),
        sa.Column("created_at_ms", sa.BigInteger, nullable=False),
        sa.Column("updated_at_ms", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_reports_state", "reports", ["state", "severity"])
    op.create_index("ix_reports_target_session", "reports", ["target_session"])
    op.create_table(
        "statements",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("session", sa.String(64), nullable=False),
        sa.Column("nick", sa.String(40), nullable=False),
        sa.Column("decision", sa.String(24), nullable=False),
        sa.Column("ground", sa.String(32), nullable=False),
        sa.Column("is_automatic", sa.Boolean, nullable=False),
        sa.Column("actor", sa.String(40), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("decided_at_ms", sa.BigInteger, nullable=False),
        sa.Column("appeal_until_ms", sa.BigInteger, nullable=False),
        sa.Column("report_id", sa.BigInteger, nullable=True),
        sa.Column("appealed_at_ms", sa.BigInteger, nullable=True),
        sa.Column("appeal_text", sa.Text, nullable=True),
        sa.Column("appeal_outcome", sa.String(12), nullable=True),
    )
    op.create_index("ix_statements_session", "statements", ["session"])


def downgrade() -> None:
    op.drop_table("statements")
    op.drop_table("reports")
