"""Games (docs/games.md): the games each room allows, each run's record and the events it was
handed (another node replays them to take it over), and the points awarded, keyed by run,
event and index so a replay never counts them twice.

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "room_games",
        sa.Column("room_id", sa.String(64), primary_key=True),
        sa.Column("game", sa.String(32), primary_key=True),
    )
    op.create_table(
        "game_runs",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("place", sa.String(128), nullable=False),
        sa.Column("game", sa.String(32), nullable=False),
        sa.Column("seed", sa.BigInteger, nullable=False),
        sa.Column("band", sa.String(8), nullable=False),
        sa.Column("started_by", sa.String(40), nullable=False),
        sa.Column("options", sa.Text, nullable=False, server_default=""),
        sa.Column("players", sa.Text, nullable=False, server_default="[]"),
        sa.Column("started_at_ms", sa.BigInteger, nullable=False),
        sa.Column("ended_at_ms", sa.BigInteger, nullable=True),
    )
    op.create_index("ix_game_runs_place", "game_runs", ["place", "ended_at_ms"])
    op.create_table(
        "game_events",
        sa.Column("run_id", sa.String(40), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("event", sa.Text, nullable=False),
    )
    op.create_table(
        "game_awards",
        sa.Column("run_id", sa.String(40), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("idx", sa.Integer, primary_key=True),
        sa.Column("place", sa.String(128), nullable=False),
        sa.Column("game", sa.String(32), nullable=False),
        sa.Column("nick", sa.String(40), nullable=False),
        sa.Column("nick_key", sa.String(40), nullable=False),
        sa.Column("points", sa.Integer, nullable=False),
        sa.Column("at_ms", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_game_awards_place", "game_awards", ["place", "at_ms"])


def downgrade() -> None:
    op.drop_index("ix_game_awards_place", "game_awards")
    op.drop_table("game_awards")
    op.drop_table("game_events")
    op.drop_index("ix_game_runs_place", "game_runs")
    op.drop_table("game_runs")
    op.drop_table("room_games")
