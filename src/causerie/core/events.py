"""Events: facts the hub reports, and where each must go.

An `Outcome` is everything one command produced: `replies` go to the requester (the adapter
adds the request id), `deliveries` go to a room's members or to one session, `records` must be
stored durably (the requester's acknowledgement waits for them), and `query` asks the caller to
read older history from the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from causerie.core.messages import DirectMessage, Message
from causerie.core.rooms import Room
from causerie.core.users import AgeBand, PublicUser


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
    room: str


@dataclass(frozen=True, slots=True)
class PresenceChanged:
    room: str
    user: PublicUser
    state: PresenceState


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


@dataclass(frozen=True, slots=True)
class Ponged:
    pass


@dataclass(frozen=True, slots=True)
class Acked:
    """Sent by the node, not the hub, once the command's records are stored."""

    message_id: int
    ts_ms: int


Event = (
    Welcomed
    | RoomsListed
    | Joined
    | Parted
    | PresenceChanged
    | MessagePosted
    | DmSent
    | HistoryLoaded
    | BlocksListed
    | Noticed
    | Ponged
    | Acked
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


@dataclass(slots=True)
class Outcome:
    replies: list[Event] = field(default_factory=list)
    deliveries: list[tuple[Target, Event]] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    query: HistoryQuery | None = None
