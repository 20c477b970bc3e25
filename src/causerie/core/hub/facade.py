"""The hub: connected people, rooms, membership and messages on one node.

How this works: an adapter parses bytes into a `Command` and calls `hello` (first) or `apply`
with the session id and the current time. The hub checks the command against the policies,
updates its state and returns an `Outcome` (events to send, records to store). A refusal raises
`CauserieError` and changes nothing. The hub never does I/O, so the caller stores records,
writes frames and answers history queries; it is single-threaded by design (one event loop).
"""

from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from causerie.core.commands import (
    AcceptDm,
    Block,
    ChangeSettings,
    Command,
    DeclineDm,
    FetchHistory,
    Hello,
    Join,
    ListRooms,
    Part,
    Ping,
    Say,
    SendDm,
    Unblock,
)
from causerie.core.conversations import Arrival, Contacts, DmPolicy, check_policy
from causerie.core.events import (
    AgeAssured,
    AgeVerified,
    BlocksListed,
    DmAccepted,
    DmDeclined,
    DmSent,
    Flag,
    HistoryLoaded,
    HistoryQuery,
    Joined,
    MessageDeleted,
    MessagePosted,
    Noticed,
    NoticeKind,
    Outcome,
    Parted,
    Ponged,
    PresenceChanged,
    PresenceState,
    RoomsListed,
    RoomStateChanged,
    RoomView,
    SettingsChanged,
    ToRoom,
    ToSession,
    Welcomed,
)
from causerie.core.grooming import ROOM_KEY_PREFIX, named_members, watch_message
from causerie.core.messages import DirectMessage, MediaRef, Message, MessageIds
from causerie.core.policy import assurance
from causerie.core.policy.agebands import can_see_room
from causerie.core.policy.nicknames import nick_key, validate_nick
from causerie.core.policy.ratelimits import RateLimit, TokenBucket
from causerie.core.policy.review import NoReview, Review, ReviewAction, TextReviewer
from causerie.core.policy.text import MAX_TEXT_CHARS, clean_text
from causerie.core.policy.trust import Trust, TrustRule
from causerie.core.policy.visibility import listed_in, nobody, refuse_unless_addressable
from causerie.core.policy.watch import ConversationWatch, NoWatch
from causerie.core.restrictions import Restrictions
from causerie.core.rooms import Audience, Room
from causerie.core.users import MAX_AGE, AgeBand, Gender, Profile, PublicUser, age_band
from causerie.errors import CauserieError, ErrorCode

LANGS = frozenset({"fr", "en"})
MAX_HISTORY_LIMIT = 100
DEFAULT_SAY_LIMIT = RateLimit(capacity=8, refill_per_s=1.0)
DEFAULT_TRUST = TrustRule()
DEFAULT_ROOM_LIMIT = RateLimit(capacity=60, refill_per_s=20.0)
DEFAULT_UNTRUSTED_LIMIT = RateLimit(capacity=5, refill_per_s=0.5)
# Each join or part tells every member of the room: 30 at once (all 20 rooms of a client that
# comes back, and some), then one every 2 s.
DEFAULT_JOIN_PART_LIMIT = RateLimit(capacity=30, refill_per_s=0.5)


class Place(Protocol):
    """Where a postal code lies, as the geo directory answers."""

    @property
    def department(self) -> str: ...

    @property
    def region(self) -> str: ...


Locator = Callable[[str], Place | None]


@dataclass(frozen=True, slots=True)
class HubConfig:
    min_age: int = 13
    history_on_join: int = 50
    max_rooms_per_session: int = 20
    max_text_chars: int = MAX_TEXT_CHARS
    say_limit: RateLimit | None = DEFAULT_SAY_LIMIT
    dm_limit: RateLimit | None = DEFAULT_SAY_LIMIT
    dm_wait_s: float = 60.0  # a new session waits this long before opening conversations
    trust: TrustRule | None = DEFAULT_TRUST
    room_limit: RateLimit | None = DEFAULT_ROOM_LIMIT  # messages per room, all senders
    untrusted_limit: RateLimit | None = None  # tighter, for new identities (the node sets it)
    join_part_limit: RateLimit | None = DEFAULT_JOIN_PART_LIMIT  # joins and parts per session
    repeat_window_s: float = 60.0  # the same text again within this is refused…
    repeat_max: int | None = 2  # …beyond this many times (None: no limit)
    reserved_skeletons: frozenset[str] = frozenset()  # staff names nobody may imitate
    minors_get_pictures_from_strangers: bool = False  # DESIGN.md rule 4: they do not
    teen_assurance: assurance.AssuranceGate = assurance.AssuranceGate.OFF  # what minors prove


@dataclass(slots=True)
class Session:
    id: str
    profile: Profile
    rooms: frozenset[str] = frozenset()  # replaced on join and part: 216 bytes less when idle
    blocked: dict[str, str] = field(default_factory=dict)  # nick key -> nick as typed
    say_bucket: TokenBucket | None = None
    dm_bucket: TokenBucket | None = None
    started_ms: int = 0
    # Made on the first text: an empty deque is ~760 bytes, and most idle sessions never say
    # anything.
    last_texts: deque[tuple[int, str]] | None = None
    untrusted_bucket: TokenBucket | None = None
    join_part_bucket: TokenBucket | None = None  # made on the first join
    contacts: Contacts = field(default_factory=Contacts)
    trust: Trust = field(default_factory=Trust)
    # A conversation of theirs to a minor crossed the grooming line: no new conversation with a
    # minor until a moderator decides (core/grooming.py).
    is_paused_with_minors: bool = False
    # `profile.public()`, which every message and presence carries: built once, and again
    # whenever `profile` is replaced.
    user: PublicUser = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.user = self.profile.public()


@dataclass(frozen=True, slots=True)
class Peer:
    """The other side of a private message: a session, what anyone may see of them, and whether
    they block the sender."""

    session: str
    user: PublicUser
    blocks_sender: bool = False  # blocked or declined the sender
    dm_policy: DmPolicy = DmPolicy.EVERYONE
    shares_room: bool = False
    knows_sender: bool = False  # accepted the sender, or wrote to them


@dataclass(slots=True)
class RoomState:
    room: Room
    members: dict[str, None] = field(default_factory=dict)  # session ids, in order of arrival
    recent: deque[Message] = field(default_factory=deque)
    bucket: TokenBucket | None = None  # the whole room's flood limit
    version: int = 0  # changes of `members`: fan-out may reuse what it knew of the same list

    def add(self, session_id: str) -> None:
        self.members[session_id] = None
        self.version += 1

    def remove(self, session_id: str) -> None:
        if session_id in self.members:
            del self.members[session_id]
            self.version += 1


class Hub:
    def __init__(
        self,
        rooms: Iterable[Room],
        locate: Locator,
        config: HubConfig | None = None,
        ids: MessageIds | None = None,
    ) -> None:
        self.config = config or HubConfig()
        self._locate = locate
        self._ids = ids or MessageIds()
        self._rooms: dict[str, RoomState] = {}
        for room in sorted(rooms, key=lambda r: (r.position, r.id)):
            self._rooms[room.id] = RoomState(room, recent=deque(maxlen=self.config.history_on_join))
        self._visible: dict[tuple[AgeBand, bool], tuple[RoomState, ...]] = {}
        self.restrictions = Restrictions()
        self._blocking = 0  # how many blocks the connected sessions hold
        self.reviewer: TextReviewer = NoReview()
        self.watch: ConversationWatch = NoWatch()
        self._sessions: dict[str, Session] = {}
        self._nicks: dict[str, str] = {}  # nick key -> session id
        self._handlers: dict[type, Callable[[Session, Command, int], Outcome]] = {
            ListRooms: self._list_rooms,
            Join: self._join,
            Part: self._part,
            Say: self._say,
            SendDm: self._send_dm,
            FetchHistory: self._fetch_history,
            Block: self._block,
            Unblock: self._unblock,
            ChangeSettings: self._change_settings,
            AcceptDm: self._accept_dm,
            DeclineDm: self._decline_dm,
            Ping: lambda _s, _c, _n: Outcome(replies=[Ponged()]),
        }

    # -- queries the node needs -------------------------------------------------------------

    def session(self, session_id: str) -> Session | None:
        return self._sessions.get(session_id)

    def profile_of(self, session_id: str) -> Profile:
        """The profile of a connected session; `KeyError` for an unknown one (a caller bug)."""
        return self._sessions[session_id].profile

    def reserve(self, skeletons: frozenset[str]) -> None:
        """Staff names (as skeletons) nobody may take or imitate from now on."""
        if skeletons != self.config.reserved_skeletons:
            self.config = dataclasses.replace(self.config, reserved_skeletons=skeletons)

    @property
    def has_blocks(self) -> bool:
        """Whether anyone here blocks anyone (fan-out filters room messages only then)."""
        return self._blocking > 0

    def readers_of(self, room_id: str, sender_nick: str) -> Iterator[str]:
        """The members who may see a message from `sender_nick`: blocking hides each from the
        other, whoever blocked whom."""
        sender_key = nick_key(sender_nick)
        sender_id = self._nicks.get(sender_key)
        sender = self._sessions.get(sender_id) if sender_id else None
        for session_id in self.members_of(room_id):
            member = self._sessions[session_id]
            if sender_key in member.blocked:
                continue
            if sender is not None and nick_key(member.profile.nick) in sender.blocked:
                continue
            yield session_id

    def room(self, room_id: str) -> Room | None:
        state = self._rooms.get(room_id)
        return state.room if state else None

    def find_recent(self, message_id: int) -> Message | None:
        """A room message still in memory (the store may not have committed it yet)."""
        for state in self._rooms.values():
            for message in state.recent:
                if message.id == message_id:
                    return message
        return None

    def rooms_of(self, session_id: str) -> set[str]:
        return set(self._sessions[session_id].rooms)

    def members_of(self, room_id: str) -> Iterator[str]:
        state = self._rooms.get(room_id)
        return iter(state.members) if state else iter(())

    def members_version(self, room_id: str) -> int:
        """Changes whenever the room's members do (-1 for no such room)."""
        state = self._rooms.get(room_id)
        return state.version if state else -1

    def rooms(self) -> list[Room]:
        return [state.room for state in self._rooms.values()]

    def room_views(self, profile: Profile | None = None) -> tuple[RoomView, ...]:
        states = self._rooms.values() if profile is None else self._visible_to(profile)
        return tuple(RoomView(state.room, len(state.members)) for state in states)

    def _visible_to(self, profile: Profile) -> tuple[RoomState, ...]:
        """The rooms `profile` may see. Rooms are fixed once the hub is built and what one
        may see depends on the band and the age check only: decided once for each, not for
        every room of every welcome."""
        key = (profile.band, profile.is_age_verified)
        states = self._visible.get(key)
        if states is None:
            states = self._visible[key] = tuple(
                state for state in self._rooms.values() if can_see_room(profile, state.room)
            )
        return states

    def preload_history(self, room_id: str, messages: Iterable[Message]) -> None:
        """Fill a room's recent messages from the store at startup (oldest first)."""
        state = self._rooms.get(room_id)
        if state is None:
            return
        for message in messages:
            state.recent.append(message)
            self._ids.observe(message.id)

    def remember(self, message: Message) -> None:
        """A message posted on another node, as the broker delivered it: keep it in the room's
        recent history (once) and never issue a smaller id after it."""
        state = self._rooms.get(message.room)
        if state is None:
            return
        self._ids.observe(message.id)
        for known in reversed(state.recent):
            if known.id == message.id:
                return
        state.recent.append(message)

    def renumber(self, node: int) -> None:
        """Issue ids under another node number from now on (ids stay increasing)."""
        self._ids.renumber(node)

    def observe_id(self, message_id: int) -> None:
        self._ids.observe(message_id)

    # -- commands ----------------------------------------------------------------------------

    def hello(self, session_id: str, command: Hello, now_ms: int) -> Outcome:
        """Admit a person. Raises `CauserieError` with the offending `field`."""
        if session_id in self._sessions:
            raise CauserieError(ErrorCode.INVALID, "already_joined")
        profile = self._profile(command)
        key = nick_key(profile.nick)
        if key in self._nicks:
            raise CauserieError(ErrorCode.NICK_TAKEN, "nick_taken", field="nick")
        now_s = now_ms / 1000
        limits = self.config
        session = Session(
            session_id,
            profile,
            say_bucket=TokenBucket(limits.say_limit, now_s) if limits.say_limit else None,
            dm_bucket=TokenBucket(limits.dm_limit, now_s) if limits.dm_limit else None,
            started_ms=now_ms,
        )
        self._sessions[session_id] = session
        self._nicks[key] = session_id
        welcome = Welcomed(
            session_id,
            profile.public(),
            profile.band,
            self.room_views(profile),
            assurance=assurance.status_of(self.config.teen_assurance, profile),
        )
        return Outcome(replies=[welcome])

    def apply(self, session_id: str, command: Command, now_ms: int) -> Outcome:
        """Apply a command from a session that said hello.

        Raises:
            CauserieError: the refusal; nothing changed.
        """
        session = self._sessions.get(session_id)
        if session is None:
            raise CauserieError(ErrorCode.FORBIDDEN, "hello_first")
        handler = self._handlers.get(type(command))
        if handler is None:
            raise CauserieError(ErrorCode.INVALID, "unknown_type")
        return handler(session, command, now_ms)

    def leave(self, session_id: str) -> Outcome:
        """Forget a session whose connection ended; members of its rooms see it leave."""
        outcome = Outcome()
        session = self._sessions.pop(session_id, None)
        if session is None:
            return outcome
        self.restrictions.forget(session_id)
        self._blocking -= len(session.blocked)
        self._nicks.pop(nick_key(session.profile.nick), None)
        for room_id in sorted(session.rooms):
            self._rooms[room_id].remove(session_id)
            outcome.deliveries.append(
                (
                    ToRoom(room_id),
                    PresenceChanged(room_id, session.user, PresenceState.LEFT),
                )
            )
        return outcome

    # -- handlers ----------------------------------------------------------------------------

    def _profile(self, command: Hello) -> Profile:
        nick = validate_nick(command.nick, self.config.reserved_skeletons)
        try:
            gender = Gender(command.gender)
        except ValueError:
            raise CauserieError(ErrorCode.INVALID, "gender", field="gender") from None
        if command.age < self.config.min_age:
            raise CauserieError(
                ErrorCode.TOO_YOUNG, "too_young", field="age", min=self.config.min_age
            )
        if command.age > MAX_AGE:
            raise CauserieError(ErrorCode.INVALID, "age", field="age")
        place = self._locate(command.postcode.strip())
        if place is None:
            raise CauserieError(ErrorCode.INVALID, "postcode", field="postcode")
        lang = command.lang if command.lang in LANGS else "fr"
        return Profile(
            nick,
            gender,
            command.age,
            command.postcode.strip(),
            place.department,
            place.region,
            lang,
        )

    def _visible_room(self, session: Session, room_id: str) -> RoomState:
        state = self._rooms.get(room_id)
        # A room outside one's audience does not exist for them: the same answer, word for word.
        if state is None or not can_see_room(session.profile, state.room):
            raise CauserieError(ErrorCode.NOT_FOUND, "room_not_found", field="room")
        return state

    def _joined_room(self, session: Session, room_id: str) -> RoomState:
        state = self._visible_room(session, room_id)
        if session.id not in state.members:
            raise CauserieError(ErrorCode.FORBIDDEN, "not_in_room", field="room")
        return state

    def _list_rooms(self, session: Session, _command: Command, _now_ms: int) -> Outcome:
        return Outcome(replies=[RoomsListed(self.room_views(session.profile))])

    def _join(self, session: Session, command: Command, now_ms: int) -> Outcome:
        assert isinstance(command, Join)
        self._take_join_part(session, now_ms)
        state = self._visible_room(session, command.room)
        assurance.refuse_unless_may_join(self.config.teen_assurance, session.profile, state.room)
        outcome = Outcome()
        if session.id not in state.members:
            if len(session.rooms) >= self.config.max_rooms_per_session:
                raise CauserieError(
                    ErrorCode.INVALID,
                    "too_many_rooms",
                    field="room",
                    max=self.config.max_rooms_per_session,
                )
            state.add(session.id)
            session.rooms |= {state.room.id}
            outcome.deliveries.append(
                (
                    ToRoom(state.room.id),
                    PresenceChanged(state.room.id, session.user, PresenceState.JOINED),
                )
            )
        members = tuple(
            member
            for member in (self._sessions[sid].user for sid in state.members)
            if listed_in(state.room, member.age)
        )
        view = RoomView(state.room, len(state.members))
        history = tuple(m for m in state.recent if command.since is None or m.id > command.since)
        outcome.replies.append(Joined(view, members, history))
        return outcome

    def _part(self, session: Session, command: Command, now_ms: int) -> Outcome:
        assert isinstance(command, Part)
        self._take_join_part(session, now_ms)
        state = self._joined_room(session, command.room)
        state.remove(session.id)
        session.rooms -= {state.room.id}
        return Outcome(
            replies=[Parted(state.room.id)],
            deliveries=[
                (
                    ToRoom(state.room.id),
                    PresenceChanged(state.room.id, session.user, PresenceState.LEFT),
                )
            ],
        )

    def _take_join_part(self, session: Session, now_ms: int) -> None:
        """Every join or part request costs a token, whatever its answer, before anything is
        looked up: a flood gets `rate_limited`, the same for a room that exists or not."""
        limit = self.config.join_part_limit
        if limit is None:
            return
        if session.join_part_bucket is None:
            session.join_part_bucket = TokenBucket(limit, now_ms / 1000)
        wait_s = session.join_part_bucket.take(now_ms / 1000)
        if wait_s > 0:
            raise CauserieError(ErrorCode.RATE_LIMITED, "join_rate_limited", retry_after_s=wait_s)

    def _refuse_repeat(self, session: Session, text: str, now_ms: int) -> None:
        """The same text again and again is spam, whatever the pace."""
        if self.config.repeat_max is None or not text:
            return
        since_ms = now_ms - self.config.repeat_window_s * 1000
        folded = text.casefold()
        texts = session.last_texts
        if texts is None:
            texts = session.last_texts = deque(maxlen=8)
        repeats = sum(1 for at, seen in texts if at >= since_ms and seen == folded)
        if repeats >= self.config.repeat_max:
            raise CauserieError(
                ErrorCode.RATE_LIMITED,
                "repeated_message",
                field="text",
                retry_after_s=self.config.repeat_window_s,
            )
        texts.append((now_ms, folded))

    def _take_untrusted(self, session: Session, now_ms: int) -> None:
        """A new identity has tighter flood limits until it earned trust."""
        rule, limit = self.config.trust, self.config.untrusted_limit
        if rule is None or limit is None or session.trust.is_trusted(rule, now_ms):
            return
        if session.untrusted_bucket is None:
            session.untrusted_bucket = TokenBucket(limit, now_ms / 1000)
        self._take(session.untrusted_bucket, now_ms)

    def _take(self, bucket: TokenBucket | None, now_ms: int) -> None:
        if bucket is None:
            return
        wait_s = bucket.take(now_ms / 1000)
        if wait_s > 0:
            raise CauserieError(ErrorCode.RATE_LIMITED, "rate_limited", retry_after_s=wait_s)

    def _say(self, session: Session, command: Command, now_ms: int) -> Outcome:
        assert isinstance(command, Say)
        state = self._joined_room(session, command.room)
        if command.media is not None and not state.room.pictures:
            raise CauserieError(ErrorCode.FORBIDDEN, "pictures_not_allowed", field="media")
        text = self._text_of(command.text, command.media)
        self.restrictions.check_post(session.id, state.room.id, now_ms)
        self._check_trust(session, text, now_ms)
        review = self.reviewer.review(
            text,
            is_private=False,
            sender_is_minor=session.profile.is_minor,
            recipient_is_minor=state.room.audience is Audience.TEEN,
        )
        self._refuse_repeat(session, text, now_ms)
        self._take(session.say_bucket, now_ms)
        self._take_untrusted(session, now_ms)
        if self.config.room_limit is not None:
            if state.bucket is None:
                state.bucket = TokenBucket(self.config.room_limit, now_ms / 1000)
            self._take(state.bucket, now_ms)
        message = Message(
            self._ids.next_id(now_ms),
            state.room.id,
            session.user,
            text,
            now_ms,
            session.id,
            command.media,
        )
        outcome = self._reviewed(session, message, review)
        if state.room.audience is Audience.TEEN:
            self._watch_room_message(session, state, message, outcome, now_ms)
        if outcome.error is None:
            state.recent.append(message)
            self.restrictions.record_post(session.id, state.room.id, now_ms)
            session.trust.record_delivered(now_ms)
            outcome.deliveries.append((ToRoom(state.room.id), MessagePosted(message)))
            outcome.records.append(message)
        return outcome

    def _watch_room_message(
        self, session: Session, state: RoomState, message: Message, outcome: Outcome, now_ms: int
    ) -> None:
        """A teen-room message, as the grooming detector follows it: to each member it names,
        or to the room as a whole when it names nobody (core/grooming.py)."""
        sender_key = nick_key(session.profile.nick)

        def member_of(word: str) -> str | None:
            found = self._nicks.get(nick_key(word))
            return found if found is not None and found in state.members else None

        named = list(named_members(message.text, session.id, member_of))
        targets: list[tuple[PublicUser | None, str | None]] = [
            (self._sessions[sid].user, sid) for sid in named
        ] or [(None, None)]
        for user, target_session in targets:
            key = nick_key(user.nick) if user is not None else ROOM_KEY_PREFIX + state.room.id
            if watch_message(
                self.watch,
                outcome,
                sender_key=sender_key,
                recipient_key=key,
                recipient=user,
                recipient_session=target_session,
                message=message,
                now_ms=now_ms,
            ):
                session.is_paused_with_minors = True

    def pause_with_minors(self, session_id: str, is_paused: bool) -> None:
        """Pause (or let go again) a session's new conversations with minors: a moderator
        decided about the grooming alert, or a pause recorded for this person is in force."""
        session = self._sessions.get(session_id)
        if session is not None:
            session.is_paused_with_minors = is_paused

    def _text_of(self, raw: str, media: MediaRef | None) -> str:
        """The text to deliver; a picture may come without one."""
        if media is not None and not raw.strip():
            return ""
        return clean_text(raw, self.config.max_text_chars)

    def _check_trust(self, session: Session, text: str, now_ms: int) -> None:
        rule = self.config.trust
        if (
            rule is not None
            and not session.trust.is_trusted(rule, now_ms)
            and self.reviewer.has_link(text)
        ):
            raise CauserieError(ErrorCode.FORBIDDEN, "trust_links", field="text")

    def _reviewed(
        self, session: Session, message: Message | DirectMessage, review: Review
    ) -> Outcome:
        """What automatic moderation makes of a message (before it is delivered)."""
        outcome = Outcome()
        if review.action is ReviewAction.BLOCK:
            raise CauserieError(
                ErrorCode.FORBIDDEN, review.message_key or "automod_blocked", field="text"
            )
        is_held = review.action is ReviewAction.HOLD
        if is_held or review.action is ReviewAction.FLAG or review.also_flag:
            outcome.flags.append(
                Flag(review.rule or "automod", review.category, review.severity, message, is_held)
            )
        if is_held:
            outcome.error = CauserieError(ErrorCode.HELD_FOR_REVIEW, "held_for_review")
        elif review.action is ReviewAction.WARN:
            outcome.replies.append(
                Noticed(NoticeKind.MODERATION, review.message_key or "automod_warning")
            )
        if not is_held and (review.action is ReviewAction.NOTICE or review.also_notice):
            key = review.message_key if review.action is ReviewAction.NOTICE else None
            notice = Noticed(NoticeKind.SAFETY, key or "meeting_safety")
            outcome.deliveries.append((ToSession(session.id), notice))
            if isinstance(message, DirectMessage):
                outcome.deliveries.append((ToSession(message.recipient_session), notice))
        return outcome

    def is_connected_here(self, nick: str) -> bool:
        return nick_key(nick.strip()) in self._nicks

    def _send_dm(self, session: Session, command: Command, now_ms: int) -> Outcome:
        assert isinstance(command, SendDm)
        # Before the recipient is looked up: the same answer for every nickname.
        assurance.refuse_unless_may_write(self.config.teen_assurance, session.profile)
        recipient_id = self._nicks.get(nick_key(command.to.strip()))
        if recipient_id is None:
            raise nobody("to")
        recipient = self._sessions[recipient_id]
        sender_key = nick_key(session.profile.nick)
        peer = Peer(
            recipient.id,
            recipient.user,
            sender_key in recipient.blocked or sender_key in recipient.contacts.declined,
            recipient.contacts.policy,
            bool(session.rooms & recipient.rooms),
            recipient.contacts.knows(sender_key),
        )
        return self._dm_to(session, peer, command, now_ms)

    def send_dm_to_peer(self, session_id: str, command: SendDm, peer: Peer, now_ms: int) -> Outcome:
        """A private message to someone connected to another node (found by the caller).

        Raises:
            CauserieError: as for a local recipient.
        """
        session = self._sessions.get(session_id)
        if session is None:
            raise CauserieError(ErrorCode.FORBIDDEN, "hello_first")
        assurance.refuse_unless_may_write(self.config.teen_assurance, session.profile)
        return self._dm_to(session, peer, command, now_ms)

    def _dm_to(self, session: Session, peer: Peer, command: SendDm, now_ms: int) -> Outcome:
        if peer.session == session.id:
            raise CauserieError(ErrorCode.INVALID, "dm_self", field="to")
        # Someone of the other band is nobody here: `not_found`, as for a free nickname.
        refuse_unless_addressable(session.profile.age, peer.user.age, target=peer.user.nick)
        if nick_key(peer.user.nick) in session.blocked or peer.blocks_sender:
            raise CauserieError(ErrorCode.DM_BLOCKED, "dm_blocked", field="to")
        peer_key = nick_key(peer.user.nick)
        check_policy(peer.dm_policy, shares_room=peer.shares_room, is_known=peer.knows_sender)
        if not session.contacts.knows(peer_key) and not peer.knows_sender:
            wait_ms = session.started_ms + self.config.dm_wait_s * 1000 - now_ms
            if wait_ms > 0:
                raise CauserieError(ErrorCode.RATE_LIMITED, "dm_wait", retry_after_s=wait_ms / 1000)
        is_minor_recipient = age_band(peer.user.age) is AgeBand.TEEN
        if (
            is_minor_recipient
            and session.is_paused_with_minors
            and not session.contacts.knows(peer_key)
            and not peer.knows_sender
        ):
            raise CauserieError(ErrorCode.FORBIDDEN, "minor_contacts_paused", field="to")
        if (
            command.media is not None
            and is_minor_recipient
            and not peer.knows_sender
            and not self.config.minors_get_pictures_from_strangers
        ):
            raise CauserieError(ErrorCode.FORBIDDEN, "pictures_from_strangers", field="media")
        text = self._text_of(command.text, command.media)
        self.restrictions.check_post(session.id, None, now_ms)
        self._check_trust(session, text, now_ms)
        review = self.reviewer.review(
            text,
            is_private=True,
            sender_is_minor=session.profile.is_minor,
            recipient_is_minor=is_minor_recipient,
        )
        self._take(session.dm_bucket, now_ms)
        dm = DirectMessage(
            self._ids.next_id(now_ms),
            session.user,
            peer.user,
            text,
            now_ms,
            session.id,
            peer.session,
            command.media,
        )
        outcome = self._reviewed(session, dm, review)
        if is_minor_recipient and watch_message(
            self.watch,
            outcome,
            sender_key=nick_key(session.profile.nick),
            recipient_key=peer_key,
            recipient=peer.user,
            recipient_session=peer.session,
            message=dm,
            now_ms=now_ms,
        ):
            session.is_paused_with_minors = True
        if outcome.error is None:
            session.contacts.accept(peer_key)  # writing to someone accepts their replies
            session.trust.record_delivered(now_ms)
            event = DmSent(dm)
            outcome.deliveries += [(ToSession(peer.session), event), (ToSession(session.id), event)]
            outcome.records.append(dm)
        return outcome

    def is_new_conversation(self, session_id: str, nick: str) -> bool:
        """Whether a private message to `nick` would open a conversation (for the node's
        per-device limit on new conversations)."""
        session = self._sessions.get(session_id)
        key = nick_key(nick.strip())
        if session is None or session.contacts.knows(key):
            return False
        recipient_id = self._nicks.get(key)
        recipient = self._sessions.get(recipient_id) if recipient_id else None
        return not (recipient and recipient.contacts.knows(nick_key(session.profile.nick)))

    def arrival(self, session_id: str, sender_nick: str) -> Arrival:
        """How a private message from `sender_nick` reaches this session: as a message, as a
        request from a stranger (masked), or not at all (declined)."""
        session = self._sessions.get(session_id)
        if session is None:
            return Arrival.DROP
        return session.contacts.arrival_from(nick_key(sender_nick))

    def _change_settings(self, session: Session, command: Command, _now_ms: int) -> Outcome:
        assert isinstance(command, ChangeSettings)
        try:
            session.contacts.policy = DmPolicy(command.dm_policy)
        except ValueError:
            raise CauserieError(ErrorCode.INVALID, "dm_policy", field="dm_policy") from None
        return Outcome(replies=[SettingsChanged(session.contacts.policy.value)])

    def _accept_dm(self, session: Session, command: Command, _now_ms: int) -> Outcome:
        assert isinstance(command, AcceptDm)
        session.contacts.accept(nick_key(command.nick.strip()))
        return Outcome(replies=[DmAccepted(command.nick.strip())])

    def _decline_dm(self, session: Session, command: Command, _now_ms: int) -> Outcome:
        assert isinstance(command, DeclineDm)
        session.contacts.decline(nick_key(command.nick.strip()))
        return Outcome(replies=[DmDeclined(command.nick.strip())])

    # -- what moderators do (called by the node's moderation service) -----------------------

    def session_of_nick(self, nick: str) -> str | None:
        return self._nicks.get(nick_key(nick.strip()))

    def mute(self, session_id: str, room: str | None, until_ms: int | None) -> None:
        self.restrictions.mute(session_id, room, until_ms)

    def remove_from_room(self, session_id: str, room_id: str) -> Outcome:
        """Take someone out of a room (kick or room ban); their rooms see them leave."""
        session = self._sessions.get(session_id)
        state = self._rooms.get(room_id)
        if session is None or state is None or session_id not in state.members:
            return Outcome()
        return self._part(session, Part(room_id), 0)

    def delete_message(self, message_id: int) -> Outcome:
        """Remove a room message from what people see; the store keeps it for its report."""
        for state in self._rooms.values():
            kept = [m for m in state.recent if m.id != message_id]
            if len(kept) != len(state.recent):
                state.recent.clear()
                state.recent.extend(kept)
                return Outcome(
                    deliveries=[(ToRoom(state.room.id), MessageDeleted(state.room.id, message_id))]
                )
        return Outcome()

    def restrict_room(
        self, room_id: str, *, locked: bool | None = None, slow_mode_s: float | None = None
    ) -> Outcome:
        if room_id not in self._rooms:
            raise CauserieError(ErrorCode.NOT_FOUND, "room_not_found", field="room")
        state = self.restrictions.room(room_id)
        if locked is not None:
            state.locked = locked
        if slow_mode_s is not None:
            state.set_slow_mode(slow_mode_s)  # clamped: a stored value never breaks a message
        event = RoomStateChanged(room_id, state.locked, state.slow_mode_s)
        return Outcome(deliveries=[(ToRoom(room_id), event)])

    def verify_age(self, session_id: str) -> Outcome:
        """A provider vouched that this person is an adult: adult_verified rooms open."""
        session = self._sessions[session_id]
        if session.profile.is_minor:
            raise CauserieError(ErrorCode.AGE_RESTRICTED, "age_verify_minor")
        session.profile = dataclasses.replace(session.profile, is_age_verified=True)
        session.user = session.user
        return Outcome(replies=[AgeVerified(self.room_views(session.profile))])

    def assure_age(self, session_id: str) -> Outcome:
        """A provider vouched that this minor is under 18: what `teen_assurance` gates opens.
        Raises `age_restricted` for an adult (the proof is for the teen space)."""
        session = self._sessions[session_id]
        session.profile = assurance.assured(session.profile)
        return Outcome(replies=[AgeAssured(self.room_views(session.profile))])

    def _fetch_history(self, session: Session, command: Command, _now_ms: int) -> Outcome:
        assert isinstance(command, FetchHistory)
        state = self._joined_room(session, command.room)
        if not 1 <= command.limit <= MAX_HISTORY_LIMIT:
            raise CauserieError(
                ErrorCode.INVALID, "history_limit", field="limit", max=MAX_HISTORY_LIMIT
            )
        recent = list(state.recent)
        if command.before is not None:
            recent = [m for m in recent if m.id < command.before]
        # Recent messages answer from memory while they cover the request, the store otherwise.
        covered = len(recent) > command.limit or (
            len(recent) == len(state.recent) and len(recent) < (state.recent.maxlen or 0)
        )
        if covered:
            page = recent[-command.limit :]
            more = len(recent) > command.limit
            return Outcome(replies=[HistoryLoaded(state.room.id, tuple(page), more)])
        return Outcome(query=HistoryQuery(state.room.id, command.before, command.limit))

    def _block(self, session: Session, command: Command, _now_ms: int) -> Outcome:
        assert isinstance(command, Block)
        nick = command.nick.strip()
        key = nick_key(nick)
        if not nick or key == nick_key(session.profile.nick):
            raise CauserieError(ErrorCode.INVALID, "block_self", field="nick")
        if key not in session.blocked:
            self._blocking += 1
        session.blocked[key] = nick
        return Outcome(replies=[BlocksListed(tuple(session.blocked.values()))])

    def _unblock(self, session: Session, command: Command, _now_ms: int) -> Outcome:
        assert isinstance(command, Unblock)
        if session.blocked.pop(nick_key(command.nick.strip()), None) is not None:
            self._blocking -= 1
        return Outcome(replies=[BlocksListed(tuple(session.blocked.values()))])
