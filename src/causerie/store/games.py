"""The games half of `SqlStore` (docs/games.md): which games a room allows, each run's record
and event log (another node replays it to take a game over), and the points awarded. A mixin:
it uses the store's engine.

Awards are keyed by (run, event sequence, index): a node replaying a run after a takeover
stores them again and nothing is counted twice.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from causerie.store import schema


@dataclass(frozen=True, slots=True)
class StoredRun:
    """A game run as started: enough to make the same game again."""

    id: str
    place: str
    game: str
    seed: int
    band: str
    started_by: str
    options: str
    players: tuple[str, ...]
    started_at_ms: int


@dataclass(frozen=True, slots=True)
class StoredAward:
    run_id: str
    seq: int
    idx: int
    place: str
    game: str
    nick: str
    nick_key: str
    points: int
    at_ms: int


class EventTaken(Exception):
    """Another holder already appended an event at this sequence: this node lost the game."""


class GameQueries:
    engine: AsyncEngine
    is_sqlite: bool

    async def room_games(self, room_id: str) -> tuple[str, ...]:
        table = schema.room_games
        async with self.engine.connect() as connection:
            rows = await connection.execute(
                select(table.c.game).where(table.c.room_id == room_id).order_by(table.c.game)
            )
            return tuple(row[0] for row in rows)

    async def set_room_games(self, room_id: str, games: Iterable[str]) -> None:
        """Replace the games a room allows. The room's change time moves on with them, so
        `rooms_fingerprint` changes and every node follows (its people get `room_updated`
        with the room's `games`)."""
        table = schema.room_games
        async with self.engine.begin() as connection:
            await connection.execute(delete(table).where(table.c.room_id == room_id))
            rows = [{"room_id": room_id, "game": game} for game in sorted(set(games))]
            if rows:
                await connection.execute(insert(table), rows)
            rooms = schema.rooms
            await connection.execute(
                update(rooms)
                .where(rooms.c.id == room_id)
                .values(updated_at_ms=rooms.c.updated_at_ms + 1)
            )

    async def start_run(self, run: StoredRun) -> None:
        async with self.engine.begin() as connection:
            await connection.execute(
                insert(schema.game_runs).values(
                    id=run.id,
                    place=run.place,
                    game=run.game,
                    seed=run.seed,
                    band=run.band,
                    started_by=run.started_by,
                    options=run.options,
                    players=json.dumps(list(run.players)),
                    started_at_ms=run.started_at_ms,
                )
            )

    async def end_run(self, run_id: str, now_ms: int) -> None:
        table = schema.game_runs
        async with self.engine.begin() as connection:
            await connection.execute(
                update(table)
                .where(table.c.id == run_id, table.c.ended_at_ms.is_(None))
                .values(ended_at_ms=now_ms)
            )

    async def open_runs(self) -> list[StoredRun]:
        """Every run not ended, oldest first (a node looks for games to take over)."""
        table = schema.game_runs
        async with self.engine.connect() as connection:
            rows = await connection.execute(
                select(table).where(table.c.ended_at_ms.is_(None)).order_by(table.c.started_at_ms)
            )
            return [
                StoredRun(
                    row["id"],
                    row["place"],
                    row["game"],
                    int(row["seed"]),
                    row["band"],
                    row["started_by"],
                    row["options"],
                    tuple(json.loads(row["players"] or "[]")),
                    int(row["started_at_ms"]),
                )
                for row in rows.mappings()
            ]

    async def run_events(self, run_id: str) -> list[str]:
        """A run's events in order, as appended."""
        table = schema.game_events
        async with self.engine.connect() as connection:
            rows = await connection.execute(
                select(table.c.event).where(table.c.run_id == run_id).order_by(table.c.seq)
            )
            return [row[0] for row in rows]

    async def append_events(self, run_id: str, seq: int, events: Sequence[str]) -> None:
        """Events at `seq`, `seq + 1`, … in one transaction (a flood of answers is one write).

        Raises:
            EventTaken: an event is already stored at one of those (another node holds the
                game); none of them is stored then.
        """
        rows = [
            {"run_id": run_id, "seq": seq + index, "event": event}
            for index, event in enumerate(events)
        ]
        if not rows:
            return
        try:
            async with self.engine.begin() as connection:
                await connection.execute(insert(schema.game_events), rows)
        except IntegrityError as exc:
            raise EventTaken(f"{run_id}#{seq}") from exc

    async def award(self, awards: Sequence[StoredAward]) -> None:
        """Points, stored once per (run, seq, idx) however often they are given."""
        if not awards:
            return
        dialect_insert = sqlite_insert if self.is_sqlite else pg_insert
        rows = [
            {
                "run_id": a.run_id,
                "seq": a.seq,
                "idx": a.idx,
                "place": a.place,
                "game": a.game,
                "nick": a.nick,
                "nick_key": a.nick_key,
                "points": a.points,
                "at_ms": a.at_ms,
            }
            for a in awards
        ]
        async with self.engine.begin() as connection:
            await connection.execute(
                dialect_insert(schema.game_awards).on_conflict_do_nothing(), rows
            )

    async def top_scores(self, place: str, since_ms: int, limit: int) -> list[tuple[str, int]]:
        """The best totals of a room since a time: (nickname as last written, points)."""
        table = schema.game_awards
        total = func.sum(table.c.points).label("total")
        async with self.engine.connect() as connection:
            rows = await connection.execute(
                select(func.max(table.c.nick), total)
                .where(table.c.place == place, table.c.at_ms >= since_ms)
                .group_by(table.c.nick_key)
                .order_by(total.desc(), func.max(table.c.nick))
                .limit(limit)
            )
            return [(row[0], int(row[1])) for row in rows]

    async def score_of(self, place: str, nick_key: str, since_ms: int) -> int:
        table = schema.game_awards
        async with self.engine.connect() as connection:
            found = await connection.scalar(
                select(func.coalesce(func.sum(table.c.points), 0)).where(
                    table.c.place == place,
                    table.c.nick_key == nick_key,
                    table.c.at_ms >= since_ms,
                )
            )
            return int(found or 0)

    async def purge_scores(self, before_ms: int) -> int:
        """Awards older than the retention of scores (docs/retention.md)."""
        table = schema.game_awards
        async with self.engine.begin() as connection:
            result = await connection.execute(delete(table).where(table.c.at_ms < before_ms))
            return int(result.rowcount or 0)
