"""`RedisBroker`: fan-out between nodes over Redis pub/sub, one channel per room.

Why one channel per room (and one per session for private messages): a node subscribes only to
what its people are in, Redis delivers each publication once per subscribed node, and every
node sees one room's messages in the same order (the order Redis received them), so members on
different nodes see the same conversation. Every delivery, local ones included, goes through
Redis for that reason.

When Redis is unreachable `publish` raises `BrokerUnavailable` and `is_healthy` turns false;
the reader reconnects with a backoff, and redis-py subscribes the channels again on reconnect.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from causerie.broker.base import BrokerUnavailable, Handler

log = logging.getLogger(__name__)
RECONNECT_MAX_S = 2.0


def client_for(target: aioredis.Redis | str) -> tuple[aioredis.Redis, bool]:
    """A client, and whether the caller owns it (made from a URL) or shares the node's."""
    return (connect(target), True) if isinstance(target, str) else (target, False)


def connect(url: str) -> aioredis.Redis:
    """A client that retries a command on a fresh connection: after an outage the pooled
    connections are dead, and the first command on each must not fail a person's message."""
    return aioredis.Redis.from_url(
        url,
        decode_responses=True,
        socket_timeout=2.0,
        socket_connect_timeout=2.0,
        health_check_interval=10,
        retry=Retry(ExponentialBackoff(cap=0.2, base=0.02), retries=2),
        retry_on_error=[RedisConnectionError, RedisTimeoutError],
    )


class RedisBroker:
    def __init__(self, url: str, prefix: str = "causerie:") -> None:
        self._url = url
        self._prefix = prefix
        self.client = connect(url)
        self._pubsub = self.client.pubsub(ignore_subscribe_messages=True)
        self._handler: Handler | None = None
        self._channels: set[str] = set()
        self._reader: asyncio.Task[None] | None = None
        self.is_healthy = True

    async def start(self, handler: Handler) -> None:
        self._handler = handler
        try:
            await self.client.ping()
        except (RedisError, OSError) as exc:
            raise BrokerUnavailable(f"redis {self._url}: {exc}") from exc

    async def publish(self, channel: str, payload: str) -> None:
        try:
            await self.client.publish(self._prefix + channel, payload)
        except (RedisError, OSError) as exc:
            self.is_healthy = False
            raise BrokerUnavailable(str(exc)) from exc

    async def subscribe(self, channel: str) -> None:
        if channel in self._channels:
            return
        self._channels.add(channel)
        try:
            await self._pubsub.subscribe(self._prefix + channel)
        except (RedisError, OSError) as exc:  # resubscribed by the reader on reconnect
            self.is_healthy = False
            log.warning("subscribe %s deferred: %s", channel, exc)
        if self._reader is None:
            self._reader = asyncio.get_running_loop().create_task(self._read(), name="redis-sub")

    async def unsubscribe(self, channel: str) -> None:
        if channel not in self._channels:
            return
        self._channels.discard(channel)
        with suppress(RedisError, OSError):
            await self._pubsub.unsubscribe(self._prefix + channel)

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with suppress(asyncio.CancelledError):
                await self._reader
        with suppress(RedisError, OSError):
            # redis-py types `aclose` from 8.2 on; before, it is untyped: fine either way.
            await self._pubsub.aclose()  # type: ignore[no-untyped-call, unused-ignore]
        with suppress(RedisError, OSError):
            await self.client.aclose()

    async def _read(self) -> None:
        backoff_s = 0.1
        skip = len(self._prefix)
        while True:
            try:
                if self._pubsub.connection is None:
                    # A resubscribe during the outage left no connection to read from (the
                    # read would raise RuntimeError and end this task): subscribe again first.
                    if not self._channels:
                        await asyncio.sleep(1.0)
                        continue
                    await self._pubsub.subscribe(*(self._prefix + c for c in self._channels))
                message = await self._pubsub.get_message(timeout=1.0)
                if not self.is_healthy:
                    # Idle pooled connections died with the outage: drop them before anyone
                    # (presence, flood limits, publishing) picks one up.
                    await self.client.connection_pool.disconnect(inuse_connections=False)
                    log.info("redis reachable again")
                self.is_healthy = True
                backoff_s = 0.1
            except (RedisError, OSError) as exc:
                if self.is_healthy:
                    log.warning("redis unreachable: %s", exc)
                self.is_healthy = False
                await asyncio.sleep(backoff_s)
                backoff_s = min(RECONNECT_MAX_S, backoff_s * 2)
                await self._resubscribe()
                continue
            if message is not None and message["type"] == "message" and self._handler:
                self._handler(message["channel"][skip:], message["data"])

    async def _resubscribe(self) -> None:
        with suppress(RedisError, OSError):
            await self._pubsub.aclose()  # type: ignore[no-untyped-call, unused-ignore]
        self._pubsub = self.client.pubsub(ignore_subscribe_messages=True)
        try:
            await self._pubsub.subscribe(*(self._prefix + c for c in self._channels))
        except (RedisError, OSError):
            pass  # still down; the next read fails and retries
