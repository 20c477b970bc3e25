"""Bans (DESIGN.md rule 6): matched by session, device cookie or address so that a new
nickname does not escape them; from a room or the whole site; for a time or for good."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from causerie.core.policy.bans import Ban, BanList, BanScope

T0_MS = 1_000_000
HOUR_MS = 3_600_000


def _ban(**changes: Any) -> Ban:
    fields: dict[str, Any] = {
        "id": 1,
        "scope": BanScope.SITE,
        "room": None,
        "nick": "Bruno",
        "session": "s-bruno",
        "device": "dev-bruno",
        "address": "203.0.113.7",
        "reason": "harcèlement",
        "actor": "modo",
        "created_at_ms": T0_MS,
        "expires_at_ms": T0_MS + HOUR_MS,
    }
    fields.update(changes)
    return Ban(**fields)


def _find(bans: BanList, *, room: str | None = None, now_ms: int = T0_MS, **who: Any) -> Ban | None:
    keys = {"session": None, "device": None, "address": None, **who}
    return bans.find(room=room, now_ms=now_ms, **keys)


def _list(*bans: Ban) -> BanList:
    ban_list = BanList()
    ban_list.update(bans)
    return ban_list


# -- matches --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("session", "device", "address"),
    [
        ("s-bruno", None, None),
        (None, "dev-bruno", None),
        (None, None, "203.0.113.7"),  # no cookie at all, same address
        ("s-new", "dev-bruno", "198.51.100.1"),  # new nickname and session, same device
        ("s-new", "new-made-up", "203.0.113.7"),  # cookie cleared, same address
    ],
)
def test_matches_any_one_key_matches(
    session: str | None, device: str | None, address: str | None
) -> None:
    assert _ban().matches(session, device, address)


def test_matches_address_with_own_device_cookie_does_not_match() -> None:
    # Someone else behind the same router (a family, a school) has a cookie of their own.
    assert not _ban().matches("s-other", "dev-other", "203.0.113.7")


def test_matches_address_not_at_admission_does_not_match() -> None:
    ban = _ban()

    assert not ban.matches("s-other", None, "203.0.113.7", is_admission=False)
    assert ban.matches("s-bruno", None, "203.0.113.7", is_admission=False)  # by session


def test_matches_no_key_in_common_does_not_match() -> None:
    assert not _ban().matches("s-other", "dev-other", "198.51.100.1")


def test_matches_nothing_known_does_not_match() -> None:
    assert not _ban().matches(None, None, None)


def test_matches_ban_without_keys_matches_nobody() -> None:
    ban = _ban(session=None, device=None, address=None)

    assert not ban.matches(None, None, None)
    assert not ban.matches("s-bruno", "dev-bruno", "203.0.113.7")


def test_matches_made_up_device_never_matches() -> None:
    ban = _ban(session="s-bruno", device="new-abc123", address=None)

    assert not ban.matches("s-other", "new-abc123", None)


def test_matches_made_up_device_ban_still_matches_by_session() -> None:
    ban = _ban(session="s-bruno", device="new-abc123", address=None)

    assert ban.matches("s-bruno", "new-xyz", None)


def test_matches_real_device_against_made_up_one_does_not_match() -> None:
    assert not _ban(session=None, address=None).matches(None, "new-dev-bruno", None)


# -- is_active and retry_after_s ------------------------------------------------------------


def test_is_active_before_expiry_active() -> None:
    assert _ban().is_active(T0_MS + HOUR_MS - 1)


def test_is_active_at_expiry_inactive() -> None:
    assert not _ban().is_active(T0_MS + HOUR_MS)


def test_is_active_for_good_active_forever() -> None:
    assert _ban(expires_at_ms=None).is_active(T0_MS + 100 * 365 * 24 * HOUR_MS)


def test_is_active_lifted_inactive_even_for_good() -> None:
    assert not _ban(expires_at_ms=None, lifted_at_ms=T0_MS + 1).is_active(T0_MS + 2)


def test_retry_after_s_timed_gives_seconds_left() -> None:
    assert _ban().retry_after_s(T0_MS + HOUR_MS - 90_000) == 90.0


def test_retry_after_s_past_expiry_is_zero() -> None:
    assert _ban().retry_after_s(T0_MS + 2 * HOUR_MS) == 0.0


def test_retry_after_s_for_good_is_none() -> None:
    assert _ban(expires_at_ms=None).retry_after_s(T0_MS) is None


# -- BanList.find ---------------------------------------------------------------------------


def test_find_site_ban_applies_at_admission_and_in_every_room() -> None:
    bans = _list(_ban())

    found = [_find(bans, room=room, device="dev-bruno") for room in (None, "general", "musique")]

    assert [b.id if b else None for b in found] == [1, 1, 1]


def test_find_room_ban_applies_only_in_its_room() -> None:
    bans = _list(_ban(scope=BanScope.ROOM, room="general"))

    in_room = _find(bans, room="general", session="s-bruno")
    elsewhere = _find(bans, room="musique", session="s-bruno")
    at_admission = _find(bans, room=None, session="s-bruno")

    assert in_room is not None and in_room.id == 1
    assert (elsewhere, at_admission) == (None, None)


def test_find_someone_else_finds_nothing() -> None:
    bans = _list(_ban())

    assert _find(bans, session="s-alice", device="dev-alice", address="198.51.100.9") is None


def test_find_expired_or_lifted_ban_ignored() -> None:
    bans = _list(_ban(id=1), _ban(id=2, expires_at_ms=None, lifted_at_ms=T0_MS))

    assert _find(bans, session="s-bruno", now_ms=T0_MS + HOUR_MS) is None


def test_find_several_bans_longest_lasting_first() -> None:
    bans = _list(
        _ban(id=1, expires_at_ms=T0_MS + HOUR_MS),
        _ban(id=2, expires_at_ms=T0_MS + 24 * HOUR_MS),
        _ban(id=3, expires_at_ms=T0_MS + 2 * HOUR_MS),
    )

    found = _find(bans, session="s-bruno")

    assert found is not None and found.id == 2


def test_find_for_good_beats_any_timed_ban() -> None:
    bans = _list(
        _ban(id=1, expires_at_ms=T0_MS + 1000 * 24 * HOUR_MS),
        _ban(id=2, expires_at_ms=None, scope=BanScope.ROOM, room="general"),
    )

    found = _find(bans, room="general", device="dev-bruno")

    assert found is not None and found.id == 2


def test_update_same_id_replaces_the_ban() -> None:
    bans = _list(_ban(expires_at_ms=None))

    bans.update([dataclasses.replace(_ban(expires_at_ms=None), lifted_at_ms=T0_MS)])

    assert len(bans) == 1
    assert _find(bans, session="s-bruno", now_ms=T0_MS + 1) is None


def test_find_reporting_ban_never_refuses_admission_or_rooms() -> None:
    bans = _list(_ban(scope=BanScope.REPORTS))

    found = [_find(bans, room=room, session="s-bruno") for room in (None, "general")]

    assert found == [None, None]


def test_find_reporting_ban_finds_only_active_reports_bans() -> None:
    bans = _list(
        _ban(id=1, scope=BanScope.SITE),
        _ban(id=2, scope=BanScope.REPORTS, expires_at_ms=T0_MS + HOUR_MS),
    )

    now = bans.find_reporting_ban(session=None, device="dev-bruno", address=None, now_ms=T0_MS)
    later = bans.find_reporting_ban(
        session=None, device="dev-bruno", address=None, now_ms=T0_MS + HOUR_MS
    )

    assert now is not None and now.id == 2
    assert later is None


# -- forget_expired -------------------------------------------------------------------------


def test_forget_expired_drops_expired_and_lifted_keeps_active() -> None:
    bans = _list(
        _ban(id=1, expires_at_ms=T0_MS + HOUR_MS),
        _ban(id=2, expires_at_ms=None, lifted_at_ms=T0_MS + 1),
        _ban(id=3, expires_at_ms=None),
        _ban(id=4, expires_at_ms=T0_MS + 3 * HOUR_MS),
    )

    bans.forget_expired(T0_MS + 2 * HOUR_MS)

    found = _find(bans, session="s-bruno", now_ms=T0_MS + 2 * HOUR_MS)
    assert len(bans) == 2
    assert found is not None and found.id == 3  # the permanent one outlasts id 4


def test_forget_expired_nothing_expired_keeps_all() -> None:
    bans = _list(_ban(id=1), _ban(id=2))

    bans.forget_expired(T0_MS)

    assert len(bans) == 2
