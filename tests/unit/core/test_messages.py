"""Message ids: integers below 2**53, unique across nodes, strictly increasing on one node,
even in bursts, when the clock steps back, and after observing ids already stored."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from causerie.core.messages import (
    ID_EPOCH_MS,
    MAX_NODE,
    NODE_BITS,
    SEQ_BITS,
    MessageIds,
    timestamp_ms_of,
)
from tests.unit.core.builders import START_MS

SEVENTY_YEARS_MS = 60 * 365 * 24 * 3600 * 1000


def _id_of(ms_since_epoch: int, node: int, seq: int) -> int:
    return (ms_since_epoch << (NODE_BITS + SEQ_BITS)) | (node << SEQ_BITS) | seq


def test_next_id_burst_of_1000_same_ms_strictly_increasing() -> None:
    ids = MessageIds()

    burst = [ids.next_id(START_MS) for _ in range(1000)]

    assert all(a < b for a, b in itertools.pairwise(burst))
    assert len(set(burst)) == 1000


def test_next_id_after_burst_next_ms_still_greater() -> None:
    ids = MessageIds()
    burst = [ids.next_id(START_MS) for _ in range(1000)]

    after = ids.next_id(START_MS + 1)

    assert after > burst[-1]


def test_next_id_clock_going_backwards_still_increasing() -> None:
    ids = MessageIds()
    times = [START_MS, START_MS - 10_000, START_MS - 10_000, START_MS + 1, START_MS - 3_600_000]

    made = [ids.next_id(t) for t in times]

    assert made == sorted(set(made))


def test_next_id_encodes_time_of_a_fresh_generator() -> None:
    ids = MessageIds(node=5)

    made = ids.next_id(START_MS)

    assert timestamp_ms_of(made) == START_MS
    assert made == _id_of(START_MS - ID_EPOCH_MS, 5, 0)


@settings(max_examples=200, database=None, deadline=None)
@given(
    node=st.integers(0, MAX_NODE),
    times=st.lists(st.integers(ID_EPOCH_MS - 10_000, ID_EPOCH_MS + SEVENTY_YEARS_MS), max_size=200),
)
def test_next_id_any_clock_strictly_increasing_below_2_53(node: int, times: list[int]) -> None:
    ids = MessageIds(node)

    made = [ids.next_id(t) for t in times]

    assert all(a < b for a, b in itertools.pairwise(made))
    assert all(0 <= i < 2**53 for i in made)


def test_next_id_distinct_nodes_same_ms_distinct_ids() -> None:
    generators = [MessageIds(node) for node in range(MAX_NODE + 1)]

    made = [g.next_id(START_MS) for _ in range(100) for g in generators]

    assert len(set(made)) == len(made) == 100 * (MAX_NODE + 1)


def test_observe_later_stored_id_makes_next_ids_greater() -> None:
    ids = MessageIds()
    stored = MessageIds(node=3).next_id(START_MS + 60_000)  # stored by a node with a faster clock

    ids.observe(stored)

    assert ids.next_id(START_MS) > stored
    assert ids.next_id(START_MS + 60_000) > stored


def test_observe_older_id_changes_nothing() -> None:
    ids = MessageIds()
    first = ids.next_id(START_MS)

    ids.observe(first - (1 << 20))

    assert ids.next_id(START_MS) == first + 1


def test_observe_same_ms_higher_id_makes_next_ids_greater() -> None:
    ids = MessageIds(node=0)
    ids.next_id(START_MS)
    stored = _id_of(START_MS - ID_EPOCH_MS, 7, 3)  # another node, same millisecond

    ids.observe(stored)

    assert ids.next_id(START_MS) > stored


@settings(max_examples=200, database=None, deadline=None)
@given(
    steps=st.lists(
        st.tuples(st.booleans(), st.integers(0, 50), st.integers(1, MAX_NODE)), max_size=25
    )
)
def test_observe_ids_from_later_ms_next_id_greater_than_observed(
    steps: list[tuple[bool, int, int]],
) -> None:
    ids = MessageIds(node=0)
    last_issued = ids.next_id(START_MS)
    for should_observe, offset_ms, other_node in steps:
        floor = last_issued
        if should_observe:
            later_ms = timestamp_ms_of(last_issued) + 1 + offset_ms
            floor = MessageIds(other_node).next_id(later_ms)
            ids.observe(floor)
        last_issued = ids.next_id(START_MS + offset_ms)
        assert last_issued > floor


@pytest.mark.parametrize("node", [-1, MAX_NODE + 1, 1000])
def test_message_ids_invalid_node_raises(node: int) -> None:
    with pytest.raises(ValueError, match="node"):
        MessageIds(node)


@pytest.mark.parametrize("node", [0, MAX_NODE])
def test_message_ids_node_bounds_accepted(node: int) -> None:
    made = MessageIds(node).next_id(START_MS)

    assert (made >> SEQ_BITS) & MAX_NODE == node
