"""A node's life: its hub opened from the store, its start, its health, its stop.

How this works:

- `open_hub` (before the node's parts are built, by causerie/assembly/): migrate the store,
  seed the default rooms, and make the hub of the stored rooms, with the moderators'
  restrictions, the staff names nobody may take, the ids already issued and each room's
  recent history (joining needs no database read).
- `Lifecycle.start`: a node number claimed (several nodes), the bans and trusted flaggers
  read, the broker's channels subscribed (control, staff, every room), the group-commit
  writers and the background watches started. `is_ready` says when messages are accepted.
- every `HEALTH_CHECK_INTERVAL_S`: the moderation rules reloaded if their files changed, the
  store pinged (unreachable: not ready, `/healthz` 503), bans, staff names and trusted
  flaggers read again, and the rooms if the operator changed them (node/room_sync.py).
- `stop`: every connection closed (1012), what is pending stored, background work awaited,
  this node's presence withdrawn, then the backends closed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextlib import suppress
from types import MappingProxyType
from typing import Any

from causerie.broker.base import Broker, Handler, room_channel
from causerie.config import Settings
from causerie.core.hub import (
    DEFAULT_ROOM_LIMIT,
    DEFAULT_UNTRUSTED_LIMIT,
    Hub,
    HubConfig,
    Locator,
)
from causerie.core.messages import MessageIds
from causerie.core.policy.assurance import AssuranceGate
from causerie.core.policy.member_rooms import MemberRoomLimits
from causerie.core.policy.nicknames import staff_skeletons
from causerie.core.policy.ratelimits import RateLimit
from causerie.core.policy.review import TextReviewer
from causerie.core.policy.trust import TrustRule
from causerie.core.policy.watch import ConversationWatch
from causerie.core.rooms import DEFAULT_ROOMS
from causerie.node.admission import join_part_limit
from causerie.node.bans import BanKeeper
from causerie.node.cluster import Cluster
from causerie.node.connections import CLOSE_RESTART
from causerie.node.floodgate import FloodGate
from causerie.node.logins import StaffLogins
from causerie.node.moderation.reports import TrustedFlaggers
from causerie.node.ports import Clock, Tasks
from causerie.node.publisher import CONTROL_CHANNEL, STAFF_CHANNEL
from causerie.node.room_sync import RoomSync
from causerie.node.session_table import SessionTable
from causerie.node.writer import BatchWriter
from causerie.store.base import Store, StoreUnavailable

log = logging.getLogger(__name__)
HEALTH_CHECK_INTERVAL_S = 2.0


def hub_config(settings: Settings, staff_names: Sequence[str] = ()) -> HubConfig:
    say = RateLimit(settings.say_burst, settings.say_per_s) if settings.rate_limits else None
    return HubConfig(
        min_age=settings.min_age,
        history_on_join=settings.history_on_join,
        max_rooms_per_session=settings.max_rooms_per_session,
        max_text_chars=settings.max_text_chars,
        say_limit=say,
        dm_limit=say,
        dm_wait_s=settings.dm_wait_s,
        room_limit=DEFAULT_ROOM_LIMIT if settings.rate_limits else None,
        untrusted_limit=DEFAULT_UNTRUSTED_LIMIT if settings.rate_limits else None,
        join_part_limit=join_part_limit(settings),
        member_join_limit=member_join_limit(settings),
        repeat_max=2 if settings.rate_limits else None,
        trust=TrustRule(settings.trust_messages, settings.trust_span_s),
        reserved_skeletons=staff_skeletons(staff_names),
        minors_get_pictures_from_strangers=settings.minors_pictures_from_strangers,
        teen_assurance=AssuranceGate(settings.teen_assurance),
    )


def member_join_limit(settings: Settings) -> RateLimit | None:
    """Member rooms one person joins: a burst of the per-minute figure, then that pace."""
    if not settings.rate_limits:
        return None
    per_minute = settings.member_room_joins_per_minute
    return RateLimit(per_minute, per_minute / 60)


def member_room_limits(settings: Settings) -> MemberRoomLimits:
    return MemberRoomLimits(
        owned_per_person=settings.member_rooms_owned,
        created_per_day_per_person=settings.member_rooms_per_day,
        in_cluster=settings.member_rooms_max,
        idle_end_s=settings.member_room_end_s,
    )


async def open_hub(
    settings: Settings,
    store: Store,
    locate: Locator,
    clock: Clock,
    *,
    reviewer: TextReviewer,
    watch: ConversationWatch,
    room_games: Mapping[str, Sequence[str]] = MappingProxyType({}),
) -> Hub:
    """The hub of what the store holds (see the module); migrates and seeds the store first.
    `room_games`: the games the seeded rooms allow on a new installation (`jeux`…)."""
    await store.migrate()
    added = await store.seed_rooms(DEFAULT_ROOMS, clock.now_ms())
    if added:
        log.info("seeded %d default rooms", added)
        for room_id, games in room_games.items():
            await store.set_room_games(room_id, games)
    rooms = await store.load_rooms()
    config = hub_config(settings, await store.staff_names())
    hub = Hub(
        rooms,
        locate,
        config,
        MessageIds(settings.node_id),
        reviewer=reviewer,
        watch=watch,
    )
    for room_id, (locked, slow_mode_s) in (await store.room_restrictions()).items():
        hub.restrict_room(room_id, locked=locked, slow_mode_s=slow_mode_s)
    hub.observe_id(await store.max_message_id())
    for room in rooms:
        hub.preload_history(room.id, await store.recent_messages(room.id, settings.history_on_join))
    return hub


class Lifecycle:
    def __init__(
        self,
        *,
        store: Store,
        broker: Broker,
        on_broadcast: Handler,
        hub: Hub,
        table: SessionTable,
        tasks: Tasks,
        writer: BatchWriter[Any],
        record_writers: Sequence[BatchWriter[Any]],
        bans: BanKeeper,
        flaggers: TrustedFlaggers,
        cluster: Cluster | None,
        logins: StaffLogins,
        floodgate: FloodGate,
        reviewer: TextReviewer,
        watch: ConversationWatch,
        clock: Clock,
        node_id: int,
        room_sync: RoomSync,
        sweeps: Sequence[Callable[[], Awaitable[int]]] = (),
        on_stop: Sequence[Callable[[], None]] = (),
    ) -> None:
        self._store = store
        self._broker = broker
        self._on_broadcast = on_broadcast
        self._hub = hub
        self._table = table
        self._tasks = tasks
        self._writer = writer  # the messages': a node whose commits fail is not ready
        self._writers = (writer, *record_writers)  # with the connection records'
        self._bans = bans
        self._flaggers = flaggers
        self._cluster = cluster
        self._logins = logins
        self._floodgate = floodgate
        self._reloadable = (reviewer, watch)
        self._watch = watch
        self._clock = clock
        self._room_sync = room_sync
        self._sweeps = tuple(sweeps)  # member rooms that ended (node/member_room_ends.py)
        self._on_stop = tuple(on_stop)  # parts with timers of their own (node/games/)
        self.node_id = node_id  # in message ids; with several nodes, claimed at start
        self._health_task: asyncio.Task[None] | None = None
        self._heartbeat_task: asyncio.Task[None] | None = None
        self.is_started = False
        self.is_store_reachable = False

    @property
    def is_ready(self) -> bool:
        """Whether messages are accepted: started, and the store, the writer, the broker and
        the shared presence all answer."""
        return (
            self.is_started
            and self.is_store_reachable
            and self._writer.is_healthy
            and self._broker.is_healthy
            and (self._cluster is None or self._cluster.is_reachable)
        )

    async def start(self) -> None:
        hub, broker = self._hub, self._broker
        if self._cluster is not None:
            self.node_id = await self._cluster.claim_node_id()
            hub.renumber(self.node_id)
        self._flaggers.update(await self._store.trusted_flaggers())
        await self._bans.refresh()
        await broker.start(self._on_broadcast)
        await broker.subscribe(CONTROL_CHANNEL)
        await broker.subscribe(STAFF_CHANNEL)
        rooms = hub.rooms()
        for room in rooms:
            await broker.subscribe(room_channel(room.id))
        for writer in self._writers:
            writer.start()
        self.is_store_reachable = True
        self.is_started = True
        loop = asyncio.get_running_loop()
        self._health_task = loop.create_task(self._watch_store())
        if self._cluster is not None:
            self._heartbeat_task = loop.create_task(self._cluster.beat_forever())
        log.info("node %d ready: %d rooms", self.node_id, len(rooms))

    async def stop(self) -> None:
        """Close every connection (1012, restarting), store what is pending, release."""
        self.is_started = False
        for stop in self._on_stop:
            stop()
        for connection in list(self._table.attached):
            connection.close(CLOSE_RESTART, "server restarting")
        for background in (self._health_task, self._heartbeat_task):
            if background is not None:
                background.cancel()
                with suppress(asyncio.CancelledError):
                    await background
        for writer in self._writers:
            await writer.stop()
        await self._tasks.drain()
        if self._cluster is not None:
            await self._cluster.withdraw_node()
        self._logins.close()
        await self._floodgate.close()
        await self._broker.close()
        await self._store.close()

    async def _watch_store(self) -> None:
        while True:
            await asyncio.sleep(HEALTH_CHECK_INTERVAL_S)
            self._reload()
            store = self._store
            try:
                await store.ping()
                await self._bans.refresh()
                self._hub.reserve(staff_skeletons(await store.staff_names()))
                self._flaggers.update(await store.trusted_flaggers())
                await self._room_sync.follow()
                for sweep in self._sweeps:
                    await sweep()
            except StoreUnavailable as exc:
                if self.is_store_reachable:
                    log.warning("store unreachable: %s", exc)
                self.is_store_reachable = False
            else:
                if not self.is_store_reachable:
                    log.info("store reachable again")
                self.is_store_reachable = True
                self._writer.is_healthy = True

    def _reload(self) -> None:
        """Rules files an operator changed take effect; the grooming watch forgets
        conversations gone quiet."""
        for part in self._reloadable:
            reload = getattr(part, "reload_if_changed", None)
            if reload is not None:
                reload()
        forget_quiet = getattr(self._watch, "forget_quiet", None)
        if forget_quiet is not None:
            forget_quiet(self._clock.now_ms())
