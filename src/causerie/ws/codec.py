"""JSON frames <-> core commands and events (docs/protocol.md). Sans-I/O.

`decode_frame` takes one text frame and returns the request id and the command, or raises
`ProtocolError` (carrying the request id when it could be read): that is its only failure mode,
which the fuzz tests hold. `encode_event` turns an event into the frame text once, so the same
string is written to every recipient.
"""

from __future__ import annotations

import base64
import math
import re
from collections.abc import Callable
from typing import Annotated, Any

import msgspec

from causerie.core import commands as cmd
from causerie.core import events as ev
from causerie.core.messages import DirectMessage, MediaRef, Message
from causerie.core.policy.bans import MAX_BAN_S, MIN_DURATION_S
from causerie.core.restrictions import MAX_SLOW_MODE_S
from causerie.core.users import Gender, PublicUser
from causerie.errors import CauserieError, ErrorCode, ProtocolError
from causerie.i18n import translate

PROTOCOL_VERSION = 1
MAX_FRAME_BYTES = 16 * 1024
MAX_ID_CHARS = 64
MAX_RETRY_AFTER_S = 3650 * 86400.0  # what an error may tell, whatever the refusal computed
RequestId = str | int | None
# Every number a client sends has a range (docs/protocol.md); outside it, or NaN, infinite, a
# bool, or an integer too large for a store column, the frame is `invalid` naming the field.
# Message, report and other ids are below 2**53 (the browser reads them exactly).
MAX_WIRE_ID = 2**53 - 1
WireId = Annotated[int, msgspec.Meta(ge=0, le=MAX_WIRE_ID)]
PositiveId = Annotated[int, msgspec.Meta(ge=1, le=MAX_WIRE_ID)]
DurationS = Annotated[float, msgspec.Meta(ge=MIN_DURATION_S, le=MAX_BAN_S)]
IntervalS = Annotated[float, msgspec.Meta(ge=0, le=MAX_SLOW_MODE_S)]


class FrameError(ProtocolError):
    """A frame that cannot become a command; `request_id` is set when it was readable."""

    def __init__(
        self,
        key: str,
        *,
        request_id: RequestId = None,
        code: ErrorCode = ErrorCode.INVALID,
        field: str | None = None,
        **params: object,
    ) -> None:
        super().__init__(key, code=code, field=field, **params)
        self.request_id = request_id


# -- incoming ------------------------------------------------------------------------------


class _Resume(msgspec.Struct):
    session: str | None = None
    last_id: WireId | None = None
    rooms: list[str] = msgspec.field(default_factory=list)


class _Hello(msgspec.Struct):
    nick: str
    gender: str
    age: int
    postcode: str
    lang: str = "fr"
    resume: _Resume | None = None


class _Room(msgspec.Struct):
    room: str


class _Join(msgspec.Struct):
    room: str
    since: WireId | None = None


# A picture's public id, as `POST /api/media` gave it.
MediaId = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9_-]{8,32}$")]


def _media(media_id: str | None) -> MediaRef | None:
    return None if media_id is None else MediaRef(media_id)


class _Say(msgspec.Struct):
    room: str
    text: str = ""
    media: MediaId | None = None


class _Dm(msgspec.Struct):
    to: str
    text: str = ""
    media: MediaId | None = None


class _History(msgspec.Struct):
    room: str
    before: WireId | None = None
    limit: int = 50


class _Nick(msgspec.Struct):
    nick: str


class _Empty(msgspec.Struct):
    pass


class _Report(msgspec.Struct):
    category: str
    message_id: PositiveId | None = None
    nick: str | None = None
    comment: str = ""
    contact: str | None = None
    good_faith: bool = False
    reason: str | None = None


class _Appeal(msgspec.Struct):
    statement_id: str
    text: str = ""


class _Settings(msgspec.Struct):
    dm_policy: str


class _Token(msgspec.Struct):
    token: str


class _MediaView(msgspec.Struct):
    media_id: MediaId


class _Login(msgspec.Struct):
    name: str
    password: str
    totp: str | None = None


class _Moderate(msgspec.Struct):
    action: str
    reason: str = ""
    report_id: PositiveId | None = None
    nick: str | None = None
    room: str | None = None
    message_id: PositiveId | None = None
    duration_s: DurationS | None = None  # per action: a mute at most 30 days (node checks)
    locked: bool | None = None
    interval_s: IntervalS | None = None
    statement_id: str | None = None
    uphold: bool | None = None
    session: str | None = None


def _moderate(fields: _Moderate) -> cmd.Moderate:
    return cmd.Moderate(**{name: getattr(fields, name) for name in fields.__struct_fields__})


MAX_RESUME_ROOMS = 50


def _hello(fields: _Hello) -> cmd.Hello:
    resume = None
    if fields.resume is not None:
        rooms = tuple(fields.resume.rooms[:MAX_RESUME_ROOMS])
        resume = cmd.Resume(fields.resume.session, fields.resume.last_id, rooms)
    return cmd.Hello(fields.nick, fields.gender, fields.age, fields.postcode, fields.lang, resume)


_DECODERS: dict[str, tuple[type[msgspec.Struct], Callable[[Any], cmd.Command]]] = {
    "hello": (_Hello, lambda m: _hello(m)),
    "rooms": (_Empty, lambda _m: cmd.ListRooms()),
    "join": (_Join, lambda m: cmd.Join(m.room, m.since)),
    "part": (_Room, lambda m: cmd.Part(m.room)),
    "say": (_Say, lambda m: cmd.Say(m.room, m.text, _media(m.media))),
    "dm": (_Dm, lambda m: cmd.SendDm(m.to, m.text, _media(m.media))),
    "history": (_History, lambda m: cmd.FetchHistory(m.room, m.before, m.limit)),
    "block": (_Nick, lambda m: cmd.Block(m.nick)),
    "unblock": (_Nick, lambda m: cmd.Unblock(m.nick)),
    "ping": (_Empty, lambda _m: cmd.Ping()),
    "report": (
        _Report,
        lambda m: cmd.Report(
            m.category, m.message_id, m.nick, m.comment, m.contact, m.good_faith, m.reason
        ),
    ),
    "appeal": (_Appeal, lambda m: cmd.Appeal(m.statement_id, m.text)),
    "settings": (_Settings, lambda m: cmd.ChangeSettings(m.dm_policy)),
    "accept": (_Nick, lambda m: cmd.AcceptDm(m.nick)),
    "decline": (_Nick, lambda m: cmd.DeclineDm(m.nick)),
    "verify_age": (_Token, lambda m: cmd.VerifyAge(m.token)),
    "assure_age": (_Token, lambda m: cmd.AssureAge(m.token)),
    "login": (_Login, lambda m: cmd.StaffLogin(m.name, m.password, m.totp)),
    "queue": (_Empty, lambda _m: cmd.ListQueue()),
    "mod": (_Moderate, _moderate),
    "media": (_MediaView, lambda m: cmd.ViewMedia(m.media_id)),
}
_FIELD_IN_ERROR = re.compile(r"at `\$\.([A-Za-z_]+)|missing required field `([A-Za-z_]+)`")
_json_decoder = msgspec.json.Decoder()


def _request_id(frame: dict[str, Any]) -> RequestId:
    value = frame.get("id")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise FrameError("bad_id", field="id")
    if isinstance(value, str) and len(value) > MAX_ID_CHARS:
        raise FrameError("bad_id", field="id")
    if isinstance(value, int) and not -(2**53) < value < 2**53:
        raise FrameError("bad_id", field="id")
    return value


def decode_frame(
    data: str | bytes, max_frame_bytes: int = MAX_FRAME_BYTES
) -> tuple[RequestId, cmd.Command]:
    """Parse one frame.

    Raises:
        FrameError: with code `too_large` over `max_frame_bytes`, `invalid` otherwise.
    """
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
    if size > max_frame_bytes:
        raise FrameError("frame_too_large", code=ErrorCode.TOO_LARGE, max=max_frame_bytes)
    try:
        frame = _json_decoder.decode(data)
    except (msgspec.DecodeError, UnicodeError, RecursionError):
        raise FrameError("not_json") from None
    if not isinstance(frame, dict):
        raise FrameError("not_object")
    return command_of(frame)


def command_of(frame: dict[str, Any]) -> tuple[RequestId, cmd.Command]:
    """The command a decoded frame asks for (the IRC listener builds these dicts itself).

    Raises:
        FrameError: `unknown_type`, `bad_id`, `field_missing` or `bad_field`.
    """
    request_id = _request_id(frame)
    kind = frame.get("type")
    entry = _DECODERS.get(kind) if isinstance(kind, str) else None
    if entry is None:
        raise FrameError("unknown_type", request_id=request_id, field="type")
    struct, build = entry
    try:
        fields = msgspec.convert(frame, struct, strict=False)
    except msgspec.ValidationError as exc:
        found = _FIELD_IN_ERROR.search(str(exc))
        missing = bool(found and found.group(2))
        name = (found.group(1) or found.group(2)) if found else None
        raise FrameError(
            "field_missing" if missing else "bad_field", request_id=request_id, field=name
        ) from None
    return request_id, build(fields)


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


class _WireMessage(msgspec.Struct, rename={"sender": "from"}):
    id: int
    room: str
    sender: _WireUser
    text: str
    ts: int
    media: _WireMedia | None = None


class _WireDm(msgspec.Struct, rename={"sender": "from", "recipient": "to"}):
    id: int
    sender: _WireUser
    recipient: _WireUser
    text: str
    ts: int
    media: _WireMedia | None = None


_message_decoder = msgspec.json.Decoder(_WireMessage)
_dm_decoder = msgspec.json.Decoder(_WireDm)
DM_FRAME_PREFIX = '{"type":"dm"'


def _user(wire: _WireUser) -> PublicUser:
    return PublicUser(wire.nick, Gender(wire.gender), wire.age, wire.dept, wire.region)


def decode_dm_frame(frame: str) -> DirectMessage | None:
    """The private message carried by a `dm` frame; None for other frames."""
    if not frame.startswith(DM_FRAME_PREFIX):
        return None
    wire = _dm_decoder.decode(frame)
    return DirectMessage(
        wire.id,
        _user(wire.sender),
        _user(wire.recipient),
        wire.text,
        wire.ts,
        media=_media_of(wire.media),
    )


MESSAGE_FRAME_PREFIX = '{"type":"message"'


def decode_message_frame(frame: str) -> Message | None:
    """The message carried by a `message` frame another node encoded; None for other frames."""
    if not frame.startswith(MESSAGE_FRAME_PREFIX):
        return None
    wire = _message_decoder.decode(frame)
    return Message(
        wire.id, wire.room, _user(wire.sender), wire.text, wire.ts, media=_media_of(wire.media)
    )


def _media_of(wire: _WireMedia | None) -> MediaRef | None:
    return None if wire is None else MediaRef(wire.id, wire.width, wire.height)


# -- outgoing ------------------------------------------------------------------------------


def user_view(user: PublicUser) -> dict[str, Any]:
    return {
        "nick": user.nick,
        "gender": user.gender.value,
        "age": user.age,
        "dept": user.dept,
        "region": user.region,
    }


def media_view(media: MediaRef) -> dict[str, Any]:
    return {"id": media.id, "width": media.width, "height": media.height}


def message_view(message: Message) -> dict[str, Any]:
    view = {
        "id": message.id,
        "room": message.room,
        "from": user_view(message.sender),
        "text": message.text,
        "ts": message.ts_ms,
    }
    if message.media is not None:
        view["media"] = media_view(message.media)
    return view


def dm_view(dm: DirectMessage) -> dict[str, Any]:
    view = {
        "id": dm.id,
        "from": user_view(dm.sender),
        "to": user_view(dm.recipient),
        "text": dm.text,
        "ts": dm.ts_ms,
    }
    if dm.media is not None:
        view["media"] = media_view(dm.media)
    return view


def room_view(view: ev.RoomView) -> dict[str, Any]:
    room = view.room
    return {
        "id": room.id,
        "name": room.name,
        "kind": room.kind.value,
        "audience": room.audience.value,
        "topic": room.topic,
        "pictures": room.pictures,
        "members": view.members,
    }


def _body(event: ev.Event, lang: str) -> dict[str, Any]:
    match event:
        case ev.MessagePosted(message):
            return {"type": "message", **message_view(message)}
        case ev.PresenceChanged(room, user, state):
            return {"type": "presence", "room": room, "user": user_view(user), "state": state.value}
        case ev.DmSent(dm):
            return {"type": "dm", **dm_view(dm)}
        case ev.Acked(message_id, ts_ms):
            return {"type": "ack", "message_id": message_id, "ts": ts_ms}
        case ev.Welcomed(session, user, band, rooms, token, assurance):
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
        case ev.Parted(room):
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
        case ev.Noticed(kind, key, params, about):
            notice: dict[str, Any] = {
                "type": "notice",
                "kind": kind.value,
                "text": translate(key, lang, _NOTICE_FALLBACK[kind], **dict(params)),
            }
            if about is not None:  # a safety notice about someone: key and nick to act on
                notice |= {"key": key, "about": about}
            return notice
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
        case ev.MessageDeleted(room, message_id):
            return {"type": "deleted", "room": room, "message_id": message_id}
        case ev.RoomStateChanged(room, locked, slow_mode_s):
            return {
                "type": "room_state",
                "room": room,
                "locked": locked,
                "slow_mode_s": slow_mode_s,
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


_NOTICE_FALLBACK = {
    ev.NoticeKind.SAFETY: "meeting_safety",
    ev.NoticeKind.MODERATION: "automod_warning",
    ev.NoticeKind.INFO: "invalid",
}


def encode_event(event: ev.Event, re_id: RequestId = None, lang: str = "fr") -> str:
    """The frame text for an event; `re_id` marks it as the reply to a request."""
    body = _body(event, lang)
    if re_id is not None:
        body["re"] = re_id
    return msgspec.json.encode(body).decode()


def encode_error(error: CauserieError, re_id: RequestId = None, lang: str = "fr") -> str:
    body: dict[str, Any] = {"type": "error"}
    if re_id is not None:
        body["re"] = re_id
    return msgspec.json.encode({**body, **error_body(error, lang)}).decode()


def error_body(error: CauserieError, lang: str) -> dict[str, Any]:
    """`code`, readable `message`, and `field` / `retry_after` when known: what an error says
    on every adapter (a WebSocket frame, an HTTP body)."""
    body: dict[str, Any] = {
        "code": error.code.value,
        "message": translate(error.key, lang, fallback=error.code.value, **_rounded(error)),
    }
    if error.field:
        body["field"] = error.field
    if error.retry_after_s is not None:
        body["retry_after"] = _retry_after(error.retry_after_s)
    reason = error.params.get("reason")
    if isinstance(reason, str):  # why, in a stable word, when a code has several causes
        body["reason"] = reason
    return body


def _retry_after(seconds: float) -> float:
    return max(0.1, round(_bounded_wait_s(seconds) + 0.05, 1))


def _bounded_wait_s(seconds: float) -> float:
    """A wait as an error may tell it: finite, at most `MAX_RETRY_AFTER_S`, never negative (a
    refusal computed from a bad number must still be a readable error, not a crash)."""
    if math.isnan(seconds) or seconds < 0:
        return 0.0
    return min(seconds, MAX_RETRY_AFTER_S)


def _rounded(error: CauserieError) -> dict[str, object]:
    params = dict(error.params)
    if error.retry_after_s is not None:
        # People read whole seconds.
        params["retry_after"] = math.ceil(_bounded_wait_s(error.retry_after_s))
    if error.field and "field" not in params:
        params["field"] = error.field
    return params
