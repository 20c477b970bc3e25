"""Joins and parts are limited per session like messages (each tells a whole room): a burst,
then a steady pace; past it `rate_limited` with `retry_after`, nothing changed."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from causerie.core.commands import Join, Part
from causerie.core.hub import DEFAULT_JOIN_PART_LIMIT, Hub, HubConfig
from causerie.core.policy.ratelimits import RateLimit
from causerie.errors import CauserieError, ErrorCode
from tests.unit.core.builders import START_MS, hello, make_hub, refusal

LIMIT = RateLimit(capacity=4, refill_per_s=0.5)


def _hub(limit: RateLimit | None = LIMIT) -> Hub:
    return make_hub(HubConfig(dm_wait_s=0, join_part_limit=limit))


def test_join_part_burst_then_rate_limited_with_retry_after_and_nothing_changed() -> None:
    hub = _hub()
    alice = hello(hub, "Alice")
    for command in (Join("general"), Part("general"), Join("general"), Part("general")):
        hub.apply(alice, command, START_MS)

    error = refusal(hub, alice, Join("general"))

    assert error.code is ErrorCode.RATE_LIMITED and error.key == "join_rate_limited"
    assert error.retry_after_s == 2.0  # one token back at 0.5 per second
    assert "general" not in hub.rooms_of(alice)
    assert list(hub.members_of("general")) == []


def test_join_part_allowed_again_once_refilled() -> None:
    hub = _hub()
    alice = hello(hub, "Alice")
    for command in (Join("general"), Part("general"), Join("general"), Part("general")):
        hub.apply(alice, command, START_MS)

    outcome = hub.apply(alice, Join("general"), START_MS + 2000)

    assert outcome.deliveries  # its presence, told to the room
    assert refusal(hub, alice, Part("general"), START_MS + 2000).code is ErrorCode.RATE_LIMITED


def test_join_part_refusals_cost_a_token_and_answer_alike_for_unknown_rooms() -> None:
    hub = _hub()
    alice = hello(hub, "Alice")
    for _ in range(4):
        assert refusal(hub, alice, Join("nulle-part")).code is ErrorCode.NOT_FOUND

    assert refusal(hub, alice, Join("nulle-part")).code is ErrorCode.RATE_LIMITED
    assert refusal(hub, alice, Join("general")).code is ErrorCode.RATE_LIMITED


def test_join_part_limits_are_per_session() -> None:
    hub = _hub()
    alice, bob = hello(hub, "Alice"), hello(hub, "Bob")
    for _ in range(4):
        hub.apply(alice, Join("general"), START_MS)
    assert refusal(hub, alice, Join("general")).code is ErrorCode.RATE_LIMITED

    assert hub.apply(bob, Join("general"), START_MS).replies


def test_join_part_without_limit_never_refused() -> None:
    hub = _hub(None)
    alice = hello(hub, "Alice")
    for index in range(200):
        hub.apply(alice, Join("general") if index % 2 == 0 else Part("general"), START_MS)
    assert "general" not in hub.rooms_of(alice)


def test_join_part_default_burst_covers_a_client_rejoining_every_room() -> None:
    assert DEFAULT_JOIN_PART_LIMIT.capacity >= HubConfig().max_rooms_per_session


@settings(max_examples=50)
@given(st.lists(st.integers(min_value=0, max_value=3000), min_size=1, max_size=60))
def test_join_part_never_more_than_the_burst_plus_what_refills(gaps_ms: list[int]) -> None:
    hub = _hub()
    alice = hello(hub, "Alice")
    now_ms, allowed = START_MS, 0
    for index, gap in enumerate(gaps_ms):
        now_ms += gap
        command = Join("general") if "general" not in hub.rooms_of(alice) else Part("general")
        try:
            hub.apply(alice, command, now_ms)
            allowed += 1
        except CauserieError as error:
            assert error.code is ErrorCode.RATE_LIMITED, index
    elapsed_s = (now_ms - START_MS) / 1000
    assert allowed <= LIMIT.capacity + elapsed_s * LIMIT.refill_per_s
