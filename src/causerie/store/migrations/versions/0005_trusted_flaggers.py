"""Trusted flaggers: people whose reports get their own priority lane (DSA art. 22), kept by
the staff.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trusted_flaggers",
        sa.Column("nick_key", sa.String(40), primary_key=True),
        sa.Column("nick", sa.String(40), nullable=False),
        sa.Column("added_by", sa.String(40), nullable=False),
        sa.Column("added_at_ms", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("trusted_flaggers")
