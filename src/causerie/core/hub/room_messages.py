"""Messages posted in rooms: the checks a `say` passes, and history requests.

`RoomMessages` decides whether a member's message is posted and what follows: it is the hot
path of a chat server, one call per line anyone types. The order of the checks decides which
refusal a message gets, and is kept: membership of the room, pictures allowed there, the text,
moderators' restrictions (mute, locked room, slow mode), trust (no links yet), the same text
repeated, the sender's bucket, the tighter bucket of an identity not yet trusted, the room's
bucket (all senders), and last automatic moderation's verdict (asked before the repeat check,
acted on once the buckets took their tokens). A teen room's message then goes past the grooming
detector, per member it names or to the room as a whole (core/grooming.py). Only a message
nothing held is delivered, kept in the room's recent history and counted towards trust. It
holds the rooms' flood buckets; the per-sender state is on the `Session`. Pure: callers pass
`now_ms`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from causerie.core.commands import FetchHistory, Say
from causerie.core.events import MessagePosted, Outcome, ToRoom
from causerie.core.grooming import ROOM_KEY_PREFIX, named_members, watch_message
from causerie.core.hub.config import HubConfig
from causerie.core.hub.history import RecentHistory
from causerie.core.hub.membership import Membership, RoomState
from causerie.core.hub.replies import room_quote
from causerie.core.hub.screening import Screening, take_token
from causerie.core.hub.sessions import Session, Sessions
from causerie.core.messages import Message, MessageIds
from causerie.core.policy import member_rooms
from causerie.core.policy.nicknames import nick_key
from causerie.core.policy.ratelimits import TokenBucket
from causerie.core.policy.watch import ConversationWatch
from causerie.core.restrictions import Restrictions
from causerie.core.rooms import Audience
from causerie.core.users import PublicUser
from causerie.errors import CauserieError, ErrorCode


class RoomMessages:
    """Room messages of one node: `say` and `fetch_history`."""

    def __init__(
        self,
        sessions: Sessions,
        membership: Membership,
        history: RecentHistory,
        screening: Screening,
        restrictions: Restrictions,
        watch: ConversationWatch,
        ids: MessageIds,
        config: HubConfig,
    ) -> None:
        self._sessions = sessions.by_id
        self._nicks = sessions.by_nick_key
        self._membership = membership
        self._history = history
        self._screening = screening
        self._restrictions = restrictions
        self._watch = watch
        self._ids = ids
        self._config = config
        self._room_buckets: dict[str, TokenBucket] = {}  # the whole room's flood limit

    def say(self, session: Session, command: Say, now_ms: int) -> Outcome:
        state = self._membership.joined(session, command.room)
        room = state.room
        if room.modes.moderated:
            member_rooms.refuse_unless_may_speak(room, session.profile.nick)
        if command.media is not None and not room.pictures:
            raise CauserieError(ErrorCode.FORBIDDEN, "pictures_not_allowed", field="media")
        quote = room_quote(command.reply_to, command.quoted, room.id, self._hider_of(session))
        screening = self._screening
        text = screening.text_of(command.text, command.media)
        self._restrictions.check_post(session.id, room.id, now_ms)
        screening.check_trust(session, text, now_ms)
        review = screening.reviewer.review(
            text,
            is_private=False,
            sender_is_minor=session.profile.is_minor,
            recipient_is_minor=room.audience is Audience.TEEN,
        )
        self._refuse_repeat(session, text, now_ms)
        take_token(session.say_bucket, now_ms)
        self._take_untrusted(session, now_ms)
        self._take_room(room.id, now_ms)
        # Only a text the flood limits let through counts as said: someone told to wait who
        # sends the same line again is not repeating it.
        self._record_text(session, text, now_ms)
        message = Message(
            self._ids.next_id(now_ms),
            room.id,
            session.user,
            text,
            now_ms,
            session.id,
            command.media,
            quote,
            is_notice=command.is_notice,
        )
        outcome = screening.outcome_of(session, message, review)
        if room.audience is Audience.TEEN:
            self._watch_room_message(session, state, message, outcome, now_ms)
        if outcome.error is None:
            self._history.add(message)
            self._restrictions.record_post(session.id, room.id, now_ms)
            session.trust.record_delivered(now_ms)
            outcome.deliveries.append((ToRoom(room.id), MessagePosted(message)))
            outcome.records.append(message)
        return outcome

    def _hider_of(self, session: Session) -> Callable[[str], bool]:
        """Whether a block hides an author's messages from `session`, whoever blocked whom."""

        def is_hidden(nick: str) -> bool:
            key = nick_key(nick)
            if key in session.blocked:
                return True
            author_id = self._nicks.get(key)
            author = self._sessions.get(author_id) if author_id is not None else None
            return author is not None and nick_key(session.profile.nick) in author.blocked

        return is_hidden

    def fetch_history(self, session: Session, command: FetchHistory, _now_ms: int) -> Outcome:
        """A page of a room's history for one of its members: from memory, or a query."""
        state = self._membership.joined(session, command.room)
        return self._history.page(state.room.id, command.before, command.limit)

    def _refuse_repeat(self, session: Session, text: str, now_ms: int) -> None:
        """The same text again and again is spam, whatever the pace."""
        config = self._config
        if config.repeat_max is None or not text:
            return
        since_ms = now_ms - config.repeat_window_s * 1000
        folded = text.casefold()
        texts = session.last_texts or ()
        repeats = sum(1 for at, seen in texts if at >= since_ms and seen == folded)
        if repeats >= config.repeat_max:
            raise CauserieError(
                ErrorCode.RATE_LIMITED,
                "repeated_message",
                field="text",
                retry_after_s=config.repeat_window_s,
            )

    def _record_text(self, session: Session, text: str, now_ms: int) -> None:
        if self._config.repeat_max is None or not text:
            return
        if session.last_texts is None:
            session.last_texts = deque(maxlen=8)
        session.last_texts.append((now_ms, text.casefold()))

    def _take_untrusted(self, session: Session, now_ms: int) -> None:
        """A new identity has tighter flood limits until it earned trust."""
        rule, limit = self._config.trust, self._config.untrusted_limit
        if rule is None or limit is None or session.trust.is_trusted(rule, now_ms):
            return
        if session.untrusted_bucket is None:
            session.untrusted_bucket = TokenBucket(limit, now_ms / 1000)
        take_token(session.untrusted_bucket, now_ms)

    def _take_room(self, room_id: str, now_ms: int) -> None:
        """The room's own flood limit, whoever posts: made on the room's first message."""
        limit = self._config.room_limit
        if limit is None:
            return
        bucket = self._room_buckets.get(room_id)
        if bucket is None:
            bucket = self._room_buckets[room_id] = TokenBucket(limit, now_ms / 1000)
        take_token(bucket, now_ms)

    def _watch_room_message(
        self, session: Session, state: RoomState, message: Message, outcome: Outcome, now_ms: int
    ) -> None:
        """A teen-room message, as the grooming detector follows it: to each member it names,
        or to the room as a whole when it names nobody (core/grooming.py)."""
        sender_key = nick_key(session.profile.nick)
        members = state.members

        def member_of(word: str) -> str | None:
            found = self._nicks.get(nick_key(word))
            return found if found is not None and found in members else None

        named = list(named_members(message.text, session.id, member_of))
        targets: list[tuple[PublicUser | None, str | None]] = [
            (self._sessions[sid].user, sid) for sid in named
        ] or [(None, None)]
        for user, target_session in targets:
            key = nick_key(user.nick) if user is not None else ROOM_KEY_PREFIX + state.room.id
            if watch_message(
                self._watch,
                outcome,
                sender_key=sender_key,
                recipient_key=key,
                recipient=user,
                recipient_session=target_session,
                message=message,
                now_ms=now_ms,
            ):
                session.is_paused_with_minors = True
