"""`Reports`: a report from a person about a message or someone — checked (category, reason,
lengths, a reporter suspended from reporting), its evidence copied in (only what the reporter
can see: another age band's messages and people are `not_found`, as if absent), stored,
audited, shown to every moderator; a person reported by several people within the hour is
flagged too. `TrustedFlaggers`: whose reports go to the trusted lane (DSA art. 22).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from causerie.core import commands as cmd
from causerie.core.events import Reported
from causerie.core.hub import Hub
from causerie.core.messages import Message
from causerie.core.policy.agebands import can_see_room, may_reach
from causerie.core.policy.bans import BanList
from causerie.core.policy.nicknames import nick_key
from causerie.errors import CauserieError, ErrorCode
from causerie.node.connections import Connection
from causerie.node.directory import Directory
from causerie.node.moderation.flags import Flags, evidence_view
from causerie.node.moderation.queue import Queue
from causerie.node.ports import Clock
from causerie.node.replies import Replies
from causerie.safety import audit
from causerie.safety.report_reasons import checked_reason
from causerie.safety.reports import SEVERITY, Category, Lane, Report, ReportKind, ReportState
from causerie.store.base import ModerationStore
from causerie.wire.commands import RequestId
from causerie.wire.views import message_view

MAX_COMMENT_CHARS = 1000
MAX_CONTACT_CHARS = 200
DISTINCT_REPORTERS_FLAG = 3  # reported by this many people within the hour: flagged


class TrustedFlaggers:
    """Nicknames (as keys) whose reports go to the trusted lane: the operator's setting, and
    those added with `causerie flagger` (read from the store at start and every few seconds)."""

    def __init__(self, configured: Iterable[str]) -> None:
        self._configured = frozenset(nick_key(n) for n in configured if n.strip())
        self._keys = self._configured

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def update(self, stored: Iterable[str]) -> None:
        self._keys = self._configured | frozenset(stored)


class Reports:
    def __init__(
        self,
        store: ModerationStore,
        hub: Hub,
        known_bans: BanList,
        flaggers: TrustedFlaggers,
        directory: Directory,
        queue: Queue,
        flags: Flags,
        replies: Replies,
        clock: Clock,
    ) -> None:
        self._store = store
        self._hub = hub
        self._known_bans = known_bans
        self._flaggers = flaggers
        self._directory = directory
        self._queue = queue
        self._flags = flags
        self._replies = replies
        self._clock = clock

    async def report(
        self, connection: Connection, request_id: RequestId, command: cmd.Report
    ) -> None:
        session = connection.session
        assert session is not None
        try:
            category = Category(command.category)
        except ValueError:
            raise CauserieError(ErrorCode.INVALID, "report_category", field="category") from None
        if len(command.comment) > MAX_COMMENT_CHARS:
            raise CauserieError(
                ErrorCode.TOO_LARGE, "text_too_long", field="comment", max=MAX_COMMENT_CHARS
            )
        if command.contact and len(command.contact) > MAX_CONTACT_CHARS:
            raise CauserieError(
                ErrorCode.TOO_LARGE, "text_too_long", field="contact", max=MAX_CONTACT_CHARS
            )
        reporter = self._hub.profile_of(session)
        reason = checked_reason(command.reason, category, reporter_is_minor=reporter.is_minor)
        peer, now_ms = connection.peer, self._clock.now_ms()
        ban = self._known_bans.find_reporting_ban(
            session=session, device=peer.device, address=peer.origin.address, now_ms=now_ms
        )
        if ban is not None:
            raise CauserieError(
                ErrorCode.BANNED, "reporting_suspended", retry_after_s=ban.retry_after_s(now_ms)
            )
        target_nick, target_session, room, evidence = await self._target(session, command)
        if reason is not None:  # kept with the report, shown in the queue (report_reasons.py)
            evidence["reason"] = reason.value
        now_ms = self._clock.now_ms()
        report = await self._store.add_report(
            Report(
                0,
                ReportKind.REPORT,
                ReportState.RECEIVED,
                category,
                SEVERITY[category],
                Lane.TRUSTED if nick_key(reporter.nick) in self._flaggers else Lane.USER,
                target_nick,
                target_session,
                now_ms,
                now_ms,
                session,
                reporter.nick,
                (command.contact or "")[:MAX_CONTACT_CHARS] or None,
                command.good_faith,
                command.comment[:MAX_COMMENT_CHARS],
                None,
                command.message_id,
                room,
                evidence,
            )
        )
        await self._store.append_audit(
            at_ms=now_ms,
            actor=reporter.nick,
            actor_kind=audit.ActorKind.HUMAN,
            action=audit.AuditAction.REPORT_RECEIVED,
            target=f"user:{target_nick}",
            reason=category.value,
            details={"report": report.id},
        )
        self._replies.send(connection, request_id, [Reported(report.id)])
        await self._queue.publish(report, is_new=True)
        if target_session is not None:
            await self._flag_if_reported_by_many(target_session, target_nick, now_ms)

    async def _target(
        self, session: str, command: cmd.Report
    ) -> tuple[str, str | None, str | None, dict[str, Any]]:
        """Who and what is reported, with the evidence to keep — only what the reporter can
        see: another age band's messages and people are `not_found`, as if absent."""
        hub, store = self._hub, self._store
        reporter = hub.profile_of(session)
        if command.message_id is not None:
            message = await store.find_message(command.message_id)
            if message is None:
                message = hub.find_recent(command.message_id)
            if message is None:
                raise CauserieError(ErrorCode.NOT_FOUND, "not_found", field="message_id")
            if isinstance(message, Message):
                room = hub.room(message.room)
                if room is None or not can_see_room(reporter, room):
                    raise CauserieError(ErrorCode.NOT_FOUND, "not_found", field="message_id")
            elif session not in (message.sender_session, message.recipient_session):
                raise CauserieError(ErrorCode.NOT_FOUND, "not_found", field="message_id")
            context = await store.context_of(message)
            if not any(m.id == message.id for m in context):
                context.append(message)
            evidence = {
                "message": evidence_view(message),
                "context": [evidence_view(m) for m in context],
            }
            return (
                message.sender.nick,
                message.sender_session or None,
                message.room if isinstance(message, Message) else None,
                evidence,
            )
        if not command.nick:
            raise CauserieError(ErrorCode.INVALID, "report_target", field="nick")
        found = await self._directory.find_person(command.nick)
        if found is None or not may_reach(reporter, found[1]):
            raise CauserieError(ErrorCode.NOT_FOUND, "user_not_found", field="nick")
        target_session, user = found
        history = [message_view(m) for m in await store.recent_of(target_session)]
        return user.nick, target_session, None, {"context": history}

    async def _flag_if_reported_by_many(self, session: str, nick: str, now_ms: int) -> None:
        recent = await self._store.reports_about(session, now_ms - 3600_000)
        reporters = {r.reporter_session for r in recent if r.kind is ReportKind.REPORT}
        flagged = any(r.kind is ReportKind.FLAG and r.rule == "many_reporters" for r in recent)
        if len(reporters) >= DISTINCT_REPORTERS_FLAG and not flagged:
            await self._flags.flag_person(
                session,
                nick,
                "many_reporters",
                Category.HARASSMENT.value,
                4,
                {"reporters": len(reporters)},
            )
