"""Builds a node from the settings: which store, broker, presence, flood limits, automatic
moderation rules and age-verification keys. The one place that turns configuration into parts.
"""

from __future__ import annotations

import base64
import logging

from causerie.config import Settings
from causerie.core.policy.review import TextReviewer
from causerie.errors import ConfigError
from causerie.geo import load_directory
from causerie.node.runtime import Node
from causerie.safety.ageverify import (
    AgeVerifier,
    Ed25519AgeVerifier,
    MemoryUsedNonces,
    TestAgeProvider,
)
from causerie.safety.grooming.watch import GroomingWatch
from causerie.store.sql import SqlStore

log = logging.getLogger(__name__)


def build_store(settings: Settings) -> SqlStore:
    return SqlStore(settings.effective_database_url, schema=settings.database_schema or None)


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


def build_node(settings: Settings) -> Node:
    """The node for these settings: SQLite or PostgreSQL; in-process or Redis fan-out."""
    locate = load_directory().locate
    # A key made at each start: its proofs are good on this process only (docs/operations.md).
    test_provider = TestAgeProvider.generate("dev-test") if settings.age_test_provider else None
    verifier, reviewer = age_verifier(settings, test_provider), text_reviewer(settings)
    watch = conversation_watch(settings)
    if not settings.redis_url:
        from causerie.broker.memory import MemoryBroker

        return Node(
            settings,
            build_store(settings),
            MemoryBroker(),
            locate,
            verifier=verifier,
            age_test_provider=test_provider,
            reviewer=reviewer,
            watch=watch,
        )
    from causerie.broker.presence import RedisPresence
    from causerie.broker.redis import RedisBroker
    from causerie.node.floodgate import RedisFloodGate

    prefix = settings.redis_prefix
    broker = RedisBroker(settings.redis_url, prefix)  # its client is shared by the other two
    return Node(
        settings,
        build_store(settings),
        broker,
        locate,
        presence=RedisPresence(broker.client, prefix, settings.node_ttl_s),
        floodgate=RedisFloodGate(broker.client, prefix),
        verifier=verifier,
        age_test_provider=test_provider,
        reviewer=reviewer,
        watch=watch,
    )
