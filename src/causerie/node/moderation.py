"""`Moderation`: the node's moderation service — staff logins, the queue, moderators' actions,
reports and appeals from users, automatic flags, age verification.

Every decision about a person writes an audit entry (hash-chained, in the store) and sends the
person a statement of reasons; every report is a ticket in the store whose evidence (the message
and the conversation around it) is copied in, so deleting the message or purging old messages
does not lose it. Queue changes are published on the `staff` channel so that moderators on
every node see them; actions on a person are carried out by the node that hosts their session
(a control message on the session's channel).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from causerie.core import commands as cmd
from causerie.core.events import (
    Appealed,
    Flag,
    MediaShown,
    QueueChanged,
    QueueListed,
    Reported,
    StaffWelcomed,
)
from causerie.core.messages import DirectMessage, Message
from causerie.core.policy.agebands import can_see_room, may_reach
from causerie.core.policy.bans import BanScope
from causerie.core.policy.nicknames import nick_key
from causerie.errors import CauserieError, ErrorCode
from causerie.media.records import MediaState
from causerie.node import scope
from causerie.node.actions import ModeratorActions, ground_of
from causerie.node.envelope import Envelope
from causerie.node.signals import signals_about
from causerie.safety import audit
from causerie.safety.ageverify import AgeVerifier, Refusal, Verification, token_nonce
from causerie.safety.report_reasons import checked_reason
from causerie.safety.reports import (
    SEVERITY,
    URGENT,
    Category,
    Lane,
    Report,
    ReportKind,
    ReportState,
    queue_order,
)
from causerie.safety.staff import StaffAccount, can_moderate
from causerie.safety.statements import (
    Decision,
)
from causerie.wire.events import encode_event
from causerie.wire.views import dm_view, message_view

if TYPE_CHECKING:
    from causerie.node.connections import Connection
    from causerie.node.runtime import Node

log = logging.getLogger(__name__)
STAFF_CHANNEL = "staff"
MAX_COMMENT_CHARS = 1000
MAX_CONTACT_CHARS = 200
DISTINCT_REPORTERS_FLAG = 3  # reported by this many people within the hour: flagged


def _view(message: Message | DirectMessage) -> dict[str, Any]:
    return message_view(message) if isinstance(message, Message) else dm_view(message)


class Moderation(ModeratorActions):
    def __init__(self, node: Node, verifier: AgeVerifier | None = None) -> None:
        self._node = node
        self._verifier = verifier
        self.staff: dict[Connection, StaffAccount] = {}

    # -- staff -------------------------------------------------------------------------------

    async def login(self, connection: Connection, request_id: Any, command: cmd.StaffLogin) -> None:
        """A staff login from the WebSocket or the IRC listener (OPER, SASL PLAIN): limited and
        checked off the event loop by `node.logins`; a refusal counts as a bad frame."""
        if connection.session is not None or connection in self.staff:
            raise CauserieError(ErrorCode.INVALID, "already_joined")
        try:
            account = await self._node.logins.log_in(
                command.name, command.password, command.totp, connection.peer.origin.address
            )
        except CauserieError:
            connection.strike()
            raise
        if connection.is_closing:  # gone while its password was checked: nothing to keep
            return
        self.staff[connection] = account
        connection.send(
            Envelope.reply(
                StaffWelcomed(account.name, account.role.value, account.rooms),
                request_id,
                connection.lang,
            )
        )
        await self.send_queue(connection, None)

    def forget(self, connection: Connection) -> None:
        self.staff.pop(connection, None)

    def _account(self, connection: Connection) -> StaffAccount:
        account = self.staff.get(connection)
        if account is None:
            raise CauserieError(ErrorCode.FORBIDDEN, "not_staff")
        return account

    async def send_queue(self, connection: Connection, request_id: Any) -> None:
        account = self._account(connection)
        reports = queue_order(await self._node.store.open_reports())
        # Only what this moderator may act on: a moderator limited to rooms sees their rooms'
        # tickets, never those with no room (private messages, people), as `on_staff_frame`.
        items = tuple([await self._item(r) for r in reports if can_moderate(account, r.room_id)])
        connection.send(Envelope.reply(QueueListed(items), request_id, connection.lang))

    async def show_media(
        self, connection: Connection, request_id: Any, command: cmd.ViewMedia
    ) -> None:
        """A picture's thumbnail, for a moderator deciding a report; each look is audited.
        Pictures the hash list matched are not shown here: they go to the authorities."""
        account = self._account(connection)
        node = self._node
        await scope.require_media(node, account, command.media_id)
        record = await node.store.media(command.media_id)
        data = None
        if record is not None and record.state is not MediaState.BLOCKED:
            data = await node.pictures.files.get(record.thumb_sha256)
        if record is None or data is None:
            raise CauserieError(ErrorCode.NOT_FOUND, "media_unknown", field="media_id")
        await node.store.append_audit(
            at_ms=node.now_ms(),
            actor=account.name,
            actor_kind=audit.ActorKind.HUMAN,
            action=audit.AuditAction.VIEW_MEDIA,
            target=f"media:{record.id}",
            reason="review",
            details={"uploader": record.uploader_nick},
        )
        shown = MediaShown(record.id, record.mime, data)
        connection.send(Envelope.reply(shown, request_id, connection.lang))

    def on_staff_frame(self, payload: str) -> None:
        """A queue change published by some node: show it to the moderators here who may act
        on it (moderators limited to rooms see their rooms' tickets only)."""
        room: str | None = None
        if any(account.rooms for account in self.staff.values()):
            room = json.loads(payload).get("item", {}).get("room")
        for connection, account in list(self.staff.items()):
            if not account.rooms or (room is not None and room in account.rooms):
                # One envelope each: an IRC moderator's notice names its reader, so its bytes
                # are not one kind's to share (only room events are rendered once per kind).
                connection.send(Envelope.of_text(payload))

    async def _publish(self, report: Report, *, is_new: bool = False) -> None:
        """A new or changed ticket to every moderator; a new urgent one as an alert."""
        event = QueueChanged(
            await self._item(report), is_alert=is_new and report.category in URGENT
        )
        await self._node.broker.publish(STAFF_CHANNEL, encode_event(event))

    async def _item(self, report: Report) -> dict[str, Any]:
        store = self._node.store
        earlier = []
        history: list[dict[str, Any]] = []
        if report.target_session:
            earlier = [
                {"decision": s["decision"], "ground": s["ground"], "at": s["decided_at_ms"]}
                for s in await store.statements_about(report.target_session)
            ]
            history = [message_view(m) for m in await store.recent_of(report.target_session)]
        return {
            "id": report.id,
            "kind": report.kind.value,
            "state": report.state.value,
            "category": report.category.value,
            "severity": report.severity,
            "lane": report.lane.value,
            "created_at": report.created_at_ms,
            "comment": report.comment,
            "rule": report.rule,
            "reporter": {"nick": report.reporter_nick} if report.reporter_nick else None,
            "assigned_to": report.assigned_to,
            "target": {"nick": report.target_nick, "message": report.evidence.get("message")},
            "context": report.evidence.get("context", []),
            # A grooming alert (node/grooming.py): the detector's stages, score, the minor
            # addressed and the risky lines it kept, held ones included.
            "grooming": {
                key: report.evidence[key]
                for key in ("stages", "score", "minor", "risky_lines")
                if key in report.evidence
            }
            or None,
            "history": history,
            "actions": earlier,
            "room": report.room_id,
            "statement_id": report.statement_id,
            "reason": report.evidence.get("reason"),  # a report's finer reason
            "details": report.evidence.get("details"),  # a person flag's figures
            # Every child-safety flag and report about the person, together (node/signals.py).
            "signals": await signals_about(store, report, self._node.now_ms()),
        }

    # -- reports from people -----------------------------------------------------------------

    async def report(self, connection: Connection, request_id: Any, command: cmd.Report) -> None:
        node = self._node
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
        reporter = node.hub.profile_of(session)
        reason = checked_reason(command.reason, category, reporter_is_minor=reporter.is_minor)
        peer = connection.peer
        ban = node.bans.known.find_reporting_ban(
            session=session, device=peer.device, address=peer.origin.address, now_ms=node.now_ms()
        )
        if ban is not None:
            raise CauserieError(
                ErrorCode.BANNED,
                "reporting_suspended",
                retry_after_s=ban.retry_after_s(node.now_ms()),
            )
        target_nick, target_session, room, evidence = await self._target(session, command)
        if reason is not None:  # kept with the report, shown in the queue (report_reasons.py)
            evidence["reason"] = reason.value
        now_ms = node.now_ms()
        report = await node.store.add_report(
            Report(
                0,
                ReportKind.REPORT,
                ReportState.RECEIVED,
                category,
                SEVERITY[category],
                Lane.TRUSTED if nick_key(reporter.nick) in node.trusted_flaggers else Lane.USER,
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
        await node.store.append_audit(
            at_ms=now_ms,
            actor=reporter.nick,
            actor_kind=audit.ActorKind.HUMAN,
            action=audit.AuditAction.REPORT_RECEIVED,
            target=f"user:{target_nick}",
            reason=category.value,
            details={"report": report.id},
        )
        connection.send(Envelope.reply(Reported(report.id), request_id, connection.lang))
        await self._publish(report, is_new=True)
        if target_session is not None:
            await self._flag_if_reported_by_many(target_session, target_nick, now_ms)

    async def _target(
        self, session: str, command: cmd.Report
    ) -> tuple[str, str | None, str | None, dict[str, Any]]:
        """Who and what is reported, with the evidence to keep — only what the reporter can
        see: another age band's messages and people are `not_found`, as if absent."""
        node = self._node
        reporter = node.hub.profile_of(session)
        if command.message_id is not None:
            message = await node.store.find_message(command.message_id)
            if message is None:
                message = node.hub.find_recent(command.message_id)
            if message is None:
                raise CauserieError(ErrorCode.NOT_FOUND, "not_found", field="message_id")
            if isinstance(message, Message):
                room = node.hub.room(message.room)
                if room is None or not can_see_room(reporter, room):
                    raise CauserieError(ErrorCode.NOT_FOUND, "not_found", field="message_id")
            elif session not in (message.sender_session, message.recipient_session):
                raise CauserieError(ErrorCode.NOT_FOUND, "not_found", field="message_id")
            context = await node.store.context_of(message)
            if not any(m.id == message.id for m in context):
                context.append(message)
            evidence = {"message": _view(message), "context": [_view(m) for m in context]}
            return (
                message.sender.nick,
                message.sender_session or None,
                message.room if isinstance(message, Message) else None,
                evidence,
            )
        if not command.nick:
            raise CauserieError(ErrorCode.INVALID, "report_target", field="nick")
        found = await node.find_person(command.nick)
        if found is None or not may_reach(reporter, found[1]):
            raise CauserieError(ErrorCode.NOT_FOUND, "user_not_found", field="nick")
        target_session, user = found
        history = [message_view(m) for m in await node.store.recent_of(target_session)]
        return user.nick, target_session, None, {"context": history}

    async def _flag_if_reported_by_many(self, session: str, nick: str, now_ms: int) -> None:
        recent = await self._node.store.reports_about(session, now_ms - 3600_000)
        reporters = {r.reporter_session for r in recent if r.kind is ReportKind.REPORT}
        flagged = any(r.kind is ReportKind.FLAG and r.rule == "many_reporters" for r in recent)
        if len(reporters) >= DISTINCT_REPORTERS_FLAG and not flagged:
            await self.flag_person(
                session,
                nick,
                "many_reporters",
                Category.HARASSMENT.value,
                4,
                {"reporters": len(reporters)},
            )

    # -- automatic flags ---------------------------------------------------------------------

    async def flag_message(self, flag: Flag) -> None:
        """Automatic moderation held or flagged a message: a ticket for the moderators."""
        message = flag.message
        context: list[Message | DirectMessage] = [message]
        if not flag.is_held:
            stored = await self._node.store.context_of(message)
            context = stored if any(m.id == message.id for m in stored) else [*stored, message]
        evidence = {
            "message": _view(message),
            "context": [_view(m) for m in context],
            "held": flag.is_held,
        }
        await self._flag(
            flag.rule,
            flag.category,
            flag.severity,
            message.sender.nick,
            message.sender_session or None,
            evidence,
            message_id=message.id,
            room=message.room if isinstance(message, Message) else None,
        )
        if flag.is_held:  # an automatic decision about the sender: stated like any other
            await self._automatic(
                message.sender.nick,
                message.sender_session or None,
                Decision.HELD,
                ground_of(flag.category),
                flag.rule,
                None,
            )

    async def flag_with_evidence(
        self,
        rule: str,
        category: str,
        severity: int,
        nick: str,
        session: str | None,
        evidence: dict[str, Any],
        *,
        message_id: int | None = None,
        room: str | None = None,
    ) -> None:
        """An automatic flag whose evidence the caller assembled (node/grooming.py)."""
        await self._flag(
            rule, category, severity, nick, session, evidence, message_id=message_id, room=room
        )

    async def flag_person(
        self,
        session: str | None,
        nick: str,
        rule: str,
        category: str,
        severity: int,
        details: dict[str, Any],
    ) -> None:
        await self._flag(rule, category, severity, nick, session, {"details": details})

    async def _flag(
        self,
        rule: str,
        category: str,
        severity: int,
        nick: str,
        session: str | None,
        evidence: dict[str, Any],
        *,
        message_id: int | None = None,
        room: str | None = None,
    ) -> None:
        node = self._node
        now_ms = node.now_ms()
        try:
            kind = Category(category)
        except ValueError:
            kind = Category.OTHER
        report = await node.store.add_report(
            Report(
                0,
                ReportKind.FLAG,
                ReportState.RECEIVED,
                kind,
                severity,
                Lane.AUTOMATIC,
                nick,
                session,
                now_ms,
                now_ms,
                rule=rule,
                message_id=message_id,
                room_id=room,
                evidence=evidence,
            )
        )
        await node.store.append_audit(
            at_ms=now_ms,
            actor="automod",
            actor_kind=audit.ActorKind.AUTOMATIC,
            action=audit.AuditAction.FLAG,
            target=f"user:{nick}",
            reason=rule,
            details={"report": report.id, "held": bool(evidence.get("held"))},
        )
        await self._publish(report, is_new=True)

    # -- appeals -----------------------------------------------------------------------------

    async def appeal(self, connection: Connection, request_id: Any, command: cmd.Appeal) -> None:
        node = self._node
        session = connection.session
        statement = await node.store.statement(command.statement_id)
        if session is None:  # before hello: a move-out, from the device it bars (teen_space.py)
            appellant = statement and await node.teen_space.appellant(connection, statement)
            if statement is None or not appellant:
                raise CauserieError(ErrorCode.NOT_FOUND, "not_found", field="statement_id")
            nick, session = appellant, statement["session"] or None
        else:
            nick = node.hub.profile_of(session).nick
            if statement is None or (
                statement["session"] != session and nick_key(statement["nick"]) != nick_key(nick)
            ):
                raise CauserieError(ErrorCode.NOT_FOUND, "not_found", field="statement_id")
        now_ms = node.now_ms()
        if statement["appealed_at_ms"] is not None:
            raise CauserieError(ErrorCode.INVALID, "appeal_done", field="statement_id")
        if now_ms > statement["appeal_until_ms"]:
            raise CauserieError(ErrorCode.INVALID, "appeal_closed", field="statement_id")
        text = command.text.strip()[:MAX_COMMENT_CHARS]
        room = scope.statement_room(statement)  # who may decide it: that room's moderators
        await node.store.update_statement(
            command.statement_id, appealed_at_ms=now_ms, appeal_text=text
        )
        report = await node.store.add_report(
            Report(
                0,
                ReportKind.APPEAL,
                ReportState.APPEALED,
                _category(statement["ground"]),
                3,
                Lane.USER,
                statement["nick"],
                session,
                now_ms,
                now_ms,
                session,
                nick,
                comment=text,
                statement_id=command.statement_id,
                room_id=room,
                evidence={
                    "statement": {
                        "decision": statement["decision"],
                        "actor": statement["actor"],
                        "decided_at": statement["decided_at_ms"],
                    }
                },
            )
        )
        await node.store.append_audit(
            at_ms=now_ms,
            actor=nick,
            actor_kind=audit.ActorKind.HUMAN,
            action=audit.AuditAction.APPEAL,
            target=f"statement:{command.statement_id}",
            reason=text[:200],
            details={"report": report.id},
        )
        connection.send(Envelope.reply(Appealed(command.statement_id), request_id, connection.lang))
        await self._publish(report, is_new=True)

    async def _decide_appeal(
        self, account: StaffAccount, command: cmd.Moderate, report: Report | None, reason: str
    ) -> str | None:
        node = self._node
        statement_id = command.statement_id or (report.statement_id if report else None)
        statement = await node.store.statement(statement_id) if statement_id else None
        if statement is None or statement_id is None:
            raise CauserieError(ErrorCode.NOT_FOUND, "not_found", field="statement_id")
        scope.require(account, scope.statement_room(statement))
        if statement["actor"] == account.name and len(await node.store.staff_names()) > 1:
            # Art. 20: an appeal goes to someone other than the moderator who decided.
            raise CauserieError(ErrorCode.FORBIDDEN, "not_staff")
        outcome = "upheld" if command.uphold else "reversed"
        await node.store.update_statement(statement_id, appeal_outcome=outcome)
        if not command.uphold and statement["decision"] in (
            "banned_site",
            "banned_room",
            "suspended",
            "muted",
        ):
            await node.lift_bans(statement["nick"])
        if not command.uphold and statement["decision"] == Decision.MOVED_OUT_OF_TEEN_SPACE:
            await node.bans.lift(statement["nick"], BanScope.TEEN_SPACE)  # the teen space again
        await node.store.append_audit(
            at_ms=node.now_ms(),
            actor=account.name,
            actor_kind=audit.ActorKind.HUMAN,
            action=audit.AuditAction.APPEAL_DECIDED,
            target=f"statement:{statement_id}",
            reason=reason,
            details={"outcome": outcome},
        )
        if report is not None:
            await self._close(
                report,
                ReportState.ACTIONED if command.uphold else ReportState.DISMISSED,
                account,
                f"appeal {outcome}",
                None,
            )
        if statement["session"]:
            await node.inform(statement["session"], f"appeal_{outcome}")
        return statement_id

    # -- age verification --------------------------------------------------------------------

    async def verify_age(
        self, connection: Connection, request_id: Any, command: cmd.VerifyAge
    ) -> Sequence[Any]:
        if self._verifier is None:
            raise CauserieError(ErrorCode.INVALID, "age_proof_refused", reason="no provider")
        verification = self._verifier.verify(command.token, self._node.now_ms())
        if verification.ok and self._node.cluster is not None:
            # Each node remembers the proofs it accepted; Redis makes that true of all nodes.
            used = token_nonce(command.token)
            if used is None or not await self._node.cluster.presence.use_once(*used):
                verification = Verification.refused(Refusal.REPLAYED)
        if not verification.ok:
            reason = verification.reason.value if verification.reason else "refused"
            raise CauserieError(
                ErrorCode.INVALID, "age_proof_refused", field="token", reason=reason
            )
        assert connection.session is not None
        return self._node.hub.verify_age(connection.session).replies


def _category(ground: str) -> Category:
    try:
        return Category(ground)
    except ValueError:
        return Category.OTHER
