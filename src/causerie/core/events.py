"""Events: facts the hub reports, and where each must go.

An `Outcome` is everything one command produced: `replies` go to the requester (the adapter
adds the request id), `deliveries` go to a room's members or to one session, `records` must be
stored durably (the requester's acknowledgement waits for them), and `query` asks the caller to
read older history from the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from causerie.core.messages import DirectMessage, GameLine, Message
from causerie.core.policy.assurance import AssuranceStatus
from causerie.core.rooms import Room
from causerie.core.users import AgeBand, PublicUser
from causerie.errors import CauserieError


class PresenceState(StrEnum):
    JOINED = "joined"
    LEFT = "left"


class NoticeKind(StrEnum):
    SAFETY = "safety"
    MODERATION = "moderation"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class RoomView:
    room: Room
    members: int


@dataclass(frozen=True, slots=True)
class Welcomed:
    session: str
    user: PublicUser
    band: AgeBand
    rooms: tuple[RoomView, ...]
    token: str = ""  # the session's bearer for the HTTP API, added by the node
    assurance: AssuranceStatus | None = None  # minors only: what age assurance gates
    dm_wait_s: float = 0.0  # seconds left before this session may open private conversations
    resume_token: str = ""  # the single-use secret to resume with, added by the node


@dataclass(frozen=True, slots=True)
class RoomsListed:
    rooms: tuple[RoomView, ...]


@dataclass(frozen=True, slots=True)
class Joined:
    room: RoomView
    members: tuple[PublicUser, ...]
    history: tuple[Message, ...]


@dataclass(frozen=True, slots=True)
class Parted:
    """Out of a room: one's own part, or, with `by`, taken out by a member room's owner or
    operator (a kick; `reason` as the room reads it, `PresenceChanged`)."""

    room: str
    by: str = ""
    reason: str = ""


@dataclass(frozen=True, slots=True)
class PresenceChanged:
    """Someone joined or left a room. `by`: they did not leave, a member room's owner or
    operator took them out (a kick), with `reason` when it passed the room's word lists.
    Without `by`, `reason` holds their own leaving words when they passed what a room message
    passes (core/hub/farewells.py); `is_quit`: they left every room at once, by quitting."""

    room: str
    user: PublicUser
    state: PresenceState
    by: str = ""
    reason: str = ""
    is_quit: bool = False


@dataclass(frozen=True, slots=True)
class MessagePosted:
    message: Message


@dataclass(frozen=True, slots=True)
class DmSent:
    dm: DirectMessage


@dataclass(frozen=True, slots=True)
class HistoryLoaded:
    room: str
    messages: tuple[Message, ...]
    more: bool


@dataclass(frozen=True, slots=True)
class BlocksListed:
    nicks: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Noticed:
    kind: NoticeKind
    key: str
    params: tuple[tuple[str, object], ...] = ()
    about: str | None = None  # the nickname a safety notice is about, to report in one click


@dataclass(frozen=True, slots=True)
class NoticeText:
    """A notice already put in words for its reader (as another node published it)."""

    kind: NoticeKind
    text: str
    key: str | None = None
    about: str | None = None
    game: GameLine | None = None  # a game's word to one player (node/games/), with its view


@dataclass(frozen=True, slots=True)
class Refused:
    """A request refused: the error every adapter tells its own way (a WebSocket `error`
    frame, an IRC numeric or NOTICE)."""

    error: CauserieError


@dataclass(frozen=True, slots=True)
class Ponged:
    pass


@dataclass(frozen=True, slots=True)
class Stated:
    """A statement of reasons, already rendered in the person's language."""

    text: str
    statement_id: str


@dataclass(frozen=True, slots=True)
class Reported:
    report_id: int


@dataclass(frozen=True, slots=True)
class Appealed:
    statement_id: str


@dataclass(frozen=True, slots=True)
class SettingsChanged:
    dm_policy: str


@dataclass(frozen=True, slots=True)
class DmAccepted:
    nick: str


@dataclass(frozen=True, slots=True)
class DmDeclined:
    nick: str


@dataclass(frozen=True, slots=True)
class DmRequested:
    """A stranger's first private message, masked until the recipient accepts."""

    dm: DirectMessage


@dataclass(frozen=True, slots=True)
class AgeVerified:
    rooms: tuple[RoomView, ...]


@dataclass(frozen=True, slots=True)
class AgeAssured:
    """A provider vouched that this minor is under 18: what was gated opens."""

    rooms: tuple[RoomView, ...]


@dataclass(frozen=True, slots=True)
class MessageDeleted:
    room: str
    message_id: int
    by_author: bool = False  # its sender took it back (otherwise a moderator removed it)


@dataclass(frozen=True, slots=True)
class DmDeleted:
    """A private message its sender took back: both sides of the conversation are told."""

    message_id: int


@dataclass(frozen=True, slots=True)
class TypingShown:
    """`user` is typing in `room`, or (room None) to the person this goes to."""

    user: PublicUser
    room: str | None = None


@dataclass(frozen=True, slots=True)
class RoomStateChanged:
    room: str
    locked: bool
    slow_mode_s: float


@dataclass(frozen=True, slots=True)
class RoomUpdated:
    """A room made or changed by the operator, for everyone who may see it."""

    room: RoomView


@dataclass(frozen=True, slots=True)
class RoomArchived:
    """A room closed: gone for everyone who could see it; its members were taken out."""

    room: str
    name: str


@dataclass(frozen=True, slots=True)
class RoomCreated:
    """The answer to `CreateRoom`: the room made, owned by the requester (not joined yet)."""

    room: RoomView


@dataclass(frozen=True, slots=True)
class RoomInvited:
    """Someone (`by`, a nickname) invites this person into a member room."""

    room: RoomView
    by: str


@dataclass(frozen=True, slots=True)
class RoomSettingsShown:
    """A member room's settings and roles, for its owner and operators (`role`: the asker's);
    also the answer to each of their changes."""

    room: RoomView
    role: str
    key: str
    operators: tuple[str, ...]
    banned: tuple[str, ...]
    invited: tuple[str, ...]
    voiced: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StaffWelcomed:
    name: str
    role: str
    rooms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class QueueListed:
    items: tuple[dict[str, object], ...]


@dataclass(frozen=True, slots=True)
class QueueChanged:
    item: dict[str, object]
    is_alert: bool = False


@dataclass(frozen=True, slots=True)
class MediaShown:
    """A picture's thumbnail for a moderator (the console cannot send the bearer an <img>
    would need, so the bytes come over the staff connection)."""

    media_id: str
    mime: str
    data: bytes


@dataclass(frozen=True, slots=True)
class ModDone:
    action: str
    report_id: int | None = None
    statement_id: str | None = None


@dataclass(frozen=True, slots=True)
class PeopleFound:
    """The answer to `LookUp`: each person named whom the asker may see, with the rooms they
    share with the asker (sorted). Nobody else is in it, invisible or absent alike."""

    users: tuple[tuple[PublicUser, tuple[str, ...]], ...]


@dataclass(frozen=True, slots=True)
class Members:
    """The answer to `ListMembers`: the members the asker's member list shows (none for a room
    the asker is not in), and whether the room is locked."""

    room: str
    users: tuple[PublicUser, ...]
    locked: bool = False


@dataclass(frozen=True, slots=True)
class Acked:
    """Sent by the node, not the hub, once the command's records are stored."""

    message_id: int
    ts_ms: int


@dataclass(frozen=True, slots=True)
class ScoresShown:
    """A room's leaderboard for a period (`jour`, `semaine`, `tout`): (nickname, points),
    best first (node/games/scores.py)."""

    room: str
    period: str
    rows: tuple[tuple[str, int], ...]


Event = (
    ScoresShown
    | Welcomed
    | RoomsListed
    | Joined
    | Parted
    | PresenceChanged
    | MessagePosted
    | DmSent
    | HistoryLoaded
    | BlocksListed
    | Noticed
    | NoticeText
    | Refused
    | Ponged
    | Acked
    | Stated
    | Reported
    | Appealed
    | SettingsChanged
    | DmAccepted
    | DmDeclined
    | DmRequested
    | AgeVerified
    | AgeAssured
    | MessageDeleted
    | DmDeleted
    | TypingShown
    | RoomStateChanged
    | RoomUpdated
    | RoomArchived
    | RoomCreated
    | RoomInvited
    | RoomSettingsShown
    | StaffWelcomed
    | QueueListed
    | QueueChanged
    | ModDone
    | MediaShown
    | PeopleFound
    | Members
)


@dataclass(frozen=True, slots=True)
class ToRoom:
    room: str


@dataclass(frozen=True, slots=True)
class ToSession:
    session: str


Target = ToRoom | ToSession


@dataclass(frozen=True, slots=True)
class HistoryQuery:
    room: str
    before: int | None
    limit: int


Record = Message | DirectMessage


@dataclass(frozen=True, slots=True)
class Flag:
    """Automatic moderation wants a moderator to look at a message (held or delivered)."""

    rule: str
    category: str
    severity: int
    message: Message | DirectMessage
    is_held: bool


@dataclass(frozen=True, slots=True)
class GroomingAlert:
    """A conversation to a minor just crossed the grooming detector's line: the moderators get
    it at top severity with its context, the sender's new conversations with minors pause."""

    message: Message | DirectMessage  # the message that crossed
    recipient: PublicUser | None  # the minor addressed; None for a room as a whole
    recipient_session: str | None
    stages: tuple[str, ...]
    score: float
    context: tuple[tuple[int, str], ...]  # the conversation's risky lines (time, text)


@dataclass(slots=True)
class Outcome:
    replies: list[Event] = field(default_factory=list)
    deliveries: list[tuple[Target, Event]] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    query: HistoryQuery | None = None
    flags: list[Flag] = field(default_factory=list)
    alerts: list[GroomingAlert] = field(default_factory=list)
    error: CauserieError | None = None  # refused, but flags still go to the moderators
