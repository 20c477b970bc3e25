"""`Continuity`: the resume secret, and what a person finds again when they come back.

How this works:

- every WebSocket `welcome` carries a new `resume_token`, 24 random bytes; the connection
  record keeps only its SHA-256 (`resume_sha256`), with the record's device cookie and its
  person (the first session of the chain of resumes).
- a `hello` with `resume {session, resume_token}` is a resume only when, in this order: the
  session's record exists, the token hashes to the digest it still holds (a token is spent by
  its first use, and each welcome's token is new: an older one hashes to nothing stored), the
  connection sends the same device cookie as the record, and the session may still be taken
  up: live here or on another node (its nickname claim names it; the client saw the loss before
  the server did), away on this node within the grace, or ended within `resume_until_ms`. Then
  the digest is spent by one conditional UPDATE, so that two attempts with one token cannot
  both pass. Anything else is `resume_refused` and changes nothing: the live session stays.
- a `resume {session}` without a token (clients before the secret) is honoured only for a
  session away on this node (its connection is already gone) and from the same device cookie;
  otherwise it is a plain `hello`.
- after the resumed session's `welcome`, its private messages after `resume.last_dm_id` come
  again from the store, as they arrive to it now: its own as sent, others' as `dm` or, from
  someone it has not accepted, as a masked `dm_request`; none from someone it blocks or
  declined.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from causerie.core.carried import Carried
from causerie.core.commands import Hello
from causerie.core.conversations import Arrival
from causerie.core.events import DmRequested, DmSent, Event
from causerie.core.hub import Hub
from causerie.core.messages import DirectMessage
from causerie.core.policy.nicknames import nick_key
from causerie.errors import CauserieError, ErrorCode
from causerie.node.connections import Connection
from causerie.node.ports import Clock
from causerie.store.base import token_digest
from causerie.store.continuity import ResumeRecord

log = logging.getLogger(__name__)
REPLAY_LIMIT = 1000  # private messages a resume may bring back


class ContinuityStore(Protocol):
    async def resume_record(self, session: str) -> ResumeRecord | None: ...

    async def spend_resume(self, session: str, resume_sha256: str) -> bool: ...

    async def forget_resume(self, session: str) -> None: ...

    async def keep_for_resume(self, kept: Sequence[tuple[str, int, str]]) -> None: ...

    async def extend_resume(self, sessions: Sequence[str], until_ms: int) -> None: ...

    async def resumable(self, now_ms: int) -> list[ResumeRecord]: ...

    async def private_messages_of(
        self, person: str, after_id: int, limit: int
    ) -> list[DirectMessage]: ...


class NickHolders(Protocol):
    async def holder_of(self, nick: str) -> str | None:
        """The session that holds a nickname on any node (None: nobody, or not known)."""


@dataclass(frozen=True, slots=True)
class Grant:
    """A resume the node carries out: the session taken up, its person, and what it carried
    (from the store; a session away on this node is handed over whole instead)."""

    previous: str
    person: str
    carried: Carried = field(default_factory=Carried)
    is_same_profile: bool = True  # the hello declares what the session declared


@dataclass(slots=True)
class Identity:
    """What this node remembers of each of its sessions, live or away."""

    person: str
    device: str
    away_until_ms: int | None = None  # away since its connection was lost, until then


def refused() -> CauserieError:
    return CauserieError(ErrorCode.RESUME_REFUSED, "resume_refused", field="resume")


class Continuity:
    """Args:
    hub: the sessions here (a replay reads the resumed session's contacts and blocks).
    store: the connection records and private messages.
    holders: who holds a nickname across nodes (None on a single node).
    clock: the time.
    grace_s: how long a session lost without a quit may be resumed.
    """

    def __init__(
        self,
        *,
        hub: Hub,
        store: ContinuityStore,
        holders: NickHolders | None,
        clock: Clock,
        grace_s: float,
    ) -> None:
        self._hub = hub
        self._store = store
        self._holders = holders
        self._clock = clock
        self.grace_ms = int(grace_s * 1000)
        self.known: dict[str, Identity] = {}

    @staticmethod
    def issue() -> tuple[str, str]:
        """A new resume secret and the digest the record keeps."""
        token = secrets.token_urlsafe(24)
        return token, token_digest(token)

    def is_away(self, session: str) -> bool:
        identity = self.known.get(session)
        return identity is not None and identity.away_until_ms is not None

    async def check(
        self, connection: Connection, hello: Hello, is_live_here: Callable[[str], bool]
    ) -> Grant | None:
        """The resume a `hello` asks for, if it may be carried out (see the module).

        Raises:
            CauserieError: `resume_refused`; nothing was spent or changed.
        """
        resume = hello.resume
        if resume is None or not resume.session:
            return None
        previous = resume.session
        device = connection.peer.device
        if not resume.token:  # a client from before the secret
            identity = self.known.get(previous)
            if identity is None or identity.away_until_ms is None or not device:
                return None
            if identity.device != device:
                return None
            record = await self._store.resume_record(previous)
            if record is None:
                return None
            return Grant(previous, identity.person, is_same_profile=_same(record, hello))
        record = await self._store.resume_record(previous)
        digest = token_digest(resume.token)
        if record is None or record.resume_sha256 is None:
            raise refused()
        if not secrets.compare_digest(record.resume_sha256, digest):
            raise refused()
        if not device or not secrets.compare_digest(record.device, device):
            raise refused()
        if not await self._may_take_up(record, is_live_here):
            raise refused()
        if not await self._store.spend_resume(previous, digest):
            raise refused()  # spent meanwhile by another attempt
        return Grant(
            previous,
            record.person,
            Carried.from_json(record.carried),
            is_same_profile=_same(record, hello),
        )

    async def _may_take_up(self, record: ResumeRecord, is_live_here: Callable[[str], bool]) -> bool:
        now_ms = self._clock.now_ms()
        session = record.session
        if is_live_here(session):
            return True
        identity = self.known.get(session)
        if identity is not None and identity.away_until_ms is not None:
            return now_ms <= identity.away_until_ms
        if record.resume_until_ms is not None and now_ms <= record.resume_until_ms:
            return True
        if record.disconnected_at_ms is None and self._holders is not None:
            return await self._holders.holder_of(record.nick) == session  # live elsewhere
        return False

    async def keep(self, sessions: Sequence[str], now_ms: int) -> None:
        """These sessions may be resumed for the grace from now: what each carries goes to
        its record (for another node, or this one after a restart)."""
        until_ms = now_ms + self.grace_ms
        kept = []
        for session in sessions:
            if self._hub.session(session) is not None:
                kept.append((session, until_ms, self._hub.carried(session).to_json()))
        await self._store.keep_for_resume(kept)

    async def extend_forever(self, live: Callable[[], list[str]]) -> None:
        """Say every third of the grace that the `live` sessions live (see `extend_resume`)."""
        interval_s = max(1.0, self.grace_ms / 3000)
        while True:
            await asyncio.sleep(interval_s)
            sessions = [s for s in live() if s in self.known]
            try:
                await self._store.extend_resume(sessions, self._clock.now_ms() + self.grace_ms)
            except Exception as exc:  # the next round says it again
                log.warning("resume secrets not extended: %s", exc)

    async def forget(self, session: str) -> None:
        """A session ended for good: it can no longer be resumed, on any node."""
        self.known.pop(session, None)
        try:
            await self._store.forget_resume(session)
        except Exception as exc:  # its secret still expires with its grace
            log.warning("resume secret of %s not forgotten: %s", session, exc)

    async def resumable(self) -> list[ResumeRecord]:
        return await self._store.resumable(self._clock.now_ms())

    async def replay(self, session: str, person: str, after_id: int) -> list[Event]:
        """The private messages of `person` after `after_id`, as `session` receives them now."""
        hub = self._hub
        me = hub.session(session)
        if me is None:
            return []
        try:
            messages = await self._store.private_messages_of(person, after_id, REPLAY_LIMIT)
        except Exception as exc:  # the welcome stands; the client keeps what it had
            log.warning("private messages of %s not replayed: %s", session, exc)
            return []
        mine = nick_key(me.profile.nick)
        events: list[Event] = []
        for dm in messages:
            sender_key = nick_key(dm.sender.nick)
            if sender_key == mine and nick_key(dm.recipient.nick) != mine:
                events.append(DmSent(dm))
                continue
            if sender_key in me.blocked:
                continue
            arrival = hub.arrival(session, dm.sender.nick)
            if arrival is Arrival.DELIVER:
                events.append(DmSent(dm))
            elif arrival is Arrival.REQUEST:
                events.append(DmRequested(_masked(hub, dm)))
        return events


def _masked(hub: Hub, dm: DirectMessage) -> DirectMessage:
    return dataclasses.replace(dm, text=hub.reviewer.mask(dm.text))


def _same(record: ResumeRecord, hello: Hello) -> bool:
    """Whether a resume declares the profile of the session it takes up."""
    return (
        nick_key(record.nick) == nick_key(hello.nick.strip())
        and record.gender == hello.gender
        and record.age == hello.age
        and record.postcode == hello.postcode.strip()
    )
