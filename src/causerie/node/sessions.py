"""`Sessions`: how a connection becomes a person in the chat and stops being one.

How a `hello` is admitted, in this order (each refusal leaves nothing behind):

1. not twice on one connection (`invalid`), not while the node is not ready (`unavailable`);
2. the address's and device's login buckets (node/admission.py): past them the refusal is said
   and the connection closed (4005), since a client may come back later;
3. a site ban on the session resumed, the device or the address (`banned`);
4. a `resume` of a session still open here: the old connection leaves (4002);
5. the hub's rules (nickname, age, postal code…), then the teen space's (a device moved out of
   it, a device changing band: node/teen_space.py);
6. with several nodes, the nickname claimed on all of them (a resume takes its own back);
7. the teen's assurance status in the welcome (node/assurance.py);
8. the connection record stored (the law's record comes before the chat: `unavailable` if
   the store does not take it);
9. then the session is live: in the table, subscribed to its channel, welcomed; a minor's
   address weighed in the background (node/signals.py).

`hello` returns the `resume` asked for, whose rooms the caller rejoins (node/router.py).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import secrets
from contextlib import suppress

from causerie.broker.base import BrokerUnavailable, session_channel
from causerie.core.carried import Carried
from causerie.core.commands import Hello, Resume
from causerie.core.events import Outcome, Welcomed
from causerie.core.hub import Hub
from causerie.core.policy.bans import BanScope
from causerie.core.policy.nicknames import nick_key
from causerie.errors import CauserieError, ErrorCode
from causerie.node.admission import NEW_DEVICE_PREFIX, Admission
from causerie.node.assurance import TeenAssurance
from causerie.node.bans import BanKeeper
from causerie.node.cluster import Cluster
from causerie.node.connections import (
    CLOSE_RESTART,
    CLOSE_TAKEN_OVER,
    CLOSE_TOO_MANY,
    CLOSE_TOO_SLOW,
    Connection,
)
from causerie.node.continuity import Continuity, Grant, Identity
from causerie.node.metrics import NodeMetrics
from causerie.node.moderation.desk import StaffDesk
from causerie.node.ports import Clock, Health, Spawn, Subscriptions
from causerie.node.publisher import Publisher
from causerie.node.replies import Replies
from causerie.node.session_table import SessionTable
from causerie.node.signals import AdultSignals
from causerie.node.teen_space import TeenSpace
from causerie.node.writer import BatchWriter
from causerie.store.base import ConnectionRecord, token_digest
from causerie.wire.commands import RequestId

log = logging.getLogger(__name__)
LANGS = ("fr", "en")


class Sessions:
    def __init__(
        self,
        *,
        hub: Hub,
        table: SessionTable,
        replies: Replies,
        publisher: Publisher,
        subscriptions: Subscriptions,
        admission: Admission,
        bans: BanKeeper,
        teen_space: TeenSpace,
        assurance: TeenAssurance,
        signals: AdultSignals,
        cluster: Cluster | None,
        arrivals: BatchWriter[ConnectionRecord],
        departures: BatchWriter[tuple[str, int]],
        desk: StaffDesk,
        continuity: Continuity,
        metrics: NodeMetrics,
        clock: Clock,
        health: Health,
        spawn: Spawn,
    ) -> None:
        self._hub = hub
        self._table = table
        self._replies = replies
        self._publisher = publisher
        self._subscriptions = subscriptions
        self._admission = admission
        self._bans = bans
        self._teen_space = teen_space
        self._assurance = assurance
        self._signals = signals
        self._cluster = cluster
        self._arrivals = arrivals
        self._departures = departures
        self._desk = desk
        self._continuity = continuity
        self._metrics = metrics
        self._clock = clock
        self._health = health
        self._spawn = spawn
        self._timers: dict[str, asyncio.TimerHandle] = {}  # away sessions' ends of grace
        self._is_stopping = False
        self._extending: asyncio.Task[None] | None = None  # live sessions' secrets kept valid

    def attach(self, connection: Connection) -> None:
        """A transport opened a connection (before any `hello`)."""
        self._table.attached.add(connection)
        connection.on_too_slow = self._metrics.slow_clients.inc
        self._metrics.connections.labels(connection.peer.protocol).inc()

    async def detach(self, connection: Connection) -> None:
        """The transport ended: its connection record closes; the person leaves now (a quit,
        a kick, a ban…) or stays away for the grace, to be resumed (a lost connection)."""
        table = self._table
        if connection in table.attached:
            table.attached.discard(connection)
            self._metrics.connections.labels(connection.peer.protocol).dec()
        self._desk.forget(connection)
        session = connection.session
        if session is None or not table.remove(session, connection):
            return
        if self._is_stopping:  # kept for a resume by `keep_all`; the node's presence goes
            pass
        elif connection.close_code == CLOSE_TAKEN_OVER:  # the person goes on elsewhere
            await self._moved(session)
        elif self._may_wait(connection, session):
            await self._go_away(session)
        else:
            await self.end(session, is_quit=connection.is_quitting, farewell=connection.farewell)
        await self._close_record(session)

    async def _moved(self, session: str) -> None:
        """The person resumed on another node: they leave here silently (their rooms and
        conversations go on there)."""
        self._continuity.known.pop(session, None)
        rooms = sorted(self._hub.rooms_of(session))
        nick = self._hub.profile_of(session).nick
        self._hub.leave(session)
        if self._cluster is not None:
            await self._cluster.withdraw(session, nick, rooms)
        await self._subscriptions.unsubscribe(session_channel(session))

    async def _close_record(self, session: str) -> None:
        self._metrics.sessions.dec()
        try:
            await self._departures.submit([(session, self._clock.now_ms())])
        except Exception as exc:  # the record stays open; retention work closes stale ones
            log.warning("connection record of %s not closed: %s", session, exc)

    def _may_wait(self, connection: Connection, session: str) -> bool:
        """Whether a lost connection's session waits for a resume: a WebSocket session (it
        holds a resume secret) that did not quit and was not sent away by the node."""
        return (
            self._continuity.grace_ms > 0
            and session in self._continuity.known
            and not connection.is_quitting
            and connection.close_code in (None, CLOSE_RESTART, CLOSE_TOO_SLOW)
        )

    async def _go_away(self, session: str) -> None:
        """Keep a session whose connection was lost: nickname, rooms and conversations stay
        (the others see no change) until a resume or the end of the grace."""
        continuity = self._continuity
        now_ms = self._clock.now_ms()
        until_ms = now_ms + continuity.grace_ms
        continuity.known[session].away_until_ms = until_ms
        self._table.away.add(session)
        self._wait_until(session, until_ms)
        try:
            await continuity.keep([session], now_ms)
        except Exception as exc:  # resumable here all the same, not from another node
            log.warning("session %s not kept for a resume elsewhere: %s", session, exc)

    def _wait_until(self, session: str, until_ms: int) -> None:
        delay_s = max(0.0, (until_ms - self._clock.now_ms()) / 1000)
        loop = asyncio.get_running_loop()
        self._timers[session] = loop.call_later(
            delay_s, lambda: self._spawn(self._grace_ended(session, until_ms))
        )

    async def _grace_ended(self, session: str, until_ms: int) -> None:
        identity = self._continuity.known.get(session)
        if identity is None or identity.away_until_ms != until_ms:
            return  # resumed meanwhile (or away again, with its own timer)
        if session not in self._table.away:  # resumed on another node (node/orders.py)
            self._continuity.known.pop(session, None)
            self._timers.pop(session, None)
            await self._subscriptions.unsubscribe(session_channel(session))
            return
        await self.end(session)

    async def end(self, session: str, *, is_quit: bool = False, farewell: str = "") -> None:
        """A person is gone for good: their rooms see them leave (quit, with their `farewell`
        where a room may read it), their nickname is free, and whoever had a conversation with
        them forgets it."""
        hub = self._hub
        self._table.away.discard(session)
        is_resumable = session in self._continuity.known
        timer = self._timers.pop(session, None)
        if timer is not None:
            timer.cancel()
        if hub.session(session) is None:
            self._continuity.known.pop(session, None)
            return
        rooms = sorted(hub.rooms_of(session))
        nick = hub.profile_of(session).nick
        carried = hub.carried(session)
        talked = {*carried.accepted, *carried.declined, *carried.pending}
        outcome = hub.end_person(  # the nickname is free from here
            session, is_quit=is_quit, farewell=farewell, now_ms=self._clock.now_ms()
        )
        if self._cluster is not None and any(hub.session_of_nick(k) is None for k in talked):
            await self._publisher.person_gone(nick_key(nick))  # people on other nodes
        if is_resumable:
            await self._continuity.forget(session)
        with suppress(BrokerUnavailable):
            await self._publisher.deliver(outcome)
        if self._cluster is not None:
            await self._cluster.withdraw(session, nick, rooms)
        await self._subscriptions.unsubscribe(session_channel(session))

    async def keep_all(self) -> None:
        """The node stops: every session here may be resumed for the grace (on another node,
        or on this one when it is back), and none leaves meanwhile."""
        self._is_stopping = True
        for timer in self._timers.values():
            timer.cancel()
        if self._extending is not None:
            self._extending.cancel()
        people = [s for s in self._table.people() if s in self._continuity.known]
        try:
            await self._continuity.keep(people, self._clock.now_ms())
        except Exception as exc:
            log.warning("sessions not kept for a resume: %s", exc)

    async def restore(self) -> None:
        """The node starts: sessions kept by the last stop (or lost elsewhere) within their
        grace are away here again, with their nickname, rooms and conversations, so that their
        people come back as themselves."""
        if self._continuity.grace_ms <= 0:
            return
        self._extending = asyncio.get_running_loop().create_task(
            self._continuity.extend_forever(self._table.sessions)
        )
        try:
            kept = await self._continuity.resumable()
        except Exception as exc:
            log.warning("sessions to resume not read: %s", exc)
            return
        hub = self._hub
        for record in kept:
            if record.protocol != "ws" or hub.session(record.session) is not None:
                continue
            hello = Hello(record.nick, record.gender, record.age, record.postcode)
            try:
                hub.hello(record.session, hello, self._clock.now_ms())
            except CauserieError:
                continue  # the nickname is someone's here
            carried = Carried.from_json(record.carried)
            hub.carry(record.session, carried, place=True)
            if self._cluster is not None:
                try:
                    public = hub.profile_of(record.session).public()
                    if not await self._cluster.claim(public, record.session, None):
                        hub.leave(record.session)
                        continue
                except BrokerUnavailable:
                    hub.leave(record.session)
                    continue
            await self._subscriptions.subscribe(session_channel(record.session))
            until_ms = record.resume_until_ms or 0
            self._continuity.known[record.session] = Identity(
                record.person, record.device, until_ms
            )
            self._table.away.add(record.session)
            self._wait_until(record.session, until_ms)
        if self._table.away:
            log.info("%d sessions away, kept for a resume", len(self._table.away))

    async def hello(
        self, connection: Connection, request_id: RequestId, command: Hello
    ) -> Resume | None:
        """Admit a session (see the module); returns the `resume` to carry out, if any.

        Raises:
            CauserieError: the refusal, for the requester.
        """
        if connection.session is not None:
            raise CauserieError(ErrorCode.INVALID, "already_joined")
        if not self._health.is_ready:
            raise CauserieError(ErrorCode.UNAVAILABLE)
        try:
            await self._admission.charge_hello(connection.peer)
        except CauserieError as error:  # said, then the connection closes: it may come back
            self._replies.refuse(connection, error, request_id)
            connection.close(CLOSE_TOO_MANY, "too many logins from your address or device")
            return None
        hub, table = self._hub, self._table
        session = secrets.token_urlsafe(18)
        token = secrets.token_urlsafe(24)
        connection.lang = command.lang if command.lang in LANGS else "fr"
        resume = command.resume
        asked = resume.session if resume is not None else None
        self._bans.refuse_if_banned(connection, None, asked)
        grant = await self._continuity.check(connection, command, lambda s: s in table.by_session)
        resumed = grant.previous if grant is not None else None
        outcome = None
        if grant is not None and hub.session(grant.previous) is not None:
            outcome = await self._take_up_here(grant, session)
        if outcome is None:
            outcome = hub.hello(session, command, self._clock.now_ms())
            if grant is not None and grant.is_same_profile:
                hub.carry(session, grant.carried, former=grant.previous)
                outcome = hub.welcome(session, self._clock.now_ms())
        profile = hub.profile_of(session)
        self._teen_space.refuse_if_moved_out(connection, session, asked)
        await self._teen_space.refuse_band_change(connection, session)
        if self._cluster is not None:
            try:
                claimed = await self._cluster.claim(profile.public(), session, resumed)
                outcome.replies = [await self._cluster.view(e) for e in outcome.replies]
            except BrokerUnavailable:
                await self._forget(session)
                raise CauserieError(ErrorCode.UNAVAILABLE) from None
            if not claimed:
                hub.leave(session)
                raise CauserieError(ErrorCode.NICK_TAKEN, "nick_taken", field="nick")
        outcome.replies = await self._assurance.welcome(session, resume, outcome.replies)
        peer = connection.peer
        # Bound to the device cookie: a connection without ours has a new device each time.
        is_resumable = peer.protocol == "ws" and not peer.device.startswith(NEW_DEVICE_PREFIX)
        resume_token, resume_digest = self._continuity.issue() if is_resumable else ("", None)
        person = grant.person if grant is not None else session
        record = ConnectionRecord(
            session,
            profile.nick,
            profile.gender.value,
            profile.age,
            profile.postcode,
            profile.dept,
            peer.origin.address,
            peer.origin.port,
            peer.device,
            peer.user_agent,
            peer.protocol,
            self._clock.now_ms(),
            token_digest(token),
            person,
            resume_digest,
            self._clock.now_ms() + self._continuity.grace_ms if is_resumable else None,
        )
        try:
            await self._arrivals.submit([record])
        except Exception as exc:
            log.warning("connection record not stored, refusing hello: %s", exc)
            await self._forget(session)
            raise CauserieError(ErrorCode.UNAVAILABLE) from None
        if connection.is_closing:  # gone while the record was written
            await self._forget(session)
            return None
        connection.session = session
        table.add(session, connection)
        self._metrics.sessions.inc()
        if is_resumable:
            self._continuity.known[session] = Identity(person, peer.device)
        if self._bans.known.find_scoped(
            BanScope.MINOR_CONTACTS,
            session=asked,
            device=peer.device,
            address=peer.origin.address,
            now_ms=self._clock.now_ms(),
        ):  # a grooming alert about this person awaits a moderator (node/grooming.py)
            hub.pause_with_minors(session, True)
        await self._subscriptions.subscribe(session_channel(session))
        if grant is not None and self._cluster is not None:
            blocked = list(hub.carried(session).blocked)
            await self._cluster.hand_over(grant.previous, session, [], blocked)
        replies = [
            dataclasses.replace(e, token=token, resume_token=resume_token)
            if isinstance(e, Welcomed)
            else e
            for e in outcome.replies
        ]
        self._replies.send(connection, request_id, replies)
        self._signals.after_hello(connection, session)  # an address seen with adults?
        if grant is None or resume is None:
            return resume
        if resume.last_dm_id is not None:
            missed = await self._continuity.replay(session, person, resume.last_dm_id)
            if missed:
                self._replies.send(connection, None, missed)
        # The rooms the client names, or (a client that lost them) those the session held.
        rooms = resume.rooms or tuple(sorted(hub.rooms_of(session))) or grant.carried.rooms
        return dataclasses.replace(resume, rooms=rooms)

    async def _take_up_here(self, grant: Grant, session: str) -> Outcome | None:
        """Resume a session held by this node, live (its old connection leaves, 4002) or
        away: the same hub session goes on under the new id. None when the hello declares
        another profile: the old session ends and the hello is a new one."""
        previous = grant.previous
        old = self._table.get(previous)
        if old is not None:  # half-open: the client saw the loss before the server
            self._table.remove(previous, old)
            await self._close_record(previous)
            old.close(CLOSE_TAKEN_OVER, "resumed elsewhere")
        self._table.away.discard(previous)
        self._continuity.known.pop(previous, None)
        timer = self._timers.pop(previous, None)
        if timer is not None:
            timer.cancel()
        if not grant.is_same_profile:
            await self.end(previous)
            return None
        rooms = sorted(self._hub.rooms_of(previous))
        outcome = self._hub.rekey(previous, session, self._clock.now_ms())
        await self._subscriptions.unsubscribe(session_channel(previous))
        if self._cluster is not None:
            await self._cluster.hand_over(previous, session, rooms, [])
        return outcome

    async def _forget(self, session: str) -> None:
        """Undo an admission that did not complete."""
        nick = self._hub.profile_of(session).nick
        self._hub.leave(session)
        if self._cluster is not None:
            await self._cluster.release(nick, session)
