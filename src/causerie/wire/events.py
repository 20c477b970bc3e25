"""Core events <-> JSON frames (docs/protocol.md). Sans-I/O.

`encode_event` turns an event into the frame text once, so the same string is written to every
recipient: the WebSocket's frame, and the payload nodes publish to each other through the
broker (the same bytes, so two nodes of different versions keep understanding each other).
`decode_message_frame` and `decode_dm_frame` read back what another node published, when a node
must know what it carries (its recent history, a private message's arrival).
"""

from __future__ import annotations

import base64
import math
from typing import Any

import msgspec

from causerie.core import events as ev
from causerie.core.messages import DirectMessage, GameLine, MediaRef, Message, Quote
from causerie.core.rooms import Audience, Room, RoomKind
from causerie.core.users import Gender, PublicUser
from causerie.errors import CauserieError
from causerie.wire.commands import RequestId
from causerie.wire.views import dm_view, message_view, room_view, user_view
from causerie.wording import error_message, notice_text, reason_of, retry_after

PROTOCOL_VERSION = 1
# Notices whose frame names its text's key though they are about no one: being taken out of a
# member room, which the IRC door tells as a KICK once it reads the frame on any node.
KEYED_NOTICES = frozenset({"room_kicked", "room_banned_by"})


class _WireUser(msgspec.Struct):
    nick: str
    gender: str
    age: int
    dept: str
    region: str


class _WireMedia(msgspec.Struct):
    id: str
    width: int
    height: int


class _WireQuote(msgspec.Struct, rename={"nick": "from"}):
    id: int
    nick: str = ""
    text: str = ""


class _WireGame(msgspec.Struct):
    name: str
    view: Any = None


class _WireMessage(msgspec.Struct, rename={"sender": "from"}):
    id: int
    room: str
    sender: _WireUser
    text: str
    ts: int
    media: _WireMedia | None = None
    reply_to: _WireQuote | None = None
    game: _WireGame | None = None
    notice: bool = False


class _WireDm(msgspec.Struct, rename={"sender": "from", "recipient": "to"}):
    id: int
    sender: _WireUser
    recipient: _WireUser
    text: str
    ts: int
    media: _WireMedia | None = None
    reply_to: _WireQuote | None = None


_message_decoder = msgspec.json.Decoder(_WireMessage)
_dm_decoder = msgspec.json.Decoder(_WireDm)
DM_FRAME_PREFIX = '{"type":"dm"'


def _user(wire: _WireUser) -> PublicUser:
    return PublicUser(wire.nick, Gender(wire.gender), wire.age, wire.dept, wire.region)


def decode_dm_frame(frame: str) -> DirectMessage | None:
    """The private message carried by a `dm` frame; None for other frames."""
    if not frame.startswith(DM_FRAME_PREFIX):
        return None
    return _dm_of(_dm_decoder.decode(frame))


def _dm_of(wire: _WireDm) -> DirectMessage:
    return DirectMessage(
        wire.id,
        _user(wire.sender),
        _user(wire.recipient),
        wire.text,
        wire.ts,
        media=_media_of(wire.media),
        reply_to=_quote_of(wire.reply_to),
    )


def _quote_of(wire: _WireQuote | None) -> Quote | None:
    return None if wire is None else Quote(wire.id, wire.nick, wire.text)


def message_of_view(view: dict[str, Any]) -> Message | DirectMessage:
    """A message back from its protocol view (`message_view`, `dm_view`), as moderators'
    evidence keeps it; the sessions are not in a view and come out empty.

    Raises:
        msgspec.ValidationError: not a message's view.
    """
    if "room" in view:
        wire = msgspec.convert(view, _WireMessage)
        return Message(
            wire.id,
            wire.room,
            _user(wire.sender),
            wire.text,
            wire.ts,
            media=_media_of(wire.media),
            reply_to=_quote_of(wire.reply_to),
        )
    return _dm_of(msgspec.convert(view, _WireDm))


MESSAGE_FRAME_PREFIX = '{"type":"message"'


def decode_message_frame(frame: str) -> Message | None:
    """The message carried by a `message` frame another node encoded; None for other frames."""
    if not frame.startswith(MESSAGE_FRAME_PREFIX):
        return None
    wire = _message_decoder.decode(frame)
    return Message(
        wire.id,
        wire.room,
        _user(wire.sender),
        wire.text,
        wire.ts,
        media=_media_of(wire.media),
        reply_to=_quote_of(wire.reply_to),
        game=None if wire.game is None else GameLine(wire.game.name, wire.game.view),
        is_notice=wire.notice,
    )


class _WirePresence(msgspec.Struct):
    room: str
    user: _WireUser
    state: str
    by: str = ""
    reason: str = ""
    quit: bool = False


class _WireDeleted(msgspec.Struct):
    message_id: int
    room: str | None = None  # None: a private message
    by: str | None = None


class _WireTyping(msgspec.Struct, rename={"user": "from"}):
    user: _WireUser
    room: str | None = None


class _WireRoom(msgspec.Struct):
    id: str
    name: str
    kind: str
    audience: str
    topic: str = ""
    members: int = 0
    owner: str | None = None


class _WireInvited(msgspec.Struct):
    room: _WireRoom
    by: str


class _WireRoomState(msgspec.Struct):
    room: str
    locked: bool
    slow_mode_s: float


class _WireNotice(msgspec.Struct):
    kind: str
    text: str
    key: str | None = None
    about: str | None = None
    statement_id: str | None = None
    game: _WireGame | None = None


class _WireQueueItem(msgspec.Struct):
    item: dict[str, Any]


TYPING_FRAME_PREFIX = '{"type":"typing"'
_typing_decoder = msgspec.json.Decoder(_WireTyping)


def decode_typing_sender(frame: str) -> str | None:
    """The nickname of who is typing, for a `typing` frame; None for other frames."""
    if not frame.startswith(TYPING_FRAME_PREFIX):
        return None
    return _typing_decoder.decode(frame).user.nick


class _Kind(msgspec.Struct):
    type: str


_kind_decoder = msgspec.json.Decoder(_Kind)
_decoders: dict[str, msgspec.json.Decoder[Any]] = {
    "presence": msgspec.json.Decoder(_WirePresence),
    "deleted": msgspec.json.Decoder(_WireDeleted),
    "typing": msgspec.json.Decoder(_WireTyping),
    "room_state": msgspec.json.Decoder(_WireRoomState),
    "invited": msgspec.json.Decoder(_WireInvited),
    "notice": msgspec.json.Decoder(_WireNotice),
    "queue_item": msgspec.json.Decoder(_WireQueueItem),
    "alert": msgspec.json.Decoder(_WireQueueItem),
}


def decode_event(frame: str) -> ev.Event:
    """The event a frame published between nodes carries: room frames (message, presence,
    deleted, room_state), a session's private messages, requests and notices, the staff's
    queue items.

    Raises:
        ValueError: a frame of another kind, or not one of ours (a bug or a newer node).
    """
    kind = _kind_decoder.decode(frame).type
    if kind == "message":
        message = decode_message_frame(frame)
        assert message is not None
        return ev.MessagePosted(message)
    if kind in ("dm", "dm_request"):
        dm = _dm_of(_dm_decoder.decode(frame))
        return ev.DmSent(dm) if kind == "dm" else ev.DmRequested(dm)
    decoder = _decoders.get(kind)
    if decoder is None:
        raise ValueError(f"no event for a {kind!r} frame")
    wire = decoder.decode(frame)
    if isinstance(wire, _WirePresence):
        state = ev.PresenceState(wire.state)
        return ev.PresenceChanged(
            wire.room, _user(wire.user), state, wire.by, wire.reason, wire.quit
        )
    if isinstance(wire, _WireDeleted):
        if wire.room is None:
            return ev.DmDeleted(wire.message_id)
        return ev.MessageDeleted(wire.room, wire.message_id, by_author=wire.by == "author")
    if isinstance(wire, _WireTyping):
        return ev.TypingShown(_user(wire.user), wire.room)
    if isinstance(wire, _WireRoomState):
        return ev.RoomStateChanged(wire.room, wire.locked, wire.slow_mode_s)
    if isinstance(wire, _WireInvited):
        r = wire.room
        room = Room(
            r.id, r.name, RoomKind(r.kind), Audience(r.audience), topic=r.topic, owner=r.owner
        )
        return ev.RoomInvited(ev.RoomView(room, r.members), wire.by)
    if isinstance(wire, _WireNotice):
        if wire.statement_id is not None:
            return ev.Stated(wire.text, wire.statement_id)
        game = None if wire.game is None else GameLine(wire.game.name, wire.game.view)
        return ev.NoticeText(ev.NoticeKind(wire.kind), wire.text, wire.key, wire.about, game)
    assert isinstance(wire, _WireQueueItem)
    return ev.QueueChanged(wire.item, kind == "alert")


def _media_of(wire: _WireMedia | None) -> MediaRef | None:
    return None if wire is None else MediaRef(wire.id, wire.width, wire.height)


def _body(event: ev.Event, lang: str) -> dict[str, Any]:
    match event:
        case ev.MessagePosted(message):
            return {"type": "message", **message_view(message)}
        case ev.PresenceChanged(room, user, state, by, reason, is_quit):
            body: dict[str, Any] = {
                "type": "presence",
                "room": room,
                "user": user_view(user),
                "state": state.value,
            }
            if by:  # taken out of a member room by its owner or an operator
                body |= {"by": by, "reason": reason}
            elif reason:  # their own leaving words, as automatic moderation let them through
                body["reason"] = reason
            if is_quit:
                body["quit"] = True
            return body
        case ev.DmSent(dm):
            return {"type": "dm", **dm_view(dm)}
        case ev.Acked(message_id, ts_ms):
            return {"type": "ack", "message_id": message_id, "ts": ts_ms}
        case ev.Welcomed(session, user, band, rooms, token, assurance, dm_wait_s, resume_token):
            welcome = {
                "type": "welcome",
                "session": session,
                "token": token,
                "protocol": PROTOCOL_VERSION,
                "user": {**user_view(user), "band": band.value},
                "rooms": [room_view(r) for r in rooms],
            }
            if assurance is not None:  # minors only
                welcome["assurance"] = {
                    "required": assurance.required.value,
                    "assured": assurance.is_assured,
                    "provider_url": assurance.provider_url,
                }
            if dm_wait_s > 0:  # an addition: absent when new conversations are open
                welcome["dm_wait_s"] = math.ceil(dm_wait_s)
            if resume_token:  # an addition: WebSocket sessions only
                welcome["resume_token"] = resume_token
            return welcome
        case ev.RoomsListed(rooms):
            return {"type": "rooms", "rooms": [room_view(r) for r in rooms]}
        case ev.Joined(room, members, history):
            return {
                "type": "joined",
                "room": room_view(room),
                "members": [user_view(u) for u in members],
                "history": [message_view(m) for m in history],
            }
        case ev.Parted(room, by, reason):
            if by:  # taken out of a member room (a kick)
                return {"type": "parted", "room": room, "by": by, "reason": reason}
            return {"type": "parted", "room": room}
        case ev.HistoryLoaded(room, messages, more):
            return {
                "type": "history",
                "room": room,
                "messages": [message_view(m) for m in messages],
                "more": more,
            }
        case ev.BlocksListed(nicks):
            return {"type": "blocks", "nicks": list(nicks)}
        case ev.ScoresShown(room, period, rows):
            return {
                "type": "scores",
                "room": room,
                "period": period,
                "rows": [{"nick": nick, "points": points} for nick, points in rows],
            }
        case ev.Noticed(kind, key, params, about):
            notice: dict[str, Any] = {
                "type": "notice",
                "kind": kind.value,
                "text": notice_text(kind, key, params, lang),
            }
            if about is not None:  # a safety notice about someone: key and nick to act on
                notice |= {"key": key, "about": about}
            elif key in KEYED_NOTICES:  # one the IRC door tells its own way (a KICK)
                notice["key"] = key
            return notice
        case ev.NoticeText(kind, text, key, about, game):
            told: dict[str, Any] = {"type": "notice", "kind": kind.value, "text": text}
            if game is not None:  # a game's word to one player (docs/protocol.md, "Games")
                told |= {"key": key, "game": {"name": game.name, "view": game.view}}
                if about is not None:
                    told["about"] = about
            elif about is not None:
                told |= {"key": key, "about": about}
            elif key in KEYED_NOTICES:
                told["key"] = key
            return told
        case ev.Refused(error):
            return {"type": "error", **error_body(error, lang)}
        case ev.Ponged():
            return {"type": "pong"}
        case ev.Stated(text, statement_id):
            return {
                "type": "notice",
                "kind": "moderation",
                "text": text,
                "statement_id": statement_id,
            }
        case ev.Reported(report_id):
            return {"type": "reported", "report_id": report_id}
        case ev.Appealed(statement_id):
            return {"type": "appealed", "statement_id": statement_id}
        case ev.SettingsChanged(dm_policy):
            return {"type": "settings", "dm_policy": dm_policy}
        case ev.DmAccepted(nick):
            return {"type": "accepted", "nick": nick}
        case ev.DmDeclined(nick):
            return {"type": "declined", "nick": nick}
        case ev.DmRequested(dm):
            return {"type": "dm_request", **dm_view(dm)}
        case ev.AgeVerified(rooms):
            return {"type": "age_verified", "rooms": [room_view(r) for r in rooms]}
        case ev.AgeAssured(rooms):
            return {"type": "age_assured", "rooms": [room_view(r) for r in rooms]}
        case ev.MessageDeleted(room, message_id, by_author):
            deleted: dict[str, Any] = {"type": "deleted", "room": room, "message_id": message_id}
            if by_author:  # an addition: a moderator's removal keeps its bytes
                deleted["by"] = "author"
            return deleted
        case ev.DmDeleted(message_id):
            return {"type": "deleted", "message_id": message_id, "by": "author"}
        case ev.TypingShown(user, room):
            typing: dict[str, Any] = {"type": "typing", "from": user_view(user)}
            if room is not None:
                typing["room"] = room
            return typing
        case ev.RoomStateChanged(room, locked, slow_mode_s):
            return {
                "type": "room_state",
                "room": room,
                "locked": locked,
                "slow_mode_s": slow_mode_s,
            }
        case ev.RoomUpdated(view):
            return {"type": "room_updated", "room": room_view(view)}
        case ev.RoomArchived(room, name):
            return {"type": "room_archived", "room": room, "name": name}
        case ev.RoomCreated(view):
            return {"type": "room_created", "room": room_view(view)}
        case ev.RoomInvited(view, by):
            return {"type": "invited", "room": room_view(view), "by": by}
        case ev.RoomSettingsShown(view, role, key, operators, banned, invited, voiced):
            return {
                "type": "room_settings",
                "room": room_view(view),
                "role": role,
                "key": key,
                "operators": list(operators),
                "banned": list(banned),
                "invited": list(invited),
                "voiced": list(voiced),
            }
        case ev.StaffWelcomed(name, role, rooms):
            return {"type": "staff", "name": name, "role": role, "rooms": list(rooms)}
        case ev.QueueListed(items):
            return {"type": "queue", "items": list(items)}
        case ev.QueueChanged(item, is_alert):
            return {"type": "alert" if is_alert else "queue_item", "item": item}
        case ev.MediaShown(media_id, mime, data):
            return {
                "type": "media",
                "media_id": media_id,
                "mime": mime,
                "data": base64.b64encode(data).decode("ascii"),
            }
        case ev.ModDone(action, report_id, statement_id):
            return {
                "type": "mod_done",
                "action": action,
                "report_id": report_id,
                "statement_id": statement_id,
            }
    raise TypeError(f"no wire form for {type(event).__name__}")  # a bug, not bad input


def encode_event(event: ev.Event, re_id: RequestId = None, lang: str = "fr") -> str:
    """The frame text for an event; `re_id` marks it as the reply to a request."""
    body = _body(event, lang)
    if re_id is not None:
        body["re"] = re_id
    return msgspec.json.encode(body).decode()


def encode_error(error: CauserieError, re_id: RequestId = None, lang: str = "fr") -> str:
    return encode_event(ev.Refused(error), re_id, lang)


def error_body(error: CauserieError, lang: str) -> dict[str, Any]:
    """`code`, readable `message`, and `field` / `retry_after` when known: what an error says
    on every adapter (a WebSocket frame, an HTTP body; IRC reads the same `causerie.wording`)."""
    body: dict[str, Any] = {"code": error.code.value, "message": error_message(error, lang)}
    if error.field:
        body["field"] = error.field
    wait_s = retry_after(error)
    if wait_s is not None:
        body["retry_after"] = wait_s
    reason = reason_of(error)
    if reason is not None:  # why, in a stable word, when a code has several causes
        body["reason"] = reason
    return body
