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

import dataclasses
import logging
import secrets
from contextlib import suppress

from causerie.broker.base import BrokerUnavailable, session_channel
from causerie.core.commands import Hello, Resume
from causerie.core.events import Welcomed
from causerie.core.hub import Hub
from causerie.core.policy.bans import BanScope
from causerie.errors import CauserieError, ErrorCode
from causerie.node.admission import Admission
from causerie.node.assurance import TeenAssurance
from causerie.node.bans import BanKeeper
from causerie.node.cluster import Cluster
from causerie.node.connections import CLOSE_TAKEN_OVER, CLOSE_TOO_MANY, Connection
from causerie.node.metrics import NodeMetrics
from causerie.node.moderation.desk import StaffDesk
from causerie.node.ports import Clock, Health, Subscriptions
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
        metrics: NodeMetrics,
        clock: Clock,
        health: Health,
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
        self._metrics = metrics
        self._clock = clock
        self._health = health

    def attach(self, connection: Connection) -> None:
        """A transport opened a connection (before any `hello`)."""
        self._table.attached.add(connection)
        connection.on_too_slow = self._metrics.slow_clients.inc
        self._metrics.connections.labels(connection.peer.protocol).inc()

    async def detach(self, connection: Connection) -> None:
        """The transport ended: forget the session and tell its rooms."""
        table, hub = self._table, self._hub
        if connection in table.attached:
            table.attached.discard(connection)
            self._metrics.connections.labels(connection.peer.protocol).dec()
        self._desk.forget(connection)
        session = connection.session
        if session is None or not table.remove(session, connection):
            return
        self._metrics.sessions.dec()
        rooms = sorted(hub.rooms_of(session))
        nick = hub.profile_of(session).nick
        with suppress(BrokerUnavailable):
            await self._publisher.deliver(hub.leave(session))
        if self._cluster is not None:
            await self._cluster.withdraw(session, nick, rooms)
        await self._subscriptions.unsubscribe(session_channel(session))
        try:
            await self._departures.submit([(session, self._clock.now_ms())])
        except Exception as exc:  # the record stays open; retention work closes stale ones
            log.warning("connection record of %s not closed: %s", session, exc)

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
        hub = self._hub
        session = secrets.token_urlsafe(18)
        token = secrets.token_urlsafe(24)
        connection.lang = command.lang if command.lang in LANGS else "fr"
        resume = command.resume
        resumed = resume.session if resume is not None else None
        self._bans.refuse_if_banned(connection, None, resumed)
        previous = self._table.get(resumed) if resumed else None
        if previous is not None:  # the same person, whose old connection here is half-open
            await self.detach(previous)
            previous.close(CLOSE_TAKEN_OVER, "resumed elsewhere")
        outcome = hub.hello(session, command, self._clock.now_ms())
        profile = hub.profile_of(session)
        self._teen_space.refuse_if_moved_out(connection, session, resumed)
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
        self._table.add(session, connection)
        self._metrics.sessions.inc()
        if self._bans.known.find_scoped(
            BanScope.MINOR_CONTACTS,
            session=resumed,
            device=peer.device,
            address=peer.origin.address,
            now_ms=self._clock.now_ms(),
        ):  # a grooming alert about this person awaits a moderator (node/grooming.py)
            hub.pause_with_minors(session, True)
        await self._subscriptions.subscribe(session_channel(session))
        replies = [
            dataclasses.replace(e, token=token) if isinstance(e, Welcomed) else e
            for e in outcome.replies
        ]
        self._replies.send(connection, request_id, replies)
        self._signals.after_hello(connection, session)  # an address seen with adults?
        return resume

    async def _forget(self, session: str) -> None:
        """Undo an admission that did not complete."""
        nick = self._hub.profile_of(session).nick
        self._hub.leave(session)
        if self._cluster is not None:
            await self._cluster.release(nick, session)
