"""`RoomSync`: the rooms the operator changed, followed by this node and told to its people.

How this works: the store's rooms are the truth (the operator's CLI and the `/admin` page
write them, node/room_admin.py). A node reads them again when told to (`"rooms"` on the
control channel, published after each change, `follow_soon`) and, every few seconds, when the
store's `rooms_fingerprint` changed (`follow`): that is how a change made without the shared
broker (the CLI beside a single node) arrives. Reading them, it applies each difference to its
hub, which says who must be told:

- a room made or changed: `room_updated` to everyone here who may see it; a new room's
  broker channel subscribed; a changed slow mode applied and told to the room (`room_state`);
- a room archived, or an audience tightened: `room_archived` to everyone here who could see
  it and no longer can, its members taken out here (and from the shared presence); its broker
  channel left when the room is gone.

Each node does this for its own people, so a change reaches every node at once without a new
kind of payload between them. Presence changes (someone taken out of a room that stays) go
through the room's channel like any other, so members on other nodes see them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from contextlib import suppress
from typing import Any, Protocol

from causerie.broker.base import BrokerUnavailable, room_channel
from causerie.core.events import Event, Outcome, RoomStateChanged, ToRoom, ToSession
from causerie.core.hub import Hub
from causerie.node.cluster import Cluster
from causerie.node.connections import Connection
from causerie.node.envelope import Envelope
from causerie.node.outbox import Outbox
from causerie.node.publisher import Publisher
from causerie.node.session_table import SessionTable
from causerie.store.base import Store, StoredRoom, StoreUnavailable

log = logging.getLogger(__name__)


class Subscriptions(Protocol):
    async def subscribe(self, channel: str) -> None: ...

    async def unsubscribe(self, channel: str) -> None: ...


class RoomSync:
    """Args:
    hub: the rooms here and who is in them.
    outbox: writes to the connections here.
    store: where the rooms are (the truth).
    table: the connections here.
    publisher: presence changes for the rooms' members on every node.
    subscriptions: the broker's room channels this node listens to.
    cluster: the shared presence (None for a single node).
    spawn: runs a coroutine in the background (the node's tasks).
    """

    def __init__(
        self,
        *,
        hub: Hub,
        outbox: Outbox,
        store: Store,
        table: SessionTable,
        publisher: Publisher,
        subscriptions: Subscriptions,
        cluster: Cluster | None,
        spawn: Callable[[Coroutine[Any, Any, None]], None],
    ) -> None:
        self._hub = hub
        self._send_to_all = outbox.send_to_all
        self._store = store
        self._table = table
        self._publisher = publisher
        self._subscriptions = subscriptions
        self._cluster = cluster
        self._spawn = spawn
        self._seen: tuple[int, int] | None = None
        self._turn = asyncio.Lock()  # one reading at a time: each sees the last one's result

    def follow_soon(self) -> None:
        """Told that rooms changed (the control channel): read them now, in the background."""
        self._spawn(self._follow_quietly())

    async def _follow_quietly(self) -> None:
        try:
            await self.follow(force=True)
        except StoreUnavailable as exc:  # the next watch of the store tries again
            log.warning("rooms not read: %s", exc)

    async def follow(self, *, force: bool = False) -> int:
        """Apply what changed in the stored rooms (only if the fingerprint moved, unless
        `force`); returns how many rooms changed here. Raises `StoreUnavailable`."""
        async with self._turn:
            fingerprint = await self._store.rooms_fingerprint()
            if fingerprint == self._seen and not force:
                return 0
            stored = await self._store.stored_rooms()
            self._seen = fingerprint
            changed = 0
            for row in stored:
                changed += await self._apply(row)
            return changed

    async def _apply(self, row: StoredRoom) -> int:
        hub, room = self._hub, row.room
        current = hub.room(room.id)
        before = set(hub.members_of(room.id))
        if row.archived_at_ms is not None:
            if current is None:
                return 0
            await self._tell(hub.archive_room(room.id))
            await self._withdraw_presence(room.id, before)
            with suppress(BrokerUnavailable):
                await self._subscriptions.unsubscribe(room_channel(room.id))
            return 1
        changed = 0
        if current != room:
            if current is None:
                await self._subscriptions.subscribe(room_channel(room.id))
            await self._tell(hub.put_room(room))
            await self._withdraw_presence(room.id, before - set(hub.members_of(room.id)))
            changed = 1
        restrictions = hub.restrictions.room(room.id)
        if restrictions.slow_mode_s != row.slow_mode_s:
            hub.restrict_room(room.id, slow_mode_s=row.slow_mode_s)
            state = RoomStateChanged(room.id, restrictions.locked, restrictions.slow_mode_s)
            members = [self._table.get(session) for session in hub.members_of(room.id)]
            self._send_to_all(members, Envelope(state))
            changed = 1
        return changed

    async def _tell(self, outcome: Outcome) -> None:
        """Per-person events to the people here; presence to the room on every node."""
        people: dict[int, tuple[Event, list[Connection | None]]] = {}
        for target, event in outcome.deliveries:
            if isinstance(target, ToSession):
                _event, connections = people.setdefault(id(event), (event, []))
                connections.append(self._table.get(target.session))
            elif isinstance(target, ToRoom):
                with suppress(BrokerUnavailable):
                    await self._publisher.to_room(target.room, event)
        for event, connections in people.values():
            alone = [c for c in connections if c is not None and c.reads_events_alone]
            apart = {id(c) for c in alone}
            self._send_to_all([c for c in connections if id(c) not in apart], Envelope(event))
            for connection in alone:  # its own state decides what it makes of the event
                connection.send(Envelope(event))

    async def _withdraw_presence(self, room_id: str, taken_out: set[str]) -> None:
        """Those taken out of a room here leave it in the shared presence too."""
        if self._cluster is None:
            return
        for session in sorted(taken_out):
            with suppress(BrokerUnavailable):
                await self._cluster.presence.leave(room_id, session)
