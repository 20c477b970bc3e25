"""Graduated trust (issue 3, private-message safety): a new identity earns trust by enough
delivered messages over enough time, never by the clock alone."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from causerie.core.policy.trust import Trust, TrustRule

T0_MS = 1_000_000


def _delivered(times_ms: list[int]) -> Trust:
    trust = Trust()
    for at_ms in times_ms:
        trust.record_delivered(at_ms)
    return trust


def test_trust_rule_defaults_five_messages_over_two_minutes() -> None:
    assert TrustRule() == TrustRule(messages=5, span_s=120.0)


def test_is_trusted_nothing_delivered_untrusted_even_much_later() -> None:
    trust = Trust()

    assert not trust.is_trusted(TrustRule(5, 120.0), T0_MS + 365 * 86_400_000)


def test_is_trusted_too_few_messages_untrusted_however_long_ago() -> None:
    trust = _delivered([T0_MS, T0_MS + 1_000, T0_MS + 2_000, T0_MS + 3_000])

    assert not trust.is_trusted(TrustRule(5, 120.0), T0_MS + 86_400_000)


def test_is_trusted_enough_messages_too_soon_untrusted() -> None:
    trust = _delivered([T0_MS + i * 1_000 for i in range(5)])

    assert not trust.is_trusted(TrustRule(5, 120.0), T0_MS + 119_999)


def test_is_trusted_enough_messages_over_the_span_trusted() -> None:
    trust = _delivered([T0_MS + i * 1_000 for i in range(5)])

    assert trust.is_trusted(TrustRule(5, 120.0), T0_MS + 120_000)


def test_is_trusted_span_counts_from_the_first_message() -> None:
    # Four early messages, the fifth much later: the span runs from the first one.
    trust = _delivered([T0_MS, T0_MS + 1, T0_MS + 2, T0_MS + 3, T0_MS + 200_000])

    assert trust.is_trusted(TrustRule(5, 120.0), T0_MS + 200_000)


def test_record_delivered_counts_and_keeps_the_first_time() -> None:
    trust = _delivered([T0_MS, T0_MS + 5_000, T0_MS + 9_000])

    assert (trust.delivered, trust.first_ms) == (3, T0_MS)


def test_is_trusted_zero_span_trusted_at_the_last_needed_message() -> None:
    rule = TrustRule(messages=3, span_s=0.0)
    trust = _delivered([T0_MS, T0_MS])

    before = trust.is_trusted(rule, T0_MS)
    trust.record_delivered(T0_MS)

    assert (before, trust.is_trusted(rule, T0_MS)) == (False, True)


def test_is_trusted_zero_thresholds_trusted_at_once() -> None:
    assert Trust().is_trusted(TrustRule(messages=0, span_s=0.0), T0_MS)


def test_is_trusted_zero_messages_with_span_waits_span_after_first_delivery() -> None:
    # The span runs "between the first of them and now": with no message there is no start.
    rule = TrustRule(messages=0, span_s=60.0)
    trust = Trust()

    at_start = trust.is_trusted(rule, T0_MS + 3_600_000)
    trust.record_delivered(T0_MS)

    assert at_start is False
    assert not trust.is_trusted(rule, T0_MS + 59_999)
    assert trust.is_trusted(rule, T0_MS + 60_000)


@given(
    messages=st.integers(min_value=1, max_value=50),
    span_s=st.floats(min_value=0, max_value=86_400, allow_nan=False),
    data=st.data(),
    later_ms=st.integers(min_value=0, max_value=10**12),
)
def test_is_trusted_fewer_deliveries_than_messages_never_trusted(
    messages: int, span_s: float, data: st.DataObject, later_ms: int
) -> None:
    gaps = data.draw(
        st.lists(st.integers(min_value=0, max_value=10**9), max_size=messages - 1), label="gaps"
    )
    times, at_ms = [], T0_MS
    for gap in gaps:
        at_ms += gap
        times.append(at_ms)
    trust = _delivered(times)

    assert not trust.is_trusted(TrustRule(messages, span_s), at_ms + later_ms)


@given(
    messages=st.integers(min_value=0, max_value=20),
    span_s=st.floats(min_value=0, max_value=3_600, allow_nan=False),
    extra=st.integers(min_value=0, max_value=5),
    waits_ms=st.lists(st.integers(min_value=0, max_value=10**7), min_size=2, max_size=5),
)
def test_is_trusted_once_trusted_stays_trusted_as_time_passes(
    messages: int, span_s: float, extra: int, waits_ms: list[int]
) -> None:
    rule = TrustRule(messages, span_s)
    trust = _delivered([T0_MS] * (messages + extra + 1))
    now_ms = T0_MS
    seen = []
    for wait in waits_ms:
        now_ms += wait
        seen.append(trust.is_trusted(rule, now_ms))

    assert seen == sorted(seen)  # False... then True..., never back
    assert trust.is_trusted(rule, T0_MS + int(span_s * 1000) + 1)
