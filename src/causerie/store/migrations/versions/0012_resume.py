"""Coming back after a loss: each connection record keeps its person (the first session of a
chain of resumes), the digest of its single-use resume secret, until when that secret may be
used, and what the session carried when its connection was lost (rooms, contacts, blocks).

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("connections") as batch:
        batch.add_column(sa.Column("person", sa.String(64), nullable=True))
        batch.add_column(sa.Column("resume_sha256", sa.String(64), nullable=True))
        batch.add_column(sa.Column("resume_until_ms", sa.BigInteger, nullable=True))
        batch.add_column(sa.Column("carried", sa.Text, nullable=True))
    op.create_index("ix_connections_person", "connections", ["person"])
    op.create_index("ix_connections_resume_until_ms", "connections", ["resume_until_ms"])


def downgrade() -> None:
    op.drop_index("ix_connections_resume_until_ms", "connections")
    op.drop_index("ix_connections_person", "connections")
    with op.batch_alter_table("connections") as batch:
        batch.drop_column("carried")
        batch.drop_column("resume_until_ms")
        batch.drop_column("resume_sha256")
        batch.drop_column("person")
