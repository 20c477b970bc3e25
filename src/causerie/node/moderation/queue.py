"""`Queue`: the moderators' queue as they see it — a ticket with everything needed to decide it
(the message and its context, the person's earlier decisions and messages, every child-safety
signal about them), published on the `staff` channel so that moderators on every node see a
new or changed ticket at once.
"""

from __future__ import annotations

from typing import Any

from causerie.core.events import QueueChanged
from causerie.node.ports import Clock
from causerie.node.publisher import Publisher
from causerie.node.signals import signals_about
from causerie.safety.reports import URGENT, Report
from causerie.store.base import Store
from causerie.wire.views import message_view


class Queue:
    def __init__(self, store: Store, publisher: Publisher, clock: Clock) -> None:
        self._store = store
        self._publisher = publisher
        self._clock = clock

    async def publish(self, report: Report, *, is_new: bool = False) -> None:
        """A new or changed ticket to every moderator; a new urgent one as an alert."""
        event = QueueChanged(await self.item(report), is_alert=is_new and report.category in URGENT)
        await self._publisher.to_staff(event)

    async def item(self, report: Report) -> dict[str, Any]:
        """A ticket as the queue shows it (docs/protocol.md, `queue`)."""
        store = self._store
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
            # Held by automatic moderation and never delivered: a moderator may release or
            # discard it (node/moderation/held.py) while the ticket is open.
            "held": bool(report.evidence.get("held")),
            "statement_id": report.statement_id,
            "reason": report.evidence.get("reason"),  # a report's finer reason
            "details": report.evidence.get("details"),  # a person flag's figures
            # Every child-safety flag and report about the person, together (node/signals.py).
            "signals": await signals_about(store, report, self._clock.now_ms()),
        }
