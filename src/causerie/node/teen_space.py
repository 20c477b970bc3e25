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
  change of band (`band_memory_start_ms`, read by `refuse_band_change`);
- the person may appeal from the statement, like any decision — also before saying hello, from
  the device the decision bars (`appeal_before_hello`), since a teen wrongly moved out cannot
  enter to appeal. An appeal that reverses the decision lifts the ban, and the device's band
  memory starts again from that moment.

Apart from a moderator's decision, a device keeps the band it first declared:
`refuse_band_change` refuses a `hello` whose age is of the other band than the ages declared
from the same device cookie within `BAND_MEMORY_MS` (16, then 25: an adult posing as a teen, or
the reverse), and flags it for the moderators (`band_changed`).
"""

from __future__ import annotations

import secrets
from typing import Any

from causerie.core import commands as cmd
from causerie.core.hub import Hub
from causerie.core.policy.bans import BanList, BanScope
from causerie.core.users import AgeBand, age_band
from causerie.errors import CauserieError, ErrorCode
from causerie.node import scope
from causerie.node.bans import MOVED_OUT_ACTION, BanKeeper, closed_error
from causerie.node.connections import Connection
from causerie.node.directory import Directory
from causerie.node.moderation.decisions import Decisions
from causerie.node.moderation.flags import Flags
from causerie.node.ports import Clock, Spawn
from causerie.safety import audit
from causerie.safety.reports import Report
from causerie.safety.staff import StaffAccount
from causerie.safety.statements import Decision, Ground, Source, make_statement
from causerie.store.base import Store

ACTION = MOVED_OUT_ACTION
BAND_MEMORY_MS = 365 * 24 * 3600 * 1000  # as long as connection records are kept


class TeenSpace:
    def __init__(
        self,
        *,
        known_bans: BanList,
        hub: Hub,
        store: Store,
        directory: Directory,
        decisions: Decisions,
        bans: BanKeeper,
        flags: Flags,
        spawn: Spawn,
        clock: Clock,
    ) -> None:
        self._known_bans = known_bans
        self._hub = hub
        self._store = store
        self._directory = directory
        self._decisions = decisions
        self._bans = bans
        self._flags = flags
        self._spawn = spawn
        self._clock = clock

    # -- at hello ----------------------------------------------------------------------------

    def refuse_if_moved_out(
        self, connection: Connection, session: str, resume_session: str | None
    ) -> None:
        """Refuses a minor's hello from a device (or session) moved out of the teen space."""
        if not self._hub.profile_of(session).is_minor:
            return
        peer = connection.peer
        ban = self._known_bans.find_at_admission(
            BanScope.TEEN_SPACE,
            session=resume_session,
            device=peer.device,
            address=peer.origin.address,
            now_ms=self._clock.now_ms(),
        )
        if ban is None:
            return
        self._hub.leave(session)
        raise closed_error()

    async def refuse_band_change(self, connection: Connection, session: str) -> None:
        """Someone who said 16 cannot come back from the same device saying 25, nor the
        reverse (an adult posing as a teen): refused, and flagged for the moderators."""
        device = connection.peer.device
        if device.startswith("new-"):  # no cookie: nothing links this visit to another
            return
        profile = self._hub.profile_of(session)
        since_ms = self._clock.now_ms() - BAND_MEMORY_MS
        ages = await self._store.declared_ages(device, since_ms)
        if all(age_band(age) is profile.band for age in ages):
            return
        # A moderator decided this device's band (`move_out`): it counts from then.
        start_ms = await self.band_memory_start_ms(device, since_ms)
        if start_ms > since_ms:
            ages = await self._store.declared_ages(device, start_ms)
            if all(age_band(age) is profile.band for age in ages):
                return
        self._hub.leave(session)
        self._spawn(
            self._flags.flag_person(
                None,
                profile.nick,
                "band_changed",
                "child_safety",
                4,
                {"device": device, "declared_ages": sorted({*ages, profile.age})},
            )
        )
        raise CauserieError(ErrorCode.AGE_RESTRICTED, "band_changed", field="age")

    async def band_memory_start_ms(self, device: str, since_ms: int) -> int:
        """From when the ages declared from `device` count towards a change of band: the latest
        moderators' decision about its band (moved out, or that lifted), if after `since_ms`."""
        return max([since_ms, *await self._store.band_decisions_ms(device)])

    # -- the moderator's action --------------------------------------------------------------

    async def move_out(
        self,
        account: StaffAccount,
        command: cmd.Moderate,
        report: Report | None,
        reason: str,
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
        now_ms = self._clock.now_ms()
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
        await self._decisions.issue(
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
        await self._bans.ban(
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
        store = self._store
        if command.session:
            record = await store.connection(command.session)
            if record is None:
                raise CauserieError(ErrorCode.NOT_FOUND, "user_not_found", field="session")
            return record.nick, record.session, record.age
        if not command.nick and report is not None and report.target_session:
            record = await store.connection(report.target_session)
            if record is not None:
                return record.nick, record.session, record.age
        nick = command.nick or (report.target_nick if report else None)
        if not nick:
            raise CauserieError(ErrorCode.INVALID, "report_target", field="nick")
        found = await self._directory.find_person(nick)
        if found is not None:
            return found[1].nick, found[0], found[1].age
        last = await store.last_connection_of(nick.strip())
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
        record = await self._store.connection(str(statement.get("session") or ""))
        if record is None or record.device != device:
            return None
        return str(statement["nick"])
