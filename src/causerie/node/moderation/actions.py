"""`ModeratorActions`: the `mod` command — take, dismiss, delete a message, mute, kick, ban,
lock a room, slow mode, decide an appeal, move out of the teen space, release or discard a
held message (node/moderation/held.py), stop a room's game.

Each action checks, before it changes anything: the moderator's scope on the object it touches
(node/scope.py: the report's, the message's, the person's, the room's room, looked up here),
and every number against its documented range (`invalid` outside it). A decision about a
person is stated and audited (`Decisions`); a ticket acted on is closed (`Tickets`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

from causerie.core import commands as cmd
from causerie.core.events import ModDone
from causerie.core.hub import Hub
from causerie.core.messages import Message
from causerie.core.policy.bans import BanScope, checked_duration_s
from causerie.core.restrictions import checked_slow_mode_s
from causerie.errors import CauserieError, ErrorCode
from causerie.node import scope
from causerie.node.bans import BanKeeper
from causerie.node.connections import Connection
from causerie.node.directory import Directory
from causerie.node.moderation.appeals import Appeals
from causerie.node.moderation.decisions import ART23_WINDOW_MS, Decisions
from causerie.node.moderation.desk import StaffDesk
from causerie.node.moderation.held import HeldMessages
from causerie.node.moderation.measures import Measures
from causerie.node.moderation.queue import Queue
from causerie.node.moderation.tickets import Tickets
from causerie.node.ports import Clock
from causerie.node.publisher import Publisher
from causerie.node.replies import Replies
from causerie.node.teen_space import TeenSpace
from causerie.safety import audit
from causerie.safety.reports import Report, ReportKind, ReportState
from causerie.safety.staff import StaffAccount
from causerie.safety.statements import Decision, Ground
from causerie.store.base import Store
from causerie.wire.commands import RequestId

MAX_REASON_CHARS = 1000
DEFAULT_MUTE_S = 600.0
Action = Callable[[StaffAccount, cmd.Moderate, Report | None, str], Awaitable[str | None]]


class GameStopping(Protocol):
    async def stop_by_staff(self, room_id: str, name: str) -> None:
        """Stop the room's game wherever it runs; `not_found` when none does."""


class ModeratorActions:
    def __init__(
        self,
        *,
        desk: StaffDesk,
        games: GameStopping,
        store: Store,
        hub: Hub,
        directory: Directory,
        ties: scope.RoomTies,
        queue: Queue,
        tickets: Tickets,
        decisions: Decisions,
        measures: Measures,
        bans: BanKeeper,
        teen_space: TeenSpace,
        appeals: Appeals,
        held: HeldMessages,
        publisher: Publisher,
        replies: Replies,
        clock: Clock,
    ) -> None:
        self._desk = desk
        self._games = games
        self._store = store
        self._hub = hub
        self._directory = directory
        self._ties = ties
        self._queue = queue
        self._tickets = tickets
        self._decisions = decisions
        self._measures = measures
        self._bans = bans
        self._teen_space = teen_space
        self._publisher = publisher
        self._replies = replies
        self._clock = clock
        self._actions: dict[str, Action] = {
            "take": self._take,
            "dismiss": self._dismiss,
            "delete_message": self._delete,
            "mute": self._mute,
            "kick": self._kick,
            "ban": self._ban,
            "lock_room": self._lock,
            "slow_mode": self._slow,
            "decide_appeal": appeals.decide,
            "release_held": held.release,
            "discard_held": held.discard,
            "move_out_of_teen_space": self._move_out_of_teen_space,
            "close_room": self._close_room,
            "stop_game": self._stop_game,
        }

    async def moderate(
        self, connection: Connection, request_id: RequestId, command: cmd.Moderate
    ) -> None:
        account = self._desk.account(connection)
        reason = command.reason.strip()[:MAX_REASON_CHARS]
        if command.action not in ("take",) and not reason:
            raise CauserieError(ErrorCode.INVALID, "mod_reason", field="reason")
        action = self._actions.get(command.action)
        if action is None:
            raise CauserieError(ErrorCode.INVALID, "mod_action", field="action")
        report = None
        if command.report_id is not None:
            report = await self._store.report(command.report_id)
            if report is None:
                raise CauserieError(ErrorCode.NOT_FOUND, "not_found", field="report_id")
            scope.require(account, report.room_id)  # the room the server gave the report
        statement_id = await action(account, command, report, reason)
        if report is not None and command.action not in ("take", "dismiss", "decide_appeal"):
            await self._tickets.close(
                report, ReportState.ACTIONED, account, command.action, statement_id
            )
        done = ModDone(command.action, command.report_id, statement_id)
        self._replies.send(connection, request_id, [done])

    async def _take(
        self, account: StaffAccount, command: cmd.Moderate, report: Report | None, _reason: str
    ) -> str | None:
        if report is None or not report.is_open:
            raise CauserieError(ErrorCode.INVALID, "report_target", field="report_id")
        updated = await self._store.update_report(
            report.id,
            state=ReportState.IN_REVIEW,
            assigned_to=account.name,
            updated_at_ms=self._clock.now_ms(),
        )
        assert updated is not None
        await self._queue.publish(updated)
        return None

    async def _dismiss(
        self, account: StaffAccount, command: cmd.Moderate, report: Report | None, reason: str
    ) -> str | None:
        if report is None or report.kind is ReportKind.APPEAL:
            # An appeal is decided (decide_appeal), by someone else than who acted; never
            # merely dismissed.
            raise CauserieError(ErrorCode.INVALID, "report_target", field="report_id")
        await self._store.append_audit(
            at_ms=self._clock.now_ms(),
            actor=account.name,
            actor_kind=audit.ActorKind.HUMAN,
            action=audit.AuditAction.DISMISS,
            target=f"report:{report.id}",
            reason=reason,
            details={},
        )
        await self._tickets.close(
            report, ReportState.DISMISSED, account, f"dismissed: {reason}", None
        )
        if report.kind is ReportKind.REPORT and report.reporter_nick:
            unfounded = await self._store.dismissed_reports_by(
                report.reporter_nick, self._clock.now_ms() - ART23_WINDOW_MS
            )
            await self._decisions.escalate(
                report.reporter_nick,
                report.reporter_session,
                unfounded,
                Ground.REPORT_ABUSE,
                BanScope.REPORTS,
                "art23_report_abuse",
            )
        return None

    async def _person(self, command: cmd.Moderate, report: Report | None) -> tuple[str, str | None]:
        """(nickname, session if connected) of the person an action is about."""
        nick = command.nick or (report.target_nick if report else None)
        if not nick:
            raise CauserieError(ErrorCode.INVALID, "report_target", field="nick")
        found = await self._directory.find_person(nick)
        if found is not None:
            return found[1].nick, found[0]
        record = await self._store.last_connection_of(nick)
        if record is None:
            raise CauserieError(ErrorCode.NOT_FOUND, "user_not_found", field="nick")
        return record.nick, record.session

    async def _delete(
        self, account: StaffAccount, command: cmd.Moderate, report: Report | None, reason: str
    ) -> str | None:
        message_id = command.message_id or (report.message_id if report else None)
        if message_id is None:
            raise CauserieError(ErrorCode.INVALID, "report_target", field="message_id")
        message = await self._store.find_message(message_id) or self._hub.find_recent(message_id)
        if message is None:
            raise CauserieError(ErrorCode.NOT_FOUND, "not_found", field="message_id")
        scope.require(account, scope.room_of(message))  # the message's room, not `room`
        await self._measures.delete_message(message_id, account.name, reason)
        return await self._decisions.decide(
            account,
            action=audit.AuditAction.DELETE_MESSAGE,
            decision=Decision.MESSAGE_REMOVED,
            nick=message.sender.nick,
            session=message.sender_session or None,
            report=report,
            reason=reason,
            room=message.room if isinstance(message, Message) else None,
            content=message.text,
        )

    async def _mute(
        self, account: StaffAccount, command: cmd.Moderate, report: Report | None, reason: str
    ) -> str | None:
        duration_s = checked_duration_s(BanScope.MUTE, command.duration_s) or DEFAULT_MUTE_S
        nick, session = await self._person(command, report)
        await scope.require_person(self._ties, account, command.room, (nick, session), report)
        # Stored like a ban, so that reconnecting under a new nickname does not end it.
        await self._bans.ban(
            nick=nick,
            scope=BanScope.MUTE,
            room=command.room,
            duration_s=duration_s,
            reason=reason,
            actor=account.name,
        )
        if session is not None:
            until_ms = self._clock.now_ms() + int(duration_s * 1000)
            await self._publisher.control(
                session, {"op": "mute", "room": command.room, "until": until_ms}
            )
        return await self._decisions.decide(
            account,
            action=audit.AuditAction.MUTE,
            decision=Decision.MUTED,
            nick=nick,
            session=session,
            report=report,
            reason=reason,
            duration_s=duration_s,
            room=command.room,
        )

    async def _kick(
        self, account: StaffAccount, command: cmd.Moderate, report: Report | None, reason: str
    ) -> str | None:
        nick, session = await self._person(command, report)
        await scope.require_person(self._ties, account, command.room, (nick, session), report)
        statement_id = await self._decisions.decide(
            account,
            action=audit.AuditAction.KICK,
            decision=Decision.KICKED,
            nick=nick,
            session=session,
            report=report,
            reason=reason,
            room=command.room,
        )
        if session is not None:
            await self._publisher.control(session, {"op": "kick", "room": command.room})
        return statement_id

    async def _ban(
        self, account: StaffAccount, command: cmd.Moderate, report: Report | None, reason: str
    ) -> str | None:
        ban_scope = BanScope.ROOM if command.room else BanScope.SITE
        duration_s = checked_duration_s(ban_scope, command.duration_s)
        nick, session = await self._person(command, report)
        await scope.require_person(self._ties, account, command.room, (nick, session), report)
        # The statement goes out before the ban closes the connection.
        statement_id = await self._decisions.decide(
            account,
            action=audit.AuditAction.BAN,
            decision=Decision.BANNED_ROOM if command.room else Decision.BANNED_SITE,
            nick=nick,
            session=session,
            report=report,
            reason=reason,
            duration_s=duration_s,
            room=command.room,
        )
        await self._bans.ban(
            nick=nick,
            scope=ban_scope,
            room=command.room,
            duration_s=duration_s,
            reason=reason,
            actor=account.name,
        )
        return statement_id

    async def _move_out_of_teen_space(
        self, account: StaffAccount, command: cmd.Moderate, report: Report | None, reason: str
    ) -> str | None:
        """Site-wide: the device keeps the adult band (node/teen_space.py)."""
        return await self._teen_space.move_out(account, command, report, reason)

    async def _close_room(
        self, account: StaffAccount, command: cmd.Moderate, report: Report | None, reason: str
    ) -> str | None:
        """Close a member room (an official one is the operator's to archive): it is archived
        on every node, and its owner gets the statement of reasons."""
        room = self._hub.room(command.room or "")
        if room is None or not room.is_member_room:
            raise CauserieError(ErrorCode.NOT_FOUND, "room_not_found", field="room")
        scope.require(account, room.id)
        if not await self._store.archive_room(room.id, self._clock.now_ms()):
            raise CauserieError(ErrorCode.NOT_FOUND, "room_not_found", field="room")
        await self._publisher.rooms_changed()
        if not room.owner:  # its owner is gone for good: audited, stated to nobody
            await self._store.append_audit(
                at_ms=self._clock.now_ms(),
                actor=account.name,
                actor_kind=audit.ActorKind.HUMAN,
                action=audit.AuditAction.ROOM_CLOSED,
                target=f"room:{room.id}",
                reason=reason,
                details={"name": room.name},
            )
            return None
        found = await self._directory.find_person(room.owner)
        return await self._decisions.decide(
            account,
            action=audit.AuditAction.ROOM_CLOSED,
            decision=Decision.ROOM_CLOSED,
            nick=room.owner,
            session=found[0] if found is not None else None,
            report=report,
            reason=reason,
            room=room.id,
        )

    async def _lock(
        self, account: StaffAccount, command: cmd.Moderate, report: Report | None, reason: str
    ) -> str | None:
        await self._restrict(account, command, reason, locked=bool(command.locked))
        return None

    async def _slow(
        self, account: StaffAccount, command: cmd.Moderate, report: Report | None, reason: str
    ) -> str | None:
        interval_s = checked_slow_mode_s(command.interval_s or 0.0)
        await self._restrict(account, command, reason, slow_mode_s=interval_s)
        return None

    async def _stop_game(
        self, account: StaffAccount, command: cmd.Moderate, report: Report | None, reason: str
    ) -> str | None:
        if not command.room:
            raise CauserieError(ErrorCode.INVALID, "room_not_found", field="room")
        scope.require(account, command.room)
        await self._games.stop_by_staff(command.room, account.name)
        await self._store.append_audit(
            at_ms=self._clock.now_ms(),
            actor=account.name,
            actor_kind=audit.ActorKind.HUMAN,
            action=audit.AuditAction.STOP_GAME,
            target=f"room:{command.room}",
            reason=reason,
            details={},
        )
        return None

    async def _restrict(
        self,
        account: StaffAccount,
        command: cmd.Moderate,
        reason: str,
        *,
        locked: bool | None = None,
        slow_mode_s: float | None = None,
    ) -> None:
        if not command.room:
            raise CauserieError(ErrorCode.INVALID, "room_not_found", field="room")
        scope.require(account, command.room)
        await self._measures.restrict_room(command.room, locked=locked, slow_mode_s=slow_mode_s)
        action = (
            audit.AuditAction.SLOW_MODE
            if slow_mode_s is not None
            else audit.AuditAction.LOCK_ROOM
            if locked
            else audit.AuditAction.UNLOCK_ROOM
        )
        await self._store.append_audit(
            at_ms=self._clock.now_ms(),
            actor=account.name,
            actor_kind=audit.ActorKind.HUMAN,
            action=action,
            target=f"room:{command.room}",
            reason=reason,
            details={"locked": locked, "slow_mode_s": slow_mode_s},
        )
