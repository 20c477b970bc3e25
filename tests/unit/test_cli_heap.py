"""`settle_heap`, run once `causerie serve` is up: start-up objects frozen out of collection."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from causerie.cli import GC_GEN0_THRESHOLD, settle_heap


@pytest.fixture
def restored_gc() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


@pytest.mark.usefixtures("restored_gc")
def test_settle_heap_freezes_what_exists_and_widens_the_young_generation() -> None:
    survivor = [object() for _ in range(100)]
    older = gc.get_threshold()[1:]

    settle_heap()

    assert gc.get_freeze_count() >= len(survivor)
    assert gc.get_threshold() == (GC_GEN0_THRESHOLD, *older)
