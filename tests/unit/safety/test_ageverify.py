"""Age verification (DESIGN.md rule 2, docs/age-verification.md): a signed, single-use proof of
"over 18" is accepted once; anything else is a refusal with a reason, never an exception."""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from causerie.safety.ageverify import (
    DEFAULT_SKEW_MS,
    AgeVerifier,
    Ed25519AgeVerifier,
    MemoryUsedNonces,
    Refusal,
    TestAgeProvider,
    UsedNonces,
    Verification,
)

NOW_MS = 1_740_787_200_000
TTL_MS = 300_000
PROVIDER = TestAgeProvider.generate("prov-1")


def _verifier(*providers: TestAgeProvider, used: UsedNonces | None = None) -> Ed25519AgeVerifier:
    keys: dict[str, bytes] = {}
    for provider in providers or (PROVIDER,):
        keys |= provider.public_keys()
    return Ed25519AgeVerifier(keys, used if used is not None else MemoryUsedNonces())


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _payload(**changes: object) -> dict[str, object]:
    payload: dict[str, object] = {
        "v": 1,
        "kid": PROVIDER.kid,
        "over18": True,
        "nonce": "n0nce-0123456789abcdef",
        "iat": NOW_MS,
        "exp": NOW_MS + TTL_MS,
    }
    payload.update(changes)
    return {key: value for key, value in payload.items() if value is not ...}


# --- accepted --------------------------------------------------------------------------------


def test_verify_valid_token_ok() -> None:
    verifier = _verifier()
    token = PROVIDER.issue(NOW_MS)

    result = verifier.verify(token, NOW_MS + 1000)

    assert result == Verification(ok=True, reason=None, kid="prov-1")


def test_verifier_satisfies_protocol() -> None:
    verifier: AgeVerifier = _verifier()

    assert verifier.verify(PROVIDER.issue(NOW_MS), NOW_MS).ok


def test_issue_token_format_is_payload_dot_signature() -> None:
    token = PROVIDER.issue(NOW_MS, ttl_ms=60_000, nonce="abcdefghijklmnop")

    payload_part, signature_part = token.split(".")

    assert "=" not in token
    assert json.loads(_unb64(payload_part)) == {
        "v": 1,
        "kid": "prov-1",
        "over18": True,
        "nonce": "abcdefghijklmnop",
        "iat": NOW_MS,
        "exp": NOW_MS + 60_000,
    }
    assert len(_unb64(signature_part)) == 64
    assert len(PROVIDER.public_key_bytes()) == 32


def test_issue_fresh_nonce_each_time() -> None:
    assert PROVIDER.issue(NOW_MS) != PROVIDER.issue(NOW_MS)


def test_verify_rotated_keys_both_accepted() -> None:
    old, new = TestAgeProvider.generate("2024"), TestAgeProvider.generate("2025")
    verifier = _verifier(old, new)

    assert verifier.verify(old.issue(NOW_MS), NOW_MS) == Verification.accepted("2024")
    assert verifier.verify(new.issue(NOW_MS), NOW_MS) == Verification.accepted("2025")


@pytest.mark.parametrize(
    "now_ms",
    [NOW_MS - DEFAULT_SKEW_MS, NOW_MS + TTL_MS - 1, NOW_MS + TTL_MS + DEFAULT_SKEW_MS - 1],
)
def test_verify_within_clock_skew_ok(now_ms: int) -> None:
    assert _verifier().verify(PROVIDER.issue(NOW_MS), now_ms).ok


# --- refused ---------------------------------------------------------------------------------


def test_verify_replayed_token_refused() -> None:
    verifier = _verifier()
    token = PROVIDER.issue(NOW_MS)

    first = verifier.verify(token, NOW_MS)
    second = verifier.verify(token, NOW_MS + 1000)

    assert first.ok
    assert second == Verification.refused(Refusal.REPLAYED)


def test_verify_replay_on_another_node_refused() -> None:
    shared = MemoryUsedNonces()  # stands for the Redis one the nodes share
    node_a, node_b = _verifier(used=shared), _verifier(used=shared)
    token = PROVIDER.issue(NOW_MS)

    assert node_a.verify(token, NOW_MS).ok
    assert node_b.verify(token, NOW_MS).reason is Refusal.REPLAYED


def test_verify_same_nonce_new_signature_refused() -> None:
    verifier = _verifier()
    first = PROVIDER.issue(NOW_MS, nonce="same-nonce-123456")
    second = PROVIDER.issue(NOW_MS + 5, nonce="same-nonce-123456")

    assert verifier.verify(first, NOW_MS).ok
    assert verifier.verify(second, NOW_MS).reason is Refusal.REPLAYED


def test_verify_expired_token_refused() -> None:
    token = PROVIDER.issue(NOW_MS)

    result = _verifier().verify(token, NOW_MS + TTL_MS + DEFAULT_SKEW_MS)

    assert result == Verification.refused(Refusal.EXPIRED)


def test_verify_replay_after_expiry_still_refused() -> None:
    verifier = _verifier()
    token = PROVIDER.issue(NOW_MS)
    assert verifier.verify(token, NOW_MS).ok

    late = verifier.verify(token, NOW_MS + 10 * TTL_MS)

    assert late.reason is Refusal.EXPIRED


def test_verify_issued_in_future_refused() -> None:
    token = PROVIDER.issue(NOW_MS + DEFAULT_SKEW_MS + 1)

    assert _verifier().verify(token, NOW_MS).reason is Refusal.NOT_YET_VALID


def test_verify_over18_false_refused() -> None:
    token = PROVIDER.issue(NOW_MS, over18=False)

    assert _verifier().verify(token, NOW_MS) == Verification.refused(Refusal.NOT_ADULT)


def test_verify_refusal_does_not_use_up_nonce() -> None:
    used = MemoryUsedNonces()
    verifier = _verifier(used=used)

    verifier.verify(PROVIDER.issue(NOW_MS, over18=False), NOW_MS)
    verifier.verify(PROVIDER.issue(NOW_MS - 10 * TTL_MS), NOW_MS)

    assert len(used) == 0


def test_verify_unknown_kid_refused() -> None:
    stranger = TestAgeProvider.generate("elsewhere")

    result = _verifier().verify(stranger.issue(NOW_MS), NOW_MS)

    assert result == Verification.refused(Refusal.UNKNOWN_KEY)


def test_verify_known_kid_wrong_key_refused() -> None:
    impostor = TestAgeProvider.generate(PROVIDER.kid)

    result = _verifier().verify(impostor.issue(NOW_MS), NOW_MS)

    assert result.reason is Refusal.INVALID_SIGNATURE


@pytest.mark.parametrize(
    "changes",
    [{"over18": True, "nonce": "another-nonce-1234567"}, {"exp": NOW_MS + 10 * TTL_MS},
     {"iat": NOW_MS + 1}],
)  # fmt: skip
def test_verify_tampered_payload_refused(changes: dict[str, object]) -> None:
    _, signature = PROVIDER.issue(NOW_MS, over18=False).split(".")
    forged = _b64(json.dumps(_payload(**changes), separators=(",", ":")).encode())

    result = _verifier().verify(f"{forged}.{signature}", NOW_MS)

    assert result.reason is Refusal.INVALID_SIGNATURE


def test_verify_over18_flipped_in_payload_refused() -> None:
    payload_part, signature = PROVIDER.issue(NOW_MS, over18=False).split(".")
    payload = _unb64(payload_part).replace(b'"over18":false', b'"over18":true')

    result = _verifier().verify(f"{_b64(payload)}.{signature}", NOW_MS)

    assert result.reason is Refusal.INVALID_SIGNATURE


@pytest.mark.parametrize("position", [0, 10, 31, 63])
def test_verify_tampered_signature_refused(position: int) -> None:
    payload_part, signature_part = PROVIDER.issue(NOW_MS).split(".")
    signature = bytearray(_unb64(signature_part))
    signature[position] ^= 0x01

    result = _verifier().verify(f"{payload_part}.{_b64(bytes(signature))}", NOW_MS)

    assert result.reason is Refusal.INVALID_SIGNATURE


@pytest.mark.parametrize(
    "payload",
    [
        _payload(v=2),
        _payload(v=True),
        _payload(over18="yes"),
        _payload(over18=1),
        _payload(nonce="short"),
        _payload(nonce="has spaces in it, ok?"),
        _payload(nonce=...),
        _payload(iat=float(NOW_MS)),
        _payload(exp=NOW_MS),
        _payload(iat=-1),
        _payload(exp=NOW_MS + 2 * 3_600_000),  # longer than the accepted lifetime
        _payload(extra="field"),
    ],
)
def test_verify_signed_but_malformed_payload_refused(payload: dict[str, object]) -> None:
    token = PROVIDER.sign_payload(payload)

    assert _verifier().verify(token, NOW_MS).reason is Refusal.MALFORMED


@pytest.mark.parametrize(
    "token",
    [
        "",
        ".",
        "abc",
        "a.b.c",
        "é.é",
        "a" * 5000 + "." + "b" * 86,
        "eyJ2IjoxfQ.AAAA",  # signature too short
        _b64(b"[1,2]") + "." + _b64(bytes(64)),  # not an object
        _b64(b"\xff\xfe") + "." + _b64(bytes(64)),  # not UTF-8
        _b64(b"[" * 1000) + "." + _b64(bytes(64)),  # deep nesting
        _b64(json.dumps(_payload(kid=7)).encode()) + "." + _b64(bytes(64)),
        PROVIDER.issue(NOW_MS) + "=",
        PROVIDER.issue(NOW_MS) + "\n",
        " " + PROVIDER.issue(NOW_MS),
    ],
)
def test_verify_malformed_token_refused(token: str) -> None:
    assert _verifier().verify(token, NOW_MS) == Verification.refused(Refusal.MALFORMED)


def test_verify_non_canonical_base64_refused() -> None:
    payload_part, signature_part = PROVIDER.issue(NOW_MS).split(".")
    # 64 bytes encode to 86 characters; the last one carries 2 unused bits.
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    last = alphabet.index(signature_part[-1])
    twin = signature_part[:-1] + alphabet[last ^ 0b0001]
    assert _unb64(twin) == _unb64(signature_part)

    assert _verifier().verify(f"{payload_part}.{twin}", NOW_MS).reason is Refusal.MALFORMED


@settings(max_examples=300, deadline=None)
@given(token=st.text(max_size=300) | st.from_regex(r"[A-Za-z0-9_-]{0,200}\.[A-Za-z0-9_-]{0,100}"))
def test_verify_arbitrary_string_refused_never_raises(token: str) -> None:
    result = _verifier().verify(token, NOW_MS)

    assert not result.ok
    assert isinstance(result.reason, Refusal)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_verify_mutated_valid_token_refused_never_raises(data: st.DataObject) -> None:
    token = PROVIDER.issue(NOW_MS)
    position = data.draw(st.integers(0, len(token) - 1))
    replacement = data.draw(st.text(min_size=0, max_size=3))
    mutated = token[:position] + replacement + token[position + 1 :]
    if mutated == token:
        return

    result = _verifier().verify(mutated, NOW_MS)

    assert not result.ok
    assert isinstance(result.reason, Refusal)


@settings(max_examples=200, deadline=None)
@given(
    payload=st.dictionaries(
        st.sampled_from(["v", "kid", "over18", "nonce", "iat", "exp", "x"]),
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    )
)
def test_verify_signed_arbitrary_payload_never_raises(payload: dict[str, object]) -> None:
    payload["kid"] = PROVIDER.kid

    result = _verifier().verify(PROVIDER.sign_payload(payload), NOW_MS)

    assert isinstance(result, Verification)
    assert result.ok is (result.reason is None)


# --- configuration and the nonce memory ------------------------------------------------------


@pytest.mark.parametrize(
    ("keys", "message"),
    [({"k": b"short"}, "'k'"), ({"bad kid!": PROVIDER.public_key_bytes()}, "bad kid!")],
)
def test_verifier_bad_configuration_raises(keys: dict[str, bytes], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Ed25519AgeVerifier(keys, MemoryUsedNonces())


def test_memory_used_nonces_refuses_second_add() -> None:
    used = MemoryUsedNonces()

    assert used.add_if_new("n", expires_ms=200, now_ms=100)
    assert not used.add_if_new("n", expires_ms=300, now_ms=150)


def test_memory_used_nonces_forgets_after_expiry() -> None:
    used = MemoryUsedNonces()
    used.add_if_new("a", expires_ms=200, now_ms=100)
    used.add_if_new("b", expires_ms=400, now_ms=100)

    assert used.add_if_new("c", expires_ms=500, now_ms=200)  # "a" is forgotten here

    assert len(used) == 2
    assert used.add_if_new("a", expires_ms=600, now_ms=250)
    assert not used.add_if_new("b", expires_ms=600, now_ms=250)


def test_memory_used_nonces_keeps_nothing_already_expired() -> None:
    used = MemoryUsedNonces()

    assert used.add_if_new("old", expires_ms=100, now_ms=100)
    assert len(used) == 0


def test_test_provider_not_collected_by_pytest() -> None:
    assert TestAgeProvider.__test__ is False


def test_test_provider_bad_kid_raises() -> None:
    with pytest.raises(ValueError, match="key id"):
        TestAgeProvider.generate("with space")
