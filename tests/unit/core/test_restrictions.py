"""Moderators' restrictions on posting (DESIGN.md rule 6): mutes in a room or everywhere, timed
or for good; locked rooms, which staff may still post in; slow mode; forgetting a session.
The clock is passed in, so every case is exact."""

from __future__ import annotations

import pytest

from causerie.core.restrictions import Restrictions
from causerie.errors import CauserieError, ErrorCode

NOW_MS = 1_000_000
ALICE = "session-alice"
BRUNO = "session-bruno"


def _refusal(
    restrictions: Restrictions,
    session: str,
    room: str | None,
    now_ms: int = NOW_MS,
    *,
    is_staff: bool = False,
) -> CauserieError:
    with pytest.raises(CauserieError) as caught:
        restrictions.check_post(session, room, now_ms, is_staff=is_staff)
    return caught.value


def _slow(interval_s: float, room: str = "general") -> Restrictions:
    restrictions = Restrictions()
    restrictions.room(room).slow_mode_s = interval_s
    return restrictions


# -- mutes ----------------------------------------------------------------------------------


def test_check_post_nothing_restricted_allows() -> None:
    restrictions = Restrictions()

    restrictions.check_post(ALICE, "general", NOW_MS)
    restrictions.check_post(ALICE, None, NOW_MS)

    assert restrictions.room("general").locked is False


def test_mute_in_room_refuses_that_room_with_muted() -> None:
    restrictions = Restrictions()
    restrictions.mute(ALICE, "general", None)

    error = _refusal(restrictions, ALICE, "general")

    assert (error.code, error.key) == (ErrorCode.MUTED, "muted")


def test_mute_in_room_leaves_other_rooms_and_private_messages_open() -> None:
    restrictions = Restrictions()
    restrictions.mute(ALICE, "general", None)

    restrictions.check_post(ALICE, "musique", NOW_MS)
    restrictions.check_post(ALICE, None, NOW_MS)  # a private message


def test_mute_site_wide_refuses_every_room_and_private_messages() -> None:
    restrictions = Restrictions()
    restrictions.mute(ALICE, None, None)

    codes = [_refusal(restrictions, ALICE, room).code for room in ("general", "musique", None)]

    assert codes == [ErrorCode.MUTED] * 3


def test_mute_one_session_leaves_others_free() -> None:
    restrictions = Restrictions()
    restrictions.mute(ALICE, None, None)

    restrictions.check_post(BRUNO, "general", NOW_MS)


def test_mute_timed_refusal_carries_seconds_left() -> None:
    restrictions = Restrictions()
    restrictions.mute(ALICE, "general", NOW_MS + 90_000)

    error = _refusal(restrictions, ALICE, "general", NOW_MS + 30_000)

    assert error.retry_after_s == 60.0


def test_mute_permanent_has_no_retry_after_and_never_ends() -> None:
    restrictions = Restrictions()
    restrictions.mute(ALICE, "general", None)

    error = _refusal(restrictions, ALICE, "general", NOW_MS + 10 * 365 * 86_400_000)

    assert error.code is ErrorCode.MUTED
    assert error.retry_after_s is None


def test_mute_timed_at_its_end_allows() -> None:
    restrictions = Restrictions()
    restrictions.mute(ALICE, None, NOW_MS + 5_000)

    _refusal(restrictions, ALICE, "general", NOW_MS + 4_999)
    restrictions.check_post(ALICE, "general", NOW_MS + 5_000)


def test_mute_expired_is_forgotten_once_seen() -> None:
    restrictions = Restrictions()
    restrictions.mute(ALICE, "general", NOW_MS + 5_000)
    restrictions.check_post(ALICE, "general", NOW_MS + 5_000)  # expired: dropped here

    # Even a clock stepping back cannot revive it: the mute is gone, not merely past.
    restrictions.check_post(ALICE, "general", NOW_MS)


def test_mute_site_and_room_both_apply_the_site_one_first() -> None:
    restrictions = Restrictions()
    restrictions.mute(ALICE, None, NOW_MS + 10_000)
    restrictions.mute(ALICE, "general", NOW_MS + 60_000)

    first = _refusal(restrictions, ALICE, "general")
    after_site_ends = _refusal(restrictions, ALICE, "general", NOW_MS + 20_000)

    assert first.retry_after_s == 10.0
    assert after_site_ends.retry_after_s == 40.0


def test_mute_again_replaces_the_end() -> None:
    restrictions = Restrictions()
    restrictions.mute(ALICE, "general", NOW_MS + 60_000)
    restrictions.mute(ALICE, "general", NOW_MS + 1_000)

    restrictions.check_post(ALICE, "general", NOW_MS + 1_000)


def test_unmute_room_allows_again() -> None:
    restrictions = Restrictions()
    restrictions.mute(ALICE, "general", None)

    restrictions.unmute(ALICE, "general")

    restrictions.check_post(ALICE, "general", NOW_MS)


def test_unmute_room_keeps_a_site_mute() -> None:
    restrictions = Restrictions()
    restrictions.mute(ALICE, None, None)

    restrictions.unmute(ALICE, "general")

    assert _refusal(restrictions, ALICE, "general").code is ErrorCode.MUTED


def test_unmute_never_muted_changes_nothing() -> None:
    restrictions = Restrictions()

    restrictions.unmute(ALICE, None)

    restrictions.check_post(ALICE, "general", NOW_MS)


def test_mute_applies_to_staff_too() -> None:
    restrictions = Restrictions()
    restrictions.mute(ALICE, "general", None)

    error = _refusal(restrictions, ALICE, "general", is_staff=True)

    assert error.code is ErrorCode.MUTED


# -- locked rooms ---------------------------------------------------------------------------


def test_locked_room_refuses_with_forbidden_room_locked() -> None:
    restrictions = Restrictions()
    restrictions.room("general").locked = True

    error = _refusal(restrictions, ALICE, "general")

    assert (error.code, error.key, error.field) == (ErrorCode.FORBIDDEN, "room_locked", "room")
    assert error.retry_after_s is None


def test_locked_room_staff_may_post() -> None:
    restrictions = Restrictions()
    restrictions.room("general").locked = True

    restrictions.check_post(ALICE, "general", NOW_MS, is_staff=True)


def test_locked_room_other_rooms_and_private_messages_open() -> None:
    restrictions = Restrictions()
    restrictions.room("general").locked = True

    restrictions.check_post(ALICE, "musique", NOW_MS)
    restrictions.check_post(ALICE, None, NOW_MS)


def test_locked_room_unlocked_allows_again() -> None:
    restrictions = Restrictions()
    restrictions.room("general").locked = True

    restrictions.room("general").locked = False

    restrictions.check_post(ALICE, "general", NOW_MS)


def test_room_same_id_returns_the_same_state() -> None:
    restrictions = Restrictions()

    restrictions.room("general").slow_mode_s = 5.0

    assert restrictions.room("general").slow_mode_s == 5.0
    assert restrictions.room("musique").slow_mode_s == 0.0


# -- slow mode ------------------------------------------------------------------------------


def test_slow_mode_first_post_allowed() -> None:
    restrictions = _slow(10.0)

    restrictions.check_post(ALICE, "general", NOW_MS)


def test_slow_mode_second_post_within_interval_refused_with_retry_after() -> None:
    restrictions = _slow(10.0)
    restrictions.record_post(ALICE, "general", NOW_MS)

    error = _refusal(restrictions, ALICE, "general", NOW_MS + 4_000)

    assert (error.code, error.key) == (ErrorCode.RATE_LIMITED, "slow_mode")
    assert error.retry_after_s == 6.0


def test_slow_mode_after_interval_allowed() -> None:
    restrictions = _slow(10.0)
    restrictions.record_post(ALICE, "general", NOW_MS)

    restrictions.check_post(ALICE, "general", NOW_MS + 10_000)


def test_slow_mode_counts_each_person_apart() -> None:
    restrictions = _slow(10.0)
    restrictions.record_post(ALICE, "general", NOW_MS)

    restrictions.check_post(BRUNO, "general", NOW_MS + 1_000)


def test_slow_mode_counts_each_room_apart() -> None:
    restrictions = _slow(10.0)
    restrictions.room("musique").slow_mode_s = 10.0
    restrictions.record_post(ALICE, "general", NOW_MS)

    restrictions.check_post(ALICE, "musique", NOW_MS + 1_000)


def test_slow_mode_staff_not_slowed() -> None:
    restrictions = _slow(10.0)
    restrictions.record_post(ALICE, "general", NOW_MS)

    restrictions.check_post(ALICE, "general", NOW_MS + 1_000, is_staff=True)


def test_slow_mode_fractional_interval_gives_fractional_retry_after() -> None:
    restrictions = _slow(1.5)
    restrictions.record_post(ALICE, "general", NOW_MS)

    error = _refusal(restrictions, ALICE, "general", NOW_MS + 1_000)

    assert error.retry_after_s == pytest.approx(0.5)


def test_slow_mode_turned_off_allows_at_once() -> None:
    restrictions = _slow(10.0)
    restrictions.record_post(ALICE, "general", NOW_MS)

    restrictions.room("general").slow_mode_s = 0.0

    restrictions.check_post(ALICE, "general", NOW_MS + 1)


def test_record_post_without_slow_mode_is_not_remembered() -> None:
    restrictions = Restrictions()
    restrictions.room("general")  # known room, slow mode off
    restrictions.record_post(ALICE, "general", NOW_MS)

    restrictions.room("general").slow_mode_s = 10.0

    restrictions.check_post(ALICE, "general", NOW_MS + 1_000)  # the earlier post did not count
    assert restrictions.room("general").last_post_ms == {}


def test_record_post_unknown_room_creates_nothing() -> None:
    restrictions = Restrictions()

    restrictions.record_post(ALICE, "general", NOW_MS)
    restrictions.room("general").slow_mode_s = 10.0

    restrictions.check_post(ALICE, "general", NOW_MS + 1_000)


# -- forget ---------------------------------------------------------------------------------


def test_forget_drops_the_session_mutes() -> None:
    restrictions = Restrictions()
    restrictions.mute(ALICE, None, None)
    restrictions.mute(ALICE, "general", None)

    restrictions.forget(ALICE)

    restrictions.check_post(ALICE, "general", NOW_MS)


def test_forget_drops_the_session_slow_mode_posts() -> None:
    restrictions = _slow(10.0)
    restrictions.record_post(ALICE, "general", NOW_MS)

    restrictions.forget(ALICE)

    restrictions.check_post(ALICE, "general", NOW_MS + 1_000)
    assert ALICE not in restrictions.room("general").last_post_ms


def test_forget_keeps_other_sessions_and_room_settings() -> None:
    restrictions = _slow(10.0)
    restrictions.room("general").locked = True
    restrictions.mute(BRUNO, None, None)
    restrictions.record_post(BRUNO, "general", NOW_MS)

    restrictions.forget(ALICE)

    assert _refusal(restrictions, BRUNO, None).code is ErrorCode.MUTED
    assert restrictions.room("general").last_post_ms == {BRUNO: NOW_MS}
    assert restrictions.room("general").locked is True
