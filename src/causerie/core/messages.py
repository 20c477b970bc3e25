"""Messages posted in rooms and sent privately, and how their ids are made.

Ids are integers below 2**53 so JavaScript reads them exactly, unique across nodes and
increasing within a node: milliseconds since 2025-01-01 (41 bits), node number (6 bits),
sequence within the millisecond (6 bits). When a millisecond's sequence runs out the generator
borrows the next millisecond, so ids never repeat even in a burst or if the clock steps back.
"""

from __future__ import annotations

from dataclasses import dataclass

from causerie.core.users import PublicUser

ID_EPOCH_MS = 1_735_689_600_000  # 2025-01-01T00:00:00Z
NODE_BITS = 6
SEQ_BITS = 6
MAX_NODE = (1 << NODE_BITS) - 1


@dataclass(frozen=True, slots=True)
class MediaRef:
    """The picture a message carries: its public id and size (the files stay in media storage).
    A width or height of 0 means not known yet (a client's request names only the id)."""

    id: str
    width: int = 0
    height: int = 0


QUOTE_MAX_CHARS = 120


@dataclass(frozen=True, slots=True)
class Quote:
    """The message a reply answers, as the reply shows it: its id, its author's nickname and
    the start of its text on one line. `nick` and `text` are empty once the original is
    deleted (a reply never keeps what its author took back)."""

    id: int
    nick: str = ""
    text: str = ""


def quote_of(message: Message | DirectMessage) -> Quote:
    """What a reply to `message` shows of it: at most `QUOTE_MAX_CHARS` characters of its
    text on one line (a picture alone quotes as an empty text)."""
    flat = " ".join(message.text.split())
    if len(flat) > QUOTE_MAX_CHARS:
        flat = flat[: QUOTE_MAX_CHARS - 1].rstrip() + "…"
    return Quote(message.id, message.sender.nick, flat)


@dataclass(frozen=True, slots=True)
class GameLine:
    """What a game's message carries besides its text (docs/games.md): the game's name and
    the structured state the web client draws (a board, a countdown), or None. IRC shows the
    text only."""

    name: str
    view: object = None


@dataclass(frozen=True, slots=True)
class Message:
    """A room message as stored and as shown."""

    id: int
    room: str
    sender: PublicUser
    text: str
    ts_ms: int
    sender_session: str = ""
    media: MediaRef | None = None
    reply_to: Quote | None = None
    game: GameLine | None = None  # said by a game running in the room (docs/games.md)
    # Sent as an IRC NOTICE (a bot's announcement, say): shown like any message on the web,
    # and told to IRC clients as a NOTICE while it is live (history has no kinds).
    is_notice: bool = False


@dataclass(frozen=True, slots=True)
class DirectMessage:
    id: int
    sender: PublicUser
    recipient: PublicUser
    text: str
    ts_ms: int
    sender_session: str = ""
    recipient_session: str = ""
    media: MediaRef | None = None
    reply_to: Quote | None = None


class MessageIds:
    """Makes message ids for one node. Pure: the caller passes the time."""

    def __init__(self, node: int = 0) -> None:
        if not 0 <= node <= MAX_NODE:
            raise ValueError(f"node must be 0..{MAX_NODE}, got {node}")
        self._node = node
        self._last_ms = 0
        self._seq = 0

    def next_id(self, now_ms: int) -> int:
        ms = max(now_ms - ID_EPOCH_MS, self._last_ms)
        if ms == self._last_ms:
            self._seq += 1
            if self._seq >> SEQ_BITS:
                ms += 1
                self._seq = 0
        else:
            self._seq = 0
        self._last_ms = ms
        return (ms << (NODE_BITS + SEQ_BITS)) | (self._node << SEQ_BITS) | self._seq

    def renumber(self, node: int) -> None:
        if not 0 <= node <= MAX_NODE:
            raise ValueError(f"node must be 0..{MAX_NODE}, got {node}")
        self._node = node

    def observe(self, message_id: int) -> None:
        """Never issue an id at or below one already stored (after a restart with a slow clock)."""
        ms = message_id >> (NODE_BITS + SEQ_BITS)
        if ms >= self._last_ms:
            self._last_ms = ms
            self._seq = (1 << SEQ_BITS) - 1  # the next id borrows the following millisecond


def timestamp_ms_of(message_id: int) -> int:
    return (message_id >> (NODE_BITS + SEQ_BITS)) + ID_EPOCH_MS
