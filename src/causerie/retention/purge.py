"""The purge: deletes what the retention policy no longer allows to keep, in short batches, and
the job that runs it inside the server (hourly by default).

How this works: for each kind (`policy.Kind`, in order), read the active holds and what open
reports protect, then delete due rows `batch` at a time until a batch comes back short, pausing
`pause_s` between batches so the chat's own writes go through (SQLite has one writer). Picture
files whose last row went are deleted from the media directory after their batch commits. A
dry run counts the same rows and deletes nothing. Nodes may purge at the same time: when two
pick the same rows, one deletes them and the other's batch finds them gone (or, on PostgreSQL,
fails on the origin it would copy twice and is logged); the next run goes on.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from causerie.config import Settings
from causerie.media.store import Area, LocalMediaStore
from causerie.retention.policy import Hold, Kind, MediaFiles, Protected, RetentionPolicy

log = logging.getLogger(__name__)
FIRST_RUN_DELAY_S = 60.0


class PurgeStore(Protocol):
    async def holds(self, *, active_only: bool = True) -> list[Hold]: ...

    async def protected(self) -> Protected: ...

    async def count_due(
        self, kind: Kind, cutoff_ms: int, holds: Sequence[Hold], kept: Protected
    ) -> int: ...

    async def purge_batch(
        self, kind: Kind, cutoff_ms: int, holds: Sequence[Hold], kept: Protected, limit: int
    ) -> tuple[int, MediaFiles]: ...

    async def purge_scores(self, before_ms: int) -> int:
        """Game points awarded before this instant (docs/games.md, "Scores")."""
        ...


SCORES_DAYS = 365  # a game's award names a nickname: kept a year, then the totals forget it


@dataclass(slots=True)
class PurgeResult:
    """Rows removed (or that would be, in a dry run) per kind, and picture files deleted."""

    dry_run: bool
    removed: dict[Kind, int] = field(default_factory=dict)
    files: int = 0
    scores: int = 0  # game awards past `SCORES_DAYS`
    elapsed_s: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.removed.values())

    def lines(self) -> list[str]:
        verb = "would remove" if self.dry_run else "removed"
        out = [f"{kind.value:18} {verb} {self.removed.get(kind, 0)}" for kind in Kind]
        if not self.dry_run:
            out.append(f"{'media files':18} deleted {self.files}")
        return out


class Purger:
    def __init__(
        self,
        store: PurgeStore,
        policy: RetentionPolicy,
        media: LocalMediaStore | None,
        *,
        batch: int = 2000,
        pause_s: float = 0.0,
        clock_ms: Callable[[], int] = lambda: int(time.time() * 1000),
    ) -> None:
        self.store = store
        self.policy = policy
        self.media = media
        self.batch = batch
        self.pause_s = pause_s
        self.clock_ms = clock_ms

    @classmethod
    def from_settings(cls, store: PurgeStore, settings: Settings) -> Purger:
        return cls(
            store,
            RetentionPolicy.from_settings(settings),
            LocalMediaStore(settings.effective_media_dir),
            batch=settings.purge_batch,
            pause_s=settings.purge_pause_s,
        )

    async def run(self, *, dry_run: bool = False) -> PurgeResult:
        started = time.monotonic()
        now_ms = self.clock_ms()
        result = PurgeResult(dry_run)
        for kind in Kind:
            holds = await self.store.holds()
            kept = await self.store.protected()
            cutoff = self.policy.cutoff_ms(kind, now_ms)
            if dry_run:
                result.removed[kind] = await self.store.count_due(kind, cutoff, holds, kept)
                continue
            result.removed[kind] = 0
            while True:
                count, files = await self.store.purge_batch(kind, cutoff, holds, kept, self.batch)
                result.removed[kind] += count
                result.files += await self._delete_files(files)
                if count < self.batch:
                    break
                await asyncio.sleep(self.pause_s)
        if not dry_run:
            result.scores = await self.store.purge_scores(now_ms - SCORES_DAYS * 86_400_000)
        result.elapsed_s = time.monotonic() - started
        return result

    async def _delete_files(self, files: MediaFiles) -> int:
        if self.media is None:
            return 0
        deleted = 0
        for name in files.names:
            for area in (Area.PUBLIC, Area.EVIDENCE):
                try:
                    deleted += await self.media.delete(name, area)
                except (ValueError, OSError) as exc:
                    log.warning("could not delete media file %s (%s): %s", name, area, exc)
        return deleted


class PurgeJob:
    """Runs a `Purger` every `interval_s` inside the server; `start`/`stop` with the node."""

    def __init__(
        self, purger: Purger, interval_s: float, first_delay_s: float = FIRST_RUN_DELAY_S
    ) -> None:
        self.purger = purger
        self.interval_s = interval_s
        # Not at once: a node that starts is busy loading rooms and taking reconnections.
        self.first_delay_s = min(first_delay_s, interval_s)
        self._task: asyncio.Task[None] | None = None
        self.last: PurgeResult | None = None

    def start(self) -> None:
        if self.interval_s > 0 and self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._loop(), name="purge")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass

    async def _loop(self) -> None:
        await asyncio.sleep(self.first_delay_s)
        while True:
            try:
                self.last = await self.purger.run()
                if self.last.total or self.last.files:
                    log.info("retention purge: %s", ", ".join(self.last.lines()))
            except asyncio.CancelledError:
                raise
            except Exception:  # a failed run is retried at the next tick; the chat goes on
                log.exception("retention purge failed")
            await asyncio.sleep(self.interval_s)
