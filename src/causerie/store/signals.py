"""The signals half of `SqlStore`: what the signals that a "teen" may be an adult read
(core/policy/adult_signals.py, node/signals.py). A mixin: it uses the store's engine.

- the profiles declared from one address lately (connection records, newest first, bounded:
  index `ix_connections_address_connected_at_ms`);
- a person's child-safety tickets, by session or by nickname (index `ix_reports_target_nick`),
  shown together to the moderator;
- when moderators last decided a device's band (moved out of the teen space, or that decision
  lifted on appeal): the device's band memory starts again from there.
"""

from __future__ import annotations

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine

from causerie.core.policy.adult_signals import Sighting
from causerie.core.policy.bans import BanScope
from causerie.safety.reports import Category, Report, ReportKind
from causerie.store import schema
from causerie.store.moderation import _report

MAX_SIGHTINGS = 500  # past this many profiles in the window, an address is crowded anyway
MAX_SIGNALS = 50


class SignalQueries:
    engine: AsyncEngine

    async def profiles_from_address(
        self, address: str, since_ms: int, limit: int = MAX_SIGHTINGS
    ) -> list[Sighting]:
        """The profiles declared from `address` since `since_ms`, newest first."""
        table = schema.connections
        query = (
            select(table.c.device, table.c.age, table.c.user_agent, table.c.connected_at_ms)
            .where(table.c.address == address, table.c.connected_at_ms >= since_ms)
            .order_by(table.c.connected_at_ms.desc())
            .limit(limit)
        )
        async with self.engine.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [Sighting(device, age, user_agent, at_ms) for device, age, user_agent, at_ms in rows]

    async def child_safety_about(
        self, session: str | None, nick: str, since_ms: int, limit: int = MAX_SIGNALS
    ) -> list[Report]:
        """Flags and reports in the child-safety category about a person (this session, or
        this nickname as recorded), since `since_ms`, oldest first."""
        table = schema.reports
        who = table.c.target_nick == nick
        if session:
            who = or_(who, table.c.target_session == session)
        query = (
            select(table)
            .where(
                and_(
                    who,
                    table.c.created_at_ms >= since_ms,
                    table.c.category == Category.CHILD_SAFETY.value,
                    table.c.kind.in_([ReportKind.FLAG.value, ReportKind.REPORT.value]),
                )
            )
            .order_by(table.c.created_at_ms.desc(), table.c.id.desc())
            .limit(limit)
        )
        async with self.engine.connect() as connection:
            rows = (await connection.execute(query)).mappings().all()
        return [_report(row) for row in reversed(rows)]

    async def band_decisions_ms(self, device: str) -> list[int]:
        """When moderators moved this device out of the teen space, and when such a decision
        was lifted (an appeal reversed it)."""
        table = schema.bans
        query = select(table.c.created_at_ms, table.c.lifted_at_ms).where(
            table.c.device == device, table.c.scope == BanScope.TEEN_SPACE.value
        )
        async with self.engine.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [at for row in rows for at in row if at is not None]
