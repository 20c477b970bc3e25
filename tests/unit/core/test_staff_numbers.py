"""Numbers moderators give (issue 17, finding 5): a mute's and a ban's duration, a slow mode's
interval. Each has a documented range and anything outside it — NaN, infinities, negatives,
bools, huge values — is `invalid` (`out_of_range`); and whatever value reaches the core anyway
(an old stored row, another node's frame), no user's message check can fail on it."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from causerie.core.commands import Say
from causerie.core.policy.bans import (
    MAX_BAN_S,
    MAX_MUTE_S,
    BanScope,
    checked_duration_s,
    expiry_ms,
)
from causerie.core.restrictions import (
    MAX_SLOW_MODE_S,
    Restrictions,
    checked_slow_mode_s,
    clamped_slow_mode_s,
)
from causerie.errors import CauserieError, ErrorCode
from causerie.wire.events import encode_error
from tests.unit.core.builders import START_MS, hello, join, make_hub

NOW_MS = 1_000_000
HOSTILE = [float("nan"), float("inf"), -float("inf"), -100.0, -0.5, 0.0, 1e308, 2**64, True, False]
ANY_NUMBER = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.booleans(),
)


def _out_of_range(call: object) -> CauserieError:
    with pytest.raises(CauserieError) as caught:
        call()  # type: ignore[operator]
    assert caught.value.code is ErrorCode.INVALID
    assert caught.value.key == "out_of_range"
    return caught.value


# -- durations ---------------------------------------------------------------------------------


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("scope", list(BanScope))
def test_checked_duration_s_hostile_values_invalid_naming_field_and_range(
    scope: BanScope, value: float
) -> None:
    error = _out_of_range(lambda: checked_duration_s(scope, value))

    assert error.field == "duration_s"
    assert dict(error.params)["min"] == 1
    assert dict(error.params)["max"] == (MAX_MUTE_S if scope is BanScope.MUTE else MAX_BAN_S)


def test_checked_duration_s_mute_longer_than_thirty_days_invalid_ban_allowed() -> None:
    _out_of_range(lambda: checked_duration_s(BanScope.MUTE, MAX_MUTE_S + 1))

    assert checked_duration_s(BanScope.SITE, MAX_MUTE_S + 1) == MAX_MUTE_S + 1
    assert checked_duration_s(BanScope.MUTE, 600) == 600.0
    assert checked_duration_s(BanScope.ROOM, None) is None  # for good


@settings(max_examples=300, database=None, deadline=None)
@given(ANY_NUMBER, st.sampled_from(list(BanScope)))
def test_checked_duration_s_any_number_in_range_or_invalid(value: float, scope: BanScope) -> None:
    try:
        checked = checked_duration_s(scope, value)
    except CauserieError as error:
        assert error.code is ErrorCode.INVALID
        return
    assert checked is not None and 1 <= checked <= MAX_BAN_S


@settings(max_examples=300, database=None, deadline=None)
@given(st.floats(allow_nan=True, allow_infinity=True) | st.none())
def test_expiry_ms_any_duration_an_integer_after_now_or_none(duration_s: float | None) -> None:
    expiry = expiry_ms(NOW_MS, duration_s)

    if duration_s is None:
        assert expiry is None
    else:
        assert isinstance(expiry, int)
        assert NOW_MS + 1000 <= expiry <= NOW_MS + MAX_BAN_S * 1000


# -- slow mode ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", [float("nan"), float("inf"), -1.0, 1e308, MAX_SLOW_MODE_S + 1, True]
)
def test_checked_slow_mode_s_hostile_values_invalid(value: float) -> None:
    error = _out_of_range(lambda: checked_slow_mode_s(value))

    assert (error.field, dict(error.params)) == ("interval_s", {"min": 0, "max": 3600})


@settings(max_examples=300, database=None, deadline=None)
@given(st.floats(allow_nan=True, allow_infinity=True))
def test_clamped_slow_mode_s_always_usable(value: float) -> None:
    clamped = clamped_slow_mode_s(value)

    assert 0.0 <= clamped <= MAX_SLOW_MODE_S
    assert math.isfinite(clamped)


@settings(max_examples=300, database=None, deadline=None)
@given(
    st.floats(allow_nan=True, allow_infinity=True),
    st.lists(st.integers(min_value=0, max_value=10**12), min_size=1, max_size=5),
)
def test_slow_mode_any_stored_value_never_breaks_a_message(
    interval_s: float, gaps_ms: list[int]
) -> None:
    """Whatever a room's slow mode holds, each post is allowed or refused with `rate_limited`
    whose error frame can be written: never another exception (it closed users' connections)."""
    restrictions = Restrictions()
    restrictions.room("general").set_slow_mode(interval_s)
    now_ms = NOW_MS
    for gap in gaps_ms:
        now_ms += gap
        try:
            restrictions.check_post("alice", "general", now_ms)
        except CauserieError as refused:
            assert refused.code is ErrorCode.RATE_LIMITED
            frame = json.loads(encode_error(refused, "r", "fr"))
            assert 0 < frame["retry_after"] <= MAX_SLOW_MODE_S + 0.2
            continue
        restrictions.record_post("alice", "general", now_ms)


def test_slow_mode_set_around_the_setter_still_checked_within_range() -> None:
    restrictions = Restrictions()
    restrictions.room("general").slow_mode_s = 1e308  # as an old code path might have
    restrictions.record_post("alice", "general", NOW_MS)

    with pytest.raises(CauserieError) as caught:
        restrictions.check_post("alice", "general", NOW_MS + 1)

    assert caught.value.code is ErrorCode.RATE_LIMITED
    assert caught.value.retry_after_s is not None
    assert caught.value.retry_after_s <= MAX_SLOW_MODE_S


@pytest.mark.parametrize("interval_s", [1e308, float("inf"), float("nan"), -100.0])
def test_hub_restrict_room_hostile_interval_stored_clamped_and_users_still_post(
    interval_s: float,
) -> None:
    hub = make_hub()
    session = hello(hub, "Alice")
    join(hub, session, "general")

    outcome = hub.restrict_room("general", slow_mode_s=interval_s)

    shown = outcome.deliveries[0][1].slow_mode_s  # type: ignore[attr-defined]
    assert 0.0 <= shown <= MAX_SLOW_MODE_S
    hub.apply(session, Say("general", "un"), START_MS)
    try:
        hub.apply(session, Say("general", "deux"), START_MS + 1000)
    except CauserieError as refused:
        assert refused.code is ErrorCode.RATE_LIMITED
        encode_error(refused)  # the refusal can be written
