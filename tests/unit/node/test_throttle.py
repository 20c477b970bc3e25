"""Connections per key at the door (`node.throttle.Throttle`), with an injected clock."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from causerie.node.throttle import SWEEP_EVERY, ConnectionLimits, Throttle, address_key


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_throttle_open_at_once_refused_past_the_limit_then_freed_by_release() -> None:
    throttle = Throttle(3)
    assert [throttle.admit("10.0.0.1") for _ in range(4)] == [True, True, True, False]
    assert throttle.open_count("10.0.0.1") == 3
    throttle.release("10.0.0.1")
    assert throttle.admit("10.0.0.1") is True
    assert throttle.admit("10.0.0.1") is False


def test_throttle_keys_are_counted_apart() -> None:
    throttle = Throttle(1)
    assert throttle.admit("a") is True
    assert throttle.admit("b") is True
    assert throttle.admit("a") is False


def test_throttle_new_per_minute_refused_until_the_window_passes() -> None:
    clock = Clock()
    throttle = Throttle(100, per_minute=2, clock=clock)
    assert throttle.admit("a") and throttle.admit("a")
    throttle.release("a")
    throttle.release("a")
    assert throttle.admit("a") is False  # none open, but two new ones this minute
    clock.now += 60.0
    assert throttle.admit("a") is True


def test_throttle_refusal_counts_nothing() -> None:
    throttle = Throttle(1)
    throttle.admit("a")
    for _ in range(10):
        assert throttle.admit("a") is False
    throttle.release("a")
    assert throttle.open_count("a") == 0
    assert throttle.admit("a") is True


def test_throttle_forgets_keys_nobody_uses_any_more() -> None:
    clock = Clock()
    throttle = Throttle(10, per_minute=10, clock=clock)
    for index in range(SWEEP_EVERY - 1):
        key = f"10.0.{index // 256}.{index % 256}"
        throttle.admit(key)
        throttle.release(key)
    assert throttle.tracked_keys() == SWEEP_EVERY - 1  # still inside their minute
    clock.now += 61.0
    throttle.admit("last")  # the sweep runs on this admission
    assert throttle.tracked_keys() == 1


@given(st.lists(st.tuples(st.sampled_from("abc"), st.booleans()), max_size=200))
def test_throttle_never_counts_more_open_than_its_limit(steps: list[tuple[str, bool]]) -> None:
    throttle = Throttle(4)
    model: dict[str, int] = {}
    for key, opening in steps:
        if opening:
            admitted = throttle.admit(key)
            assert admitted == (model.get(key, 0) < 4)
            model[key] = model.get(key, 0) + admitted
        elif model.get(key, 0) > 0:
            throttle.release(key)
            model[key] -= 1
        assert throttle.open_count(key) == model.get(key, 0) <= 4


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("2001:db8:1:3::1", "2001:db8:1:3::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("", ""),
        ("not an address", "not an address"),
    ],
)
def test_address_key_counts_ipv6_by_its_64(address: str, key: str) -> None:
    assert address_key(address) == key


def test_connection_limits_address_then_device_and_a_refusal_counts_nothing() -> None:
    limits = ConnectionLimits(per_address=3, per_device=1)
    assert limits.admit("a", "phone") is None
    assert limits.admit("a", "phone") == "device"
    assert limits.open_from("a") == 1  # the device's refusal took nothing from the address
    assert limits.admit("a", None) is None and limits.admit("a", None) is None
    assert limits.admit("a", "laptop") == "address"
    limits.release("a", "phone")
    assert limits.admit("a", "phone") is None
