"""`Appeals`: a person contests a decision from its statement of reasons (DSA art. 20) — also
before saying hello, for a move out of the teen space, from the device it bars — and another
moderator than the one who decided upholds or reverses it; a reversal lifts the bans it set.
"""

from __future__ import annotations

from causerie.core import commands as cmd
from causerie.core.events import Appealed
from causerie.core.hub import Hub
from causerie.core.policy.bans import BanScope
from causerie.core.policy.nicknames import nick_key
from causerie.errors import CauserieError, ErrorCode
from causerie.node import scope
from causerie.node.bans import BanKeeper
from causerie.node.connections import Connection
from causerie.node.moderation.queue import Queue
from causerie.node.moderation.reports import MAX_COMMENT_CHARS
from causerie.node.moderation.tickets import Tickets
from causerie.node.ports import Clock
from causerie.node.publisher import Publisher
from causerie.node.replies import Replies
from causerie.node.teen_space import TeenSpace
from causerie.safety import audit
from causerie.safety.reports import Category, Lane, Report, ReportKind, ReportState
from causerie.safety.staff import StaffAccount
from causerie.safety.statements import Decision
from causerie.store.base import ModerationStore
from causerie.wire.commands import RequestId

LIFTED_BY_REVERSAL = ("banned_site", "banned_room", "suspended", "muted")


def _category(ground: str) -> Category:
    try:
        return Category(ground)
    except ValueError:
        return Category.OTHER


class Appeals:
    def __init__(
        self,
        store: ModerationStore,
        hub: Hub,
        teen_space: TeenSpace,
        bans: BanKeeper,
        queue: Queue,
        tickets: Tickets,
        publisher: Publisher,
        replies: Replies,
        clock: Clock,
    ) -> None:
        self._store = store
        self._hub = hub
        self._teen_space = teen_space
        self._bans = bans
        self._queue = queue
        self._tickets = tickets
        self._publisher = publisher
        self._replies = replies
        self._clock = clock

    async def appeal(
        self, connection: Connection, request_id: RequestId, command: cmd.Appeal
    ) -> None:
        store = self._store
        session = connection.session
        statement = await store.statement(command.statement_id)
        if session is None:  # before hello: a move-out, from the device it bars (teen_space.py)
            appellant = statement and await self._teen_space.appellant(connection, statement)
            if statement is None or not appellant:
                raise CauserieError(ErrorCode.NOT_FOUND, "not_found", field="statement_id")
            nick, session = appellant, statement["session"] or None
        else:
            nick = self._hub.profile_of(session).nick
            if statement is None or (
                statement["session"] != session and nick_key(statement["nick"]) != nick_key(nick)
            ):
                raise CauserieError(ErrorCode.NOT_FOUND, "not_found", field="statement_id")
        now_ms = self._clock.now_ms()
        if statement["appealed_at_ms"] is not None:
            raise CauserieError(ErrorCode.INVALID, "appeal_done", field="statement_id")
        if now_ms > statement["appeal_until_ms"]:
            raise CauserieError(ErrorCode.INVALID, "appeal_closed", field="statement_id")
        text = command.text.strip()[:MAX_COMMENT_CHARS]
        room = scope.statement_room(statement)  # who may decide it: that room's moderators
        await store.update_statement(command.statement_id, appealed_at_ms=now_ms, appeal_text=text)
        report = await store.add_report(
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
        await store.append_audit(
            at_ms=now_ms,
            actor=nick,
            actor_kind=audit.ActorKind.HUMAN,
            action=audit.AuditAction.APPEAL,
            target=f"statement:{command.statement_id}",
            reason=text[:200],
            details={"report": report.id},
        )
        self._replies.send(connection, request_id, [Appealed(command.statement_id)])
        await self._queue.publish(report, is_new=True)

    async def decide(
        self, account: StaffAccount, command: cmd.Moderate, report: Report | None, reason: str
    ) -> str | None:
        """The `mod` action `decide_appeal`: upheld or reversed, by someone else than who
        decided (when there is someone else). Returns the statement's id."""
        store = self._store
        statement_id = command.statement_id or (report.statement_id if report else None)
        statement = await store.statement(statement_id) if statement_id else None
        if statement is None or statement_id is None:
            raise CauserieError(ErrorCode.NOT_FOUND, "not_found", field="statement_id")
        scope.require(account, scope.statement_room(statement))
        if statement["actor"] == account.name and len(await store.staff_names()) > 1:
            # Art. 20: an appeal goes to someone other than the moderator who decided.
            raise CauserieError(ErrorCode.FORBIDDEN, "not_staff")
        outcome = "upheld" if command.uphold else "reversed"
        await store.update_statement(statement_id, appeal_outcome=outcome)
        if not command.uphold and statement["decision"] in LIFTED_BY_REVERSAL:
            await self._bans.lift(statement["nick"])
        if not command.uphold and statement["decision"] == Decision.MOVED_OUT_OF_TEEN_SPACE:
            await self._bans.lift(statement["nick"], BanScope.TEEN_SPACE)  # the teen space again
        await store.append_audit(
            at_ms=self._clock.now_ms(),
            actor=account.name,
            actor_kind=audit.ActorKind.HUMAN,
            action=audit.AuditAction.APPEAL_DECIDED,
            target=f"statement:{statement_id}",
            reason=reason,
            details={"outcome": outcome},
        )
        if report is not None:
            await self._tickets.close(
                report,
                ReportState.ACTIONED if command.uphold else ReportState.DISMISSED,
                account,
                f"appeal {outcome}",
                None,
            )
        if statement["session"]:
            await self._publisher.inform(statement["session"], f"appeal_{outcome}")
        return statement_id
