"""Report tickets (DESIGN.md rule 6, DSA art. 16): the queue's order, the states a ticket may
move between, and the severity of every category."""

from __future__ import annotations

from typing import Any

import pytest

from causerie.safety.reports import (
    OPEN_STATES,
    SEVERITY,
    URGENT,
    Category,
    Lane,
    Report,
    ReportKind,
    ReportState,
    can_move,
    queue_order,
)

T0_MS = 1_000_000
S = ReportState


def _report(report_id: int, **changes: Any) -> Report:
    fields: dict[str, Any] = {
        "id": report_id,
        "kind": ReportKind.REPORT,
        "state": ReportState.RECEIVED,
        "category": Category.HARASSMENT,
        "severity": 3,
        "lane": Lane.USER,
        "target_nick": "Bruno",
        "target_session": "s-bruno",
        "created_at_ms": T0_MS,
        "updated_at_ms": T0_MS,
    }
    fields.update(changes)
    return Report(**fields)


def _ids(reports: list[Report]) -> list[int]:
    return [r.id for r in reports]


# -- queue_order ----------------------------------------------------------------------------


def test_queue_order_higher_severity_first_whatever_the_age() -> None:
    reports = [
        _report(1, severity=1, created_at_ms=T0_MS),
        _report(2, severity=5, created_at_ms=T0_MS + 9_000),
        _report(3, severity=3, created_at_ms=T0_MS + 1_000),
    ]

    assert _ids(queue_order(reports)) == [2, 3, 1]


def test_queue_order_same_severity_trusted_lane_before_older_ones() -> None:
    reports = [
        _report(1, lane=Lane.USER, created_at_ms=T0_MS),
        _report(2, lane=Lane.AUTOMATIC, created_at_ms=T0_MS + 1),
        _report(3, lane=Lane.TRUSTED, created_at_ms=T0_MS + 5_000),
    ]

    assert _ids(queue_order(reports)) == [3, 1, 2]


def test_queue_order_trusted_lane_does_not_beat_higher_severity() -> None:
    reports = [
        _report(1, lane=Lane.TRUSTED, severity=3),
        _report(2, lane=Lane.USER, severity=4, created_at_ms=T0_MS + 1_000),
    ]

    assert _ids(queue_order(reports)) == [2, 1]


def test_queue_order_same_severity_and_lane_oldest_first() -> None:
    reports = [_report(i, created_at_ms=T0_MS + at) for i, at in ((1, 300), (2, 100), (3, 200))]

    assert _ids(queue_order(reports)) == [2, 3, 1]


def test_queue_order_same_time_lower_id_first() -> None:
    reports = [_report(9), _report(4), _report(7)]

    assert _ids(queue_order(reports)) == [4, 7, 9]


def test_queue_order_empty_gives_empty_list() -> None:
    assert queue_order(iter(())) == []


# -- can_move -------------------------------------------------------------------------------

ALLOWED = [
    (S.RECEIVED, S.IN_REVIEW),  # a moderator takes it
    (S.RECEIVED, S.ACTIONED),  # acted on without taking it first
    (S.RECEIVED, S.DISMISSED),
    (S.IN_REVIEW, S.ACTIONED),
    (S.IN_REVIEW, S.DISMISSED),
    (S.IN_REVIEW, S.RECEIVED),  # handed back to the queue
    (S.ACTIONED, S.APPEALED),
    (S.DISMISSED, S.APPEALED),
    (S.APPEALED, S.ACTIONED),  # upheld
    (S.APPEALED, S.DISMISSED),  # reversed
]


@pytest.mark.parametrize(("current", "target"), ALLOWED)
def test_can_move_allowed_transition_true(current: ReportState, target: ReportState) -> None:
    assert can_move(current, target)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.RECEIVED, S.APPEALED),  # nothing decided yet
        (S.IN_REVIEW, S.APPEALED),
        (S.ACTIONED, S.DISMISSED),  # a decision changes only through an appeal
        (S.DISMISSED, S.ACTIONED),
        (S.ACTIONED, S.RECEIVED),
        (S.APPEALED, S.RECEIVED),
        (S.APPEALED, S.APPEALED),
    ],
)
def test_can_move_refused_transition_false(current: ReportState, target: ReportState) -> None:
    assert not can_move(current, target)


@pytest.mark.parametrize("state", list(ReportState))
def test_can_move_to_the_same_state_false(state: ReportState) -> None:
    assert not can_move(state, state)


def test_can_move_exactly_the_allowed_pairs() -> None:
    every = {(a, b) for a in ReportState for b in ReportState if can_move(a, b)}

    assert every == set(ALLOWED)


# -- open tickets ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "is_open"),
    [
        (S.RECEIVED, True),
        (S.IN_REVIEW, True),
        (S.APPEALED, True),
        (S.ACTIONED, False),
        (S.DISMISSED, False),
    ],
)
def test_is_open_by_state(state: ReportState, is_open: bool) -> None:
    assert _report(1, state=state).is_open is is_open
    assert (state in OPEN_STATES) is is_open


# -- severity and urgency -------------------------------------------------------------------


def test_severity_covers_every_category_from_1_to_5() -> None:
    assert set(SEVERITY) == set(Category)
    assert all(1 <= level <= 5 for level in SEVERITY.values())


def test_severity_child_safety_and_threat_above_every_other_category() -> None:
    others = [level for category, level in SEVERITY.items() if category not in URGENT]

    assert SEVERITY[Category.CHILD_SAFETY] == SEVERITY[Category.THREAT] == 5
    assert max(others) < 5


def test_severity_spam_lowest() -> None:
    assert SEVERITY[Category.SPAM] == min(SEVERITY.values())


def test_urgent_is_child_safety_and_threat() -> None:
    assert URGENT == {Category.CHILD_SAFETY, Category.THREAT}


def test_category_values_are_the_wire_strings() -> None:
    assert [c.value for c in Category] == [
        "child_safety",
        "threat",
        "harassment",
        "hate",
        "illegal_goods",
        "sexual_content",
        "spam",
        "other",
    ]


def test_report_defaults_carry_no_reporter_and_no_good_faith() -> None:
    report = _report(1)

    assert (report.reporter_session, report.reporter_contact, report.good_faith) == (
        None,
        None,
        False,
    )
    assert report.evidence == {}
