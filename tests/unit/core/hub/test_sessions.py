"""`Sessions` alone: admission (what a hello declares), the nickname index, reserved staff
names, age verification and assurance, and forgetting a session."""

from __future__ import annotations

import pytest

from causerie.core.commands import Hello
from causerie.core.hub.config import HubConfig
from causerie.core.hub.sessions import Sessions
from causerie.core.policy.nicknames import nick_key, staff_skeletons
from causerie.core.policy.ratelimits import TokenBucket
from causerie.errors import CauserieError, ErrorCode
from tests.unit.core.builders import START_MS
from tests.unit.core.hub.parts import KNOWN_POSTCODE, admit, locate


def _sessions(config: HubConfig | None = None) -> Sessions:
    return Sessions(locate, config or HubConfig())


def _refused(sessions: Sessions, command: Hello, session: str = "s-new") -> CauserieError:
    with pytest.raises(CauserieError) as caught:
        sessions.admit(session, command, START_MS)
    return caught.value


def test_admit_keeps_the_session_and_indexes_its_nickname() -> None:
    sessions = _sessions()
    alice = admit(sessions, "Alice")
    assert sessions.get("s-Alice") is alice
    assert sessions.by_nick_key[nick_key("Alice")] == "s-Alice"
    assert sessions.profile_of("s-Alice").dept == "75"
    assert alice.user == alice.profile.public()
    assert alice.started_ms == START_MS


def test_admit_the_same_session_twice_is_already_joined() -> None:
    sessions = _sessions()
    admit(sessions, "Alice", session="s-1")
    error = _refused(sessions, Hello("Bruno", "man", 30, KNOWN_POSTCODE), session="s-1")
    assert (error.code, error.key) == (ErrorCode.INVALID, "already_joined")
    assert not sessions.is_connected_here("Bruno")


def test_admit_a_nickname_differing_only_in_case_is_taken_and_nothing_is_kept() -> None:
    sessions = _sessions()
    admit(sessions, "Alice")
    error = _refused(sessions, Hello("alice", "woman", 30, KNOWN_POSTCODE))
    assert (error.code, error.key, error.field) == (ErrorCode.NICK_TAKEN, "nick_taken", "nick")
    assert list(sessions.by_id) == ["s-Alice"]


@pytest.mark.parametrize(
    ("command", "code", "key", "field"),
    [
        (Hello("Alice", "robot", 30, KNOWN_POSTCODE), ErrorCode.INVALID, "gender", "gender"),
        (Hello("Alice", "woman", 12, KNOWN_POSTCODE), ErrorCode.TOO_YOUNG, "too_young", "age"),
        (Hello("Alice", "woman", 121, KNOWN_POSTCODE), ErrorCode.INVALID, "age", "age"),
        (Hello("Alice", "woman", 30, "99999"), ErrorCode.INVALID, "postcode", "postcode"),
    ],
)
def test_admit_a_bad_declaration_names_its_field_and_keeps_nothing(
    command: Hello, code: ErrorCode, key: str, field: str
) -> None:
    sessions = _sessions()
    error = _refused(sessions, command)
    assert (error.code, error.key, error.field) == (code, key, field)
    assert not sessions.by_id and not sessions.by_nick_key


def test_admit_too_young_says_the_minimum_age() -> None:
    error = _refused(_sessions(HubConfig(min_age=15)), Hello("Alice", "woman", 14, "75011"))
    assert error.params == {"min": 15}


def test_admit_an_unknown_language_falls_back_to_french() -> None:
    sessions = _sessions()
    session = sessions.admit("s-1", Hello("Alice", "woman", 30, KNOWN_POSTCODE, "de"), START_MS)
    assert session.profile.lang == "fr"


def test_admit_makes_flood_buckets_only_for_configured_limits() -> None:
    limited = admit(_sessions(), "Alice")
    free = admit(_sessions(HubConfig(say_limit=None, dm_limit=None)), "Alice")
    assert isinstance(limited.say_bucket, TokenBucket)
    assert isinstance(limited.dm_bucket, TokenBucket)
    assert (free.say_bucket, free.dm_bucket) == (None, None)


def test_remove_frees_the_nickname_once() -> None:
    sessions = _sessions()
    alice = admit(sessions, "Alice")
    assert sessions.remove("s-Alice") is alice
    assert sessions.remove("s-Alice") is None
    assert sessions.session_of_nick("Alice") is None
    assert admit(sessions, "ALICE", session="s-2").profile.nick == "ALICE"


def test_by_id_and_by_nick_key_follow_admissions_and_removals() -> None:
    sessions = _sessions()
    by_id, by_nick = sessions.by_id, sessions.by_nick_key
    admit(sessions, "Alice")
    assert "s-Alice" in by_id and nick_key("Alice") in by_nick
    sessions.remove("s-Alice")
    assert "s-Alice" not in by_id and nick_key("Alice") not in by_nick


def test_session_of_nick_ignores_case_and_surrounding_spaces() -> None:
    sessions = _sessions()
    admit(sessions, "Alice")
    assert sessions.session_of_nick("  aLICE ") == "s-Alice"
    assert sessions.is_connected_here(" alice")
    assert not sessions.is_connected_here("Bruno")


def test_reserve_refuses_lookalikes_of_staff_names_from_then_on() -> None:
    sessions = _sessions()
    admit(sessions, "G4spard")  # before the name was reserved: kept
    sessions.reserve(staff_skeletons(["Gaspard"]))
    error = _refused(sessions, Hello("Gaspard", "man", 30, KNOWN_POSTCODE))
    assert (error.code, error.key, error.field) == (ErrorCode.NICK_TAKEN, "nick_reserved", "nick")
    assert sessions.reserved_skeletons == staff_skeletons(["Gaspard"])
    assert sessions.is_connected_here("G4spard")


def test_verify_age_marks_an_adult_and_keeps_the_public_view() -> None:
    sessions = _sessions()
    alice = admit(sessions, "Alice")
    user = alice.user
    profile = sessions.verify_age("s-Alice")
    assert profile.is_age_verified and sessions.profile_of("s-Alice") is profile
    assert alice.user is user


def test_verify_age_of_a_minor_is_refused_and_changes_nothing() -> None:
    sessions = _sessions()
    nina = admit(sessions, "Nina", age=15)
    with pytest.raises(CauserieError) as caught:
        sessions.verify_age("s-Nina")
    assert (caught.value.code, caught.value.key) == (ErrorCode.AGE_RESTRICTED, "age_verify_minor")
    assert not nina.profile.is_age_verified


def test_assure_age_marks_a_minor_and_refuses_an_adult() -> None:
    sessions = _sessions()
    admit(sessions, "Nina", age=15)
    admit(sessions, "Marc", age=40)
    assert sessions.assure_age("s-Nina").is_age_assured
    with pytest.raises(CauserieError) as caught:
        sessions.assure_age("s-Marc")
    assert caught.value.key == "age_assurance_adult"
    assert not sessions.profile_of("s-Marc").is_age_assured
