"""Commands: what a connected person asks of the hub, already parsed by a protocol codec.

Values are as the client sent them (trimmed by the codec); the hub validates meaning.
"""

from __future__ import annotations

from dataclasses import dataclass

from causerie.core.messages import DirectMessage, MediaRef, Message


@dataclass(frozen=True, slots=True)
class Resume:
    """What a reconnecting client saw last: its old session and that session's single-use
    `token` (the welcome's `resume_token`: proof that this is the same person), the id of the
    last room message it saw, the rooms to rejoin, and the id of the last private message it
    saw (private messages after it are sent again)."""

    session: str | None = None
    last_id: int | None = None
    rooms: tuple[str, ...] = ()
    token: str | None = None
    last_dm_id: int | None = None


@dataclass(frozen=True, slots=True)
class Hello:
    nick: str
    gender: str
    age: int
    postcode: str
    lang: str = "fr"
    resume: Resume | None = None


@dataclass(frozen=True, slots=True)
class ListRooms:
    pass


@dataclass(frozen=True, slots=True)
class Join:
    room: str
    since: int | None = None  # history after this message id instead of the last 50
    key: str | None = None  # a member room's key (IRC `JOIN #room key`)


@dataclass(frozen=True, slots=True)
class Part:
    room: str
    reason: str = ""  # leaving words (IRC `PART #room :text`), shown if they pass (farewells)


@dataclass(frozen=True, slots=True)
class Say:
    room: str
    text: str
    media: MediaRef | None = None  # a picture uploaded beforehand (POST /api/media)
    reply_to: int | None = None  # the id of the message this one answers
    # The message `reply_to` names, as the node found it (its memory, then the store): never
    # from the client; None when nothing visible has that id.
    quoted: Message | DirectMessage | None = None
    is_notice: bool = False  # an IRC NOTICE to the channel (core/messages.py Message)


@dataclass(frozen=True, slots=True)
class SendDm:
    to: str
    text: str
    media: MediaRef | None = None
    reply_to: int | None = None
    quoted: Message | DirectMessage | None = None  # as for `Say`


@dataclass(frozen=True, slots=True)
class DeleteMessage:
    """Take back one's own room message or private message, for everyone."""

    message_id: int
    found: Message | DirectMessage | None = None  # as the node found it, as for `Say.quoted`


@dataclass(frozen=True, slots=True)
class Typing:
    """Someone is typing in a room (`room`) or to one person (`to`)."""

    room: str | None = None
    to: str | None = None


@dataclass(frozen=True, slots=True)
class FetchHistory:
    room: str
    before: int | None = None
    limit: int = 50


@dataclass(frozen=True, slots=True)
class Block:
    nick: str


@dataclass(frozen=True, slots=True)
class Unblock:
    nick: str


@dataclass(frozen=True, slots=True)
class Ping:
    pass


@dataclass(frozen=True, slots=True)
class Report:
    category: str
    message_id: int | None = None
    nick: str | None = None
    comment: str = ""
    contact: str | None = None
    good_faith: bool = False
    reason: str | None = None  # a finer reason within the category (safety/report_reasons.py)


@dataclass(frozen=True, slots=True)
class Appeal:
    statement_id: str
    text: str


@dataclass(frozen=True, slots=True)
class ChangeSettings:
    dm_policy: str


@dataclass(frozen=True, slots=True)
class AcceptDm:
    nick: str


@dataclass(frozen=True, slots=True)
class DeclineDm:
    nick: str


@dataclass(frozen=True, slots=True)
class VerifyAge:
    token: str


@dataclass(frozen=True, slots=True)
class AssureAge:
    """A minor's proof, from an age-assurance provider, of being under 18 (teen space)."""

    token: str


@dataclass(frozen=True, slots=True)
class StaffLogin:
    name: str
    password: str
    totp: str | None = None


@dataclass(frozen=True, slots=True)
class ListQueue:
    pass


@dataclass(frozen=True, slots=True)
class ViewMedia:
    """A moderator looks at a picture a report is about (audited)."""

    media_id: str


@dataclass(frozen=True, slots=True)
class Moderate:
    """A moderator's action; which fields matter depends on `action` (docs/protocol.md)."""

    action: str
    reason: str = ""
    report_id: int | None = None
    nick: str | None = None
    room: str | None = None
    message_id: int | None = None
    duration_s: float | None = None
    locked: bool | None = None
    interval_s: float | None = None
    statement_id: str | None = None
    uphold: bool | None = None
    session: str | None = None  # the person, by session rather than nickname


@dataclass(frozen=True, slots=True)
class LookUp:
    """Who these nicknames are, as the asker may see them (IRC WHOIS, WHO, ISON, USERHOST):
    answered with `PeopleFound`, where someone the asker may not see is missing exactly as a
    nickname nobody uses (`policy/visibility.py`)."""

    nicks: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ListMembers:
    """A room's members as its member list shows them, and whether it is locked (IRC NAMES,
    WHO #room, MODE #room): answered with `Members`."""

    room: str


# -- member rooms (core/policy/member_rooms.py; answered by node/member_rooms.py) ------------


@dataclass(frozen=True, slots=True)
class CreateRoom:
    """Make a member room; its id comes from its name (IRC: JOIN of a new channel)."""

    name: str
    topic: str = ""
    audience: str | None = None  # None: the maker's band; "adult_verified" for verified adults


@dataclass(frozen=True, slots=True)
class SetTopic:
    """IRC TOPIC."""

    room: str
    topic: str


@dataclass(frozen=True, slots=True)
class SetRoomModes:
    """IRC MODE #room +m +i +k +s +t +l (and minus); None leaves a mode as it is."""

    room: str
    moderated: bool | None = None
    invite_only: bool | None = None
    key: str | None = None  # "": no key (-k)
    unlisted: bool | None = None
    topic_locked: bool | None = None
    member_limit: int | None = None  # 0: no limit (-l)


@dataclass(frozen=True, slots=True)
class SetRoomOperator:
    """IRC MODE #room +o/-o nick: the owner names an operator among the room's members."""

    room: str
    nick: str
    is_operator: bool = True


@dataclass(frozen=True, slots=True)
class SetRoomVoice:
    """IRC MODE #room +v/-v nick: the owner or an operator gives a member a voice (who may
    speak while the room is moderated), or takes it back."""

    room: str
    nick: str
    is_voiced: bool = True


@dataclass(frozen=True, slots=True)
class InviteToRoom:
    """IRC INVITE nick #room."""

    room: str
    nick: str


@dataclass(frozen=True, slots=True)
class KickFromRoom:
    """IRC KICK #room nick :reason."""

    room: str
    nick: str
    reason: str = ""


@dataclass(frozen=True, slots=True)
class BanFromRoom:
    """IRC MODE #room +b/-b nick: a ban also takes the person out of the room."""

    room: str
    nick: str
    is_banned: bool = True
    reason: str = ""


@dataclass(frozen=True, slots=True)
class ShowRoomSettings:
    """A member room's settings and roles, for its owner and operators (IRC MODE #room,
    MODE #room +b)."""

    room: str


@dataclass(frozen=True, slots=True)
class ShowScores:
    """A room's leaderboard for a period (`jour`, `semaine`, `tout`), for the web's panel."""

    room: str
    period: str = "tout"


Command = (
    Hello
    | ListRooms
    | Join
    | Part
    | Say
    | SendDm
    | DeleteMessage
    | Typing
    | FetchHistory
    | Block
    | Unblock
    | Ping
    | Report
    | Appeal
    | ChangeSettings
    | AcceptDm
    | DeclineDm
    | VerifyAge
    | AssureAge
    | StaffLogin
    | ListQueue
    | Moderate
    | ViewMedia
    | LookUp
    | ListMembers
    | CreateRoom
    | SetTopic
    | SetRoomModes
    | SetRoomOperator
    | SetRoomVoice
    | InviteToRoom
    | KickFromRoom
    | BanFromRoom
    | ShowRoomSettings
    | ShowScores
)
# Handled by the node's moderation service rather than the hub.
STAFF_COMMANDS = (StaffLogin, ListQueue, Moderate, ViewMedia)
# Answered by the node's lookups (node/lookups.py) from the hub and the cluster's presence.
LOOKUP_COMMANDS = (LookUp, ListMembers)
# Answered by the node's member rooms service (node/member_rooms.py): each is stored, audited
# and announced to every node before it is answered.
MEMBER_ROOM_COMMANDS = (
    CreateRoom,
    SetTopic,
    SetRoomModes,
    SetRoomOperator,
    SetRoomVoice,
    InviteToRoom,
    KickFromRoom,
    BanFromRoom,
    ShowRoomSettings,
)
