"""The games' tables on SQLite and PostgreSQL (store/games.py): a room's games, a run and its
log, awards stored once per (run, event, index), totals per period, the scores' purge."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from causerie.store.games import EventTaken, StoredAward, StoredRun
from causerie.store.sql import SqlStore
from tests.support.databases import open_store


@pytest.fixture(params=["sqlite", "postgres"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[SqlStore]:
    async with open_store(request.param, tmp_path) as opened:
        yield opened


def _award(seq: int, idx: int, nick: str, points: int, at_ms: int) -> StoredAward:
    return StoredAward("r1", seq, idx, "jeux", "quiz", nick, nick.lower(), points, at_ms)


async def test_games_store_awards_counted_once_and_purged_after_their_time(
    store: SqlStore,
) -> None:
    await store.set_room_games("jeux", ["quiz", "pendu", "quiz"])
    assert await store.room_games("jeux") == ("pendu", "quiz")
    await store.set_room_games("jeux", [])
    assert await store.room_games("jeux") == ()

    run = StoredRun("r1", "jeux", "quiz", 42, "adult", "Alice", "", (), 1_000)
    await store.start_run(run)
    await store.append_events("r1", 0, ['{"e":"began","t":1000}'])
    with pytest.raises(EventTaken):
        await store.append_events("r1", 0, ['{"e":"began","t":1000}'])
    said = ['{"e":"said","nick":"A","text":"1","t":1001}', '{"e":"said","nick":"B","text":"2"}']
    with pytest.raises(EventTaken):  # one of them taken: none stored
        await store.append_events("r1", 0, said[:1] + said)
    await store.append_events("r1", 1, said)
    assert await store.run_events("r1") == ['{"e":"began","t":1000}', *said]
    assert await store.open_runs() == [run]

    awards = [_award(1, 0, "Alice", 10, 2_000), _award(2, 0, "Bruno", 3, 5_000)]
    await store.award(awards)
    await store.award(awards)  # a replay after a takeover: nothing counted twice
    await store.award([_award(3, 1, "alice", 5, 6_000)])
    totals = [(nick.lower(), points) for nick, points in await store.top_scores("jeux", 0, 10)]
    assert totals == [("alice", 15), ("bruno", 3)]  # one nickname, however it was written
    since = [(nick.lower(), points) for nick, points in await store.top_scores("jeux", 4_000, 9)]
    assert since == [("alice", 5), ("bruno", 3)]
    assert await store.score_of("jeux", "alice", 0) == 15

    await store.end_run("r1", 7_000)
    assert await store.open_runs() == []
    assert await store.purge_scores(5_500) == 2
    assert await store.score_of("jeux", "alice", 0) == 5
