"""What a node does when a conversation to a minor crosses the grooming line (core/grooming.py
decides; docs/moderation.md, "Grooming seen as a conversation").

1. A ticket at top severity in the child-safety lane, with the whole conversation: the private
   messages both ways (or the room around the message), the risky lines the detector kept
   (held ones too, which no one else saw), its stages and score, and the minor it was
   addressed to. The queue already sorts child safety first and alerts every moderator.
2. A pause on the sender's new conversations with minors, recorded as a `minors` ban
   (session and device, every node, across reconnections) until a moderator decides; the hub
   of the sender's node paused them already, in the same step as the message.
3. When a moderator closes the ticket (acted or dismissed), the pause is lifted and the
   detector may alert about that person again.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from causerie.core.events import GroomingAlert
from causerie.core.grooming import ALERT_RULE, ALERT_SEVERITY
from causerie.core.messages import DirectMessage, Message
from causerie.core.policy.bans import BanScope
from causerie.errors import CauserieError
from causerie.safety.reports import Report
from causerie.wire.views import dm_view, message_view

log = logging.getLogger(__name__)
CONTEXT_AROUND = 50  # messages of the conversation before and after the one that crossed
UNPAUSE_ORDER = "unpause_minors"  # the control order to the node hosting the session


class Flagger(Protocol):
    async def __call__(
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
    ) -> None: ...


class Pauses(Protocol):
    async def pause(self, nick: str) -> None:
        """Record the pause for this person (session, device) on every node."""

    async def lift(self, nick: str) -> None: ...


class ConversationContext(Protocol):
    async def context_of(
        self, message: Message | DirectMessage, around: int = 10
    ) -> list[Message | DirectMessage]: ...


def _view(message: Message | DirectMessage) -> dict[str, Any]:
    return message_view(message) if isinstance(message, Message) else dm_view(message)


class GroomingAlerts:
    def __init__(
        self,
        store: ConversationContext,
        flag: Flagger,
        pauses: Pauses,
        order: Callable[[str, dict[str, Any]], Awaitable[None]],
    ) -> None:
        self._store = store
        self._flag = flag
        self._pauses = pauses
        self._order = order

    async def alert(self, alert: GroomingAlert) -> None:
        message = alert.message
        sender = message.sender
        stored = await self._store.context_of(message, CONTEXT_AROUND)
        if not any(m.id == message.id for m in stored):  # not committed yet, or held
            stored.append(message)
        evidence = {
            "message": _view(message),
            "context": [_view(m) for m in stored],
            "risky_lines": [{"at": at, "text": text} for at, text in alert.context],
            "stages": list(alert.stages),
            "score": round(alert.score, 1),
            "minor": alert.recipient.nick if alert.recipient is not None else None,
        }
        room = message.room if isinstance(message, Message) else None
        await self._flag(
            ALERT_RULE,
            "child_safety",
            ALERT_SEVERITY,
            sender.nick,
            message.sender_session or None,
            evidence,
            message_id=message.id,
            room=room,
        )
        try:
            await self._pauses.pause(sender.nick)
        except CauserieError as exc:  # gone and never recorded: the hub's pause stands alone
            log.warning("grooming pause for %s not recorded: %s", sender.nick, exc)

    async def decided(self, report: Report) -> None:
        """A moderator closed a ticket: if it was a grooming alert, the pause ends."""
        if report.rule != ALERT_RULE:
            return
        await self._pauses.lift(report.target_nick)
        if report.target_session:
            await self._order(report.target_session, {"op": UNPAUSE_ORDER})


class BanPauses:
    """`Pauses` as `minors` bans: the ban machinery already reaches every node and
    matches a person by session and device across reconnections."""

    def __init__(
        self,
        ban: Callable[..., Awaitable[object]],
        lift: Callable[[str, BanScope | None], Awaitable[None]],
    ) -> None:
        self._ban = ban
        self._lift = lift

    async def pause(self, nick: str) -> None:
        await self._ban(
            nick=nick,
            scope=BanScope.MINOR_CONTACTS,
            room=None,
            duration_s=None,
            reason=ALERT_RULE,
            actor="automod",
        )

    async def lift(self, nick: str) -> None:
        await self._lift(nick, BanScope.MINOR_CONTACTS)
