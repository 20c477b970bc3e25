"""Reports, automatic flags and appeals: the tickets of the moderation queue (DESIGN.md rule 6,
DSA art. 16). Pure: what a ticket holds, how it may change state, and the queue's order.

How this works: a ticket starts `received`; a moderator `take`s it (`in_review`), then it is
`actioned` or `dismissed`. A decision can be `appealed`, which puts the ticket back in the queue
as an appeal until a different moderator decides it. The queue is ordered by severity (child
safety and threats first), then the trusted flaggers' lane, then age (oldest first).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class ReportKind(StrEnum):
    REPORT = "report"
    FLAG = "flag"
    APPEAL = "appeal"


class ReportState(StrEnum):
    RECEIVED = "received"
    IN_REVIEW = "in_review"
    ACTIONED = "actioned"
    DISMISSED = "dismissed"
    APPEALED = "appealed"


class Lane(StrEnum):
    USER = "user"
    TRUSTED = "trusted"
    AUTOMATIC = "automatic"


class Category(StrEnum):
    CHILD_SAFETY = "child_safety"
    THREAT = "threat"
    HARASSMENT = "harassment"
    HATE = "hate"
    ILLEGAL_GOODS = "illegal_goods"
    SEXUAL_CONTENT = "sexual_content"
    SPAM = "spam"
    OTHER = "other"


SEVERITY: dict[Category, int] = {
    Category.CHILD_SAFETY: 5,
    Category.THREAT: 5,
    Category.ILLEGAL_GOODS: 4,
    Category.HARASSMENT: 3,
    Category.HATE: 3,
    Category.SEXUAL_CONTENT: 3,
    Category.OTHER: 2,
    Category.SPAM: 1,
}
URGENT = frozenset({Category.CHILD_SAFETY, Category.THREAT})  # alert every moderator at once
OPEN_STATES = frozenset({ReportState.RECEIVED, ReportState.IN_REVIEW, ReportState.APPEALED})
_NEXT: dict[ReportState, frozenset[ReportState]] = {
    ReportState.RECEIVED: frozenset(
        {ReportState.IN_REVIEW, ReportState.ACTIONED, ReportState.DISMISSED}
    ),
    ReportState.IN_REVIEW: frozenset(
        {ReportState.ACTIONED, ReportState.DISMISSED, ReportState.RECEIVED}
    ),
    ReportState.ACTIONED: frozenset({ReportState.APPEALED}),
    ReportState.DISMISSED: frozenset({ReportState.APPEALED}),
    ReportState.APPEALED: frozenset({ReportState.ACTIONED, ReportState.DISMISSED}),
}


def can_move(current: ReportState, target: ReportState) -> bool:
    return target in _NEXT[current]


@dataclass(frozen=True, slots=True)
class Report:
    id: int
    kind: ReportKind
    state: ReportState
    category: Category
    severity: int
    lane: Lane
    target_nick: str
    target_session: str | None
    created_at_ms: int
    updated_at_ms: int
    reporter_session: str | None = None
    reporter_nick: str | None = None
    reporter_contact: str | None = None
    good_faith: bool = False
    comment: str = ""
    rule: str | None = None
    message_id: int | None = None
    room_id: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)
    statement_id: str | None = None
    assigned_to: str | None = None
    decided_by: str | None = None
    decision: str | None = None

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


def queue_order(reports: Iterable[Report]) -> list[Report]:
    """Severity first, then the trusted flaggers' lane, then the oldest."""
    return sorted(
        reports,
        key=lambda r: (-r.severity, r.lane is not Lane.TRUSTED, r.created_at_ms, r.id),
    )
