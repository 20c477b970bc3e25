"""`Flags`: tickets the server opens by itself — automatic moderation held or flagged a message,
a person's signals crossed a line (node/signals.py, node/seeking.py, a changed age band, mass
messaging, a hash-list match), a conversation crossed the grooming line (node/grooming.py).
Each is stored with its evidence, audited, and shown to every moderator; a held message is
also a decision about its sender, stated like any other.
"""

from __future__ import annotations

from typing import Any

from causerie.core.events import Flag
from causerie.core.messages import DirectMessage, Message
from causerie.node.moderation.decisions import Decisions, ground_of
from causerie.node.moderation.queue import Queue
from causerie.node.ports import Clock
from causerie.safety import audit
from causerie.safety.reports import Category, Lane, Report, ReportKind, ReportState
from causerie.safety.statements import Decision
from causerie.store.base import ModerationStore
from causerie.wire.views import dm_view, message_view


def evidence_view(message: Message | DirectMessage) -> dict[str, Any]:
    return message_view(message) if isinstance(message, Message) else dm_view(message)


class Flags:
    def __init__(
        self, store: ModerationStore, queue: Queue, decisions: Decisions, clock: Clock
    ) -> None:
        self._store = store
        self._queue = queue
        self._decisions = decisions
        self._clock = clock

    async def flag_message(self, flag: Flag) -> None:
        """Automatic moderation held or flagged a message: a ticket for the moderators."""
        message = flag.message
        context: list[Message | DirectMessage] = [message]
        if not flag.is_held:
            stored = await self._store.context_of(message)
            context = stored if any(m.id == message.id for m in stored) else [*stored, message]
        evidence = {
            "message": evidence_view(message),
            "context": [evidence_view(m) for m in context],
            "held": flag.is_held,
            # Who sent it and to whom: a held message a moderator releases is delivered then.
            "sessions": {
                "sender": message.sender_session,
                "recipient": getattr(message, "recipient_session", ""),
            },
        }
        await self.flag_with_evidence(
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
            await self._decisions.automatic(
                message.sender.nick,
                message.sender_session or None,
                Decision.HELD,
                ground_of(flag.category),
                flag.rule,
                None,
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
        """A flag about a person, with the figures that raised it."""
        await self.flag_with_evidence(rule, category, severity, nick, session, {"details": details})

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
        """An automatic flag with its evidence (node/grooming.py assembles its own)."""
        now_ms = self._clock.now_ms()
        try:
            kind = Category(category)
        except ValueError:
            kind = Category.OTHER
        report = await self._store.add_report(
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
        await self._store.append_audit(
            at_ms=now_ms,
            actor="automod",
            actor_kind=audit.ActorKind.AUTOMATIC,
            action=audit.AuditAction.FLAG,
            target=f"user:{nick}",
            reason=rule,
            details={"report": report.id, "held": bool(evidence.get("held"))},
        )
        await self._queue.publish(report, is_new=True)
