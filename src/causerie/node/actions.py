"""What moderators do: take, dismiss, delete a message, mute, kick, ban, lock a room, slow
mode — and the decisions' paperwork: a statement of reasons to the person, an audit entry, and
art. 23's escalation (a warning, then a suspension) for repeat offenders and for people whose
reports keep being unfounded. A part of `Moderation` (node/moderation.py), which it serves.

Each action checks, before it changes anything: the moderator's scope on the object it touches
(node/scope.py: the report's, the message's, the person's, the room's room, looked up here),
and every number against its documented range (`invalid` outside it).
"""

from __future__ import annotations

import json
import secrets
from typing import TYPE_CHECKING, Any

from causerie.core import commands as cmd
from causerie.core.events import ModDone, Stated
from causerie.core.messages import Message
from causerie.core.policy.bans import BanScope, checked_duration_s
from causerie.core.restrictions import checked_slow_mode_s
from causerie.errors import CauserieError, ErrorCode
from causerie.node import scope
from causerie.node.envelope import Envelope
from causerie.safety import audit
from causerie.safety.reports import Report, ReportKind, ReportState, can_move
from causerie.safety.staff import StaffAccount, StaffRole
from causerie.safety.statements import (
    Decision,
    Ground,
    Source,
    Statement,
    make_statement,
    render,
)
from causerie.wire.events import encode_event

if TYPE_CHECKING:
    from causerie.node.connections import Connection
    from causerie.node.runtime import Node

MAX_REASON_CHARS = 1000
DEFAULT_MUTE_S = 600.0
# DSA art. 23: a warning first, then a suspension, for repeat offenders and for people whose
# reports keep being unfounded; counted over a window.
ART23_WINDOW_MS = 30 * 24 * 3600 * 1000
WARN_AT = 3
SUSPEND_AT = 5
SUSPENSION_S = 7 * 24 * 3600.0


def ground_of(category: str) -> Ground:
    try:
        return Ground(category)
    except ValueError:
        return Ground.OTHER


class ModeratorActions:
    _node: Node

    def _account(self, connection: Connection) -> StaffAccount:
        raise NotImplementedError  # Moderation's

    async def _publish(self, report: Report, *, is_new: bool = False) -> None:
        raise NotImplementedError  # Moderation's

    async def _decide_appeal(
        self, account: StaffAccount, command: cmd.Moderate, report: Report | None, reason: str
    ) -> str | None:
        raise NotImplementedError  # Moderation's

    # -- moderators' actions -----------------------------------------------------------------

    async def moderate(
        self, connection: Connection, request_id: Any, command: cmd.Moderate
    ) -> None:
        account = self._account(connection)
        reason = command.reason.strip()[:MAX_REASON_CHARS]
        if command.action not in ("take",) and not reason:
            raise CauserieError(ErrorCode.INVALID, "mod_reason", field="reason")
        handler = {
            "take": self._take,
            "dismiss": self._dismiss,
            "delete_message": self._delete,
            "mute": self._mute,
            "kick": self._kick,
            "ban": self._ban,
            "lock_room": self._lock,
            "slow_mode": self._slow,
            "decide_appeal": self._decide_appeal,
            "move_out_of_teen_space": self._move_out_of_teen_space,
        }.get(command.action)
        if handler is None:
            raise CauserieError(ErrorCode.INVALID, "mod_action", field="action")
        report = None
        if command.report_id is not None:
            report = await self._node.store.report(command.report_id)
            if report is None:
                raise CauserieError(ErrorCode.NOT_FOUND, "not_found", field="report_id")
            scope.require(account, report.room_id)  # the room the server gave the report
        statement_id = await handler(account, command, report, reason)
        if report is not None and command.action not in ("take", "dismiss", "decide_appeal"):
            await self._close(report, ReportState.ACTIONED, account, command.action, statement_id)
        connection.send(
            Envelope.reply(
                ModDone(command.action, command.report_id, statement_id),
                request_id,
                connection.lang,
            )
        )

    async def _close(
        self,
        report: Report,
        state: ReportState,
        account: StaffAccount,
        decision: str,
        statement_id: str | None,
    ) -> None:
        node = self._node
        if not can_move(report.state, state) and report.state is not state:
            return
        updated = await node.store.update_report(
            report.id,
            state=state,
            decided_by=account.name,
            decision=decision,
            statement_id=statement_id,
            updated_at_ms=node.now_ms(),
        )
        assert updated is not None
        await node.store.append_audit(
            at_ms=node.now_ms(),
            actor=account.name,
            actor_kind=audit.ActorKind.HUMAN,
            action=audit.AuditAction.REPORT_CLOSED,
            target=f"report:{report.id}",
            reason=decision,
            details={"state": state.value},
        )
        await self._publish(updated)
        await node.grooming.decided(report)  # a grooming alert decided: its pause ends
        if report.reporter_session:
            key = "report_actioned" if state is ReportState.ACTIONED else "report_dismissed"
            await node.inform(report.reporter_session, key, report_id=report.id)

    async def _take(
        self, account: StaffAccount, command: cmd.Moderate, report: Report | None, _reason: str
    ) -> str | None:
        if report is None or not report.is_open:
            raise CauserieError(ErrorCode.INVALID, "report_target", field="report_id")
        updated = await self._node.store.update_report(
            report.id,
            state=ReportState.IN_REVIEW,
            assigned_to=account.name,
            updated_at_ms=self._node.now_ms(),
        )
        assert updated is not None
        await self._publish(updated)
        return None

    async def _dismiss(
        self, account: StaffAccount, command: cmd.Moderate, report: Report | None, reason: str
    ) -> str | None:
        if report is None or report.kind is ReportKind.APPEAL:
            # An appeal is decided (decide_appeal), by someone else than who acted; never
            # merely dismissed.
            raise CauserieError(ErrorCode.INVALID, "report_target", field="report_id")
        await self._node.store.append_audit(
            at_ms=self._node.now_ms(),
            actor=account.name,
            actor_kind=audit.ActorKind.HUMAN,
            action=audit.AuditAction.DISMISS,
            target=f"report:{report.id}",
            reason=reason,
            details={},
        )
        await self._close(report, ReportState.DISMISSED, account, f"dismissed: {reason}", None)
        if report.kind is ReportKind.REPORT and report.reporter_nick:
            unfounded = await self._node.store.dismissed_reports_by(
                report.reporter_nick, self._node.now_ms() - ART23_WINDOW_MS
            )
            await self._escalate(
                report.reporter_nick,
                report.reporter_session,
                unfounded,
                Ground.REPORT_ABUSE,
                BanScope.REPORTS,
                "art23_report_abuse",
            )
        return None

    async def _escalate(
        self, nick: str, session: str | None, count: int, ground: Ground, scope: BanScope, rule: str
    ) -> None:
        """Art. 23: a warning at `WARN_AT`, a suspension from `SUSPEND_AT` on (automatic,
        stated, audited and appealable like any decision)."""
        if count == WARN_AT:
            await self._automatic(nick, session, Decision.WARNING, ground, rule, None)
        elif count >= SUSPEND_AT:
            # The statement goes out before the ban closes the connection.
            await self._automatic(nick, session, Decision.SUSPENDED, ground, rule, SUSPENSION_S)
            await self._node.ban(
                nick=nick,
                scope=scope,
                room=None,
                duration_s=SUSPENSION_S,
                reason=rule,
                actor="automod",
            )

    async def suspend_pending_review(self, nick: str, session: str | None, rule: str) -> None:
        """Suspended from the whole site until a moderator decides (a hash-list match): the
        statement goes out first, then the ban closes the connection on every node."""
        await self._automatic(nick, session, Decision.SUSPENDED, Ground.CHILD_SAFETY, rule, None)
        await self._node.ban(
            nick=nick, scope=BanScope.SITE, room=None, duration_s=None, reason=rule, actor="automod"
        )

    async def _automatic(
        self,
        nick: str,
        session: str | None,
        decision: Decision,
        ground: Ground,
        rule: str,
        duration_s: float | None,
    ) -> None:
        node = self._node
        now_ms = node.now_ms()
        statement = make_statement(
            statement_id=secrets.token_hex(8),
            decision=decision,
            ground=ground,
            is_automatic=True,
            source=Source.AUTOMATIC_DETECTION,
            decided_at_ms=now_ms,
            duration_ms=None if duration_s is None else int(duration_s * 1000),
            rule_id=rule,
        )
        action = {
            Decision.SUSPENDED: audit.AuditAction.SUSPEND,
            Decision.HELD: audit.AuditAction.HOLD_MESSAGE,
        }.get(decision, audit.AuditAction.WARN)
        await self._issue(
            statement,
            nick=nick,
            session=session,
            actor="automod",
            actor_kind=audit.ActorKind.AUTOMATIC,
            action=action,
            reason=rule,
            body={"rule": rule},
            report_id=None,
            details={"statement": statement.id, "duration_s": duration_s},
        )

    async def _issue(
        self,
        statement: Statement,
        *,
        nick: str,
        session: str | None,
        actor: str,
        actor_kind: audit.ActorKind,
        action: audit.AuditAction,
        reason: str,
        body: dict[str, Any],
        report_id: int | None,
        details: dict[str, Any],
    ) -> None:
        """Store a statement of reasons, audit its decision, and send it to the person."""
        node = self._node
        await node.store.add_statement(
            id=statement.id,
            session=session or "",
            nick=nick,
            decision=statement.decision.value,
            ground=statement.ground.value,
            is_automatic=statement.is_automatic,
            actor=actor,
            body=json.dumps(body),
            decided_at_ms=statement.decided_at_ms,
            appeal_until_ms=statement.appeal_deadline_ms,
            report_id=report_id,
        )
        await node.store.append_audit(
            at_ms=statement.decided_at_ms,
            actor=actor,
            actor_kind=actor_kind,
            action=action,
            target=f"user:{nick}",
            reason=reason,
            details=details,
        )
        if session is not None:
            lang = node.lang_of(session)
            await node.send_to_session(
                session, encode_event(Stated(render(statement, lang), statement.id), lang=lang)
            )

    async def _person(self, command: cmd.Moderate, report: Report | None) -> tuple[str, str | None]:
        """(nickname, session if connected) of the person an action is about."""
        nick = command.nick or (report.target_nick if report else None)
        if not nick:
            raise CauserieError(ErrorCode.INVALID, "report_target", field="nick")
        found = await self._node.find_person(nick)
        if found is not None:
            return found[1].nick, found[0]
        record = await self._node.store.last_connection_of(nick)
        if record is None:
            raise CauserieError(ErrorCode.NOT_FOUND, "user_not_found", field="nick")
        return record.nick, record.session

    async def _decide(
        self,
        account: StaffAccount,
        *,
        action: audit.AuditAction,
        decision: Decision,
        nick: str,
        session: str | None,
        report: Report | None,
        reason: str,
        duration_s: float | None = None,
        room: str | None = None,
        content: str | None = None,
    ) -> str:
        """Audit a decision about a person and send them its statement of reasons."""
        node = self._node
        now_ms = node.now_ms()
        ground = ground_of(report.category.value) if report else Ground.OTHER
        statement = make_statement(
            statement_id=secrets.token_hex(8),
            decision=decision,
            ground=ground,
            is_automatic=False,
            source=Source.REPORT if report else Source.MODERATOR,
            decided_at_ms=now_ms,
            duration_ms=None if duration_s is None else int(duration_s * 1000),
            content=content,
            room=room,
            explanation=reason,
        )
        await self._issue(
            statement,
            nick=nick,
            session=session,
            actor=account.name,
            actor_kind=audit.ActorKind.HUMAN,
            action=action,
            reason=reason,
            body={"explanation": reason, "room": room, "content": content},
            report_id=report.id if report else None,
            details={
                "report": report.id if report else None,
                "room": room,
                "duration_s": duration_s,
                "statement": statement.id,
            },
        )
        if decision is not Decision.BANNED_SITE:
            decisions = await node.store.statements_about_nick(nick, now_ms - ART23_WINDOW_MS)
            human = [s for s in decisions if not s["is_automatic"]]
            await self._escalate(
                nick,
                session,
                len(human),
                Ground.REPEATED_VIOLATIONS,
                BanScope.SITE,
                "art23_repeat_offender",
            )
        return statement.id

    async def decide_as_operator(
        self, actor: str, *, nick: str, room: str | None, duration_s: float | None, reason: str
    ) -> str:
        """A ban decided from the command line: stated and audited like a moderator's."""
        duration_s = checked_duration_s(BanScope.ROOM if room else BanScope.SITE, duration_s)
        record = await self._node.find_connection(nick)
        if record is None:
            raise CauserieError(ErrorCode.NOT_FOUND, "user_not_found", field="nick")
        operator = StaffAccount(actor, StaffRole.ADMIN, "")
        return await self._decide(
            operator,
            action=audit.AuditAction.BAN,
            decision=Decision.BANNED_ROOM if room else Decision.BANNED_SITE,
            nick=record.nick,
            session=record.session,
            report=None,
            reason=reason,
            duration_s=duration_s,
            room=room,
        )

    async def _delete(
        self, account: StaffAccount, command: cmd.Moderate, report: Report | None, reason: str
    ) -> str | None:
        message_id = command.message_id or (report.message_id if report else None)
        if message_id is None:
            raise CauserieError(ErrorCode.INVALID, "report_target", field="message_id")
        message = await self._node.store.find_message(message_id) or self._node.hub.find_recent(
            message_id
        )
        if message is None:
            raise CauserieError(ErrorCode.NOT_FOUND, "not_found", field="message_id")
        scope.require(account, scope.room_of(message))  # the message's room, not `room`
        await self._node.delete_message(message_id, account.name, reason)
        return await self._decide(
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
        await scope.require_person(self._node, account, command.room, (nick, session), report)
        # Stored like a ban, so that reconnecting under a new nickname does not end it.
        await self._node.ban(
            nick=nick,
            scope=BanScope.MUTE,
            room=command.room,
            duration_s=duration_s,
            reason=reason,
            actor=account.name,
        )
        if session is not None:
            await self._node.control(
                session,
                {
                    "op": "mute",
                    "room": command.room,
                    "until": self._node.now_ms() + int(duration_s * 1000),
                },
            )
        return await self._decide(
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
        await scope.require_person(self._node, account, command.room, (nick, session), report)
        statement_id = await self._decide(
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
            await self._node.control(session, {"op": "kick", "room": command.room})
        return statement_id

    async def _ban(
        self, account: StaffAccount, command: cmd.Moderate, report: Report | None, reason: str
    ) -> str | None:
        ban_scope = BanScope.ROOM if command.room else BanScope.SITE
        duration_s = checked_duration_s(ban_scope, command.duration_s)
        nick, session = await self._person(command, report)
        await scope.require_person(self._node, account, command.room, (nick, session), report)
        # The statement goes out before the ban closes the connection.
        statement_id = await self._decide(
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
        await self._node.ban(
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
        return await self._node.teen_space.move_out(account, command, report, reason, self._issue)

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
        await self._node.restrict_room(command.room, locked=locked, slow_mode_s=slow_mode_s)
        action = (
            audit.AuditAction.SLOW_MODE
            if slow_mode_s is not None
            else audit.AuditAction.LOCK_ROOM
            if locked
            else audit.AuditAction.UNLOCK_ROOM
        )
        await self._node.store.append_audit(
            at_ms=self._node.now_ms(),
            actor=account.name,
            actor_kind=audit.ActorKind.HUMAN,
            action=action,
            target=f"room:{command.room}",
            reason=reason,
            details={"locked": locked, "slow_mode_s": slow_mode_s},
        )
        return None
