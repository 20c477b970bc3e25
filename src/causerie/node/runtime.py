"""`Node`: one server process's chat service.

It owns the hub (pure state), the store (durable), the broker (fan-out) and the live
connections. A protocol transport hands it parsed commands with `dispatch`; the node applies
them to the hub, writes replies to the requester, publishes deliveries once on the broker, and
acknowledges messages once the group-commit writer has stored them.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import Callable, Coroutine, Sequence
from contextlib import suppress
from typing import Any

from causerie.broker.base import Broker, room_channel, session_channel
from causerie.config import Settings
from causerie.core.commands import Command, FetchHistory, Hello, Say, SendDm
from causerie.core.events import Acked, Event, HistoryLoaded, Outcome, Record, ToRoom
from causerie.core.hub import Hub, HubConfig, Locator
from causerie.core.messages import MessageIds
from causerie.core.policy.ratelimits import RateLimit
from causerie.core.rooms import DEFAULT_ROOMS
from causerie.errors import CauserieError, ErrorCode
from causerie.node.connections import CLOSE_RESTART, Connection
from causerie.node.metrics import NodeMetrics
from causerie.node.writer import BatchWriter
from causerie.store.base import ConnectionRecord, Origin, Store, StoreUnavailable
from causerie.ws.codec import RequestId, encode_error, encode_event

log = logging.getLogger(__name__)
HEALTH_CHECK_INTERVAL_S = 2.0


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
    ) -> None:
        self.settings = settings
        self.store = store
        self.broker = broker
        self.metrics = NodeMetrics()
        self._locate = locate
        self._clock = clock
        self.hub = Hub((), locate, hub_config(settings), MessageIds(settings.node_id))
        self.writer: BatchWriter[tuple[Record, Origin]] = BatchWriter(
            self._save_batch, settings.commit_batch_max
        )
        self._connections: dict[str, Connection] = {}  # by session id, once said hello
        self._open: set[Connection] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._health_task: asyncio.Task[None] | None = None
        self.is_started = False
        self.is_store_reachable = False

    def now_ms(self) -> int:
        return int(self._clock() * 1000)

    @property
    def is_ready(self) -> bool:
        return self.is_started and self.is_store_reachable and self.writer.is_healthy

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
        self.hub = Hub(
            rooms, self._locate, hub_config(self.settings), MessageIds(self.settings.node_id)
        )
        self.hub.observe_id(await self.store.max_message_id())
        for room in rooms:
            self.hub.preload_history(
                room.id, await self.store.recent_messages(room.id, self.settings.history_on_join)
            )
        await self.broker.start(self._on_broadcast)
        for room in rooms:
            await self.broker.subscribe(room_channel(room.id))
        self.writer.start()
        self.is_store_reachable = True
        self.is_started = True
        self._health_task = asyncio.get_running_loop().create_task(self._watch_store())
        log.info("node %d ready: %d rooms", self.settings.node_id, len(rooms))

    async def stop(self) -> None:
        """Close every connection (1012, restarting), store what is pending, release."""
        self.is_started = False
        for connection in list(self._open):
            connection.close(CLOSE_RESTART, "server restarting")
        if self._health_task is not None:
            self._health_task.cancel()
            with suppress(asyncio.CancelledError):
                await self._health_task
        await self.writer.stop()
        for task in list(self._tasks):
            with suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(task, timeout=5)
        await self.broker.close()
        await self.store.close()

    async def _watch_store(self) -> None:
        while True:
            await asyncio.sleep(HEALTH_CHECK_INTERVAL_S)
            try:
                await self.store.ping()
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
        await self._deliver(self.hub.leave(session))
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
            if isinstance(command, Say | SendDm) and not self.is_ready:
                raise CauserieError(ErrorCode.UNAVAILABLE)
            outcome = self.hub.apply(connection.session, command, self.now_ms())
        except CauserieError as error:
            self.send_error(connection, error, request_id)
            return
        self._reply(connection, request_id, outcome.replies)
        await self._deliver(outcome)
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
        outcome = self.hub.hello(session, command, self.now_ms())
        profile = self.hub.profile_of(session)
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
            self.hub.leave(session)
            raise CauserieError(ErrorCode.UNAVAILABLE) from None
        if connection.is_closing:  # gone while the record was written
            self.hub.leave(session)
            return
        connection.session = session
        self._connections[session] = connection
        self.metrics.sessions.inc()
        await self.broker.subscribe(session_channel(session))
        self._reply(connection, request_id, outcome.replies)

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
        kind, _, key = channel.partition(":")
        if kind == "room":
            targets = [self._connections.get(s) for s in self.hub.members_of(key)]
        else:
            targets = [self._connections.get(key)]
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
