"""Retention periods, legal holds as values, dates given on the command line."""

from __future__ import annotations

import pytest

from causerie.config import load_settings
from causerie.errors import ConfigError
from causerie.retention.policy import (
    DAY_MS,
    LAW_FIXED,
    HoldScope,
    Kind,
    RetentionPolicy,
    make_hold,
    parse_day,
)


def test_policy_defaults_match_the_law_and_the_design() -> None:
    policy = RetentionPolicy.from_settings(load_settings({}))
    assert policy.days(Kind.CONNECTIONS) == policy.days(Kind.ORIGINS) == 365
    assert policy.days(Kind.MESSAGES) == policy.days(Kind.DIRECT_MESSAGES) == 90
    assert policy.days(Kind.MEDIA) == 90
    assert policy.days(Kind.AUDIT) == policy.days(Kind.DECISIONS) == 1825
    assert LAW_FIXED == {Kind.CONNECTIONS, Kind.ORIGINS}


def test_policy_periods_come_from_the_environment() -> None:
    settings = load_settings({"CAUSERIE_RETENTION_MESSAGES_DAYS": "30"})
    policy = RetentionPolicy.from_settings(settings)
    assert policy.cutoff_ms(Kind.MESSAGES, 100 * DAY_MS) == 70 * DAY_MS


def test_policy_zero_days_is_refused_with_the_key() -> None:
    with pytest.raises(ConfigError, match="CAUSERIE_RETENTION_MEDIA_DAYS"):
        load_settings({"CAUSERIE_RETENTION_MEDIA_DAYS": "0"})


def test_parse_day_end_covers_the_whole_day() -> None:
    start, end = parse_day("2026-01-31"), parse_day("2026-01-31", end=True)
    assert end - start == DAY_MS - 1
    assert parse_day("2026-01-31T12:00") == start + DAY_MS // 2


def test_parse_day_garbage_is_a_readable_error() -> None:
    with pytest.raises(ConfigError, match="not a date"):
        parse_day("31/01/2026")


def test_make_hold_user_scope() -> None:
    hold = make_hold(
        reference=" PV-1 ", nick="Alice", room=None, from_ms=1, to_ms=2, operator="", now_ms=3
    )
    assert (hold.reference, hold.scope, hold.operator, hold.is_active) == (
        "PV-1",
        HoldScope.USER,
        "operator",
        True,
    )


@pytest.mark.parametrize(
    ("nick", "room", "reference", "to_ms", "message"),
    [
        ("A", "general", "R", 2, "not both"),
        (None, None, "R", 2, "not both"),
        ("A", None, "  ", 2, "reference"),
        ("A", None, "R", 0, "before it starts"),
    ],
)
def test_make_hold_bad_input_is_refused(
    nick: str | None, room: str | None, reference: str, to_ms: int, message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        make_hold(
            reference=reference,
            nick=nick,
            room=room,
            from_ms=1,
            to_ms=to_ms,
            operator="o",
            now_ms=0,
        )
