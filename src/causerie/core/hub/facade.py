"""The hub: connected people, rooms, membership and messages on one node, behind one facade.

How this works: an adapter parses bytes into a `Command` and calls `hello` (first) or `apply`
with the session id and the current time. `apply` looks the command's type up in one table and
hands it to the part that holds its concern; the part checks the command against the policies,
updates its state and returns an `Outcome` (events to send, records to store). A refusal raises
`CauserieError` and changes nothing. The hub never does I/O, so the caller stores records,
writes frames and answers history queries; it is single-threaded by design (one event loop).

The parts, each in its own module with its own rule:

- `Sessions` (sessions.py): who is connected, their profiles, the nickname index;
- `Membership` (membership.py): the rooms one may see, joins and parts, member lists;
- `RecentHistory` (history.py): each room's recent messages, history pages, deletions;
- `RoomMessages` (room_messages.py): the checks a room message passes, and its delivery;
- `PrivateConversations` (private.py): private messages, contacts, blocks, the grooming pause;
- `Screening` (screening.py): the text, trust and automatic moderation both kinds share;
- `Deletions` (deletions.py): one's own message taken back; `TypingSignals` (typing.py): who
  is told that someone is typing; which message a reply may quote: replies.py;
- moderators' restrictions (mutes, locked rooms, slow mode): `core/restrictions.py`.

Collaborators (the text reviewer, the grooming watch, the restrictions) are given to the
constructor and never replaced; the only setting that changes while a node runs, the reserved
staff names, goes through `reserve`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from causerie.core.carried import Carried
from causerie.core.commands import (
    AcceptDm,
    Block,
    ChangeSettings,
    Command,
    DeclineDm,
    DeleteMessage,
    FetchHistory,
    Hello,
    Join,
    ListRooms,
    Part,
    Ping,
    Say,
    SendDm,
    Typing,
    Unblock,
)
from causerie.core.conversations import Arrival
from causerie.core.events import (
    AgeAssured,
    AgeVerified,
    Outcome,
    Ponged,
    RoomStateChanged,
    RoomView,
    ToRoom,
    Welcomed,
)
from causerie.core.hub.config import HubConfig, Locator
from causerie.core.hub.deletions import Deletions
from causerie.core.hub.farewells import Farewells
from causerie.core.hub.history import RecentHistory
from causerie.core.hub.membership import Membership
from causerie.core.hub.private import Peer, PrivateConversations
from causerie.core.hub.room_messages import RoomMessages
from causerie.core.hub.screening import Screening
from causerie.core.hub.sessions import Session, Sessions
from causerie.core.hub.typing import TypingSignals
from causerie.core.messages import GameLine, Message, MessageIds
from causerie.core.policy import assurance
from causerie.core.policy.review import NoReview, TextReviewer
from causerie.core.policy.watch import ConversationWatch, NoWatch
from causerie.core.restrictions import Restrictions
from causerie.core.rooms import Room
from causerie.core.users import Profile, PublicUser
from causerie.errors import CauserieError, ErrorCode

_C = TypeVar("_C")
Handler = Callable[[Session, Any, int], Outcome]


def _route(kind: type[_C], handler: Callable[[Session, _C, int], Outcome]) -> tuple[type, Handler]:
    """One line of the command table: `apply` finds the handler by the command's exact type,
    so the handler is only ever given a `kind`."""
    return kind, handler


class Hub:
    """One node's chat state.

    Args:
        rooms: the node's rooms (listed by position, then id).
        locate: where a postal code lies (None for an unknown one).
        config: the limits and rules; `HubConfig()` by default.
        ids: the node's message id generator.
        reviewer: automatic moderation of texts; none by default.
        watch: the grooming detector; none by default.
        restrictions: moderators' mutes, locks and slow modes; empty by default.
    """

    def __init__(
        self,
        rooms: Iterable[Room],
        locate: Locator,
        config: HubConfig | None = None,
        ids: MessageIds | None = None,
        *,
        reviewer: TextReviewer | None = None,
        watch: ConversationWatch | None = None,
        restrictions: Restrictions | None = None,
    ) -> None:
        self._config = config = config or HubConfig()
        self._ids = ids = ids or MessageIds()
        self._reviewer = reviewer if reviewer is not None else NoReview()
        self._watch = watch if watch is not None else NoWatch()
        self._restrictions = restrictions if restrictions is not None else Restrictions()
        ordered = sorted(rooms, key=lambda r: (r.position, r.id))
        self._sessions = Sessions(locate, config)
        self._by_id = self._sessions.by_id
        self._history = RecentHistory((r.id for r in ordered), config.history_on_join, ids)
        screening = Screening(self._reviewer, config)
        farewells = Farewells(screening, self._restrictions)
        self._membership = Membership(ordered, self._by_id, self._history, config, farewells)
        self._messages = RoomMessages(
            self._sessions,
            self._membership,
            self._history,
            screening,
            self._restrictions,
            self._watch,
            ids,
            config,
        )
        self._private = PrivateConversations(
            self._sessions, screening, self._restrictions, self._watch, ids, config
        )
        membership, messages, private = self._membership, self._messages, self._private
        deletions, typing = Deletions(self._history), TypingSignals(self._sessions)
        # Read for every room message fanned out: the part's own methods, not a forwarding call.
        self.members_of: Callable[[str], Iterator[str]] = membership.members_of
        # Changes whenever the room's members do (-1 for no such room).
        self.members_version: Callable[[str], int] = membership.members_version
        self._handlers: dict[type, Handler] = dict(
            [
                _route(ListRooms, membership.list_rooms),
                _route(Join, membership.join),
                _route(Part, membership.part),
                _route(Say, messages.say),
                _route(FetchHistory, messages.fetch_history),
                _route(SendDm, private.send_dm),
                _route(DeleteMessage, deletions.delete),
                _route(Typing, typing.typing),
                _route(Block, private.block),
                _route(Unblock, private.unblock),
                _route(ChangeSettings, private.change_settings),
                _route(AcceptDm, private.accept_dm),
                _route(DeclineDm, private.decline_dm),
                _route(Ping, _pong),
            ]
        )

    # -- collaborators (read-only: given to the constructor) ---------------------------------

    @property
    def config(self) -> HubConfig:
        return self._config

    @property
    def reviewer(self) -> TextReviewer:
        return self._reviewer

    @property
    def watch(self) -> ConversationWatch:
        return self._watch

    @property
    def restrictions(self) -> Restrictions:
        return self._restrictions

    def reserve(self, skeletons: frozenset[str]) -> None:
        """Staff names (as skeletons) nobody may take or imitate from now on."""
        if skeletons != self._config.reserved_skeletons:
            self._config = dataclasses.replace(self._config, reserved_skeletons=skeletons)
            self._sessions.reserve(skeletons)

    # -- commands ----------------------------------------------------------------------------

    def hello(self, session_id: str, command: Hello, now_ms: int) -> Outcome:
        """Admit a person. Raises `CauserieError` with the offending `field`."""
        session = self._sessions.admit(session_id, command, now_ms)
        return Outcome(replies=[self._welcome(session, now_ms)])

    def welcome(self, session_id: str, now_ms: int) -> Outcome:
        """The `welcome` of a session again (after `carry` changed when it started)."""
        return Outcome(replies=[self._welcome(self._by_id[session_id], now_ms)])

    def _welcome(self, session: Session, now_ms: int) -> Welcomed:
        profile = session.profile
        return Welcomed(
            session.id,
            session.user,
            profile.band,
            self._membership.views(profile, session.id),
            assurance=assurance.status_of(self._config.teen_assurance, profile),
            dm_wait_s=max(
                0.0, (session.started_ms + self._config.dm_wait_s * 1000 - now_ms) / 1000
            ),
        )

    def apply(self, session_id: str, command: Command, now_ms: int) -> Outcome:
        """Apply a command from a session that said hello.

        Raises:
            CauserieError: the refusal; nothing changed.
        """
        session = self._by_id.get(session_id)
        if session is None:
            raise CauserieError(ErrorCode.FORBIDDEN, "hello_first")
        handler = self._handlers.get(type(command))
        if handler is None:
            raise CauserieError(ErrorCode.INVALID, "unknown_type")
        return handler(session, command, now_ms)

    def leave(
        self, session_id: str, *, is_quit: bool = False, farewell: str = "", now_ms: int = 0
    ) -> Outcome:
        """Forget a session whose connection ended; members of its rooms see it leave (quit,
        with `farewell` where a room may read it: core/hub/farewells.py)."""
        session = self._by_id.get(session_id)
        if session is None:
            return Outcome()
        # The words are read while the person's mutes and trust still stand.
        left = self._membership.leave_all(
            session, is_quit=is_quit, farewell=farewell, now_ms=now_ms
        )
        self._sessions.remove(session_id)
        self._restrictions.forget(session_id)
        self._private.forget(session)
        return Outcome(deliveries=left)

    def end_person(
        self, session_id: str, *, is_quit: bool = False, farewell: str = "", now_ms: int = 0
    ) -> Outcome:
        """A person is gone for good (a quit, or the grace after a lost connection ended): as
        `leave`, and whoever here had a conversation with them forgets it."""
        session = self._by_id.get(session_id)
        if session is not None:
            self._private.end_person(session)
        return self.leave(session_id, is_quit=is_quit, farewell=farewell, now_ms=now_ms)

    def forget_contact(self, key: str) -> None:
        """Someone on another node is gone for good: nobody here knows them any more."""
        self._private.forget_contact(key)

    # -- coming back after a loss (node/continuity.py) ---------------------------------------

    def carried(self, session_id: str) -> Carried:
        """What a session would carry to the session that resumes it."""
        session = self._by_id[session_id]
        contacts = session.contacts
        return Carried(
            tuple(sorted(session.rooms)),
            contacts.policy.value,
            tuple(sorted(contacts.accepted)),
            tuple(sorted(contacts.declined)),
            tuple(sorted(contacts.pending)),
            dict(session.blocked),
            session.started_ms,
            session.is_paused_with_minors,
        )

    def rekey(self, old_id: str, new_id: str, now_ms: int) -> Outcome:
        """The person of `old_id` resumed on this node as `new_id`: the same session goes on
        (nickname, rooms, conversations, limits), with no presence change for anyone. Returns
        the new connection's `welcome`."""
        session = self._sessions.rekey(old_id, new_id)
        self._membership.rekey(session, old_id)
        self._restrictions.rekey(old_id, new_id)
        return Outcome(replies=[self._welcome(session, now_ms)])

    def carry(
        self,
        session_id: str,
        carried: Carried,
        *,
        place: bool = False,
        former: str | None = None,
    ) -> None:
        """A session just admitted takes what its previous one carried (from another node or
        from before a restart); `place`: also back in its rooms, silently (restored at start,
        away until it resumes); `former`: that previous session, whose messages are this
        person's own."""
        session = self._by_id[session_id]
        if former is not None:
            session.former_ids |= {former}
        self._private.carry(session, carried)
        if carried.started_ms:
            session.started_ms = min(session.started_ms, carried.started_ms)
        if place:
            self._membership.place(session, carried.rooms)

    def send_dm_to_peer(self, session_id: str, command: SendDm, peer: Peer, now_ms: int) -> Outcome:
        """A private message to someone connected to another node (found by the caller).

        Raises:
            CauserieError: as for a local recipient.
        """
        return self._private.send_dm_to_peer(session_id, command, peer, now_ms)

    # -- people ------------------------------------------------------------------------------

    def session(self, session_id: str) -> Session | None:
        return self._by_id.get(session_id)

    def profile_of(self, session_id: str) -> Profile:
        """The profile of a connected session; `KeyError` for an unknown one (a caller bug)."""
        return self._by_id[session_id].profile

    def session_of_nick(self, nick: str) -> str | None:
        return self._sessions.session_of_nick(nick)

    def is_connected_here(self, nick: str) -> bool:
        return self._sessions.is_connected_here(nick)

    def verify_age(self, session_id: str) -> Outcome:
        """A provider vouched that this person is an adult: adult_verified rooms open."""
        profile = self._sessions.verify_age(session_id)
        return Outcome(replies=[AgeVerified(self._membership.views(profile))])

    def assure_age(self, session_id: str) -> Outcome:
        """A provider vouched that this minor is under 18: what `teen_assurance` gates opens.
        Raises `age_restricted` for an adult (the proof is for the teen space)."""
        profile = self._sessions.assure_age(session_id)
        return Outcome(replies=[AgeAssured(self._membership.views(profile))])

    # -- rooms -------------------------------------------------------------------------------

    def room(self, room_id: str) -> Room | None:
        return self._membership.room(room_id)

    def rooms(self) -> list[Room]:
        return self._membership.rooms()

    def room_views(self, profile: Profile | None = None) -> tuple[RoomView, ...]:
        return self._membership.views(profile)

    def rooms_of(self, session_id: str) -> set[str]:
        return self._membership.rooms_of(session_id)

    @property
    def has_blocks(self) -> bool:
        """Whether anyone here blocks anyone (fan-out filters room messages only then)."""
        return self._private.blocking > 0

    def readers_of(self, room_id: str, sender_nick: str) -> Iterator[str]:
        """The members who may see a message from `sender_nick`: blocking hides each from the
        other, whoever blocked whom."""
        return self._private.readers_of(self._membership.members_of(room_id), sender_nick)

    # -- messages and their ids --------------------------------------------------------------

    def find_recent(self, message_id: int) -> Message | None:
        """A room message still in memory (the store may not have committed it yet)."""
        return self._history.find(message_id)

    def preload_history(self, room_id: str, messages: Iterable[Message]) -> None:
        """Fill a room's recent messages from the store at startup (oldest first)."""
        self._history.preload(room_id, messages)

    def post_as(
        self, room_id: str, sender: PublicUser, text: str, now_ms: int, game: GameLine
    ) -> Message:
        """A message said by a game in a room (node/games/): a new id, kept in the room's
        recent history like a person's; the caller publishes and stores it."""
        message = Message(self._ids.next_id(now_ms), room_id, sender, text, now_ms, game=game)
        self._history.add(message)
        return message

    def remember(self, message: Message) -> None:
        """A message posted on another node, as the broker delivered it: keep it in the room's
        recent history (once) and never issue a smaller id after it."""
        self._history.remember(message)

    def renumber(self, node: int) -> None:
        """Issue ids under another node number from now on (ids stay increasing)."""
        self._ids.renumber(node)

    def observe_id(self, message_id: int) -> None:
        self._ids.observe(message_id)

    # -- private conversations ---------------------------------------------------------------

    def is_new_conversation(self, session_id: str, nick: str) -> bool:
        """Whether a private message to `nick` would open a conversation (for the node's
        per-device limit on new conversations)."""
        return self._private.is_new_conversation(session_id, nick)

    def arrival(self, session_id: str, sender_nick: str) -> Arrival:
        """How a private message from `sender_nick` reaches this session: as a message, as a
        request from a stranger (masked), or not at all (declined)."""
        return self._private.arrival(session_id, sender_nick)

    def pause_with_minors(self, session_id: str, is_paused: bool) -> None:
        """Pause (or let go again) a session's new conversations with minors: a moderator
        decided about the grooming alert, or a pause recorded for this person is in force."""
        self._private.pause_with_minors(session_id, is_paused)

    # -- what moderators do (called by the node's moderation service) -----------------------

    def mute(self, session_id: str, room: str | None, until_ms: int | None) -> None:
        self._restrictions.mute(session_id, room, until_ms)

    def remove_from_room(
        self, session_id: str, room_id: str, by: str = "", reason: str = ""
    ) -> Outcome:
        """Take someone out of a room (kick or room ban); their rooms see them leave (taken out
        by `by`, a member room's kick)."""
        return self._membership.remove_from_room(session_id, room_id, by, reason)

    def delete_message(self, message_id: int) -> Outcome:
        """Remove a room message from what people see; the store keeps it for its report."""
        return self._history.delete(message_id)

    def put_room(self, room: Room) -> Outcome:
        """Add a room or change one (the operator's); see `Membership.put`."""
        return self._membership.put(room)

    def archive_room(self, room_id: str) -> Outcome:
        """Close a room (the operator's): members out, gone for everyone; see
        `Membership.archive`. Its restrictions go with it."""
        self._restrictions.forget_room(room_id)
        return self._membership.archive(room_id)

    def restrict_room(
        self, room_id: str, *, locked: bool | None = None, slow_mode_s: float | None = None
    ) -> Outcome:
        """Lock or unlock a room, or set its slow mode; its members are told.

        Raises:
            CauserieError: `not_found` for no such room.
        """
        if self._membership.room(room_id) is None:
            raise CauserieError(ErrorCode.NOT_FOUND, "room_not_found", field="room")
        state = self._restrictions.room(room_id)
        if locked is not None:
            state.locked = locked
        if slow_mode_s is not None:
            state.set_slow_mode(slow_mode_s)  # clamped: a stored value never breaks a message
        event = RoomStateChanged(room_id, state.locked, state.slow_mode_s)
        return Outcome(deliveries=[(ToRoom(room_id), event)])


def _pong(_session: Session, _command: Ping, _now_ms: int) -> Outcome:
    return Outcome(replies=[Ponged()])
