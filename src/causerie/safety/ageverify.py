"""Age verification, double-anonymity style (DESIGN.md rule 2): who may enter `adult_verified`
rooms, and who is assured to be a minor in the teen space. Pure: callers pass `now_ms`. See
docs/age-verification.md.

How this works: the user proves their age to an independent provider, which hands the client a
short-lived, single-use token signed with its Ed25519 key and saying only "over 18". The provider
is not told which site asks; the site learns that one bit and nothing of the person. A token is

    base64url(payload) "." base64url(signature over the payload bytes)      (no padding)

where the payload is a JSON object ``{"v": 1, "kid": …, "over18": true, "nonce": …, "iat": ms,
"exp": ms}``, or, from a provider that estimates an age range (facial age estimation), the same
with ``"age_range": [low, high]`` in place of ``over18``. One token says one thing, and the
caller says what it needs (`Purpose`): an adult (`over18: true`, or a range from 18 up) for
`adult_verified` rooms, a minor (`over18: false`, or a range that ends at 17 at most) for the
teen space's age assurance. `Ed25519AgeVerifier` checks, in this order: the shape (`malformed`),
the key id (`unknown_key`), the signature (`invalid_signature`), the fields (`malformed`), the
claim (`not_adult` / `not_minor`), the validity window with a small clock skew
(`not_yet_valid`, `expired`), and last that the nonce was never seen (`replayed`), so that only
a token that passed everything uses up its nonce. A refusal never raises.
"""

from __future__ import annotations

import base64
import heapq
import json
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Final, Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

TOKEN_VERSION: Final = 1
MAX_TOKEN_CHARS: Final = 2048
DEFAULT_SKEW_MS: Final = 30_000
DEFAULT_MAX_TTL_MS: Final = 3_600_000
NONCE_PATTERN: Final = re.compile(r"[A-Za-z0-9_-]{16,128}")

_B64URL: Final = re.compile(r"[A-Za-z0-9_-]+")
_KID: Final = re.compile(r"[A-Za-z0-9._-]{1,64}")
_PAYLOAD_KEYS: Final = frozenset({"v", "kid", "over18", "nonce", "iat", "exp"})
_RANGE_PAYLOAD_KEYS: Final = frozenset({"v", "kid", "age_range", "nonce", "iat", "exp"})
ADULT_AGE: Final = 18
MAX_AGE: Final = 120


class Purpose(StrEnum):
    """What the caller needs a token to prove."""

    ADULT = "adult"  # adult_verified rooms
    MINOR = "minor"  # the teen space's age assurance


class Refusal(StrEnum):
    MALFORMED = "malformed"
    UNKNOWN_KEY = "unknown_key"
    INVALID_SIGNATURE = "invalid_signature"
    NOT_ADULT = "not_adult"
    NOT_MINOR = "not_minor"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    REPLAYED = "replayed"


@dataclass(frozen=True, slots=True)
class Verification:
    """The answer: `ok`, or why not. `kid` names the key that signed an accepted proof (for the
    operator's records: which provider vouched), never anything about the person."""

    ok: bool
    reason: Refusal | None = None
    kid: str | None = None

    @classmethod
    def accepted(cls, kid: str) -> Verification:
        return cls(ok=True, kid=kid)

    @classmethod
    def refused(cls, reason: Refusal) -> Verification:
        return cls(ok=False, reason=reason)


class AgeVerifier(Protocol):
    def verify(self, token: str, now_ms: int, purpose: Purpose = Purpose.ADULT) -> Verification:
        """Checks a proof of adulthood (or, for `Purpose.MINOR`, of being under 18) and uses it
        up. Never raises for a bad token."""
        ...


class UsedNonces(Protocol):
    """Remembers the nonces of accepted proofs until they expire, shared by every node that
    verifies (the server has a Redis one: ``SET key 1 NX PXAT expires_ms``)."""

    def add_if_new(self, nonce: str, expires_ms: int, now_ms: int) -> bool:
        """Records `nonce` until `expires_ms`; False if it was already recorded and unexpired.
        `now_ms` lets a store without its own clock forget what has expired."""
        ...


class MemoryUsedNonces:
    """`UsedNonces` for one process: a dict, and a heap by expiry to forget old nonces."""

    def __init__(self) -> None:
        self._expiry_by_nonce: dict[str, int] = {}
        self._by_expiry: list[tuple[int, str]] = []

    def add_if_new(self, nonce: str, expires_ms: int, now_ms: int) -> bool:
        self._forget_expired(now_ms)
        if nonce in self._expiry_by_nonce:
            return False
        if expires_ms > now_ms:  # an already expired nonce needs no memory
            self._expiry_by_nonce[nonce] = expires_ms
            heapq.heappush(self._by_expiry, (expires_ms, nonce))
        return True

    def __len__(self) -> int:
        return len(self._expiry_by_nonce)

    def _forget_expired(self, now_ms: int) -> None:
        while self._by_expiry and self._by_expiry[0][0] <= now_ms:
            _, nonce = heapq.heappop(self._by_expiry)
            del self._expiry_by_nonce[nonce]


class Ed25519AgeVerifier:
    """Checks tokens signed by trusted providers' Ed25519 keys.

    Args:
        public_keys: raw 32-byte public keys by key id (several: providers, or key rotation).
        used: where nonces of accepted tokens are remembered.
        skew_ms: clock difference tolerated between the provider and this server.
        max_ttl_ms: the longest validity (`exp` - `iat`) accepted; longer is `malformed`.

    Raises:
        ValueError: a key is not a valid Ed25519 public key, or a key id is not 1-64 of
            ``A-Z a-z 0-9 . _ -`` (at startup, not on a user's request).
    """

    def __init__(
        self,
        public_keys: Mapping[str, bytes],
        used: UsedNonces,
        *,
        skew_ms: int = DEFAULT_SKEW_MS,
        max_ttl_ms: int = DEFAULT_MAX_TTL_MS,
    ) -> None:
        self._keys: dict[str, Ed25519PublicKey] = {}
        for kid, raw in public_keys.items():
            if not _KID.fullmatch(kid):
                raise ValueError(f"age verification key id {kid!r}: expected 1-64 [A-Za-z0-9._-]")
            try:
                self._keys[kid] = Ed25519PublicKey.from_public_bytes(raw)
            except ValueError as exc:
                raise ValueError(f"age verification key {kid!r}: {exc}") from None
        self._used = used
        self._skew_ms = skew_ms
        self._max_ttl_ms = max_ttl_ms

    def verify(self, token: str, now_ms: int, purpose: Purpose = Purpose.ADULT) -> Verification:
        parsed = _split(token)
        if parsed is None:
            return Verification.refused(Refusal.MALFORMED)
        payload_bytes, signature, payload = parsed
        kid = payload.get("kid")
        if not isinstance(kid, str):
            return Verification.refused(Refusal.MALFORMED)
        key = self._keys.get(kid)
        if key is None:
            return Verification.refused(Refusal.UNKNOWN_KEY)
        try:
            key.verify(signature, payload_bytes)
        except InvalidSignature:
            return Verification.refused(Refusal.INVALID_SIGNATURE)
        claims = _claims(payload)
        if claims is None or claims.exp_ms - claims.iat_ms > self._max_ttl_ms:
            return Verification.refused(Refusal.MALFORMED)
        if purpose is Purpose.ADULT and not claims.is_adult:
            return Verification.refused(Refusal.NOT_ADULT)
        if purpose is Purpose.MINOR and not claims.is_minor:
            return Verification.refused(Refusal.NOT_MINOR)
        if claims.iat_ms > now_ms + self._skew_ms:
            return Verification.refused(Refusal.NOT_YET_VALID)
        if now_ms >= claims.exp_ms + self._skew_ms:
            return Verification.refused(Refusal.EXPIRED)
        if not self._used.add_if_new(
            f"{kid}/{claims.nonce}", claims.exp_ms + self._skew_ms, now_ms
        ):
            return Verification.refused(Refusal.REPLAYED)
        return Verification.accepted(kid)


class TestAgeProvider:
    """A provider that signs with a local key: for tests and the development-only endpoint.
    Never configure its key in production: anyone holding it can mint proofs."""

    __test__ = False  # not a pytest test class, despite the name

    def __init__(self, private_key: Ed25519PrivateKey, kid: str = "test") -> None:
        if not _KID.fullmatch(kid):
            raise ValueError(f"key id {kid!r}: expected 1-64 [A-Za-z0-9._-]")
        self._key = private_key
        self.kid = kid

    @classmethod
    def generate(cls, kid: str = "test") -> TestAgeProvider:
        return cls(Ed25519PrivateKey.generate(), kid)

    def public_key_bytes(self) -> bytes:
        """The raw 32-byte public key, as `Ed25519AgeVerifier` takes it."""
        return self._key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    def public_keys(self) -> dict[str, bytes]:
        """``{kid: public key}``, ready for `Ed25519AgeVerifier`."""
        return {self.kid: self.public_key_bytes()}

    def issue(
        self,
        now_ms: int,
        ttl_ms: int = 300_000,
        over18: bool = True,
        nonce: str | None = None,
        age_range: tuple[int, int] | None = None,
    ) -> str:
        """A token valid from `now_ms` for `ttl_ms`, with a fresh random nonce unless given;
        with `age_range`, an estimated range in place of the `over18` bit."""
        claim: dict[str, object] = (
            {"over18": over18} if age_range is None else {"age_range": list(age_range)}
        )
        return self.sign_payload(
            {
                "v": TOKEN_VERSION,
                "kid": self.kid,
                **claim,
                "nonce": secrets.token_urlsafe(16) if nonce is None else nonce,
                "iat": now_ms,
                "exp": now_ms + ttl_ms,
            }
        )

    def sign_payload(self, payload: Mapping[str, object]) -> str:
        """Any payload, signed and encoded as a token (tests use it to build odd ones)."""
        payload_bytes = json.dumps(dict(payload), separators=(",", ":")).encode("utf-8")
        return f"{_b64encode(payload_bytes)}.{_b64encode(self._key.sign(payload_bytes))}"


@dataclass(frozen=True, slots=True)
class _Claims:
    over18: bool | None  # the bit, or None when the token gives a range
    age_range: tuple[int, int] | None
    nonce: str
    iat_ms: int
    exp_ms: int

    @property
    def is_adult(self) -> bool:
        if self.age_range is not None:
            return self.age_range[0] >= ADULT_AGE
        return self.over18 is True

    @property
    def is_minor(self) -> bool:
        """Certainly under 18: a range straddling 18 proves neither."""
        if self.age_range is not None:
            return self.age_range[1] < ADULT_AGE
        return self.over18 is False


def _split(token: object) -> tuple[bytes, bytes, dict[str, object]] | None:
    """Payload bytes, signature and payload object, or None if the token is not well formed."""
    if not isinstance(token, str) or len(token) > MAX_TOKEN_CHARS or token.count(".") != 1:
        return None
    payload_part, signature_part = token.split(".")
    payload_bytes = _b64decode(payload_part)
    signature = _b64decode(signature_part)
    if payload_bytes is None or signature is None or len(signature) != 64:
        return None
    try:
        payload = json.loads(payload_bytes)
    except (ValueError, RecursionError):  # bad UTF-8 or JSON, huge integers, deep nesting
        return None
    if not isinstance(payload, dict):
        return None
    return payload_bytes, signature, payload


def _claims(payload: Mapping[str, object]) -> _Claims | None:
    keys = set(payload)
    if keys not in (_PAYLOAD_KEYS, _RANGE_PAYLOAD_KEYS):
        return None
    version, nonce = _as_int(payload["v"]), payload["nonce"]
    over18 = payload.get("over18")
    age_range = _age_range(payload.get("age_range")) if keys == _RANGE_PAYLOAD_KEYS else None
    iat, exp = _as_int(payload["iat"]), _as_int(payload["exp"])
    if version != TOKEN_VERSION:
        return None
    if (keys == _PAYLOAD_KEYS and not isinstance(over18, bool)) or (
        keys == _RANGE_PAYLOAD_KEYS and age_range is None
    ):
        return None
    if not isinstance(nonce, str) or not NONCE_PATTERN.fullmatch(nonce):
        return None
    if iat is None or exp is None or not 0 <= iat < exp:
        return None
    return _Claims(
        over18=over18 if isinstance(over18, bool) else None,
        age_range=age_range,
        nonce=nonce,
        iat_ms=iat,
        exp_ms=exp,
    )


def _age_range(value: object) -> tuple[int, int] | None:
    """`[low, high]`, whole years, 0 <= low <= high <= 120; None for anything else."""
    if not isinstance(value, list) or len(value) != 2:
        return None
    low, high = _as_int(value[0]), _as_int(value[1])
    if low is None or high is None or not 0 <= low <= high <= MAX_AGE:
        return None
    return low, high


def token_nonce(token: str) -> tuple[str, int] | None:
    """The token's single-use key (`kid/nonce`) and expiry, for a nonce store shared between
    servers; None when the token is not well formed. Call only after `verify` accepted it."""
    split = _split(token)
    if split is None:
        return None
    payload = split[2]
    claims = _claims(payload)
    kid = payload.get("kid")
    if claims is None or not isinstance(kid, str):
        return None
    return f"{kid}/{claims.nonce}", claims.exp_ms


def _as_int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes | None:
    if not _B64URL.fullmatch(text) or len(text) % 4 == 1:
        return None
    # The alphabet and length checked above are all that decoding can fail on.
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    # One spelling per value: stray bits in the last character would give a second token string.
    return data if _b64encode(data) == text else None
