"""`Tickets`: closing a ticket of the queue once it is decided — its new state stored and
audited, every moderator shown the change, a grooming alert's pause lifted, and the reporter
told whether their report led to an action."""

from __future__ import annotations

from causerie.node.grooming import GroomingAlerts
from causerie.node.moderation.queue import Queue
from causerie.node.ports import Clock
from causerie.node.publisher import Publisher
from causerie.safety import audit
from causerie.safety.reports import Report, ReportState, can_move
from causerie.safety.staff import StaffAccount
from causerie.store.base import ModerationStore


class Tickets:
    def __init__(
        self,
        store: ModerationStore,
        queue: Queue,
        grooming: GroomingAlerts,
        publisher: Publisher,
        clock: Clock,
    ) -> None:
        self._store = store
        self._queue = queue
        self._grooming = grooming
        self._publisher = publisher
        self._clock = clock

    async def close(
        self,
        report: Report,
        state: ReportState,
        account: StaffAccount,
        decision: str,
        statement_id: str | None,
    ) -> None:
        if not can_move(report.state, state) and report.state is not state:
            return
        now_ms = self._clock.now_ms()
        updated = await self._store.update_report(
            report.id,
            state=state,
            decided_by=account.name,
            decision=decision,
            statement_id=statement_id,
            updated_at_ms=now_ms,
        )
        assert updated is not None
        await self._store.append_audit(
            at_ms=self._clock.now_ms(),
            actor=account.name,
            actor_kind=audit.ActorKind.HUMAN,
            action=audit.AuditAction.REPORT_CLOSED,
            target=f"report:{report.id}",
            reason=decision,
            details={"state": state.value},
        )
        await self._queue.publish(updated)
        await self._grooming.decided(report)  # a grooming alert decided: its pause ends
        if report.reporter_session:
            key = "report_actioned" if state is ReportState.ACTIONED else "report_dismissed"
            await self._publisher.inform(report.reporter_session, key, report_id=report.id)
