"""`Node`: one server process's chat service, as the adapters see it.

A thin facade over the node's parts, each built by causerie/assembly/ with what it needs and
nothing more (docs/architecture.md, "The node"): transports `attach` a connection, hand it
commands with `dispatch`, and `detach` it; HTTP asks `is_ready` and `room_views`. Nothing here
decides anything: every method hands over to the part that holds the matter.
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Protocol

from causerie.config import Settings
from causerie.core.commands import Command
from causerie.core.events import RoomView
from causerie.core.hub import Hub
from causerie.errors import CauserieError
from causerie.node.admission import Admission
from causerie.node.assurance import TeenAssurance
from causerie.node.bans import BanKeeper
from causerie.node.cluster import Cluster
from causerie.node.connections import Connection
from causerie.node.directory import Directory
from causerie.node.games.runner import GameRunner
from causerie.node.lifecycle import Lifecycle
from causerie.node.logins import StaffLogins
from causerie.node.lookups import Lookups
from causerie.node.member_room_ends import RoomEnds
from causerie.node.metrics import NodeMetrics
from causerie.node.moderation.decisions import Decisions
from causerie.node.moderation.desk import StaffDesk
from causerie.node.moderation.measures import Measures
from causerie.node.moderation.reports import TrustedFlaggers
from causerie.node.outbox import Outbox
from causerie.node.pictures import Pictures
from causerie.node.pipeline import Pipeline
from causerie.node.ports import Clock, Tasks
from causerie.node.replies import Replies
from causerie.node.room_admin import RoomEditor
from causerie.node.room_sync import RoomSync
from causerie.node.router import CommandRouter
from causerie.node.session_table import SessionTable
from causerie.node.sessions import Sessions
from causerie.store.base import Store
from causerie.wire.commands import RequestId


class Dispatch(Protocol):
    def __call__(
        self,
        connection: Connection,
        request_id: RequestId,
        command: Command,
        *,
        is_rejoin: bool = False,
    ) -> Awaitable[None]: ...


@dataclass(eq=False, repr=False)  # a repr of every part would be pages long
class Node:
    settings: Settings
    clock: Clock
    tasks: Tasks
    store: Store
    hub: Hub
    metrics: NodeMetrics
    table: SessionTable
    replies: Replies
    directory: Directory
    cluster: Cluster | None
    bans: BanKeeper
    admission: Admission
    logins: StaffLogins
    desk: StaffDesk
    decisions: Decisions
    measures: Measures
    trusted_flaggers: TrustedFlaggers
    pictures: Pictures
    assurance: TeenAssurance
    lookups: Lookups
    door: Sessions
    pipeline: Pipeline
    router: CommandRouter
    lifecycle: Lifecycle
    rooms: RoomEditor  # the operator's room commands (the /admin page)
    room_sync: RoomSync  # this node following the rooms the operator changed
    room_ends: RoomEnds  # member rooms ending once empty long enough
    outbox: Outbox  # the fan-out's, for every connection a transport opens
    games: GameRunner  # the games run here as participants of their rooms
    # Apply one command from a connection; refusals become error frames (node/router.py).
    # The router's own method, not a wrapper: every message passes here.
    dispatch: Dispatch = field(init=False)

    def __post_init__(self) -> None:
        self.dispatch = self.router.dispatch

    # -- for the transports ------------------------------------------------------------------

    def attach(self, connection: Connection) -> None:
        self.door.attach(connection)

    async def detach(self, connection: Connection) -> None:
        """The transport ended: forget the session and tell its rooms."""
        await self.door.detach(connection)

    def send_error(
        self, connection: Connection, error: CauserieError, request_id: RequestId = None
    ) -> None:
        self.replies.refuse(connection, error, request_id)

    # -- for HTTP, operators and tests -------------------------------------------------------

    @property
    def is_ready(self) -> bool:
        return self.lifecycle.is_ready

    @property
    def is_store_reachable(self) -> bool:
        return self.lifecycle.is_store_reachable

    def now_ms(self) -> int:
        return self.clock.now_ms()

    def sessions(self) -> list[str]:
        """The sessions connected to this node."""
        return self.table.sessions()

    def connections(self) -> list[Connection]:
        """The connections of people (not staff) on this node."""
        return self.table.connections()

    async def room_views(self) -> tuple[RoomView, ...]:
        """Every room with its member count on every node (for the public directory)."""
        return await self.directory.room_views()

    async def start(self) -> None:
        await self.lifecycle.start()
        await self.door.restore()  # people a restart cut off find their places again

    async def stop(self) -> None:
        await self.door.keep_all()  # before the connections close: nobody leaves meanwhile
        await self.lifecycle.stop()
