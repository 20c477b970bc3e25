"""How long each kind of record is kept, legal holds, and what open reports protect: the
values the purge and the store's retention queries exchange. Pure: callers pass the clock.

The law fixes one period: connection and identification data (the connection records, and the
address and port each message or picture came from) are kept one year (LCEN art. 6 II, décret
n° 2021-1362). The others are the operator's choice, with the defaults of docs/retention.md.
Material under an open report or a legal hold is kept whatever its age.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Final

from causerie.config import Settings
from causerie.errors import ConfigError

DAY_MS: Final = 86_400_000


class Kind(StrEnum):
    """What the purge removes, in the order it removes it."""

    MESSAGES = "messages"
    DIRECT_MESSAGES = "direct_messages"
    MEDIA = "media"
    CONNECTIONS = "connections"
    ORIGINS = "message_origins"
    DECISIONS = "decisions"  # statements of reasons
    REPORTS = "closed_reports"  # reports actioned or dismissed (open ones are kept)
    AUDIT = "audit_log"


#: The kinds whose period French law fixes (one year); the others are operator choices.
LAW_FIXED: Final = frozenset({Kind.CONNECTIONS, Kind.ORIGINS})


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    connections_days: int = 365
    messages_days: int = 90
    media_days: int = 90
    audit_days: int = 1825

    @classmethod
    def from_settings(cls, settings: Settings) -> RetentionPolicy:
        return cls(
            settings.retention_connections_days,
            settings.retention_messages_days,
            settings.retention_media_days,
            settings.retention_audit_days,
        )

    def days(self, kind: Kind) -> int:
        return {
            Kind.MESSAGES: self.messages_days,
            Kind.DIRECT_MESSAGES: self.messages_days,
            Kind.MEDIA: self.media_days,
            Kind.CONNECTIONS: self.connections_days,
            Kind.ORIGINS: self.connections_days,
            Kind.DECISIONS: self.audit_days,
            Kind.REPORTS: self.audit_days,
            Kind.AUDIT: self.audit_days,
        }[kind]

    def cutoff_ms(self, kind: Kind, now_ms: int) -> int:
        """Records of `kind` created before this instant are due for deletion."""
        return now_ms - self.days(kind) * DAY_MS


class HoldScope(StrEnum):
    USER = "user"  # everything a nickname sent, received or uploaded, and its connections
    ROOM = "room"  # everything posted in a room, and its posters' connections


@dataclass(frozen=True, slots=True)
class Hold:
    """A legal hold: what is in scope between `from_ms` and `to_ms` is never purged while the
    hold is in force (until released)."""

    reference: str
    scope: HoldScope
    nick: str | None
    room: str | None
    from_ms: int
    to_ms: int
    operator: str
    created_at_ms: int
    released_at_ms: int | None = None
    released_by: str | None = None

    @property
    def is_active(self) -> bool:
        return self.released_at_ms is None


@dataclass(frozen=True, slots=True)
class Protected:
    """What open reports keep, whatever its age: message ids (the reported message and the
    conversation copied around it) and the sessions of reporters and reported people."""

    message_ids: frozenset[int] = frozenset()
    sessions: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class MediaFiles:
    """The files of purged pictures that no remaining picture row uses any more."""

    names: tuple[str, ...] = ()


MAX_REFERENCE_CHARS: Final = 128


def make_hold(
    *,
    reference: str,
    nick: str | None,
    room: str | None,
    from_ms: int,
    to_ms: int,
    operator: str,
    now_ms: int,
) -> Hold:
    """A new hold, checked.

    Raises:
        ConfigError: no or both scopes, an empty reference, or a period that ends before it
            starts (each as one readable sentence).
    """
    reference = reference.strip()
    if not reference or len(reference) > MAX_REFERENCE_CHARS:
        raise ConfigError(f"a hold needs a reference of 1 to {MAX_REFERENCE_CHARS} characters")
    if (nick is None) == (room is None):
        raise ConfigError("a hold covers either a user (--user) or a room (--room), not both")
    if to_ms < from_ms:
        raise ConfigError("the hold's period ends (--to) before it starts (--from)")
    scope = HoldScope.USER if nick is not None else HoldScope.ROOM
    return Hold(reference, scope, nick, room, from_ms, to_ms, operator or "operator", now_ms)


def parse_day(text: str, *, end: bool = False) -> int:
    """A date (`2026-01-31`) or a UTC date-time (`2026-01-31T12:00`) as epoch milliseconds.

    With `end`, a bare date means the end of that day (its last millisecond), so that
    `--from 2026-01-01 --to 2026-01-31` covers all of January.

    Raises:
        ConfigError: anything else, with the value.
    """
    value = text.strip()
    try:
        if "T" in value or " " in value:
            moment = datetime.fromisoformat(value)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            return int(moment.timestamp() * 1000)
        day = date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"{text!r} is not a date: expected YYYY-MM-DD") from None
    start = int(datetime.combine(day, time(), UTC).timestamp() * 1000)
    return start + DAY_MS - 1 if end else start
