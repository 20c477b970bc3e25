"""An adult who keeps naming minors in private messages raises one flag per window."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from causerie.core.policy.seeking import SeekingFlag, SeekingRule, SeekingWatch

HOUR_MS = 3600_000
KEYS = ("device:d1", "nick:marc")


def test_third_attempt_within_the_window_raises_a_flag_naming_the_minors() -> None:
    watch = SeekingWatch(SeekingRule(attempts=3, window_s=3600))

    assert watch.note(KEYS, "Lea", 0) is None
    assert watch.note(KEYS, "Nina", 1000) is None

    assert watch.note(KEYS, "Lea", 2000) == SeekingFlag(3, ("Lea", "Nina"))


def test_attempts_spread_beyond_the_window_raise_nothing() -> None:
    watch = SeekingWatch(SeekingRule(attempts=3, window_s=3600))

    flags = [watch.note(KEYS, "Lea", at) for at in (0, HOUR_MS // 2, HOUR_MS + 1, HOUR_MS * 2)]

    assert flags == [None, None, None, None]


def test_at_most_one_flag_per_person_per_window_then_again() -> None:
    watch = SeekingWatch(SeekingRule(attempts=2, window_s=3600))
    flags = [watch.note(KEYS, f"m{i}", i * 60_000) for i in range(10)]

    assert [i for i, flag in enumerate(flags) if flag] == [1]
    assert watch.note(KEYS, "m", HOUR_MS + 60_001) is not None


def test_a_new_nickname_on_the_same_device_is_the_same_person() -> None:
    watch = SeekingWatch(SeekingRule(attempts=3, window_s=3600))
    watch.note(("device:d1", "nick:marc"), "Lea", 0)
    watch.note(("device:d1", "nick:marc2"), "Lea", 1)

    flag = watch.note(("device:d1", "nick:marc3"), "Lea", 2)

    assert flag == SeekingFlag(3, ("Lea",))
    assert watch.note(("device:d2", "nick:marc3"), "Lea", 3) is None  # flagged: not again


def test_keys_are_bounded() -> None:
    watch = SeekingWatch(SeekingRule(attempts=3, window_s=3600), max_keys=10)
    for index in range(100):
        watch.note((f"device:{index}",), "Lea", index)

    assert len(watch._trails) == 10


@given(
    st.integers(1, 6),
    st.lists(st.integers(0, 10 * HOUR_MS), min_size=1, max_size=60).map(sorted),
)
def test_flags_never_closer_than_the_window_and_only_after_enough_attempts(
    attempts: int, times: list[int]
) -> None:
    watch = SeekingWatch(SeekingRule(attempts=attempts, window_s=3600))
    flagged = [at for at in times if watch.note(KEYS, "Lea", at) is not None]

    assert all(b - a >= HOUR_MS for a, b in itertools.pairwise(flagged))
    for at in flagged:
        in_window = [t for t in times if at - HOUR_MS < t <= at]
        assert len(in_window) >= attempts
