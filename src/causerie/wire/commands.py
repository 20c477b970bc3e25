"""JSON frames -> core commands (docs/protocol.md). Sans-I/O.

`decode_frame` takes one text frame and returns the request id and the command, or raises
`FrameError` (carrying the request id when it could be read): that is its only failure mode,
which the fuzz tests hold. Every number a client sends has a range; outside it the frame is
`invalid` naming the field. The WebSocket carries these frames; nothing else builds them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any

import msgspec

from causerie.core import commands as cmd
from causerie.core.messages import MediaRef
from causerie.core.policy.bans import MAX_BAN_S, MIN_DURATION_S
from causerie.core.restrictions import MAX_SLOW_MODE_S
from causerie.errors import ErrorCode, ProtocolError

MAX_FRAME_BYTES = 16 * 1024
MAX_ID_CHARS = 64
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
    resume_token: str | None = None  # an addition: the previous welcome's `resume_token`
    last_dm_id: WireId | None = None  # an addition: private messages after it come again


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
    key: str | None = None


class _CreateRoom(msgspec.Struct):
    name: str
    topic: str = ""
    audience: str | None = None


class _Topic(msgspec.Struct):
    room: str
    topic: str


MemberLimit = Annotated[int, msgspec.Meta(ge=0, le=1_000_000)]


class _Modes(msgspec.Struct):
    room: str
    moderated: bool | None = None
    invite_only: bool | None = None
    key: str | None = None
    unlisted: bool | None = None
    topic_locked: bool | None = None
    member_limit: MemberLimit | None = None


class _RoomPerson(msgspec.Struct):
    room: str
    nick: str
    reason: str = ""
    on: bool = True  # room_operator, room_voice, room_ban: false to undo


# A picture's public id, as `POST /api/media` gave it.
MediaId = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9_-]{8,32}$")]


def _media(media_id: str | None) -> MediaRef | None:
    return None if media_id is None else MediaRef(media_id)


class _Say(msgspec.Struct):
    room: str
    text: str = ""
    media: MediaId | None = None
    reply_to: PositiveId | None = None


class _Dm(msgspec.Struct):
    to: str
    text: str = ""
    media: MediaId | None = None
    reply_to: PositiveId | None = None


class _Delete(msgspec.Struct):
    message_id: PositiveId


class _Typing(msgspec.Struct):
    room: str | None = None
    to: str | None = None


class _History(msgspec.Struct):
    room: str
    before: WireId | None = None
    limit: int = 50


class _Scores(msgspec.Struct):
    room: str
    period: str = "tout"


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
        r = fields.resume
        resume = cmd.Resume(r.session, r.last_id, rooms, r.resume_token, r.last_dm_id)
    return cmd.Hello(fields.nick, fields.gender, fields.age, fields.postcode, fields.lang, resume)


_DECODERS: dict[str, tuple[type[msgspec.Struct], Callable[[Any], cmd.Command]]] = {
    "hello": (_Hello, lambda m: _hello(m)),
    "rooms": (_Empty, lambda _m: cmd.ListRooms()),
    "join": (_Join, lambda m: cmd.Join(m.room, m.since, m.key)),
    "part": (_Room, lambda m: cmd.Part(m.room)),
    "say": (_Say, lambda m: cmd.Say(m.room, m.text, _media(m.media), m.reply_to)),
    "dm": (_Dm, lambda m: cmd.SendDm(m.to, m.text, _media(m.media), m.reply_to)),
    "delete": (_Delete, lambda m: cmd.DeleteMessage(m.message_id)),
    "typing": (_Typing, lambda m: cmd.Typing(m.room, m.to)),
    "history": (_History, lambda m: cmd.FetchHistory(m.room, m.before, m.limit)),
    "scores": (_Scores, lambda m: cmd.ShowScores(m.room, m.period)),
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
    "create_room": (_CreateRoom, lambda m: cmd.CreateRoom(m.name, m.topic, m.audience)),
    "room_topic": (_Topic, lambda m: cmd.SetTopic(m.room, m.topic)),
    "room_modes": (
        _Modes,
        lambda m: cmd.SetRoomModes(
            m.room, m.moderated, m.invite_only, m.key, m.unlisted, m.topic_locked, m.member_limit
        ),
    ),
    "room_operator": (_RoomPerson, lambda m: cmd.SetRoomOperator(m.room, m.nick, m.on)),
    "room_voice": (_RoomPerson, lambda m: cmd.SetRoomVoice(m.room, m.nick, m.on)),
    "invite": (_RoomPerson, lambda m: cmd.InviteToRoom(m.room, m.nick)),
    "kick": (_RoomPerson, lambda m: cmd.KickFromRoom(m.room, m.nick, m.reason)),
    "room_ban": (_RoomPerson, lambda m: cmd.BanFromRoom(m.room, m.nick, m.on, m.reason)),
    "room_settings": (_Room, lambda m: cmd.ShowRoomSettings(m.room)),
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
