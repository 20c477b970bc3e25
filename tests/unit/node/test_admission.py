"""Logins and joins/parts charged per address and device (`node.admission`), on the memory
flood gate with a hand-driven clock."""

from __future__ import annotations

import pytest

from causerie.config import Settings
from causerie.errors import CauserieError, ErrorCode
from causerie.node.admission import Admission, join_part_limit
from causerie.node.connections import Peer
from causerie.node.floodgate import MemoryFloodGate
from causerie.store.base import Origin


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def _peer(address: str = "203.0.113.7", device: str = "abcdefghijklmnop") -> Peer:
    return Peer(Origin(address, 40000), device, "test", "ws")


def _admission(clock: Clock, **settings: object) -> Admission:
    return Admission(Settings(**settings), MemoryFloodGate(), clock)  # type: ignore[arg-type]


async def _hellos_allowed(admission: Admission, peers: list[Peer]) -> int:
    allowed = 0
    for peer in peers:
        try:
            await admission.charge_hello(peer)
            allowed += 1
        except CauserieError as error:
            assert error.code is ErrorCode.RATE_LIMITED and error.key == "hello_rate_limited"
            assert error.retry_after_s is not None and error.retry_after_s > 0
    return allowed


async def test_hellos_per_address_burst_then_refill_per_minute() -> None:
    clock = Clock()
    admission = _admission(clock, hellos_per_minute_per_address=6, hellos_per_minute_per_device=99)
    school = [_peer(device=f"device-{i:04d}") for i in range(10)]

    assert await _hellos_allowed(admission, school) == 6
    clock.now += 10  # a tenth of the minute's six back: one
    assert await _hellos_allowed(admission, school) == 1
    assert await _hellos_allowed(admission, [_peer("203.0.113.8")]) == 1  # another address


async def test_hellos_per_device_counted_whatever_the_address() -> None:
    clock = Clock()
    admission = _admission(clock, hellos_per_minute_per_device=2)
    roaming = [_peer(f"198.51.100.{i}") for i in range(5)]  # one phone, new address each time

    assert await _hellos_allowed(admission, roaming) == 2


async def test_hellos_without_device_cookie_charge_the_address_only() -> None:
    clock = Clock()
    admission = _admission(clock, hellos_per_minute_per_device=1)
    programs = [_peer(device=f"new-{i}") for i in range(5)]

    assert await _hellos_allowed(admission, programs) == 5  # under the address's 120


async def test_hello_refusal_says_when_to_come_back() -> None:
    clock = Clock()
    admission = _admission(clock, hellos_per_minute_per_address=60)
    for _ in range(60):
        await admission.charge_hello(_peer(device="new-x"))
    with pytest.raises(CauserieError) as refused:
        await admission.charge_hello(_peer(device="new-x"))
    assert refused.value.retry_after_s == pytest.approx(1.0)  # one a second refills


async def test_join_part_charged_to_device_and_to_the_address_ten_times_larger() -> None:
    clock = Clock()
    admission = _admission(clock, join_part_burst=20, max_rooms_per_session=2)
    same_device = 0
    for _ in range(30):
        try:
            await admission.charge_join_part(_peer())
            same_device += 1
        except CauserieError as error:
            assert error.key == "join_rate_limited"
    assert same_device == 20

    by_address = 0
    for index in range(300):
        try:
            await admission.charge_join_part(_peer(device=f"device-{index:04d}"))
            by_address += 1
        except CauserieError:
            pass
    assert by_address == 200 - 30  # the address's 200, less the first device's 30 tries


def test_join_part_burst_is_at_least_the_rooms_one_may_join() -> None:
    limit = join_part_limit(Settings(join_part_burst=5, max_rooms_per_session=20))
    assert limit is not None and limit.capacity == 20


async def test_rate_limits_off_admit_everything() -> None:
    clock = Clock()
    admission = _admission(clock, rate_limits=False, hellos_per_minute_per_address=1)
    for _ in range(10):
        await admission.charge_hello(_peer())
        await admission.charge_join_part(_peer())
    assert join_part_limit(Settings(rate_limits=False)) is None
