"""Bans (DESIGN.md, rule 6): from a room or the whole site, for a time or for good, matched by
session, device cookie and address so that a new nickname does not escape them. Pure: callers
pass `now_ms`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from causerie.errors import CauserieError, ErrorCode

# The documented range of a ban's or a mute's duration (docs/moderation.md §5, docs/protocol.md):
# a second at least; a mute at most 30 days (longer is a ban), a ban at most ten years (or for
# good, with no duration at all).
MIN_DURATION_S = 1.0
MAX_MUTE_S = 30 * 86400.0
MAX_BAN_S = 3650 * 86400.0


class BanScope(StrEnum):
    SITE = "site"
    ROOM = "room"
    REPORTS = "reports"  # may not report (art. 23 DSA: abuse of the report button)
    MUTE = "mute"  # may not post, in one room or everywhere (a reconnection does not end it)
    # Moved out of the teen space by a moderator: may not say hello declaring an age under 18
    # (docs/moderation.md §5); lifted only when an appeal reverses the decision.
    TEEN_SPACE = "teen"
    # May not open new conversations with minors: a grooming alert awaits a moderator's
    # decision (core/grooming.py). A precaution, lifted when the alert is decided.
    MINOR_CONTACTS = "minors"  # the column holds 8 characters


@dataclass(frozen=True, slots=True)
class Ban:
    id: int
    scope: BanScope
    room: str | None
    nick: str
    session: str | None
    device: str | None
    address: str | None
    reason: str
    actor: str
    created_at_ms: int
    expires_at_ms: int | None  # None: for good
    lifted_at_ms: int | None = None

    def is_active(self, now_ms: int) -> bool:
        return self.lifted_at_ms is None and (
            self.expires_at_ms is None or now_ms < self.expires_at_ms
        )

    def retry_after_s(self, now_ms: int) -> float | None:
        return (
            None if self.expires_at_ms is None else max(0.0, (self.expires_at_ms - now_ms) / 1000)
        )

    def matches(
        self,
        session: str | None,
        device: str | None,
        address: str | None,
        *,
        is_admission: bool = True,
    ) -> bool:
        """Whether this ban applies to a connection.

        The address is shared by everyone behind one router (a family, a school, a mobile
        carrier), so it only catches someone who arrives without a device cookie of their own
        (the evader who cleared it); people with their own cookie are judged by it, and nobody
        already connected is thrown out for sharing an address (`is_admission=False`).
        """
        has_own_device = bool(device) and not str(device).startswith("new-")
        return bool(
            (self.session and session == self.session)
            or (self.device and device == self.device and not self.device.startswith("new-"))
            or (is_admission and not has_own_device and self.address and address == self.address)
        )


def checked_duration_s(
    scope: BanScope, duration_s: float | None, field: str = "duration_s"
) -> float | None:
    """`duration_s` if it is within the scope's range (None, for good, passes: the caller
    decides whether that is allowed).

    Raises:
        CauserieError: `invalid`, key `out_of_range`, naming the field and the range, for a
            number outside it (NaN and infinities included) or a bool.
    """
    if duration_s is None:
        return None
    maximum = MAX_MUTE_S if scope is BanScope.MUTE else MAX_BAN_S
    if isinstance(duration_s, bool) or not MIN_DURATION_S <= duration_s <= maximum:
        raise CauserieError(ErrorCode.INVALID, "out_of_range", field=field, min=1, max=int(maximum))
    return float(duration_s)


def expiry_ms(now_ms: int, duration_s: float | None) -> int | None:
    """When a ban of `duration_s` made at `now_ms` ends (None: for good). Whatever the number,
    the result is an integer within the ban range's bounds: a value that slipped past the checks
    can never overflow or end a ban before it began."""
    if duration_s is None:
        return None
    if not math.isfinite(duration_s) or duration_s > MAX_BAN_S:
        duration_s = MAX_BAN_S
    return now_ms + int(max(MIN_DURATION_S, duration_s) * 1000)


class BanList:
    """The bans a node knows, checked on every admission and room entry.

    Mutes are also kept apart: they are checked on every message, so that check must not walk
    every ban ever made.
    """

    def __init__(self) -> None:
        self._bans: dict[int, Ban] = {}
        self._mutes: dict[int, Ban] = {}

    def __len__(self) -> int:
        return len(self._bans)

    def update(self, bans: Iterable[Ban]) -> None:
        for ban in bans:
            self._bans[ban.id] = ban
            if ban.scope is BanScope.MUTE:
                self._mutes[ban.id] = ban

    def find(
        self,
        *,
        session: str | None,
        device: str | None,
        address: str | None,
        room: str | None,
        now_ms: int,
    ) -> Ban | None:
        """The active ban, site-wide or for `room`, that applies; the longest-lasting first."""
        found = [
            ban
            for ban in self._bans.values()
            if ban.is_active(now_ms)
            and (
                ban.scope is BanScope.SITE
                or (ban.scope is BanScope.ROOM and room is not None and ban.room == room)
            )
            and ban.matches(session, device, address)
        ]
        if not found:
            return None
        return max(
            found, key=lambda b: float("inf") if b.expires_at_ms is None else b.expires_at_ms
        )

    def find_scoped(
        self,
        scope: BanScope,
        *,
        session: str | None,
        device: str | None,
        address: str | None,
        now_ms: int,
    ) -> Ban | None:
        """An active ban of `scope` for this person (a shared address alone never matches)."""
        for ban in self._bans.values():
            if (
                ban.scope is scope
                and ban.is_active(now_ms)
                and ban.matches(session, device, address, is_admission=False)
            ):
                return ban
        return None

    def find_at_admission(
        self,
        scope: BanScope,
        *,
        session: str | None,
        device: str | None,
        address: str | None,
        now_ms: int,
    ) -> Ban | None:
        """An active ban of `scope` that refuses an arrival: matched as a site ban is (by the
        session, the device, and the address only for someone arriving without a cookie)."""
        for ban in self._bans.values():
            if (
                ban.scope is scope
                and ban.is_active(now_ms)
                and ban.matches(session, device, address)
            ):
                return ban
        return None

    def find_mute(
        self,
        *,
        session: str | None,
        device: str | None,
        address: str | None,
        room: str | None,
        now_ms: int,
    ) -> Ban | None:
        """A mute in force everywhere, or in `room`, for this person."""
        if not self._mutes:
            return None
        for ban in self._mutes.values():
            if (
                ban.is_active(now_ms)
                and (ban.room is None or ban.room == room)
                and ban.matches(session, device, address, is_admission=False)
            ):
                return ban
        return None

    def find_reporting_ban(
        self, *, session: str | None, device: str | None, address: str | None, now_ms: int
    ) -> Ban | None:
        for ban in self._bans.values():
            if (
                ban.scope is BanScope.REPORTS
                and ban.is_active(now_ms)
                and ban.matches(session, device, address)
            ):
                return ban
        return None

    def forget_expired(self, now_ms: int) -> None:
        self._bans = {i: b for i, b in self._bans.items() if b.is_active(now_ms)}
        self._mutes = {i: b for i, b in self._mutes.items() if b.is_active(now_ms)}
