"""Who is connected to this node: sessions, their profiles and the nickname index.

`Sessions` admits a person (validates what they declared at hello: nickname, gender, age,
postal code, language), keeps one `Session` record per connection and the index from nickname
key to session, and forgets them when they leave. The rule it keeps: a nickname key belongs to
at most one connected session, and no nickname imitates a reserved staff name.

The `Session` record is the per-person state every part of the hub reads; each field is written
by the one part named beside it, so that a part's rule is found in that part. Other parts read
sessions through `by_id` and `by_nick_key`, read-only views of the same dicts (no copy, no call
per member on the fan-out path). Pure: callers pass `now_ms`.
"""

from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field

from causerie.core.commands import Hello
from causerie.core.conversations import Contacts
from causerie.core.hub.config import LANGS, HubConfig, Locator
from causerie.core.policy import assurance
from causerie.core.policy.nicknames import nick_key, validate_nick
from causerie.core.policy.ratelimits import TokenBucket
from causerie.core.policy.trust import Trust
from causerie.core.users import MAX_AGE, Gender, Profile, PublicUser
from causerie.errors import CauserieError, ErrorCode


@dataclass(slots=True)
class Session:
    id: str
    profile: Profile  # Sessions (hello, age verification and assurance)
    # Membership: replaced on join and part (a frozenset is 216 bytes less than a set when idle).
    rooms: frozenset[str] = frozenset()
    blocked: dict[str, str] = field(default_factory=dict)  # PrivateConversations: key -> nick
    say_bucket: TokenBucket | None = None  # RoomMessages (made at hello from the settings)
    dm_bucket: TokenBucket | None = None  # PrivateConversations (made at hello)
    started_ms: int = 0
    # RoomMessages, made on the first text: an empty deque is ~760 bytes, and most idle sessions
    # never say anything.
    last_texts: deque[tuple[int, str]] | None = None
    untrusted_bucket: TokenBucket | None = None  # RoomMessages, made on the first message
    join_part_bucket: TokenBucket | None = None  # Membership, made on the first join
    member_join_bucket: TokenBucket | None = None  # Membership, on the first member room
    contacts: Contacts = field(default_factory=Contacts)  # PrivateConversations
    trust: Trust = field(default_factory=Trust)  # messages delivered, room or private
    # PrivateConversations: a conversation of theirs to a minor crossed the grooming line: no
    # new conversation with a minor until a moderator decides (core/grooming.py).
    is_paused_with_minors: bool = False
    # TypingSignals: when each target (room or person) last got a typing signal; made on the
    # first one.
    typing_at: dict[str, int] | None = None
    # The earlier sessions of this person (resumed here as this one, or carried from another
    # node): what they sent is this person's own (deleting it, quoting a private message).
    former_ids: frozenset[str] = frozenset()

    def is_own(self, session_id: str) -> bool:
        """Whether `session_id` is this person's: this session or one it resumed."""
        return session_id == self.id or session_id in self.former_ids

    # `profile.public()`, which every message and presence carries: built once, and again
    # whenever `profile` is replaced with a different public view.
    user: PublicUser = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.user = self.profile.public()


class Sessions:
    """The connected sessions of one node and their nickname index."""

    def __init__(self, locate: Locator, config: HubConfig) -> None:
        self._locate = locate
        self._config = config
        self._reserved = config.reserved_skeletons
        self._by_id: dict[str, Session] = {}
        self._by_nick: dict[str, str] = {}  # nick key -> session id

    @property
    def by_id(self) -> Mapping[str, Session]:
        """Session id -> session, read-only (the same dict, kept current)."""
        return self._by_id

    @property
    def by_nick_key(self) -> Mapping[str, str]:
        """Nickname key (`nick_key`) -> session id, read-only."""
        return self._by_nick

    def get(self, session_id: str) -> Session | None:
        return self._by_id.get(session_id)

    def profile_of(self, session_id: str) -> Profile:
        """The profile of a connected session; `KeyError` for an unknown one (a caller bug)."""
        return self._by_id[session_id].profile

    def session_of_nick(self, nick: str) -> str | None:
        return self._by_nick.get(nick_key(nick.strip()))

    def is_connected_here(self, nick: str) -> bool:
        return nick_key(nick.strip()) in self._by_nick

    @property
    def reserved_skeletons(self) -> frozenset[str]:
        return self._reserved

    def reserve(self, skeletons: frozenset[str]) -> None:
        """Staff names (as skeletons) nobody may take or imitate from now on."""
        self._reserved = skeletons

    def admit(self, session_id: str, command: Hello, now_ms: int) -> Session:
        """A new session for what `command` declares.

        Raises:
            CauserieError: `already_joined` for a session that said hello; otherwise the
                offending `field` (nickname taken or invalid, gender, age, postal code).
        """
        if session_id in self._by_id:
            raise CauserieError(ErrorCode.INVALID, "already_joined")
        profile = self._profile(command)
        key = nick_key(profile.nick)
        if key in self._by_nick:
            raise CauserieError(ErrorCode.NICK_TAKEN, "nick_taken", field="nick")
        now_s = now_ms / 1000
        limits = self._config
        session = Session(
            session_id,
            profile,
            say_bucket=TokenBucket(limits.say_limit, now_s) if limits.say_limit else None,
            dm_bucket=TokenBucket(limits.dm_limit, now_s) if limits.dm_limit else None,
            started_ms=now_ms,
        )
        self._by_id[session_id] = session
        self._by_nick[key] = session_id
        return session

    def remove(self, session_id: str) -> Session | None:
        """Forget a session and free its nickname; None if it was not here."""
        session = self._by_id.pop(session_id, None)
        if session is not None:
            self._by_nick.pop(nick_key(session.profile.nick), None)
        return session

    def rekey(self, old_id: str, new_id: str) -> Session:
        """The session `old_id` goes on as `new_id` (a resume on this node): the same record,
        its nickname kept without a moment free."""
        session = self._by_id.pop(old_id)
        session.former_ids |= {old_id}
        session.id = new_id
        session.join_part_bucket = None  # its rooms are rejoined, as a new session's were
        self._by_id[new_id] = session
        self._by_nick[nick_key(session.profile.nick)] = new_id
        return session

    def verify_age(self, session_id: str) -> Profile:
        """A provider vouched that this person is an adult: their profile says so from now on.

        Raises:
            CauserieError: `age_restricted` for a minor.
        """
        session = self._by_id[session_id]
        if session.profile.is_minor:
            raise CauserieError(ErrorCode.AGE_RESTRICTED, "age_verify_minor")
        # The public view does not show the check: `session.user` stays as it is.
        session.profile = dataclasses.replace(session.profile, is_age_verified=True)
        return session.profile

    def assure_age(self, session_id: str) -> Profile:
        """A provider vouched that this minor is under 18.

        Raises:
            CauserieError: `age_restricted` for an adult (the proof is for the teen space).
        """
        session = self._by_id[session_id]
        session.profile = assurance.assured(session.profile)
        return session.profile

    def _profile(self, command: Hello) -> Profile:
        nick = validate_nick(command.nick, self._reserved)
        try:
            gender = Gender(command.gender)
        except ValueError:
            raise CauserieError(ErrorCode.INVALID, "gender", field="gender") from None
        min_age = self._config.min_age
        if command.age < min_age:
            raise CauserieError(ErrorCode.TOO_YOUNG, "too_young", field="age", min=min_age)
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
