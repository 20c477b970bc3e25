"""`Node`: one server process's chat service.

It owns the hub (pure state), the store (durable), the broker (fan-out) and the live
connections. A protocol transport hands it parsed commands with `dispatch`; the node applies
them to the hub, writes replies to the requester, publishes deliveries once on the broker, and
acknowledges messages once the group-commit writer has stored them.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import secrets
import time
from collections.abc import Callable, Coroutine, Sequence
from contextlib import suppress
from typing import Any

from causerie.broker.base import Broker, BrokerUnavailable, room_channel, session_channel
from causerie.broker.presence import RedisPresence
from causerie.config import Settings
from causerie.core.commands import (
    Command,
    FetchHistory,
    Hello,
    Join,
    Part,
    Say,
    SendDm,
)
from causerie.core.events import (
    Acked,
    Event,
    HistoryLoaded,
    Joined,
    Outcome,
    Record,
    RoomView,
    ToRoom,
)
from causerie.core.hub import Hub, HubConfig, Locator
from causerie.core.messages import MessageIds
from causerie.core.policy.bans import Ban, BanList, BanScope
from causerie.core.policy.nicknames import nick_key
from causerie.core.policy.ratelimits import RateLimit
from causerie.core.rooms import DEFAULT_ROOMS
from causerie.errors import CauserieError, ErrorCode
from causerie.node.cluster import TAKEN_OVER, Cluster
from causerie.node.connections import (
    CLOSE_BANNED,
    CLOSE_RESTART,
    CLOSE_TAKEN_OVER,
    Connection,
)
from causerie.node.floodgate import (
    ADDRESS_FACTOR,
    FloodGate,
    MemoryFloodGate,
    scaled,
)
from causerie.node.metrics import NodeMetrics
from causerie.node.writer import BatchWriter
from causerie.store.base import ConnectionRecord, Origin, Store, StoreUnavailable
from causerie.ws.codec import (
    RequestId,
    decode_message_frame,
    encode_error,
    encode_event,
)

log = logging.getLogger(__name__)
HEALTH_CHECK_INTERVAL_S = 2.0
RESUME_LIMIT = 1000
CONTROL_CHANNEL = "control"  # tells every node to look for new bans in the store


def hub_config(settings: Settings) -> HubConfig:
    say = RateLimit(settings.say_burst, settings.say_per_s) if settings.rate_limits else None
    return HubConfig(
        min_age=settings.min_age,
        history_on_join=settings.history_on_join,
        max_rooms_per_session=settings.max_rooms_per_session,
        max_text_chars=settings.max_text_chars,
        say_limit=say,
        dm_limit=say,
    )


class Node:
    def __init__(
        self,
        settings: Settings,
        store: Store,
        broker: Broker,
        locate: Locator,
        clock: Callable[[], float] = time.time,
        presence: RedisPresence | None = None,
        floodgate: FloodGate | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.broker = broker
        self.cluster = Cluster(self, presence) if presence is not None else None
        self.floodgate = floodgate or MemoryFloodGate()
        self._flood_limit = (
            RateLimit(settings.say_burst, settings.say_per_s) if settings.rate_limits else None
        )
        self.node_id = settings.node_id
        self.metrics = NodeMetrics()
        self.metrics.outgoing_bytes.set_function(
            lambda: float(sum(c.pending_bytes for c in self._open))
        )
        self._locate = locate
        self._clock = clock
        self.hub = Hub((), locate, hub_config(settings), MessageIds(settings.node_id))
        self.writer: BatchWriter[tuple[Record, Origin]] = BatchWriter(
            self._save_batch, settings.commit_batch_max
        )
        self.bans = BanList()
        self._last_ban_id = 0
        self._connections: dict[str, Connection] = {}  # by session id, once said hello
        self._open: set[Connection] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._health_task: asyncio.Task[None] | None = None
        self._heartbeat_task: asyncio.Task[None] | None = None
        self.is_started = False
        self.is_store_reachable = False

    def now_ms(self) -> int:
        return int(self._clock() * 1000)

    @property
    def is_ready(self) -> bool:
        return (
            self.is_started
            and self.is_store_reachable
            and self.writer.is_healthy
            and self.broker.is_healthy
            and (self.cluster is None or self.cluster.is_reachable)
        )

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        """Migrate, seed the default rooms, load recent history, start writing and fan-out."""
        if not self.settings.rate_limits:
            log.warning(
                "RATE LIMITS ARE OFF (CAUSERIE_RATE_LIMITS=off): for benchmarks on "
                "loopback only; flood protection is disabled"
            )
        await self.store.migrate()
        added = await self.store.seed_rooms(DEFAULT_ROOMS, self.now_ms())
        if added:
            log.info("seeded %d default rooms", added)
        rooms = await self.store.load_rooms()
        if self.cluster is not None:
            self.node_id = await self.cluster.presence.claim_node_id(self.now_ms())
        self.hub = Hub(rooms, self._locate, hub_config(self.settings), MessageIds(self.node_id))
        self.hub.observe_id(await self.store.max_message_id())
        for room in rooms:
            self.hub.preload_history(
                room.id, await self.store.recent_messages(room.id, self.settings.history_on_join)
            )
        await self._refresh_bans()
        await self.broker.start(self._on_broadcast)
        await self.broker.subscribe(CONTROL_CHANNEL)
        for room in rooms:
            await self.broker.subscribe(room_channel(room.id))
        self.writer.start()
        self.is_store_reachable = True
        self.is_started = True
        self._health_task = asyncio.get_running_loop().create_task(self._watch_store())
        if self.cluster is not None:
            self._heartbeat_task = asyncio.get_running_loop().create_task(
                self.cluster.beat_forever()
            )
        log.info("node %d ready: %d rooms", self.node_id, len(rooms))

    async def stop(self) -> None:
        """Close every connection (1012, restarting), store what is pending, release."""
        self.is_started = False
        for connection in list(self._open):
            connection.close(CLOSE_RESTART, "server restarting")
        for background in (self._health_task, self._heartbeat_task):
            if background is not None:
                background.cancel()
                with suppress(asyncio.CancelledError):
                    await background
        await self.writer.stop()
        for task in list(self._tasks):
            with suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(task, timeout=5)
        if self.cluster is not None:
            with suppress(BrokerUnavailable):
                await self.cluster.presence.withdraw(room.id for room in self.hub.rooms())
            await self.cluster.presence.close()
        await self.floodgate.close()
        await self.broker.close()
        await self.store.close()

    async def _watch_store(self) -> None:
        while True:
            await asyncio.sleep(HEALTH_CHECK_INTERVAL_S)
            try:
                await self.store.ping()
                await self._refresh_bans()
            except StoreUnavailable as exc:
                if self.is_store_reachable:
                    log.warning("store unreachable: %s", exc)
                self.is_store_reachable = False
            else:
                if not self.is_store_reachable:
                    log.info("store reachable again")
                self.is_store_reachable = True
                self.writer.is_healthy = True

    # -- connections -------------------------------------------------------------------------

    def attach(self, connection: Connection) -> None:
        self._open.add(connection)
        connection.on_too_slow = self.metrics.slow_clients.inc
        self.metrics.connections.labels(connection.peer.protocol).inc()

    async def detach(self, connection: Connection) -> None:
        """The transport ended: forget the session and tell its rooms."""
        if connection in self._open:
            self._open.discard(connection)
            self.metrics.connections.labels(connection.peer.protocol).dec()
        session = connection.session
        if session is None or self._connections.get(session) is not connection:
            return
        del self._connections[session]
        self.metrics.sessions.dec()
        rooms = sorted(self.hub.rooms_of(session))
        nick = self.hub.profile_of(session).nick
        with suppress(BrokerUnavailable):
            await self._deliver(self.hub.leave(session))
        if self.cluster is not None:
            await self.cluster.withdraw(session, nick, rooms)
        await self.broker.unsubscribe(session_channel(session))
        try:
            await self.store.close_connection(session, self.now_ms())
        except Exception as exc:  # the record stays open; retention work closes stale ones
            log.warning("connection record of %s not closed: %s", session, exc)

    def send_error(
        self, connection: Connection, error: CauserieError, request_id: RequestId = None
    ) -> None:
        self.metrics.errors.labels(error.code.value).inc()
        connection.send(encode_error(error, request_id, connection.lang))

    # -- commands ----------------------------------------------------------------------------

    async def dispatch(
        self, connection: Connection, request_id: RequestId, command: Command
    ) -> None:
        """Apply one command from a connection; refusals become error frames."""
        self.metrics.commands.labels(type(command).__name__).inc()
        try:
            if isinstance(command, Hello):
                await self._hello(connection, request_id, command)
                return
            if connection.session is None:
                raise CauserieError(ErrorCode.FORBIDDEN, "hello_first")
            if isinstance(command, Join):
                self._refuse_if_banned(connection, command.room, connection.session)
            if isinstance(command, Say | SendDm):
                if not self.is_ready:
                    raise CauserieError(ErrorCode.UNAVAILABLE)
                await self._charge_flood(connection)
            outcome = await self._apply(connection.session, command)
            if self.cluster is not None:
                await self.cluster.share(connection.session, command)
                outcome.replies = [await self.cluster.view(e) for e in outcome.replies]
            if isinstance(command, Join) and command.since is not None:
                outcome.replies = [
                    await self._with_missed(e, command.since) for e in outcome.replies
                ]
            await self._deliver(outcome)
        except CauserieError as error:
            self.send_error(connection, error, request_id)
            return
        except BrokerUnavailable as exc:
            log.warning("fan-out failed, command refused: %s", exc)
            self.send_error(connection, CauserieError(ErrorCode.UNAVAILABLE), request_id)
            return
        self._reply(connection, request_id, outcome.replies)
        if outcome.records:
            self._store_then_ack(connection, request_id, outcome.records)
        if outcome.query is not None:
            self._spawn(self._answer_history(connection, request_id, command))

    async def _hello(self, connection: Connection, request_id: RequestId, command: Hello) -> None:
        if connection.session is not None:
            raise CauserieError(ErrorCode.INVALID, "already_joined")
        if not self.is_ready:
            raise CauserieError(ErrorCode.UNAVAILABLE)
        session = secrets.token_urlsafe(18)
        connection.lang = command.lang if command.lang in ("fr", "en") else "fr"
        resume = command.resume
        self._refuse_if_banned(connection, None, resume.session if resume else None)
        previous = self._connections.get(resume.session) if resume and resume.session else None
        if previous is not None:  # the same person, whose old connection here is half-open
            await self.detach(previous)
            previous.close(CLOSE_TAKEN_OVER, "resumed elsewhere")
        outcome = self.hub.hello(session, command, self.now_ms())
        profile = self.hub.profile_of(session)
        if self.cluster is not None:
            try:
                previous_session = resume.session if resume is not None else None
                claimed = await self.cluster.claim(profile.public(), session, previous_session)
                outcome.replies = [await self.cluster.view(e) for e in outcome.replies]
            except BrokerUnavailable:
                await self._forget(session)
                raise CauserieError(ErrorCode.UNAVAILABLE) from None
            if not claimed:
                self.hub.leave(session)
                raise CauserieError(ErrorCode.NICK_TAKEN, "nick_taken", field="nick")
        peer = connection.peer
        try:
            await self.store.open_connection(
                ConnectionRecord(
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
                    self.now_ms(),
                )
            )
        except Exception as exc:
            log.warning("connection record not stored, refusing hello: %s", exc)
            await self._forget(session)
            raise CauserieError(ErrorCode.UNAVAILABLE) from None
        if connection.is_closing:  # gone while the record was written
            await self._forget(session)
            return
        connection.session = session
        self._connections[session] = connection
        self.metrics.sessions.inc()
        await self.broker.subscribe(session_channel(session))
        self._reply(connection, request_id, outcome.replies)
        if resume is not None:
            for room in resume.rooms:
                await self.dispatch(connection, None, Join(room, since=resume.last_id))

    # -- bans ---------------------------------------------------------------------------------

    def _refuse_if_banned(
        self, connection: Connection, room: str | None, session: str | None
    ) -> None:
        peer, now_ms = connection.peer, self.now_ms()
        ban = self.bans.find(
            session=session,
            device=peer.device,
            address=peer.origin.address,
            room=room,
            now_ms=now_ms,
        )
        if ban is not None:
            raise CauserieError(
                ErrorCode.BANNED,
                "banned",
                field="room" if room else None,
                retry_after_s=ban.retry_after_s(now_ms),
            )

    async def ban(
        self,
        *,
        nick: str,
        scope: BanScope,
        room: str | None,
        duration_s: float | None,
        reason: str,
        actor: str,
    ) -> Ban:
        """Ban a person by nickname: their session, device and address, on every node.

        Raises:
            CauserieError: `not_found` when nobody ever connected under that nickname.
        """
        record = await self._find_connection(nick)
        if record is None:
            raise CauserieError(ErrorCode.NOT_FOUND, "user_not_found", field="nick")
        now_ms = self.now_ms()
        ban = await self.store.add_ban(
            Ban(
                0,
                scope,
                room,
                record.nick,
                record.session,
                record.device,
                record.address,
                reason,
                actor,
                now_ms,
                None if duration_s is None else now_ms + int(duration_s * 1000),
            )
        )
        self._enforce([ban])
        with suppress(BrokerUnavailable):  # the others also poll the store every few seconds
            await self.broker.publish(CONTROL_CHANNEL, "ban")
        return ban

    async def _find_connection(self, nick: str) -> ConnectionRecord | None:
        key = nick_key(nick.strip())
        session = next(
            (s for s in self._connections if nick_key(self.hub.profile_of(s).nick) == key), None
        )
        if session is None and self.cluster is not None:
            claim = await self.cluster.presence.find_nick(key)
            session = claim["session"] if claim else None
        if session is not None:
            return await self.store.connection(session)
        return await self.store.last_connection_of(nick.strip())

    async def _refresh_bans(self) -> None:
        fresh = await self.store.bans_after(self._last_ban_id, self.now_ms())
        if fresh:
            self._last_ban_id = max(self._last_ban_id, *(ban.id for ban in fresh))
            self._enforce(fresh)

    def _enforce(self, bans: Sequence[Ban]) -> None:
        """Remember bans and apply them to the people connected here."""
        self.bans.update(bans)
        now_ms = self.now_ms()
        for connection in list(self._connections.values()):
            peer = connection.peer
            for ban in bans:
                if not (
                    ban.is_active(now_ms)
                    and ban.matches(connection.session, peer.device, peer.origin.address)
                ):
                    continue
                if ban.scope is BanScope.SITE:
                    self.send_error(
                        connection,
                        CauserieError(
                            ErrorCode.BANNED, "banned", retry_after_s=ban.retry_after_s(now_ms)
                        ),
                    )
                    connection.close(CLOSE_BANNED, "banned")
                elif ban.room is not None and connection.session is not None:
                    self._spawn(self._remove_from_room(connection, ban))

    async def _remove_from_room(self, connection: Connection, ban: Ban) -> None:
        assert connection.session is not None and ban.room is not None
        if ban.room not in self.hub.rooms_of(connection.session):
            return
        await self.dispatch(connection, None, Part(ban.room))
        self.send_error(
            connection,
            CauserieError(
                ErrorCode.BANNED,
                "banned",
                field="room",
                retry_after_s=ban.retry_after_s(self.now_ms()),
            ),
        )

    async def _charge_flood(self, connection: Connection) -> None:
        """The device's and the address's buckets, which outlive a reconnection."""
        if self._flood_limit is None:
            return
        peer, now_s = connection.peer, self._clock()
        wait_s = max(
            await self.floodgate.take(f"device:{peer.device}", self._flood_limit, now_s),
            await self.floodgate.take(
                f"address:{peer.origin.address}", scaled(self._flood_limit, ADDRESS_FACTOR), now_s
            ),
        )
        if wait_s > 0:
            raise CauserieError(ErrorCode.RATE_LIMITED, "rate_limited", retry_after_s=wait_s)

    async def _apply(self, session: str, command: Command) -> Outcome:
        """The hub's answer, after finding a private message's recipient on another node."""
        if isinstance(command, SendDm) and self.cluster is not None:
            peer = await self.cluster.peer_elsewhere(session, command)
            if peer is not None:
                return self.hub.send_dm_to_peer(session, command, peer, self.now_ms())
        return self.hub.apply(session, command, self.now_ms())

    async def _with_missed(self, event: Event, since: int) -> Event:
        """A rejoin after a reconnection: every message after `since`, from the store and from
        memory (the newest may not be committed yet), once each, in id order."""
        if not isinstance(event, Joined):
            return event
        stored, _more = await self.store.since(event.room.room.id, since, RESUME_LIMIT)
        merged = {m.id: m for m in stored}
        merged.update((m.id, m) for m in event.history)
        history = tuple(merged[i] for i in sorted(merged))[:RESUME_LIMIT]
        return dataclasses.replace(event, history=history)

    async def _forget(self, session: str) -> None:
        """Undo an admission that did not complete."""
        nick = self.hub.profile_of(session).nick
        self.hub.leave(session)
        if self.cluster is not None:
            await self.cluster.release(nick, session)

    def sessions(self) -> list[str]:
        """The sessions connected to this node."""
        return list(self._connections)

    async def room_views(self) -> tuple[RoomView, ...]:
        """Every room with its member count on every node (for the public directory)."""
        views = self.hub.room_views()
        return views if self.cluster is None else await self.cluster.room_views(views)

    def _reply(
        self, connection: Connection, request_id: RequestId, events: Sequence[Event]
    ) -> None:
        for event in events:
            connection.send(encode_event(event, request_id, connection.lang))

    async def _deliver(self, outcome: Outcome) -> None:
        frames: dict[int, str] = {}  # one encoding per event, shared by every target
        for target, event in outcome.deliveries:
            frame = frames.get(id(event))
            if frame is None:
                frame = frames[id(event)] = encode_event(event)
            channel = (
                room_channel(target.room)
                if isinstance(target, ToRoom)
                else session_channel(target.session)
            )
            await self.broker.publish(channel, frame)

    def _on_broadcast(self, channel: str, payload: str) -> None:
        """A frame from the broker: write it to this node's recipients."""
        with self.metrics.fanout_seconds.time():
            self._fan_out(channel, payload)

    def _fan_out(self, channel: str, payload: str) -> None:
        if channel == CONTROL_CHANNEL:
            self._spawn(self._refresh_bans())  # another node stored a ban: enforce it now
            return
        kind, _, key = channel.partition(":")
        if kind == "room":
            if self.cluster is not None:
                message = decode_message_frame(payload)
                if message is not None:
                    self.hub.remember(message)
            targets = [self._connections.get(s) for s in self.hub.members_of(key)]
        else:
            targets = [self._connections.get(key)]
            if payload == TAKEN_OVER:
                if targets[0] is not None:
                    targets[0].close(CLOSE_TAKEN_OVER, "resumed elsewhere")
                return
        for connection in targets:
            if connection is not None:
                connection.send(payload)
        self.metrics.frames_out.inc(len(targets))

    def _store_then_ack(
        self, connection: Connection, request_id: RequestId, records: Sequence[Record]
    ) -> None:
        origin = connection.peer.origin
        for record in records:
            self.metrics.messages_in.labels("room" if hasattr(record, "room") else "dm").inc()
        stored = self.writer.submit([(record, origin) for record in records])
        last = records[-1]

        def acknowledge(future: asyncio.Future[None]) -> None:
            if future.cancelled() or future.exception() is not None:
                self.send_error(connection, CauserieError(ErrorCode.UNAVAILABLE), request_id)
            else:
                connection.send(encode_event(Acked(last.id, last.ts_ms), request_id))

        stored.add_done_callback(acknowledge)

    async def _save_batch(self, items: Sequence[tuple[Record, Origin]]) -> None:
        started = time.perf_counter()
        await self.store.save(items)
        self.metrics.store_seconds.observe(time.perf_counter() - started)
        self.metrics.store_batch_size.observe(len(items))

    async def _answer_history(
        self, connection: Connection, request_id: RequestId, command: Command
    ) -> None:
        assert isinstance(command, FetchHistory)
        try:
            messages, more = await self.store.history(command.room, command.before, command.limit)
        except Exception as exc:
            log.warning("history of %s not read: %s", command.room, exc)
            self.send_error(connection, CauserieError(ErrorCode.UNAVAILABLE), request_id)
            return
        event = HistoryLoaded(command.room, tuple(messages), more)
        connection.send(encode_event(event, request_id, connection.lang))

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
