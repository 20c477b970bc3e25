"""Age assurance for the teen space (docs/age-verification.md): the same signed, single-use
proofs, saying "under 18" (the bit, or an estimated range ending at 17 at most); each token
proves only what it says."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from causerie.safety.ageverify import (
    Ed25519AgeVerifier,
    MemoryUsedNonces,
    Purpose,
    Refusal,
    TestAgeProvider,
)

NOW_MS = 1_740_787_200_000
PROVIDER = TestAgeProvider.generate("estimator")


def _verifier() -> Ed25519AgeVerifier:
    return Ed25519AgeVerifier(PROVIDER.public_keys(), MemoryUsedNonces())


def test_under18_bit_assures_a_minor_and_proves_no_adult() -> None:
    token = PROVIDER.issue(NOW_MS, over18=False)
    assert _verifier().verify(token, NOW_MS, Purpose.ADULT).reason is Refusal.NOT_ADULT
    assert _verifier().verify(token, NOW_MS, Purpose.MINOR).ok


def test_over18_bit_assures_no_minor() -> None:
    token = PROVIDER.issue(NOW_MS, over18=True)
    assert _verifier().verify(token, NOW_MS, Purpose.MINOR).reason is Refusal.NOT_MINOR


@pytest.mark.parametrize(
    ("age_range", "is_minor", "is_adult"),
    [((13, 15), True, False), ((15, 17), True, False), ((16, 19), False, False),
     ((18, 25), False, True), ((0, 17), True, False)],
)  # fmt: skip
def test_estimated_range_proves_only_what_it_covers(
    age_range: tuple[int, int], is_minor: bool, is_adult: bool
) -> None:
    as_minor = _verifier().verify(
        PROVIDER.issue(NOW_MS, age_range=age_range), NOW_MS, Purpose.MINOR
    )
    as_adult = _verifier().verify(PROVIDER.issue(NOW_MS, age_range=age_range), NOW_MS)
    assert as_minor.ok is is_minor
    assert as_adult.ok is is_adult


def test_assurance_token_is_single_use() -> None:
    verifier = _verifier()
    token = PROVIDER.issue(NOW_MS, age_range=(13, 16))
    assert verifier.verify(token, NOW_MS, Purpose.MINOR).ok
    assert verifier.verify(token, NOW_MS, Purpose.MINOR).reason is Refusal.REPLAYED


def test_refused_claim_uses_up_nothing() -> None:
    verifier = _verifier()
    token = PROVIDER.issue(NOW_MS, age_range=(13, 16))
    assert verifier.verify(token, NOW_MS, Purpose.ADULT).reason is Refusal.NOT_ADULT
    assert verifier.verify(token, NOW_MS, Purpose.MINOR).ok


@given(
    st.one_of(
        st.integers(),
        st.booleans(),
        st.text(),
        st.none(),
        st.lists(st.one_of(st.integers(-5, 200), st.booleans(), st.text()), max_size=3),
    )
)
def test_malformed_range_is_refused_never_raises(value: object) -> None:
    payload = {
        "v": 1,
        "kid": "estimator",
        "age_range": value,
        "nonce": "n" * 22,
        "iat": NOW_MS,
        "exp": NOW_MS + 60_000,
    }
    token = PROVIDER.sign_payload(payload)
    result = _verifier().verify(token, NOW_MS, Purpose.MINOR)
    valid = (
        isinstance(value, list)
        and len(value) == 2
        and all(type(v) is int for v in value)
        and 0 <= value[0] <= value[1] <= 120
    )  # type: ignore[operator]
    if not valid:
        assert result.reason is Refusal.MALFORMED


def test_token_with_both_the_bit_and_a_range_is_malformed() -> None:
    token = PROVIDER.sign_payload(
        {
            "v": 1,
            "kid": "estimator",
            "over18": False,
            "age_range": [13, 15],
            "nonce": "n" * 22,
            "iat": NOW_MS,
            "exp": NOW_MS + 60_000,
        }
    )
    assert _verifier().verify(token, NOW_MS, Purpose.MINOR).reason is Refusal.MALFORMED
