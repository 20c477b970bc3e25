"""The backends a node talks to, chosen by the settings: SQLite or PostgreSQL; the in-process
broker, or Redis with the shared presence and flood gate on the broker's client."""

from __future__ import annotations

from dataclasses import dataclass

from causerie.broker.base import Broker
from causerie.broker.presence import RedisPresence
from causerie.config import Settings
from causerie.node.floodgate import FloodGate, MemoryFloodGate
from causerie.store.sql import SqlStore


def build_store(settings: Settings) -> SqlStore:
    return SqlStore(settings.effective_database_url, schema=settings.database_schema or None)


@dataclass(frozen=True)
class Backends:
    """What a node talks to: the store, the broker, and with Redis the shared presence and
    flood gate (on the broker's client)."""

    store: SqlStore
    broker: Broker
    presence: RedisPresence | None
    floodgate: FloodGate


def open_backends(settings: Settings) -> Backends:
    """SQLite or PostgreSQL; in-process or Redis fan-out. Nothing connects yet."""
    store = build_store(settings)
    if not settings.redis_url:
        from causerie.broker.memory import MemoryBroker

        return Backends(store, MemoryBroker(), None, MemoryFloodGate())
    from causerie.broker.redis import RedisBroker
    from causerie.node.floodgate import RedisFloodGate

    prefix = settings.redis_prefix
    broker = RedisBroker(settings.redis_url, prefix)  # its client is shared by the other two
    presence = RedisPresence(broker.client, prefix, settings.node_ttl_s)
    return Backends(store, broker, presence, RedisFloodGate(broker.client, prefix))
