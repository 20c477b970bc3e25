"""Builders for the hub's parts, each wired alone with its explicit dependencies, as
`Hub.__init__` wires them: a fake postal-code locator (one code is known), a fake text reviewer
and a fake grooming watch that answer what each test says.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from causerie.core.commands import Hello, Join
from causerie.core.hub.config import HubConfig
from causerie.core.hub.history import RecentHistory
from causerie.core.hub.membership import Membership
from causerie.core.hub.private import PrivateConversations
from causerie.core.hub.room_messages import RoomMessages
from causerie.core.hub.screening import Screening
from causerie.core.hub.sessions import Session, Sessions
from causerie.core.messages import MessageIds
from causerie.core.policy.review import PASS, Review
from causerie.core.policy.watch import QUIET, WatchVerdict
from causerie.core.restrictions import Restrictions
from causerie.core.rooms import DEFAULT_ROOMS, Room
from tests.unit.core.builders import START_MS

KNOWN_POSTCODE = "75011"


@dataclass(frozen=True)
class FakePlace:
    department: str = "75"
    region: str = "Île-de-France"


def locate(postcode: str) -> FakePlace | None:
    return FakePlace() if postcode == KNOWN_POSTCODE else None


@dataclass
class FakeReviewer:
    """Returns `verdict` for every text; a text holding "://" has a link."""

    verdict: Review = PASS
    texts: list[str] = field(default_factory=list)

    def review(
        self, text: str, *, is_private: bool, sender_is_minor: bool, recipient_is_minor: bool
    ) -> Review:
        self.texts.append(text)
        return self.verdict

    def mask(self, text: str) -> str:
        return text

    def has_link(self, text: str) -> bool:
        return "://" in text


@dataclass
class FakeWatch:
    """Answers each message with the next verdict; records (sender, recipient) keys."""

    verdicts: list[WatchVerdict] = field(default_factory=list)
    seen: list[tuple[str, str]] = field(default_factory=list)

    def observe(self, sender: str, recipient: str, text: str, now_ms: int) -> WatchVerdict:
        self.seen.append((sender, recipient))
        return self.verdicts.pop(0) if self.verdicts else QUIET

    def release(self, sender: str) -> None:
        return None


@dataclass
class Parts:
    config: HubConfig
    ids: MessageIds
    restrictions: Restrictions
    reviewer: FakeReviewer
    watch: FakeWatch
    sessions: Sessions
    history: RecentHistory
    membership: Membership
    screening: Screening
    messages: RoomMessages
    private: PrivateConversations


def make_parts(
    config: HubConfig | None = None,
    rooms: Iterable[Room] = DEFAULT_ROOMS,
    *,
    reviewer: FakeReviewer | None = None,
    watch: FakeWatch | None = None,
) -> Parts:
    """Every part of one hub, wired as the facade wires them (no waiting before private
    messages unless the config says otherwise)."""
    config = config or HubConfig(dm_wait_s=0)
    ids, restrictions = MessageIds(), Restrictions()
    reviewer, watch = reviewer or FakeReviewer(), watch or FakeWatch()
    ordered = sorted(rooms, key=lambda r: (r.position, r.id))
    sessions = Sessions(locate, config)
    history = RecentHistory((r.id for r in ordered), config.history_on_join, ids)
    membership = Membership(ordered, sessions.by_id, history, config)
    screening = Screening(reviewer, config)
    messages = RoomMessages(
        sessions, membership, history, screening, restrictions, watch, ids, config
    )
    private = PrivateConversations(sessions, screening, restrictions, watch, ids, config)
    return Parts(
        config,
        ids,
        restrictions,
        reviewer,
        watch,
        sessions,
        history,
        membership,
        screening,
        messages,
        private,
    )


def admit(
    sessions: Sessions,
    nick: str,
    *,
    age: int = 25,
    now_ms: int = START_MS,
    session: str | None = None,
) -> Session:
    """Admit someone through `Sessions` alone; returns their session."""
    return sessions.admit(session or f"s-{nick}", Hello(nick, "woman", age, KNOWN_POSTCODE), now_ms)


def in_room(parts: Parts, session: Session, room: str, now_ms: int = START_MS) -> None:
    parts.membership.join(session, Join(room), now_ms)
