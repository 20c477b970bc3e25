"""`Decisions`: the paperwork of every decision about a person — a statement of reasons stored
and sent to them, an audit entry — and art. 23's escalation (a warning, then a suspension) for
repeat offenders and for people whose reports keep being unfounded. Moderators' actions, the
automatic moderation, the hash-list match and the operator's command line all decide here.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from typing import Any

from causerie.core.events import Stated
from causerie.core.policy.bans import BanScope, checked_duration_s
from causerie.errors import CauserieError, ErrorCode
from causerie.node.bans import BanKeeper
from causerie.node.directory import Directory
from causerie.node.ports import Clock
from causerie.node.publisher import Publisher
from causerie.safety import audit
from causerie.safety.reports import Report
from causerie.safety.staff import StaffAccount, StaffRole
from causerie.safety.statements import (
    Decision,
    Ground,
    Source,
    Statement,
    make_statement,
    render,
)
from causerie.store.base import ModerationStore

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


class Decisions:
    """Args:
    store: statements and the audit log.
    publisher, lang_of: to send a statement to the person, in their language.
    room_name: a room's name as people see it (a statement names the room so, not by its id).
    bans: what a suspension stores.
    directory: who is behind a nickname (the operator's command line).
    """

    def __init__(
        self,
        store: ModerationStore,
        publisher: Publisher,
        lang_of: Callable[[str], str],
        bans: BanKeeper,
        directory: Directory,
        clock: Clock,
        room_name: Callable[[str], str] = str,
    ) -> None:
        self._store = store
        self._room_name = room_name
        self._publisher = publisher
        self._lang_of = lang_of
        self._bans = bans
        self._directory = directory
        self._clock = clock

    async def issue(
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
        await self._store.add_statement(
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
        await self._store.append_audit(
            at_ms=statement.decided_at_ms,
            actor=actor,
            actor_kind=actor_kind,
            action=action,
            target=f"user:{nick}",
            reason=reason,
            details=details,
        )
        if session is not None:
            stated = Stated(render(statement, self._lang_of(session)), statement.id)
            await self._publisher.to_session(session, stated)

    async def automatic(
        self,
        nick: str,
        session: str | None,
        decision: Decision,
        ground: Ground,
        rule: str,
        duration_s: float | None,
    ) -> None:
        """A decision of the automatic moderation, stated like any other."""
        now_ms = self._clock.now_ms()
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
        await self.issue(
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

    async def escalate(
        self, nick: str, session: str | None, count: int, ground: Ground, scope: BanScope, rule: str
    ) -> None:
        """Art. 23: a warning at `WARN_AT`, a suspension from `SUSPEND_AT` on (automatic,
        stated, audited and appealable like any decision)."""
        if count == WARN_AT:
            await self.automatic(nick, session, Decision.WARNING, ground, rule, None)
        elif count >= SUSPEND_AT:
            # The statement goes out before the ban closes the connection.
            await self.automatic(nick, session, Decision.SUSPENDED, ground, rule, SUSPENSION_S)
            await self._bans.ban(
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
        await self.automatic(nick, session, Decision.SUSPENDED, Ground.CHILD_SAFETY, rule, None)
        await self._bans.ban(
            nick=nick, scope=BanScope.SITE, room=None, duration_s=None, reason=rule, actor="automod"
        )

    async def decide(
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
        """Audit a person's decision by a human and send them its statement of reasons; then
        art. 23's count of their decisions. Returns the statement's id."""
        now_ms = self._clock.now_ms()
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
            room=None if room is None else self._room_name(room),
            explanation=reason,
        )
        await self.issue(
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
            decisions = await self._store.statements_about_nick(nick, now_ms - ART23_WINDOW_MS)
            human = [s for s in decisions if not s["is_automatic"]]
            await self.escalate(
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
        record = await self._directory.find_connection(nick)
        if record is None:
            raise CauserieError(ErrorCode.NOT_FOUND, "user_not_found", field="nick")
        operator = StaffAccount(actor, StaffRole.ADMIN, "")
        return await self.decide(
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
