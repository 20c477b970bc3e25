"""The WebSocket JSON codec against docs/protocol.md: requests decode to commands, events
encode to the documented frames, and `FrameError` is the decoder's only failure mode (fuzzed)."""

from __future__ import annotations

import dataclasses
import json
import re
import typing
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from causerie.core import commands as cmd
from causerie.core import events as ev
from causerie.core.messages import DirectMessage, MediaRef, Message
from causerie.core.rooms import Audience, Room, RoomAccess, RoomKind, RoomModes
from causerie.core.users import AgeBand, Gender, PublicUser
from causerie.errors import CauserieError, ErrorCode
from causerie.wire.commands import MAX_FRAME_BYTES, FrameError, decode_frame
from causerie.wire.events import (
    PROTOCOL_VERSION,
    decode_dm_frame,
    decode_event,
    decode_message_frame,
    encode_error,
    encode_event,
)
from tests.unit.core.builders import ROOMS_BY_ID, START_MS

COMMAND_TYPES = typing.get_args(cmd.Command)
REQUEST_TYPES = (
    "hello",
    "rooms",
    "join",
    "part",
    "say",
    "dm",
    "delete",
    "typing",
    "history",
    "block",
    "unblock",
    "ping",
    "report",
    "appeal",
    "settings",
    "accept",
    "decline",
    "verify_age",
    "assure_age",
    "login",
    "queue",
    "mod",
    "media",
    "create_room",
    "room_topic",
    "room_modes",
    "room_operator",
    "room_voice",
    "invite",
    "kick",
    "room_ban",
    "room_settings",
    "scores",
)

# Shapes documented in docs/protocol.md.
USER_KEYS = {"nick", "gender", "age", "dept", "region"}
ROOM_KEYS = {"id", "name", "kind", "audience", "members", "topic", "pictures", "games"}
MESSAGE_KEYS = {"id", "room", "from", "text", "ts"}
DM_KEYS = {"id", "from", "to", "text", "ts"}

ALICE = PublicUser("Alice", Gender.WOMAN, 25, "75", "Île-de-France")
BOB = PublicUser("Bob", Gender.MAN, 31, "2A", "Corse")
MESSAGE = Message(123_456_789, "general", ALICE, "Bonjour à tous", START_MS, "s-alice")
DM = DirectMessage(123_456_790, ALICE, BOB, "coucou", START_MS + 1, "s-alice", "s-bob")
GENERAL_VIEW = ev.RoomView(ROOMS_BY_ID["general"], 3)

ALICE_WIRE = {
    "nick": "Alice",
    "gender": "woman",
    "age": 25,
    "dept": "75",
    "region": "Île-de-France",
}
BOB_WIRE = {"nick": "Bob", "gender": "man", "age": 31, "dept": "2A", "region": "Corse"}
MESSAGE_WIRE = {
    "id": 123_456_789,
    "room": "general",
    "from": ALICE_WIRE,
    "text": "Bonjour à tous",
    "ts": START_MS,
}
GENERAL_WIRE = {
    "id": "general",
    "name": "Général",
    "kind": "thematic",
    "audience": "adult",
    "topic": "On parle de tout, gentiment.",
    "pictures": True,
    "members": 3,
    "games": [],
}


def _frame(**fields: Any) -> str:
    return json.dumps(fields, ensure_ascii=False)


def _frame_error(data: str | bytes, max_frame_bytes: int = MAX_FRAME_BYTES) -> FrameError:
    with pytest.raises(FrameError) as caught:
        decode_frame(data, max_frame_bytes)
    return caught.value


def _encoded(event: ev.Event, re_id: str | int | None = None, lang: str = "fr") -> dict[str, Any]:
    frame = json.loads(encode_event(event, re_id, lang))
    assert isinstance(frame, dict)
    return frame


def _room_documented_part(room: dict[str, Any]) -> dict[str, Any]:
    return {key: room[key] for key in ROOM_KEYS}


# -- requests -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "command"),
    [
        (
            {"type": "hello", "nick": "Alice", "gender": "woman", "age": 25, "postcode": "75011"},
            cmd.Hello("Alice", "woman", 25, "75011", "fr"),
        ),
        (
            {
                "type": "hello",
                "nick": "Élodie",
                "gender": "other",
                "age": 16,
                "postcode": "97400",
                "lang": "en",
                "resume": {"session": "s1", "last_id": 41, "rooms": ["ados-general"]},
            },
            cmd.Hello(
                "Élodie", "other", 16, "97400", "en", cmd.Resume("s1", 41, ("ados-general",))
            ),
        ),
        ({"type": "join", "room": "general", "since": 7}, cmd.Join("general", 7)),
        ({"type": "rooms"}, cmd.ListRooms()),
        ({"type": "join", "room": "general"}, cmd.Join("general")),
        ({"type": "part", "room": "general"}, cmd.Part("general")),
        ({"type": "say", "room": "general", "text": "salut"}, cmd.Say("general", "salut")),
        ({"type": "dm", "to": "Bob", "text": "coucou"}, cmd.SendDm("Bob", "coucou")),
        ({"type": "history", "room": "general"}, cmd.FetchHistory("general", None, 50)),
        (
            {"type": "history", "room": "general", "before": 99, "limit": 10},
            cmd.FetchHistory("general", 99, 10),
        ),
        ({"type": "history", "room": "general", "before": None}, cmd.FetchHistory("general")),
        ({"type": "block", "nick": "Bob"}, cmd.Block("Bob")),
        ({"type": "unblock", "nick": "Bob"}, cmd.Unblock("Bob")),
        ({"type": "ping"}, cmd.Ping()),
        ({"type": "join", "room": "jazz", "key": "k1"}, cmd.Join("jazz", None, "k1")),
        (
            {"type": "create_room", "name": "Fans de jazz", "topic": "Swing"},
            cmd.CreateRoom("Fans de jazz", "Swing"),
        ),
        (
            {
                "type": "room_modes",
                "room": "jazz",
                "invite_only": True,
                "key": "",
                "member_limit": 9,
            },
            cmd.SetRoomModes("jazz", invite_only=True, key="", member_limit=9),
        ),
        (
            {"type": "room_operator", "room": "jazz", "nick": "Bob", "on": False},
            cmd.SetRoomOperator("jazz", "Bob", False),
        ),
        (
            {"type": "room_voice", "room": "jazz", "nick": "Bob"},
            cmd.SetRoomVoice("jazz", "Bob", True),
        ),
        ({"type": "invite", "room": "jazz", "nick": "Bob"}, cmd.InviteToRoom("jazz", "Bob")),
        (
            {"type": "kick", "room": "jazz", "nick": "Bob", "reason": "spam"},
            cmd.KickFromRoom("jazz", "Bob", "spam"),
        ),
        ({"type": "room_ban", "room": "jazz", "nick": "Bob"}, cmd.BanFromRoom("jazz", "Bob")),
    ],
)
def test_decode_frame_each_request_type_gives_its_command(
    fields: dict[str, Any], command: cmd.Command
) -> None:
    assert decode_frame(_frame(**fields)) == (None, command)
    assert decode_frame(_frame(**fields).encode()) == (None, command)


def test_decode_frame_every_request_type_covered() -> None:
    decoded = {
        type(decode_frame(_frame(type=kind, **_minimal_fields(kind)))[1]) for kind in REQUEST_TYPES
    }

    # LookUp and ListMembers are the IRC listener's questions: the WebSocket has no frame for
    # them (docs/protocol.md is unchanged).
    assert decoded == set(COMMAND_TYPES) - {cmd.LookUp, cmd.ListMembers}


def _minimal_fields(kind: str) -> dict[str, Any]:
    return {
        "hello": {"nick": "Al", "gender": "man", "age": 20, "postcode": "75011"},
        "join": {"room": "r"},
        "part": {"room": "r"},
        "say": {"room": "r", "text": "t"},
        "dm": {"to": "Bob", "text": "t"},
        "delete": {"message_id": 4},
        "typing": {"room": "r"},
        "history": {"room": "r"},
        "scores": {"room": "r"},
        "block": {"nick": "Bob"},
        "unblock": {"nick": "Bob"},
        "report": {"category": "spam", "nick": "Bob"},
        "appeal": {"statement_id": "s1", "text": "je conteste"},
        "settings": {"dm_policy": "nobody"},
        "accept": {"nick": "Bob"},
        "decline": {"nick": "Bob"},
        "verify_age": {"token": "t"},
        "assure_age": {"token": "t"},
        "login": {"name": "modo", "password": "secret"},
        "mod": {"action": "kick", "nick": "Bob", "reason": "spam"},
        "media": {"media_id": "Ab3_x-9Zk2Lq"},
        "create_room": {"name": "Jazz"},
        "room_topic": {"room": "r", "topic": "t"},
        "room_modes": {"room": "r"},
        "room_operator": {"room": "r", "nick": "Bob"},
        "room_voice": {"room": "r", "nick": "Bob"},
        "invite": {"room": "r", "nick": "Bob"},
        "kick": {"room": "r", "nick": "Bob"},
        "room_ban": {"room": "r", "nick": "Bob"},
        "room_settings": {"room": "r"},
    }.get(kind, {})


def test_decode_frame_unknown_extra_fields_ignored() -> None:
    data = _frame(type="join", room="general", v=2, extra={"nested": [1, {"x": None}]})

    assert decode_frame(data) == (None, cmd.Join("general"))


@pytest.mark.parametrize(
    "request_id", ["1", "", "k3J-é", "x" * 64, 0, 7, -3, 2**53 - 1, -(2**53) + 1]
)
def test_decode_frame_valid_request_id_returned(request_id: str | int) -> None:
    assert decode_frame(_frame(type="ping", id=request_id)) == (request_id, cmd.Ping())


@pytest.mark.parametrize(
    "request_id", [True, False, 1.5, 1.0, "x" * 65, 2**53, -(2**53), 10**30, [], {}, [1]]
)
def test_decode_frame_bad_request_id_refused_invalid_on_id(request_id: object) -> None:
    error = _frame_error(_frame(type="ping", id=request_id))

    assert (error.code, error.key, error.field, error.request_id) == (
        ErrorCode.INVALID,
        "bad_id",
        "id",
        None,
    )


@pytest.mark.parametrize(
    "data", ["", "{", "hello", "{'type': 'ping'}", '{"type": "ping"} x', b"\xff\xfe"]
)
def test_decode_frame_not_json_refused_invalid(data: str | bytes) -> None:
    error = _frame_error(data)

    assert (error.code, error.key, error.field, error.request_id) == (
        ErrorCode.INVALID,
        "not_json",
        None,
        None,
    )


@pytest.mark.parametrize("data", ["[]", '[{"type": "ping"}]', "1", '"ping"', "null", "true"])
def test_decode_frame_not_object_refused_invalid(data: str) -> None:
    error = _frame_error(data)

    assert (error.code, error.key, error.field) == (ErrorCode.INVALID, "not_object", None)


@pytest.mark.parametrize(
    "data",
    [
        _frame(type="fly", id="7"),
        _frame(type="HELLO", id="7"),
        _frame(type=5, id="7"),
        _frame(type=None, id="7"),
        _frame(type=["ping"], id="7"),
        _frame(id="7", room="general"),
    ],
)
def test_decode_frame_unknown_type_refused_invalid_on_type_with_re(data: str) -> None:
    error = _frame_error(data)

    assert (error.code, error.key, error.field, error.request_id) == (
        ErrorCode.INVALID,
        "unknown_type",
        "type",
        "7",
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"type": "say", "text": "salut"}, "room"),
        ({"type": "join"}, "room"),
        ({"type": "dm", "text": "coucou"}, "to"),
        ({"type": "block"}, "nick"),
        ({"type": "hello", "nick": "Alice", "gender": "woman", "age": 25}, "postcode"),
        ({"type": "hello", "nick": "Alice", "gender": "woman", "postcode": "75011"}, "age"),
    ],
)
def test_decode_frame_missing_field_refused_invalid_naming_it(
    fields: dict[str, Any], field: str
) -> None:
    error = _frame_error(_frame(id=12, **fields))

    assert (error.code, error.key, error.field, error.request_id) == (
        ErrorCode.INVALID,
        "field_missing",
        field,
        12,
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"type": "join", "room": 5}, "room"),
        ({"type": "join", "room": None}, "room"),
        ({"type": "say", "room": "general", "text": ["salut"]}, "text"),
        ({"type": "dm", "to": {"nick": "Bob"}, "text": "t"}, "to"),
        ({"type": "history", "room": "general", "limit": "beaucoup"}, "limit"),
        ({"type": "history", "room": "general", "limit": 1.5}, "limit"),
        ({"type": "history", "room": "general", "before": "hier"}, "before"),
        ({"type": "block", "nick": 42}, "nick"),
        (
            {"type": "hello", "nick": "Al", "gender": "man", "age": "vingt", "postcode": "75011"},
            "age",
        ),
        ({"type": "hello", "nick": "Al", "gender": "man", "age": True, "postcode": "75011"}, "age"),
        ({"type": "hello", "nick": "Al", "gender": "man", "age": 25.5, "postcode": "75011"}, "age"),
        (
            {"type": "hello", "nick": "Al", "gender": "man", "age": 25, "postcode": 75011},
            "postcode",
        ),
        ({"type": "hello", "nick": "Al", "gender": 1, "age": 25, "postcode": "75011"}, "gender"),
        (
            {
                "type": "hello",
                "nick": "Al",
                "gender": "man",
                "age": 25,
                "postcode": "75011",
                "lang": 2,
            },
            "lang",
        ),
    ],
)
def test_decode_frame_wrong_field_type_refused_invalid_naming_it(
    fields: dict[str, Any], field: str
) -> None:
    error = _frame_error(_frame(id="r1", **fields))

    assert (error.code, error.key, error.field, error.request_id) == (
        ErrorCode.INVALID,
        "bad_field",
        field,
        "r1",
    )


def test_decode_frame_error_with_readable_id_carries_re_in_error_frame() -> None:
    error = _frame_error(_frame(type="say", id="42", text="salut"))

    frame = json.loads(encode_error(error, error.request_id, "en"))

    assert frame == {
        "type": "error",
        "re": "42",
        "code": "invalid",
        "message": "Missing field 'room'.",
        "field": "room",
    }


def _padded_say(total_bytes: int) -> str:
    empty = _frame(type="say", room="general", text="")
    return _frame(type="say", room="general", text="a" * (total_bytes - len(empty.encode())))


def test_decode_frame_exactly_max_bytes_accepted() -> None:
    data = _padded_say(MAX_FRAME_BYTES)

    assert len(data.encode()) == MAX_FRAME_BYTES == 16 * 1024
    assert isinstance(decode_frame(data)[1], cmd.Say)


@pytest.mark.parametrize("as_bytes", [False, True])
def test_decode_frame_over_max_bytes_refused_too_large(as_bytes: bool) -> None:
    data = _padded_say(MAX_FRAME_BYTES + 1)

    error = _frame_error(data.encode() if as_bytes else data)

    assert (error.code, error.key) == (ErrorCode.TOO_LARGE, "frame_too_large")
    assert error.params == {"max": MAX_FRAME_BYTES}


def test_decode_frame_size_counted_in_utf8_bytes_not_characters() -> None:
    data = _frame(type="say", room="general", text="é" * 9000)  # 9,000 chars, 18,000 bytes

    assert len(data) < MAX_FRAME_BYTES < len(data.encode())
    assert _frame_error(data).code is ErrorCode.TOO_LARGE


def test_decode_frame_configured_max_applies() -> None:
    data = _padded_say(2000)

    assert _frame_error(data, max_frame_bytes=1999).code is ErrorCode.TOO_LARGE
    assert isinstance(decode_frame(data, max_frame_bytes=2000)[1], cmd.Say)


@pytest.mark.parametrize("opener, closer", [("[", "]"), ('{"a":', "}")])
def test_decode_frame_deep_nesting_under_limit_refused_invalid(opener: str, closer: str) -> None:
    depth = 2500
    leaf = "1" if opener.startswith("{") else ""
    data = '{"type": "ping", "x": ' + opener * depth + leaf + closer * depth + "}"
    assert len(data.encode()) <= MAX_FRAME_BYTES

    error = _frame_error(data)

    assert error.code is ErrorCode.INVALID


# -- fuzz: FrameError is the only failure ------------------------------------------------------


def _decode_or_frame_error(data: str | bytes) -> None:
    """Holds the codec's contract: a command, or FrameError whose error frame can be written."""
    try:
        request_id, command = decode_frame(data)
    except FrameError as error:
        assert error.code in (ErrorCode.INVALID, ErrorCode.TOO_LARGE)
        assert json.loads(encode_error(error, error.request_id))["code"] == error.code.value
        return
    assert isinstance(command, COMMAND_TYPES)
    assert request_id is None or (
        isinstance(request_id, str | int) and not isinstance(request_id, bool)
    )


JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(-(2**64), 2**64)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=10,
)
FIELD_NAMES = (
    "id",
    "nick",
    "gender",
    "age",
    "postcode",
    "lang",
    "room",
    "text",
    "to",
    "before",
    "limit",
)
PLAUSIBLE = st.sampled_from(
    ["Alice", "woman", "75011", "general", "", "fr", 25, 0, -1, 2**53, 10**40, 1.5, True, None]
)
TYPED_FRAMES = st.builds(
    lambda kind, fields, extra: {**extra, **fields, "type": kind},
    st.sampled_from(REQUEST_TYPES),
    st.dictionaries(
        st.sampled_from(FIELD_NAMES), PLAUSIBLE | JSON_SCALARS | JSON_VALUES, max_size=6
    ),
    st.dictionaries(st.text(max_size=8), JSON_SCALARS, max_size=2),
)
FUZZ = settings(max_examples=300, database=None, deadline=None)


@FUZZ
@given(st.text(st.characters(exclude_categories=()), max_size=200))
def test_decode_frame_arbitrary_text_command_or_frame_error(data: str) -> None:
    _decode_or_frame_error(data)


@FUZZ
@given(st.binary(max_size=200))
def test_decode_frame_arbitrary_bytes_command_or_frame_error(data: bytes) -> None:
    _decode_or_frame_error(data)


@FUZZ
@given(JSON_VALUES)
def test_decode_frame_arbitrary_json_command_or_frame_error(value: Any) -> None:
    _decode_or_frame_error(json.dumps(value))


@FUZZ
@given(TYPED_FRAMES, st.booleans())
def test_decode_frame_json_object_with_valid_type_command_or_frame_error(
    frame: dict[str, Any], ascii_only: bool
) -> None:
    _decode_or_frame_error(json.dumps(frame, ensure_ascii=ascii_only))


@FUZZ
@given(st.sampled_from(REQUEST_TYPES), st.integers(0, 200), st.text(max_size=5))
def test_decode_frame_corrupted_valid_frame_command_or_frame_error(
    kind: str, position: int, noise: str
) -> None:
    valid = _frame(type=kind, id="1", **_minimal_fields(kind))
    cut = position % (len(valid) + 1)

    _decode_or_frame_error(valid[:cut] + noise + valid[cut:])


# -- events ---------------------------------------------------------------------------------

JAZZ_VIEW = ev.RoomView(
    Room(
        "fans-de-jazz",
        "Fans de jazz",
        RoomKind.THEMATIC,
        Audience.ADULT,
        1000,
        "Swing",
        owner="Alice",
        modes=RoomModes(invite_only=True, key="k1"),
        access=RoomAccess(frozenset({"Bob"})),
    ),
    2,
)


def test_encode_event_member_room_shows_owner_and_modes_never_key_or_roles() -> None:
    frame = _encoded(ev.RoomCreated(JAZZ_VIEW))
    room = frame["room"]
    assert frame["type"] == "room_created" and room["owner"] == "Alice"
    assert room["modes"] == {
        "moderated": False,
        "invite_only": True,
        "keyed": True,
        "unlisted": False,
        "topic_locked": True,
    }
    assert "k1" not in json.dumps(frame) and "Bob" not in json.dumps(frame)
    settings = _encoded(ev.RoomSettingsShown(JAZZ_VIEW, "owner", "k1", ("Bob",), (), ()))
    assert (settings["key"], settings["operators"], settings["role"]) == ("k1", ["Bob"], "owner")


def test_decode_event_invited_between_nodes_keeps_room_and_inviter() -> None:
    event = decode_event(encode_event(ev.RoomInvited(JAZZ_VIEW, "Alice")))
    assert isinstance(event, ev.RoomInvited)
    assert (event.room.room.id, event.room.room.owner, event.by) == (
        "fans-de-jazz",
        "Alice",
        "Alice",
    )


SAMPLE_EVENTS: dict[type, ev.Event] = {
    ev.Welcomed: ev.Welcomed("k3J", ALICE, AgeBand.ADULT, (GENERAL_VIEW,), "t0k"),
    ev.RoomsListed: ev.RoomsListed((GENERAL_VIEW,)),
    ev.Joined: ev.Joined(GENERAL_VIEW, (ALICE, BOB), (MESSAGE,)),
    ev.Parted: ev.Parted("general"),
    ev.ScoresShown: ev.ScoresShown("jeux", "semaine", (("Alice", 12), ("Bob", 3))),
    ev.PresenceChanged: ev.PresenceChanged("general", BOB, ev.PresenceState.JOINED),
    ev.MessagePosted: ev.MessagePosted(MESSAGE),
    ev.DmSent: ev.DmSent(DM),
    ev.HistoryLoaded: ev.HistoryLoaded("general", (MESSAGE,), True),
    ev.BlocksListed: ev.BlocksListed(("Bob", "Carla")),
    ev.Noticed: ev.Noticed(ev.NoticeKind.SAFETY, "dm_age_restricted"),
    ev.NoticeText: ev.NoticeText(ev.NoticeKind.SAFETY, "Attention…", "grooming_notice", "Bob"),
    ev.Refused: ev.Refused(CauserieError(ErrorCode.NOT_FOUND, "user_not_found", field="to")),
    ev.Ponged: ev.Ponged(),
    ev.Acked: ev.Acked(123_456_789, START_MS),
    ev.Stated: ev.Stated("Décision : …", "st1"),
    ev.Reported: ev.Reported(12),
    ev.Appealed: ev.Appealed("st1"),
    ev.SettingsChanged: ev.SettingsChanged("nobody"),
    ev.DmAccepted: ev.DmAccepted("Bob"),
    ev.DmDeclined: ev.DmDeclined("Bob"),
    ev.DmRequested: ev.DmRequested(DM),
    ev.AgeVerified: ev.AgeVerified((GENERAL_VIEW,)),
    ev.AgeAssured: ev.AgeAssured((GENERAL_VIEW,)),
    ev.MessageDeleted: ev.MessageDeleted("general", 4),
    ev.DmDeleted: ev.DmDeleted(4),
    ev.TypingShown: ev.TypingShown(ALICE, "general"),
    ev.RoomStateChanged: ev.RoomStateChanged("general", True, 30.0),
    ev.RoomUpdated: ev.RoomUpdated(GENERAL_VIEW),
    ev.RoomArchived: ev.RoomArchived("general", "Général"),
    ev.RoomCreated: ev.RoomCreated(JAZZ_VIEW),
    ev.RoomInvited: ev.RoomInvited(JAZZ_VIEW, "Alice"),
    ev.RoomSettingsShown: ev.RoomSettingsShown(JAZZ_VIEW, "owner", "k1", ("Bob",), ("Eve",), ()),
    ev.StaffWelcomed: ev.StaffWelcomed("modo", "moderator", ()),
    ev.QueueListed: ev.QueueListed(({"id": 1},)),
    ev.QueueChanged: ev.QueueChanged({"id": 1}, is_alert=True),
    ev.ModDone: ev.ModDone("ban", 1, "st1"),
    ev.MediaShown: ev.MediaShown("Ab3_x-9Zk2Lq", "image/jpeg", b"\xff\xd8"),
}


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        (
            ev.Stated("texte", "st1"),
            {"type": "notice", "kind": "moderation", "text": "texte", "statement_id": "st1"},
        ),
        (ev.Reported(12), {"type": "reported", "report_id": 12}),
        (
            ev.DmRequested(DM),
            {
                "type": "dm_request",
                **{k: v for k, v in json.loads(encode_event(ev.DmSent(DM))).items() if k != "type"},
            },
        ),
        (ev.MessageDeleted("general", 4), {"type": "deleted", "room": "general", "message_id": 4}),
        (
            ev.RoomStateChanged("general", True, 30.0),
            {"type": "room_state", "room": "general", "locked": True, "slow_mode_s": 30.0},
        ),
        (
            ev.RoomArchived("general", "Général"),
            {"type": "room_archived", "room": "general", "name": "Général"},
        ),
        (ev.QueueChanged({"id": 1}, is_alert=True), {"type": "alert", "item": {"id": 1}}),
        (ev.QueueChanged({"id": 1}), {"type": "queue_item", "item": {"id": 1}}),
        (
            ev.StaffWelcomed("modo", "moderator", ("general",)),
            {"type": "staff", "name": "modo", "role": "moderator", "rooms": ["general"]},
        ),
    ],
)
def test_encode_event_moderation_frames_documented_shape(
    event: ev.Event, expected: dict[str, Any]
) -> None:
    assert _encoded(event) == expected


def test_encode_event_samples_cover_every_event_type() -> None:
    # PeopleFound and Members answer the IRC listener's questions only: no frame.
    assert set(SAMPLE_EVENTS) == set(typing.get_args(ev.Event)) - {ev.PeopleFound, ev.Members}


def test_encode_event_room_updated_carries_the_room_as_welcome_lists_it() -> None:
    frame = _encoded(ev.RoomUpdated(GENERAL_VIEW))
    welcome = _encoded(SAMPLE_EVENTS[ev.Welcomed])
    assert frame == {"type": "room_updated", "room": welcome["rooms"][0]}
    assert "member_limit" not in frame["room"]  # a room without a limit: the bytes of before
    limited = ev.RoomView(dataclasses.replace(GENERAL_VIEW.room, member_limit=40), 3)
    assert _encoded(ev.RoomUpdated(limited))["room"]["member_limit"] == 40


def test_encode_event_room_object_lists_the_games_the_room_allows() -> None:
    playing = ev.RoomView(dataclasses.replace(GENERAL_VIEW.room, games=("pendu", "quiz")), 3)
    assert _encoded(ev.RoomUpdated(playing))["room"]["games"] == ["pendu", "quiz"]
    assert _encoded(ev.RoomUpdated(GENERAL_VIEW))["room"]["games"] == []


def test_encode_event_welcome_documented_shape() -> None:
    frame = _encoded(SAMPLE_EVENTS[ev.Welcomed], "1")

    assert set(frame) == {"type", "re", "session", "token", "protocol", "user", "rooms"}
    assert (frame["type"], frame["re"], frame["session"]) == ("welcome", "1", "k3J")
    assert frame["protocol"] == PROTOCOL_VERSION == 1
    assert frame["user"] == {**ALICE_WIRE, "band": "adult"}
    assert [_room_documented_part(room) for room in frame["rooms"]] == [GENERAL_WIRE]


def test_encode_event_rooms_documented_shape() -> None:
    frame = _encoded(SAMPLE_EVENTS[ev.RoomsListed])

    assert set(frame) == {"type", "rooms"}
    assert [_room_documented_part(room) for room in frame["rooms"]] == [GENERAL_WIRE]


def test_encode_event_joined_documented_shape() -> None:
    frame = _encoded(SAMPLE_EVENTS[ev.Joined], 3)

    assert set(frame) == {"type", "re", "room", "members", "history"}
    assert _room_documented_part(frame["room"]) == GENERAL_WIRE
    assert frame["members"] == [ALICE_WIRE, BOB_WIRE]
    assert frame["history"] == [MESSAGE_WIRE]  # message objects without `type`


@pytest.mark.parametrize("kind", [ev.Welcomed, ev.RoomsListed, ev.Joined])
def test_encode_event_room_object_keys_exactly_documented(kind: type) -> None:
    frame = _encoded(SAMPLE_EVENTS[kind])

    rooms = [frame["room"]] if "room" in frame else frame["rooms"]
    assert [set(room) for room in rooms] == [ROOM_KEYS]


def test_encode_event_presence_documented_shape() -> None:
    assert _encoded(SAMPLE_EVENTS[ev.PresenceChanged]) == {
        "type": "presence",
        "room": "general",
        "user": BOB_WIRE,
        "state": "joined",
    }
    left = ev.PresenceChanged("general", BOB, ev.PresenceState.LEFT)
    assert _encoded(left)["state"] == "left"
    kicked = ev.PresenceChanged("club", BOB, ev.PresenceState.LEFT, "Alice", "dehors")
    assert _encoded(kicked) | {"user": None} == {
        "type": "presence",
        "room": "club",
        "user": None,
        "state": "left",
        "by": "Alice",
        "reason": "dehors",
    }
    quit_ = ev.PresenceChanged("club", BOB, ev.PresenceState.LEFT, reason="à demain", is_quit=True)
    assert _encoded(quit_) | {"user": None} == {
        "type": "presence",
        "room": "club",
        "user": None,
        "state": "left",
        "reason": "à demain",
        "quit": True,
    }


def test_encode_event_parted_documented_shape() -> None:
    assert _encoded(SAMPLE_EVENTS[ev.Parted], "p") == {
        "type": "parted",
        "re": "p",
        "room": "general",
    }


def test_encode_event_message_documented_shape_without_re() -> None:
    frame = _encoded(SAMPLE_EVENTS[ev.MessagePosted])

    assert frame == {"type": "message", **MESSAGE_WIRE}
    assert "postcode" not in json.dumps(frame)


def test_encode_event_dm_documented_shape() -> None:
    frame = _encoded(SAMPLE_EVENTS[ev.DmSent])

    assert set(frame) == {"type"} | DM_KEYS
    assert frame == {
        "type": "dm",
        "id": 123_456_790,
        "from": ALICE_WIRE,
        "to": BOB_WIRE,
        "text": "coucou",
        "ts": START_MS + 1,
    }


def test_encode_event_ack_documented_shape() -> None:
    assert _encoded(SAMPLE_EVENTS[ev.Acked], "9") == {
        "type": "ack",
        "re": "9",
        "message_id": 123_456_789,
        "ts": START_MS,
    }


def test_encode_event_history_documented_shape() -> None:
    assert _encoded(SAMPLE_EVENTS[ev.HistoryLoaded], 4) == {
        "type": "history",
        "re": 4,
        "room": "general",
        "messages": [MESSAGE_WIRE],
        "more": True,
    }


def test_encode_event_blocks_documented_shape() -> None:
    assert _encoded(SAMPLE_EVENTS[ev.BlocksListed]) == {"type": "blocks", "nicks": ["Bob", "Carla"]}


def test_encode_event_pong_documented_shape() -> None:
    assert _encoded(ev.Ponged(), "p1") == {"type": "pong", "re": "p1"}
    assert _encoded(ev.Ponged()) == {"type": "pong"}


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fr", "Les messages privés entre mineurs et majeurs sont impossibles."),
        ("en", "Private messages between minors and adults are not possible."),
    ],
)
def test_encode_event_notice_text_in_session_language(lang: str, text: str) -> None:
    assert _encoded(SAMPLE_EVENTS[ev.Noticed], lang=lang) == {
        "type": "notice",
        "kind": "safety",
        "text": text,
    }


def test_encode_event_same_event_same_bytes() -> None:
    event = SAMPLE_EVENTS[ev.MessagePosted]

    assert encode_event(event) == encode_event(event)


def test_encode_event_numeric_ids_survive_javascript() -> None:
    frame = _encoded(SAMPLE_EVENTS[ev.MessagePosted])

    assert isinstance(frame["id"], int) and frame["id"] < 2**53


# -- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "message"),
    [("fr", "Ce pseudo est déjà pris."), ("en", "This nickname is already taken.")],
)
def test_encode_error_documented_shape_in_session_language(lang: str, message: str) -> None:
    error = CauserieError(ErrorCode.NICK_TAKEN, "nick_taken", field="nick")

    assert json.loads(encode_error(error, "7", lang)) == {
        "type": "error",
        "re": "7",
        "code": "nick_taken",
        "message": message,
        "field": "nick",
    }


def test_encode_error_without_re_field_or_retry_has_only_code_and_message() -> None:
    error = CauserieError(ErrorCode.FORBIDDEN, "hello_first")

    assert json.loads(encode_error(error)) == {
        "type": "error",
        "code": "forbidden",
        "message": "Présente-toi d'abord (hello).",
    }


def test_encode_error_params_substituted() -> None:
    error = CauserieError(ErrorCode.TOO_YOUNG, "too_young", field="age", min=13)

    assert (
        json.loads(encode_error(error))["message"] == "Il faut avoir au moins 13 ans pour entrer."
    )


def test_encode_error_bad_field_message_names_field() -> None:
    error = _frame_error(_frame(type="hello", nick="Al", gender="man", age="x", postcode="75011"))

    assert json.loads(encode_error(error, lang="fr"))["message"] == "Champ « age » invalide."


def test_encode_error_unknown_key_falls_back_to_code_text() -> None:
    error = CauserieError(ErrorCode.NOT_FOUND, "no_such_message_key")

    assert json.loads(encode_error(error, lang="en"))["message"] == "Not found."


@pytest.mark.parametrize("seconds", [1.0, 0.5, 0.53, 0.001, 0.0, 59.91])
def test_encode_error_retry_after_in_tenths_and_in_message(seconds: float) -> None:
    error = CauserieError(ErrorCode.RATE_LIMITED, "rate_limited", retry_after_s=seconds)

    frame = json.loads(encode_error(error, 5, "en"))

    shown = frame["retry_after"]
    assert seconds <= shown <= seconds + 0.1 + 1e-9
    assert shown >= 0.1
    told = re.fullmatch(r"Slow down! Try again in (\d+(?:\.\d+)?) s\.", frame["message"])
    assert told is not None
    assert float(told.group(1)) >= seconds  # the sentence never says to come back too early
    assert (frame["code"], frame["re"]) == ("rate_limited", 5)


@settings(max_examples=300, database=None, deadline=None)
@given(st.floats(min_value=0, max_value=86_400, allow_nan=False))
def test_encode_error_retry_after_positive_and_never_early(seconds: float) -> None:
    error = CauserieError(ErrorCode.MUTED, "muted", retry_after_s=seconds)

    shown = json.loads(encode_error(error))["retry_after"]

    assert shown > 0
    assert shown >= seconds - 1e-9
    assert shown <= max(seconds, 0.05) + 0.1 + 1e-9
    assert round(shown, 1) == shown


def test_decode_frame_say_with_picture_names_its_media() -> None:
    _, command = decode_frame(_frame(type="say", room="general", media="Ab3_x-9Zk2Lq"))

    assert command == cmd.Say("general", "", MediaRef("Ab3_x-9Zk2Lq"))


def test_decode_frame_dm_with_picture_and_text_keeps_both() -> None:
    _, command = decode_frame(_frame(type="dm", to="Bob", text="regarde", media="Ab3_x-9Zk2Lq"))

    assert command == cmd.SendDm("Bob", "regarde", MediaRef("Ab3_x-9Zk2Lq"))


@pytest.mark.parametrize("media", ["../etc/passwd", "short", "x" * 33, 42, ""])
def test_decode_frame_malformed_media_id_refused_naming_media(media: object) -> None:
    error = _frame_error(_frame(type="say", room="general", media=media))

    assert (error.code, error.field) == (ErrorCode.INVALID, "media")


def test_message_frame_with_picture_round_trips_between_nodes() -> None:
    message = Message(7, "general", ALICE, "", START_MS, media=MediaRef("Ab3_x-9Zk2Lq", 640, 480))
    frame = encode_event(ev.MessagePosted(message))

    assert json.loads(frame)["media"] == {"id": "Ab3_x-9Zk2Lq", "width": 640, "height": 480}
    assert decode_message_frame(frame) == message


def test_dm_frame_with_picture_round_trips_between_nodes() -> None:
    dm = DirectMessage(8, ALICE, BOB, "", START_MS, media=MediaRef("Ab3_x-9Zk2Lq", 10, 20))

    assert decode_dm_frame(encode_event(ev.DmSent(dm))) == dm


def test_encode_event_media_shown_carries_base64_bytes() -> None:
    frame = _encoded(ev.MediaShown("Ab3_x-9Zk2Lq", "image/jpeg", b"\xff\xd8\x00"), "7")

    assert frame == {
        "type": "media",
        "re": "7",
        "media_id": "Ab3_x-9Zk2Lq",
        "mime": "image/jpeg",
        "data": "/9gA",
    }


BROADCAST = [
    ev.MessagePosted(MESSAGE),
    ev.PresenceChanged("general", BOB, ev.PresenceState.LEFT),
    ev.PresenceChanged("club", BOB, ev.PresenceState.LEFT, "Alice", "dehors"),
    ev.PresenceChanged("club", BOB, ev.PresenceState.LEFT, reason="à plus", is_quit=True),
    ev.DmSent(DM),
    ev.DmRequested(DM),
    ev.MessageDeleted("general", 4),
    ev.RoomStateChanged("general", True, 30.0),
    ev.Stated("Décision : …", "st1"),
    ev.NoticeText(ev.NoticeKind.SAFETY, "Attention…", "grooming_notice", "Bob"),
    ev.NoticeText(ev.NoticeKind.INFO, "Merci"),
    ev.QueueChanged({"id": 1, "room": "general"}, is_alert=True),
    ev.QueueChanged({"id": 2}),
]


@pytest.mark.parametrize("event", BROADCAST, ids=lambda e: type(e).__name__)
def test_decode_event_reads_back_what_nodes_publish(event: ev.Event) -> None:
    """Nodes publish frames to each other; each one's event comes back whole."""
    frame = encode_event(event)
    decoded = decode_event(frame)
    assert encode_event(decoded) == frame
    assert type(decoded) is type(event)
    if isinstance(event, ev.PresenceChanged):  # a kick's or a quit's words cross nodes whole
        assert decoded == event


def test_decode_event_of_a_translated_notice_keeps_its_text() -> None:
    notice = ev.Noticed(ev.NoticeKind.SAFETY, "grooming_notice", about="Bob")
    frame = encode_event(notice, lang="en")
    decoded = decode_event(frame)
    assert isinstance(decoded, ev.NoticeText)
    assert (decoded.about, decoded.key) == ("Bob", "grooming_notice")
    assert "3018" in decoded.text


@pytest.mark.parametrize("frame", ['{"type":"welcome"}', '{"type":"nope"}', '{"no":1}'])
def test_decode_event_refuses_what_no_node_publishes(frame: str) -> None:
    with pytest.raises(ValueError):
        decode_event(frame)


def test_a_notice_of_being_taken_out_of_a_room_names_its_key_on_the_wire() -> None:
    from causerie.wire.events import decode_event, encode_event

    told = ev.Noticed(ev.NoticeKind.INFO, "room_kicked", (("name", "club"), ("by", "Alice")))
    frame = encode_event(told)
    assert '"key":"room_kicked"' in frame
    assert decode_event(frame) == ev.NoticeText(ev.NoticeKind.INFO, _text_of(frame), "room_kicked")
    other = encode_event(ev.Noticed(ev.NoticeKind.INFO, "dm_accepted", ()))
    assert '"key"' not in other


def _text_of(frame: str) -> str:
    import json

    return str(json.loads(frame)["text"])
