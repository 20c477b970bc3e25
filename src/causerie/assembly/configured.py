"""Configuration a process checks before it opens anything: the picture hash list, the
age-verification keys, the moderation and grooming rules. A bad one stops the start with a
`ConfigError` naming the setting."""

from __future__ import annotations

import base64
import logging

from causerie.config import Settings
from causerie.core.policy.review import TextReviewer
from causerie.errors import ConfigError
from causerie.media.hashlist import HashListFile
from causerie.safety.ageverify import (
    AgeVerifier,
    Ed25519AgeVerifier,
    MemoryUsedNonces,
    TestAgeProvider,
)
from causerie.safety.grooming.watch import GroomingWatch

log = logging.getLogger(__name__)


def age_verifier(
    settings: Settings, test_provider: TestAgeProvider | None = None
) -> AgeVerifier | None:
    """The providers' keys, `kid:base64url-key` separated by commas, and the development-only
    test provider's when it is on; None when there is none."""
    keys: dict[str, bytes] = dict(test_provider.public_keys()) if test_provider else {}
    for entry in filter(None, (e.strip() for e in settings.age_verifier_keys.split(","))):
        kid, _, encoded = entry.partition(":")
        try:
            keys[kid] = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        except ValueError:
            raise ConfigError(
                f"CAUSERIE_AGE_VERIFIER_KEYS: {entry!r}: expected kid:base64url-public-key"
            ) from None
    if not keys:
        return None
    try:
        return Ed25519AgeVerifier(keys, MemoryUsedNonces())
    except ValueError as exc:
        raise ConfigError(f"CAUSERIE_AGE_VERIFIER_KEYS: {exc}") from None


def text_reviewer(settings: Settings) -> TextReviewer:
    """Automatic moderation from the operator's rules file, or the shipped defaults."""
    from causerie.safety.review import RulesReviewer

    return RulesReviewer.from_settings(settings)


def conversation_watch(settings: Settings) -> GroomingWatch:
    """The grooming detector, from the operator's rules file or the shipped defaults."""
    return GroomingWatch.from_path(settings.grooming_rules)


def hash_list(settings: Settings) -> HashListFile:
    try:
        return HashListFile(settings.media_hash_list)
    except (OSError, ValueError) as exc:  # a safety check silently off is worse
        raise ConfigError(f"media_hash_list: {exc}") from None


def warn_about_unsafe_settings(settings: Settings) -> None:
    if not settings.rate_limits:
        log.warning(
            "RATE LIMITS ARE OFF (CAUSERIE_RATE_LIMITS=off): for benchmarks on "
            "loopback only; flood protection is disabled"
        )
    if settings.age_test_provider:
        log.warning(
            "AGE TEST PROVIDER IS ON (CAUSERIE_AGE_TEST_PROVIDER=on): for development on "
            "loopback only; %s hands out age proofs to anyone who asks",
            settings.age_provider_url or "/dev/age-provider",
        )
