"""`CommandRouter`: where each command a transport hands the node goes.

    hello                                  -> Sessions.hello, then the resumed rooms rejoined
    login, queue, mod, media (staff)       -> the staff desk and the moderators' actions
    look_up, list_members (IRC's lookups)  -> Lookups
    appeal before hello                    -> Appeals (a move-out, from the device it bars)
    anything else before hello             -> `forbidden` (`hello_first`)
    report, appeal, verify_age, assure_age -> moderation and age assurance
    create_room, room_topic, room_modes…   -> MemberRooms (stored, audited, announced)
    every chat command                     -> the command pipeline (node/pipeline.py)

A refusal becomes the requester's error frame, here for the routes above and in the pipeline
for its own; a broker that does not answer is `unavailable`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from causerie.broker.base import BrokerUnavailable
from causerie.core.commands import (
    MEMBER_ROOM_COMMANDS,
    Appeal,
    AssureAge,
    Command,
    Hello,
    Join,
    ListMembers,
    ListQueue,
    LookUp,
    Moderate,
    Report,
    ShowScores,
    StaffLogin,
    VerifyAge,
    ViewMedia,
)
from causerie.core.events import Event
from causerie.errors import CauserieError, ErrorCode
from causerie.node.age_proofs import AgeProofs
from causerie.node.assurance import TeenAssurance
from causerie.node.connections import Connection
from causerie.node.games.runner import GameRunner
from causerie.node.lookups import Lookups
from causerie.node.member_rooms import MemberRooms
from causerie.node.metrics import NodeMetrics
from causerie.node.moderation.actions import ModeratorActions
from causerie.node.moderation.appeals import Appeals
from causerie.node.moderation.desk import StaffDesk
from causerie.node.moderation.reports import Reports
from causerie.node.pipeline import Pipeline
from causerie.node.replies import Replies
from causerie.node.sessions import Sessions
from causerie.wire.commands import RequestId

log = logging.getLogger(__name__)
Route = Callable[[Connection, RequestId, Any], Awaitable[None]]


class CommandRouter:
    def __init__(
        self,
        *,
        sessions: Sessions,
        member_rooms: MemberRooms,
        pipeline: Pipeline,
        desk: StaffDesk,
        actions: ModeratorActions,
        reports: Reports,
        appeals: Appeals,
        proofs: AgeProofs,
        assurance: TeenAssurance,
        lookups: Lookups,
        replies: Replies,
        metrics: NodeMetrics,
        games: GameRunner,
    ) -> None:
        self._sessions = sessions
        self._pipeline = pipeline
        self._desk = desk
        self._proofs = proofs
        self._assurance = assurance
        self._lookups = lookups
        self._replies = replies
        self._commands = metrics.commands
        # Answered whether or not the connection said hello (staff connections never do).
        self._before_hello: dict[type[Command], Route] = {
            StaffLogin: desk.login,
            ListQueue: self._send_queue,
            Moderate: actions.moderate,
            ViewMedia: desk.show_media,
            LookUp: self._look_up,
            ListMembers: self._list_members,
        }
        # A person's requests that are not chat: moderation and age assurance.
        self._safety: dict[type[Command], Route] = {
            Report: reports.report,
            Appeal: appeals.appeal,
            VerifyAge: self._verify_age,
            AssureAge: self._assure_age,
            **{kind: member_rooms.handle for kind in MEMBER_ROOM_COMMANDS},
            ShowScores: games.show_scores,
        }
        self._appeal_before_hello = appeals.appeal

    async def dispatch(
        self,
        connection: Connection,
        request_id: RequestId,
        command: Command,
        *,
        is_rejoin: bool = False,
    ) -> None:
        """Apply one command from a connection; refusals become error frames. `is_rejoin`: a
        room a `resume` rejoins, not charged to the address (the `hello` was)."""
        kind = type(command)
        self._commands.inc(label=kind.__name__)
        if connection.session is not None and kind not in self._safety:
            if kind is not Hello and kind not in self._before_hello:
                await self._pipeline.handle(connection, request_id, command, is_rejoin=is_rejoin)
                return
        try:
            await self._route(connection, request_id, command)
        except CauserieError as error:
            self._replies.refuse(connection, error, request_id)
        except BrokerUnavailable as exc:
            log.warning("fan-out failed, command refused: %s", exc)
            self._replies.refuse(connection, CauserieError(ErrorCode.UNAVAILABLE), request_id)

    async def _route(self, connection: Connection, request_id: RequestId, command: Command) -> None:
        kind = type(command)
        if isinstance(command, Hello):
            resume = await self._sessions.hello(connection, request_id, command)
            if resume is not None:
                for room in resume.rooms:
                    rejoin = Join(room, since=resume.last_id)
                    await self.dispatch(connection, None, rejoin, is_rejoin=True)
            return
        route = self._before_hello.get(kind)
        if route is not None:
            await route(connection, request_id, command)
            return
        if connection.session is None:
            if isinstance(command, Appeal):  # a move-out, from the device it bars
                await self._appeal_before_hello(connection, request_id, command)
                return
            raise CauserieError(ErrorCode.FORBIDDEN, "hello_first")
        await self._safety[kind](connection, request_id, command)

    async def _send_queue(
        self, connection: Connection, request_id: RequestId, _command: ListQueue
    ) -> None:
        await self._desk.send_queue(connection, request_id)

    async def _look_up(
        self, connection: Connection, request_id: RequestId, command: LookUp
    ) -> None:
        found = await self._lookups.look_up(connection.session, command)
        self._replies.send(connection, request_id, [found])

    async def _list_members(
        self, connection: Connection, request_id: RequestId, command: ListMembers
    ) -> None:
        is_staff = connection in self._desk.staff
        members: Event = await self._lookups.list_members(connection.session, is_staff, command)
        self._replies.send(connection, request_id, [members])

    async def _verify_age(
        self, connection: Connection, request_id: RequestId, command: VerifyAge
    ) -> None:
        self._replies.send(
            connection, request_id, await self._proofs.verify_age(connection, command)
        )

    async def _assure_age(
        self, connection: Connection, request_id: RequestId, command: AssureAge
    ) -> None:
        self._replies.send(
            connection, request_id, await self._assurance.assure(connection, command)
        )
