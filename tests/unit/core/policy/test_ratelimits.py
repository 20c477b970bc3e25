"""Token buckets: exact arithmetic with the time passed in."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from causerie.core.policy.ratelimits import RateLimit, TokenBucket


def test_take_full_bucket_allows_capacity_then_gives_wait() -> None:
    bucket = TokenBucket(RateLimit(capacity=3, refill_per_s=2.0), now_s=100.0)

    taken = [bucket.take(100.0) for _ in range(3)]

    assert taken == [0.0, 0.0, 0.0]
    assert bucket.take(100.0) == 0.5  # one token at 2 per second


def test_take_partial_refill_waits_for_the_rest() -> None:
    bucket = TokenBucket(RateLimit(capacity=1, refill_per_s=2.0), now_s=0.0)
    bucket.take(0.0)

    assert bucket.take(0.25) == 0.25
    assert bucket.take(0.5) == 0.0
    assert bucket.take(0.5) == 0.5


def test_take_refused_does_not_consume() -> None:
    bucket = TokenBucket(RateLimit(capacity=1, refill_per_s=1.0), now_s=0.0)
    bucket.take(0.0)

    refusals = [bucket.take(0.5) for _ in range(5)]

    assert refusals == [0.5] * 5
    assert bucket.take(1.0) == 0.0


def test_take_long_idle_refills_only_to_capacity() -> None:
    bucket = TokenBucket(RateLimit(capacity=2, refill_per_s=1.0), now_s=0.0)
    bucket.take(0.0)
    bucket.take(0.0)

    taken = [bucket.take(1_000.0) for _ in range(3)]

    assert taken == [0.0, 0.0, 1.0]


def test_take_slow_refill_rate_wait_scales() -> None:
    bucket = TokenBucket(RateLimit(capacity=1, refill_per_s=0.25), now_s=0.0)
    bucket.take(0.0)

    assert bucket.take(0.0) == 4.0
    assert bucket.take(2.0) == 2.0
    assert bucket.take(4.0) == 0.0


def test_take_clock_backwards_grants_nothing_at_once() -> None:
    bucket = TokenBucket(RateLimit(capacity=1, refill_per_s=1.0), now_s=10.0)
    bucket.take(10.0)

    assert bucket.take(5.0) == 1.0


def test_take_clock_backwards_then_forward_grants_no_extra_tokens() -> None:
    bucket = TokenBucket(RateLimit(capacity=1, refill_per_s=1.0), now_s=10.0)
    bucket.take(10.0)
    bucket.take(5.0)  # the wall clock stepped back five seconds

    assert bucket.take(10.0) > 0  # no time has passed since the token was taken at 10 s


@settings(max_examples=300, database=None, deadline=None)
@given(
    capacity=st.integers(1, 20),
    refill=st.sampled_from([0.25, 0.5, 1.0, 2.0, 4.0]),
    gaps=st.lists(st.integers(0, 4000), max_size=80),
)
def test_take_over_any_period_allows_at_most_capacity_plus_refill(
    capacity: int, refill: float, gaps: list[int]
) -> None:
    bucket = TokenBucket(RateLimit(capacity, refill), now_s=0.0)
    now_ms = 0
    allowed = 0
    for gap in gaps:
        now_ms += gap
        wait = bucket.take(now_ms / 1000)
        assert wait >= 0
        allowed += wait == 0
    assert allowed <= capacity + (now_ms / 1000) * refill + 1e-9
