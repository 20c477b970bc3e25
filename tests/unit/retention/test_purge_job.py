"""The purge's loop against a fake store: batches until a short one, pauses between batches,
counts per kind, dry runs; and the in-server job's start and stop."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from causerie.retention.policy import Hold, Kind, MediaFiles, Protected, RetentionPolicy
from causerie.retention.purge import PurgeJob, Purger


class FakeStore:
    def __init__(self, due: dict[Kind, int]) -> None:
        self.due = dict(due)
        self.batches: list[tuple[Kind, int]] = []
        self.scores_before: list[int] = []

    async def holds(self, *, active_only: bool = True) -> list[Hold]:
        return []

    async def protected(self) -> Protected:
        return Protected()

    async def count_due(
        self, kind: Kind, cutoff_ms: int, holds: Sequence[Hold], kept: Protected
    ) -> int:
        return self.due.get(kind, 0)

    async def purge_batch(
        self, kind: Kind, cutoff_ms: int, holds: Sequence[Hold], kept: Protected, limit: int
    ) -> tuple[int, MediaFiles]:
        taken = min(limit, self.due.get(kind, 0))
        self.due[kind] = self.due.get(kind, 0) - taken
        self.batches.append((kind, taken))
        return taken, MediaFiles()

    async def purge_scores(self, before_ms: int) -> int:
        self.scores_before.append(before_ms)
        return 4


async def test_purger_batches_until_a_short_batch() -> None:
    store = FakeStore({Kind.MESSAGES: 7, Kind.CONNECTIONS: 2})
    result = await Purger(store, RetentionPolicy(), None, batch=3, clock_ms=lambda: 0).run()
    assert result.removed[Kind.MESSAGES] == 7 and result.removed[Kind.CONNECTIONS] == 2
    assert [n for kind, n in store.batches if kind is Kind.MESSAGES] == [3, 3, 1]
    assert result.total == 9
    # Game awards are kept a year (docs/games.md, "Scores").
    assert store.scores_before == [-365 * 86_400_000] and result.scores == 4


async def test_purger_dry_run_only_counts() -> None:
    store = FakeStore({Kind.MEDIA: 4})
    result = await Purger(store, RetentionPolicy(), None, clock_ms=lambda: 0).run(dry_run=True)
    assert result.removed[Kind.MEDIA] == 4 and store.batches == []
    assert "media              would remove 4" in result.lines()


async def test_purge_job_runs_then_stops() -> None:
    store = FakeStore({Kind.MESSAGES: 1})
    job = PurgeJob(Purger(store, RetentionPolicy(), None), interval_s=3600, first_delay_s=0)
    job.start()
    async with asyncio.timeout(5):
        while job.last is None:  # noqa: ASYNC110 - the job has no event to wait on
            await asyncio.sleep(0.01)
    await job.stop()
    assert job.last.removed[Kind.MESSAGES] == 1


async def test_purge_job_interval_zero_never_starts() -> None:
    job = PurgeJob(Purger(FakeStore({}), RetentionPolicy(), None), interval_s=0)
    job.start()
    await job.stop()
    assert job.last is None
