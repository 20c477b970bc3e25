"""`TeenSpace`: a moderator moves a person out of the teen space, and their device keeps the
adult band (docs/moderation.md §5, "Move out of the teen space"; docs/protocol.md).

How this works: `move_out` (the `mod` action `move_out_of_teen_space`, for unrestricted
moderators only: it is a site-wide measure) sends the person a statement of reasons, audits
it, and stores a ban of scope `teen` against their session, device cookie and address — the
ban machinery (core/policy/bans.py), so it holds across restarts and on every node. Storing it
ends the person's teen session wherever it is connected (`node/bans.py`). From then on:

- a `hello` declaring an age under 18 that the ban matches (the same device cookie; the address
  only for someone arriving without a cookie, as for a site ban) is refused with
  `age_restricted`, key `teen_space_closed`, which points to the appeal (`refuse_if_moved_out`);
- the same device declaring an adult age is admitted to the adult space: the moderator's
  decision is the device's band from now on, so ages declared before it no longer count as a
  change of band (`band_memory_start_ms`, read by the node's `band_changed` check);
- the person may appeal from the statement, like any decision — also before saying hello, from
  the device the decision bars (`appeal_before_hello`), since a teen wrongly moved out cannot
  enter to appeal. An appeal that reverses the decision lifts the ban, and the device's band
  memory starts again from that moment.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from causerie.core import commands as cmd
from causerie.core.policy.bans import BanScope
from causerie.core.users import AgeBand, age_band
from causerie.errors import CauserieError, ErrorCode
from causerie.node import scope
from causerie.safety import audit
from causerie.safety.reports import Report
from causerie.safety.staff import StaffAccount
from causerie.safety.statements import Decision, Ground, Source, make_statement

if TYPE_CHECKING:
    from causerie.node.connections import Connection
    from causerie.node.runtime import Node

ACTION = "move_out_of_teen_space"
CLOSED_KEY = "teen_space_closed"
Issue = Callable[..., Awaitable[None]]  # ModeratorActions._issue: store, audit, send


def closed_error() -> CauserieError:
    """The refusal a moved-out device gets when it declares a minor's age."""
    return CauserieError(ErrorCode.AGE_RESTRICTED, CLOSED_KEY, field="age", reason=ACTION)


class TeenSpace:
    def __init__(self, node: Node) -> None:
        self._node = node

    # -- at hello ----------------------------------------------------------------------------

    def refuse_if_moved_out(
        self, connection: Connection, session: str, resume_session: str | None
    ) -> None:
        """Refuses a minor's hello from a device (or session) moved out of the teen space."""
        node = self._node
        if not node.hub.profile_of(session).is_minor:
            return
        peer = connection.peer
        ban = node.bans.known.find_at_admission(
            BanScope.TEEN_SPACE,
            session=resume_session,
            device=peer.device,
            address=peer.origin.address,
            now_ms=node.now_ms(),
        )
        if ban is None:
            return
        node.hub.leave(session)
        raise closed_error()

    async def band_memory_start_ms(self, device: str, since_ms: int) -> int:
        """From when the ages declared from `device` count towards a change of band: the latest
        moderators' decision about its band (moved out, or that lifted), if after `since_ms`."""
        return max([since_ms, *await self._node.store.band_decisions_ms(device)])

    # -- the moderator's action --------------------------------------------------------------

    async def move_out(
        self,
        account: StaffAccount,
        command: cmd.Moderate,
        report: Report | None,
        reason: str,
        issue: Issue,
    ) -> str:
        """Move a person out of the teen space: statement, audit, the `teen` ban that ends their
        teen session. Returns the statement's id.

        Raises:
            CauserieError: `forbidden` (`mod_scope`) for a moderator limited to rooms;
                `not_found` for nobody under that nickname or session; `invalid`
                (`not_in_teen_space`) for someone who did not declare a minor's age.
        """
        scope.require(account, None)  # a site-wide measure
        nick, session, age = await self._person(command, report)
        if age_band(age) is not AgeBand.TEEN:
            raise CauserieError(ErrorCode.INVALID, "not_in_teen_space", field="nick")
        node = self._node
        now_ms = node.now_ms()
        statement = make_statement(
            statement_id=secrets.token_hex(8),
            decision=Decision.MOVED_OUT_OF_TEEN_SPACE,
            ground=Ground.ADULT_IN_TEEN_SPACE,
            is_automatic=False,
            source=Source.REPORT if report else Source.MODERATOR,
            decided_at_ms=now_ms,
            explanation=reason,
        )
        details: dict[str, Any] = {
            "report": report.id if report else None,
            "statement": statement.id,
            "declared_age": age,
        }
        # The statement goes out before the ban ends the session.
        await issue(
            statement,
            nick=nick,
            session=session,
            actor=account.name,
            actor_kind=audit.ActorKind.HUMAN,
            action=audit.AuditAction.MOVE_OUT_OF_TEEN_SPACE,
            reason=reason,
            body={"explanation": reason, "room": None, "content": None},
            report_id=report.id if report else None,
            details=details,
        )
        await node.ban(
            nick=nick,
            scope=BanScope.TEEN_SPACE,
            room=None,
            duration_s=None,
            reason=reason,
            actor=account.name,
        )
        return statement.id

    async def _person(
        self, command: cmd.Moderate, report: Report | None
    ) -> tuple[str, str | None, int]:
        """(nickname, session, declared age) of the person: by `session`, by `nick`, or the
        report's target (its session when the report has one)."""
        node = self._node
        if command.session:
            record = await node.store.connection(command.session)
            if record is None:
                raise CauserieError(ErrorCode.NOT_FOUND, "user_not_found", field="session")
            return record.nick, record.session, record.age
        if not command.nick and report is not None and report.target_session:
            record = await node.store.connection(report.target_session)
            if record is not None:
                return record.nick, record.session, record.age
        nick = command.nick or (report.target_nick if report else None)
        if not nick:
            raise CauserieError(ErrorCode.INVALID, "report_target", field="nick")
        found = await node.find_person(nick)
        if found is not None:
            return found[1].nick, found[0], found[1].age
        last = await node.store.last_connection_of(nick.strip())
        if last is None:
            raise CauserieError(ErrorCode.NOT_FOUND, "user_not_found", field="nick")
        return last.nick, last.session, last.age

    # -- appeals -----------------------------------------------------------------------------

    async def appellant(self, connection: Connection, statement: dict[str, Any]) -> str | None:
        """Who appeals a move-out before saying hello: the statement's nickname, when this
        connection comes from the device cookie the decision bars; None otherwise."""
        device = connection.peer.device
        if statement.get("decision") != Decision.MOVED_OUT_OF_TEEN_SPACE.value:
            return None
        if not device or device.startswith("new-"):
            return None
        record = await self._node.store.connection(str(statement.get("session") or ""))
        if record is None or record.device != device:
            return None
        return str(statement["nick"])
