"""Pictures: one row per upload, the exact hashes moderators removed, the link from a message
to its picture, whether a room takes pictures, and the hash of each session's HTTP token.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "media",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("thumb_sha256", sa.String(64), nullable=False),
        sa.Column("original_sha256", sa.String(64), nullable=False),
        sa.Column("pdq", sa.String(64), nullable=False),
        sa.Column("pdq_quality", sa.Integer, nullable=False),
        sa.Column("mime", sa.String(32), nullable=False),
        sa.Column("width", sa.Integer, nullable=False),
        sa.Column("height", sa.Integer, nullable=False),
        sa.Column("bytes", sa.Integer, nullable=False),
        sa.Column("uploader_session", sa.String(64), nullable=False),
        sa.Column("uploader_nick", sa.String(40), nullable=False),
        sa.Column("source_address", sa.String(64), nullable=False),
        sa.Column("source_port", sa.Integer, nullable=False),
        sa.Column("created_at_ms", sa.BigInteger, nullable=False),
        sa.Column("message_id", sa.BigInteger, nullable=True),
        sa.Column("room_id", sa.String(64), nullable=True),
        sa.Column("recipient_session", sa.String(64), nullable=True),
    )
    op.create_index("ix_media_created_at_ms", "media", ["created_at_ms"])
    op.create_index("ix_media_sha256", "media", ["sha256"])
    op.create_index("ix_media_uploader_session", "media", ["uploader_session"])
    op.create_table(
        "media_blocklist",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("media_id", sa.String(32), nullable=True),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("actor", sa.String(40), nullable=False),
        sa.Column("created_at_ms", sa.BigInteger, nullable=False),
    )
    with op.batch_alter_table("connections") as batch:
        batch.add_column(sa.Column("token_sha256", sa.String(64), nullable=True))
        batch.create_index("ix_connections_token_sha256", ["token_sha256"])
    for table in ("messages", "direct_messages"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("media_id", sa.String(32), nullable=True))
            batch.create_index(f"ix_{table}_media_id", ["media_id"])
    with op.batch_alter_table("rooms") as batch:
        batch.add_column(
            sa.Column("pictures", sa.Boolean, nullable=False, server_default=sa.true())
        )
    # Teen rooms start without pictures (DESIGN.md rule 4: minors get none from strangers).
    op.execute("UPDATE rooms SET pictures = false WHERE audience = 'teen'")


def downgrade() -> None:
    with op.batch_alter_table("rooms") as batch:
        batch.drop_column("pictures")
    for table in ("messages", "direct_messages"):
        with op.batch_alter_table(table) as batch:
            batch.drop_index(f"ix_{table}_media_id")
            batch.drop_column("media_id")
    with op.batch_alter_table("connections") as batch:
        batch.drop_index("ix_connections_token_sha256")
        batch.drop_column("token_sha256")
    op.drop_table("media_blocklist")
    op.drop_index("ix_media_uploader_session", "media")
    op.drop_index("ix_media_sha256", "media")
    op.drop_index("ix_media_created_at_ms", "media")
    op.drop_table("media")
