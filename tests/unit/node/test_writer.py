"""Group commit: submits made while a batch is being saved go together in the next save, and
each sender's future resolves only once its own batch is stored (or fails with it)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

import pytest

from causerie.node.writer import BatchWriter


class StoreDown(Exception):
    pass


class GatedStore:
    """A fake `save` that blocks until the test finishes each call, in order."""

    def __init__(self) -> None:
        self.calls: list[list[int]] = []
        self._gates: list[asyncio.Future[None]] = []
        self.auto_finish = False

    async def save(self, items: Sequence[int]) -> None:
        self.calls.append(list(items))
        gate: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._gates.append(gate)
        if self.auto_finish:
            gate.set_result(None)
        await gate

    def finish(self, call: int, error: Exception | None = None) -> None:
        gate = self._gates[call]
        if error is None:
            gate.set_result(None)
        else:
            gate.set_exception(error)

    def finish_all(self) -> None:
        self.auto_finish = True
        for gate in self._gates:
            if not gate.done():
                gate.set_result(None)


async def _until(condition: Callable[[], bool]) -> None:
    """Let the loop run (no timers) until `condition` holds."""
    for _ in range(100):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("condition never held")


async def _spin(turns: int = 20) -> None:
    """Let every ready task run for a while, so a wrong early step would happen."""
    for _ in range(turns):
        await asyncio.sleep(0)


async def _stopped(writer: BatchWriter[int], store: GatedStore) -> None:
    store.finish_all()
    await writer.stop()


async def test_submit_at_rest_saved_alone_at_once() -> None:
    store = GatedStore()
    writer = BatchWriter(store.save)
    writer.start()

    done = writer.submit([1])
    await _until(lambda: len(store.calls) == 1)

    assert store.calls == [[1]]
    assert not done.done()
    store.finish(0)
    await done
    assert (writer.batches, writer.is_healthy) == (1, True)
    await _stopped(writer, store)


async def test_submit_during_save_batched_into_one_next_save() -> None:
    store = GatedStore()
    writer = BatchWriter(store.save)
    writer.start()
    first = writer.submit([1])
    await _until(lambda: len(store.calls) == 1)

    waiting = [writer.submit([2]), writer.submit([3, 4]), writer.submit([5])]
    await _spin()

    assert store.calls == [[1]]  # nothing else is written while the first save runs
    store.finish(0)
    await first
    await _until(lambda: len(store.calls) == 2)
    assert store.calls == [[1], [2, 3, 4, 5]]
    assert not any(future.done() for future in waiting)
    store.finish(1)
    await asyncio.gather(*waiting)
    assert writer.batches == 2
    await _stopped(writer, store)


async def test_submit_future_resolves_only_after_its_own_batch() -> None:
    store = GatedStore()
    writer = BatchWriter(store.save)
    writer.start()
    first = writer.submit([1])
    await _until(lambda: len(store.calls) == 1)
    second = writer.submit([2])

    store.finish(0)
    await first

    await _until(lambda: len(store.calls) == 2)
    assert not second.done()
    store.finish(1)
    await second
    await _stopped(writer, store)


async def test_save_failure_fails_that_batch_only_and_marks_unhealthy() -> None:
    store = GatedStore()
    writer = BatchWriter(store.save)
    writer.start()
    first = writer.submit([1])
    await _until(lambda: len(store.calls) == 1)
    later = [writer.submit([2]), writer.submit([3])]

    store.finish(0, StoreDown("disk full"))

    with pytest.raises(StoreDown, match="disk full"):
        await first
    assert writer.is_healthy is False
    assert writer.batches == 0
    await _until(lambda: len(store.calls) == 2)
    assert not any(future.done() for future in later)
    store.finish(1)
    await asyncio.gather(*later)
    assert writer.is_healthy is True
    assert store.calls == [[1], [2, 3]]
    await _stopped(writer, store)


async def test_save_failure_fails_every_future_of_the_batch() -> None:
    store = GatedStore()
    writer = BatchWriter(store.save)
    writer.start()
    blocker = writer.submit([0])
    await _until(lambda: len(store.calls) == 1)
    batch = [writer.submit([1]), writer.submit([2, 3])]
    store.finish(0)
    await blocker
    await _until(lambda: len(store.calls) == 2)

    store.finish(1, StoreDown("gone"))

    results = await asyncio.gather(*batch, return_exceptions=True)
    assert [type(result) for result in results] == [StoreDown, StoreDown]
    assert writer.is_healthy is False
    await _stopped(writer, store)


async def test_max_batch_respected_across_saves() -> None:
    store = GatedStore()
    writer = BatchWriter(store.save, max_batch=3)
    writer.start()
    blocker = writer.submit([0])
    await _until(lambda: len(store.calls) == 1)
    futures = [writer.submit([1]), writer.submit([2]), writer.submit([3, 4]), writer.submit([5])]

    store.finish_all()
    await asyncio.gather(blocker, *futures)

    assert store.calls == [[0], [1, 2], [3, 4, 5]]
    assert all(len(call) <= 3 for call in store.calls)
    await writer.stop()


async def test_max_batch_group_larger_than_max_saved_whole() -> None:
    store = GatedStore()
    store.auto_finish = True
    writer = BatchWriter(store.save, max_batch=2)
    writer.start()

    await writer.submit([1, 2, 3])

    assert store.calls == [[1, 2, 3]]  # one sender's records are never split
    await writer.stop()


async def test_stop_flushes_pending_before_returning() -> None:
    store = GatedStore()
    writer = BatchWriter(store.save)
    writer.start()
    first = writer.submit([1])
    await _until(lambda: len(store.calls) == 1)
    pending = [writer.submit([2]), writer.submit([3])]

    stopping = asyncio.ensure_future(writer.stop())
    await _spin()
    assert not stopping.done()
    store.finish_all()
    await stopping

    assert first.done() and all(future.done() for future in pending)
    assert [item for call in store.calls for item in call] == [1, 2, 3]


async def test_submit_after_stop_fails_without_saving() -> None:
    store = GatedStore()
    writer = BatchWriter(store.save)
    writer.start()
    await writer.stop()

    late = writer.submit([9])

    with pytest.raises(RuntimeError, match="stopped"):
        await late
    assert store.calls == []


async def test_submit_nothing_resolves_at_once_without_saving() -> None:
    store = GatedStore()
    writer = BatchWriter(store.save)
    writer.start()

    empty = writer.submit([])

    assert empty.done() and empty.result() is None
    await writer.stop()
    assert store.calls == []


async def test_settled_waits_for_the_batch_in_flight_and_the_ones_queued() -> None:
    store = GatedStore()
    writer = BatchWriter(store.save)
    writer.start()
    writer.submit([1])
    await _until(lambda: len(store.calls) == 1)  # [1] is being saved
    writer.submit([2])
    settled = asyncio.ensure_future(writer.settled())

    store.finish(0)
    await _until(lambda: len(store.calls) == 2)
    await _spin()
    assert not settled.done()  # [2] is not stored yet
    store.finish(1)
    await _until(settled.done)

    await asyncio.wait_for(writer.settled(), 1)  # nothing pending: at once
    store.finish_all()
    await writer.stop()


async def test_settled_after_a_failed_batch_returns() -> None:
    store = GatedStore()
    writer = BatchWriter(store.save)
    writer.start()
    failed = writer.submit([1])
    await _until(lambda: len(store.calls) == 1)
    settled = asyncio.ensure_future(writer.settled())

    store.finish(0, StoreDown())
    await _until(settled.done)

    assert settled.exception() is None
    with pytest.raises(StoreDown):
        failed.result()
    await writer.stop()
