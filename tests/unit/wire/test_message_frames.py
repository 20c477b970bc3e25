"""Frames for replies, deletions and typing (docs/protocol.md, issue 19): what a client sends
becomes the command, what the hub says becomes the documented frame, and a frame published
between nodes reads back as its event. An ordinary message's bytes do not change."""

from __future__ import annotations

import json

import pytest

from causerie.core import commands as cmd
from causerie.core import events as ev
from causerie.core.messages import DirectMessage, Message, Quote
from causerie.core.users import Gender, PublicUser
from causerie.irc.render import message_lines, room_event_lines
from causerie.wire.commands import FrameError, decode_frame
from causerie.wire.events import (
    decode_dm_frame,
    decode_event,
    decode_message_frame,
    decode_typing_sender,
    encode_event,
    message_of_view,
)
from causerie.wire.views import dm_view, message_view

ALICE = PublicUser("Alice", Gender.WOMAN, 25, "75", "Île-de-France")
BOB = PublicUser("Bob", Gender.MAN, 31, "2A", "Corse")
TS = 1_760_000_000_000
QUOTE = Quote(41, "Bob", "tu viens ?")
REPLY = Message(42, "general", ALICE, "oui !", TS, "s-alice", reply_to=QUOTE)


@pytest.mark.parametrize(
    ("frame", "command"),
    [
        (
            {"type": "say", "room": "general", "text": "oui", "reply_to": 41},
            cmd.Say("general", "oui", reply_to=41),
        ),
        (
            {"type": "dm", "to": "Bob", "text": "oui", "reply_to": 41},
            cmd.SendDm("Bob", "oui", reply_to=41),
        ),
        ({"type": "delete", "message_id": 41}, cmd.DeleteMessage(41)),
        ({"type": "typing", "room": "general"}, cmd.Typing(room="general")),
        ({"type": "typing", "to": "Bob"}, cmd.Typing(to="Bob")),
    ],
)
def test_decode_frame_message_actions_give_their_command(
    frame: dict[str, object], command: cmd.Command
) -> None:
    assert decode_frame(json.dumps(frame)) == (None, command)


@pytest.mark.parametrize(
    ("frame", "field"),
    [
        ({"type": "say", "room": "general", "text": "x", "reply_to": 0}, "reply_to"),
        ({"type": "say", "room": "general", "text": "x", "reply_to": "x41"}, "reply_to"),
        ({"type": "delete"}, "message_id"),
        ({"type": "delete", "message_id": -1}, "message_id"),
        ({"type": "delete", "message_id": True}, "message_id"),
    ],
)
def test_decode_frame_bad_ids_refused_invalid_naming_the_field(
    frame: dict[str, object], field: str
) -> None:
    with pytest.raises(FrameError) as caught:
        decode_frame(json.dumps(frame))
    assert caught.value.field == field


def test_encode_message_reply_carries_quote_and_reads_back() -> None:
    text = encode_event(ev.MessagePosted(REPLY))

    assert json.loads(text)["reply_to"] == {"id": 41, "from": "Bob", "text": "tu viens ?"}
    assert decode_message_frame(text) == Message(42, "general", ALICE, "oui !", TS, reply_to=QUOTE)


def test_encode_message_reply_to_deleted_original_carries_only_its_id() -> None:
    gone = Message(42, "general", ALICE, "oui !", TS, reply_to=Quote(41))

    assert json.loads(encode_event(ev.MessagePosted(gone)))["reply_to"] == {"id": 41}


def test_encode_message_without_reply_bytes_unchanged() -> None:
    plain = Message(42, "general", ALICE, "oui !", TS)

    assert encode_event(ev.MessagePosted(plain)) == (
        '{"type":"message","id":42,"room":"general","from":{"nick":"Alice","gender":"woman",'
        '"age":25,"dept":"75","region":"Île-de-France"},"text":"oui !","ts":1760000000000}'
    )


def test_encode_dm_reply_reads_back() -> None:
    dm = DirectMessage(43, ALICE, BOB, "oui", TS, "s-a", "s-b", reply_to=QUOTE)

    decoded = decode_dm_frame(encode_event(ev.DmSent(dm)))

    assert decoded is not None and decoded.reply_to == QUOTE


def test_encode_deleted_by_author_says_so_and_reads_back() -> None:
    event = ev.MessageDeleted("general", 41, by_author=True)
    text = encode_event(event)

    assert json.loads(text) == {
        "type": "deleted",
        "room": "general",
        "message_id": 41,
        "by": "author",
    }
    assert decode_event(text) == event


def test_encode_deleted_by_moderator_bytes_unchanged() -> None:
    text = encode_event(ev.MessageDeleted("general", 41))

    assert text == '{"type":"deleted","room":"general","message_id":41}'
    assert decode_event(text) == ev.MessageDeleted("general", 41)


def test_encode_private_deleted_has_no_room_and_reads_back() -> None:
    text = encode_event(ev.DmDeleted(43))

    assert json.loads(text) == {"type": "deleted", "message_id": 43, "by": "author"}
    assert decode_event(text) == ev.DmDeleted(43)


def test_encode_typing_in_room_and_private() -> None:
    in_room = encode_event(ev.TypingShown(ALICE, "general"))
    private = encode_event(ev.TypingShown(ALICE))

    assert json.loads(in_room)["room"] == "general"
    assert "room" not in json.loads(private)
    assert json.loads(private)["from"]["nick"] == "Alice"
    assert decode_event(in_room) == ev.TypingShown(ALICE, "general")
    assert decode_typing_sender(in_room) == "Alice"
    assert decode_typing_sender(encode_event(ev.MessagePosted(REPLY))) is None


# -- IRC ---------------------------------------------------------------------------------------


def test_irc_reply_with_message_tags_names_the_original_in_a_client_tag() -> None:
    [line] = message_lines(REPLY, frozenset({"message-tags"}))

    assert "+draft/reply=41" in line.split(" ", 1)[0]
    assert line.endswith(" :oui !\r\n")


def test_irc_reply_without_message_tags_addresses_the_author() -> None:
    [line] = message_lines(REPLY, frozenset())

    assert line == ":Alice!u@75.causerie PRIVMSG #general :Bob: oui !\r\n"


def test_irc_ordinary_message_bytes_unchanged() -> None:
    plain = Message(42, "general", ALICE, "oui !", TS)

    assert message_lines(plain, frozenset()) == [":Alice!u@75.causerie PRIVMSG #general :oui !\r\n"]


def test_irc_typing_renders_nothing_and_author_deletion_a_notice() -> None:
    assert room_event_lines(ev.TypingShown(ALICE, "general"), frozenset(), "irc.test") == []
    [notice] = room_event_lines(ev.MessageDeleted("general", 41, True), frozenset(), "irc.test")
    assert "NOTICE #general" in notice and "removed by its author" in notice


def test_message_of_view_reads_back_what_evidence_keeps() -> None:
    dm = DirectMessage(43, ALICE, BOB, "oui", TS, reply_to=QUOTE)

    assert message_of_view(message_view(REPLY)) == Message(
        42, "general", ALICE, "oui !", TS, reply_to=QUOTE
    )
    assert message_of_view(dm_view(dm)) == dm
