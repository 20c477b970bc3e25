"""`HeldMessages`: a message automatic moderation held ("retenu pour vérification") released
or discarded by a moderator — the `mod` actions `release_held` and `discard_held`.

Both need the held message's ticket (`report_id`), still open; the moderator's scope is
checked on the ticket's room (the message's room, None for a private message) before anything
changes, by the `mod` command itself. Released, the message is delivered as if it had passed:
stored, fanned out to the room (or to both sides of the private conversation, where the
recipient's arrival rules apply as for any private message) and kept in the room's recent
history, under its own id and time. Discarded, it stays only in the ticket's evidence. Either
way the sender is told in their language, the decision is audited, and the ticket closes.
"""

from __future__ import annotations

from typing import Any

import msgspec

from causerie.core import commands as cmd
from causerie.core.events import DmSent, MessagePosted
from causerie.core.hub import Hub
from causerie.core.messages import DirectMessage, Message
from causerie.errors import CauserieError, ErrorCode
from causerie.node.directory import Directory
from causerie.node.ports import Clock
from causerie.node.publisher import Publisher
from causerie.safety import audit
from causerie.safety.reports import Report
from causerie.safety.staff import StaffAccount
from causerie.store.base import Origin, Store
from causerie.wire.events import message_of_view

EXCERPT_CHARS = 80
UNKNOWN_ORIGIN = Origin("", 0)


class HeldMessages:
    def __init__(
        self,
        *,
        store: Store,
        hub: Hub,
        directory: Directory,
        publisher: Publisher,
        clock: Clock,
    ) -> None:
        self._store = store
        self._hub = hub
        self._directory = directory
        self._publisher = publisher
        self._clock = clock

    async def release(
        self, account: StaffAccount, command: cmd.Moderate, report: Report | None, reason: str
    ) -> str | None:
        message = await self._held(report)
        assert report is not None
        origin = await self._origin(message.sender_session)
        await self._store.save([(message, origin)])
        if isinstance(message, Message):
            self._hub.remember(message)
            await self._publisher.to_room(message.room, MessagePosted(message))
        else:
            event = DmSent(message)
            if message.recipient_session:
                await self._publisher.to_session(message.recipient_session, event)
            if message.sender_session:
                await self._publisher.to_session(message.sender_session, event)
        await self._decided(account, report, message, audit.AuditAction.RELEASE_MESSAGE, reason)
        await self._tell(message, "held_released")
        return None

    async def discard(
        self, account: StaffAccount, command: cmd.Moderate, report: Report | None, reason: str
    ) -> str | None:
        message = await self._held(report)
        assert report is not None
        await self._decided(account, report, message, audit.AuditAction.DISCARD_MESSAGE, reason)
        await self._tell(message, "held_discarded")
        return None

    async def _held(self, report: Report | None) -> Message | DirectMessage:
        """The held message of an open ticket, with its sessions (`invalid` otherwise)."""
        evidence: dict[str, Any] = report.evidence if report is not None else {}
        view = evidence.get("message")
        if report is None or not report.is_open or not evidence.get("held") or view is None:
            raise CauserieError(ErrorCode.INVALID, "report_target", field="report_id")
        try:
            message = message_of_view(view)
        except (msgspec.ValidationError, TypeError, ValueError):
            raise CauserieError(ErrorCode.INVALID, "report_target", field="report_id") from None
        sessions = evidence.get("sessions") or {}
        sender = str(sessions.get("sender") or report.target_session or "")
        if isinstance(message, Message):
            return Message(
                message.id,
                message.room,
                message.sender,
                message.text,
                message.ts_ms,
                sender,
                message.media,
                message.reply_to,
            )
        recipient = str(sessions.get("recipient") or "")
        if not recipient:  # held before the evidence kept sessions: whoever has the nickname now
            found = await self._directory.find_person(message.recipient.nick)
            recipient = found[0] if found is not None else ""
        return DirectMessage(
            message.id,
            message.sender,
            message.recipient,
            message.text,
            message.ts_ms,
            sender,
            recipient,
            message.media,
            message.reply_to,
        )

    async def _origin(self, session: str) -> Origin:
        """Where the message came from, as its connection record says (kept for the law)."""
        record = await self._store.connection(session) if session else None
        return UNKNOWN_ORIGIN if record is None else Origin(record.address, record.port)

    async def _decided(
        self,
        account: StaffAccount,
        report: Report,
        message: Message | DirectMessage,
        action: audit.AuditAction,
        reason: str,
    ) -> None:
        room = message.room if isinstance(message, Message) else None
        await self._store.append_audit(
            at_ms=self._clock.now_ms(),
            actor=account.name,
            actor_kind=audit.ActorKind.HUMAN,
            action=action,
            target=f"message:{message.id}",
            reason=reason,
            details={"report": report.id, "room": room, "sender": message.sender.nick},
        )

    async def _tell(self, message: Message | DirectMessage, key: str) -> None:
        if not message.sender_session:
            return
        text = " ".join(message.text.split())
        excerpt = text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…"
        await self._publisher.inform(message.sender_session, key, excerpt=excerpt)
