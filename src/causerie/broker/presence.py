"""`RedisPresence`: who is connected, and where, across nodes — with expiry when a node dies.

How this works (keys under a prefix, `causerie:` by default):
- `nodes` — a sorted set of node numbers scored by their last heartbeat (ms). A node is alive
  while its score is younger than `node_ttl_s`. Node numbers (0–63, they go into message ids)
  are claimed with `node-id:<n>` (SET NX with a TTL, refreshed by the heartbeat).
- `nick:<key>` — the nickname claim: the owner's node, session and public profile; SET NX with
  a TTL refreshed by the owner's heartbeat, so a dead node's nicknames free themselves.
- `room:<id>:node:<n>` — a hash session -> public profile of node n's members of a room,
  refreshed by the heartbeat too. Readers only count alive nodes, and the first node to notice a
  dead one (`reaped:<n>`, SET NX) tells its rooms that those people left and deletes the hashes.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import redis.asyncio as aioredis

from causerie.broker.base import BrokerUnavailable
from causerie.broker.redis import client_for

MAX_NODES = 64
# Extend this node's number if it is still ours (or free again after a flush); 0 if taken.
_KEEP_NUMBER = """
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
"""
BLOCKS_TTL_MS = 24 * 3600 * 1000  # a session's block list outlives no session by long


@dataclass(frozen=True, slots=True)
class DeadMember:
    room: str
    user: dict[str, Any]


class RedisPresence:
    def __init__(
        self, redis: aioredis.Redis | str, prefix: str = "causerie:", node_ttl_s: float = 15.0
    ) -> None:
        self._client, self._owns_client = client_for(redis)
        self._prefix = prefix
        self.node_ttl_s = node_ttl_s
        self._ttl_ms = int(node_ttl_s * 1000)
        self._token = secrets.token_hex(8)
        self.node_id = -1
        self._keep_number = self._client.register_script(_KEEP_NUMBER)

    @property
    def client(self) -> aioredis.Redis:
        """The Redis client, shared with other parts of the node (the games' leases)."""
        return self._client

    def _key(self, *parts: object) -> str:
        return self._prefix + ":".join(str(p) for p in parts)

    async def _run(self, coroutine: Any) -> Any:
        try:
            return await coroutine
        except (aioredis.RedisError, OSError) as exc:
            raise BrokerUnavailable(str(exc)) from exc

    async def claim_node_id(self, now_ms: int) -> int:
        """Take the first free node number; raises `BrokerUnavailable` when none is free."""
        for number in range(MAX_NODES):
            taken = await self._run(
                self._client.set(
                    self._key("node-id", number), self._token, nx=True, px=self._ttl_ms * 2
                )
            )
            if taken:
                self.node_id = number
                await self._run(self._client.zadd(self._key("nodes"), {str(number): now_ms}))
                await self._run(self._client.delete(self._key("reaped", number)))
                return number
        raise BrokerUnavailable(f"all {MAX_NODES} node numbers are taken")

    async def claim_nick(self, key: str, session: str, user: Mapping[str, Any]) -> bool:
        record = json.dumps({"node": self.node_id, "session": session, "user": dict(user)})
        return bool(
            await self._run(
                self._client.set(self._key("nick", key), record, nx=True, px=self._ttl_ms)
            )
        )

    async def release_nick(self, key: str, session: str) -> None:
        found = await self._run(self._client.get(self._key("nick", key)))
        if found and json.loads(found)["session"] == session:
            await self._run(self._client.delete(self._key("nick", key)))

    async def find_nick(self, key: str) -> dict[str, Any] | None:
        found = await self._run(self._client.get(self._key("nick", key)))
        return json.loads(found) if found else None

    async def block(self, session: str, key: str) -> None:
        name = self._key("blocks", session)
        async with self._client.pipeline(transaction=False) as pipe:
            pipe.sadd(name, key)
            pipe.pexpire(name, BLOCKS_TTL_MS)
            await self._run(pipe.execute())

    async def unblock(self, session: str, key: str) -> None:
        await self._run(self._client.srem(self._key("blocks", session), key))

    async def is_blocked_by(self, session: str, key: str) -> bool:
        """Whether `session` (on any node) blocks the nickname `key`."""
        return bool(await self._run(self._client.sismember(self._key("blocks", session), key)))

    async def forget_blocks(self, session: str) -> None:
        await self._run(self._client.delete(self._key("blocks", session)))

    async def take_over_nick(self, key: str, session: str, user: Mapping[str, Any]) -> None:
        """Claim a nickname unconditionally: its owner proved to be the same person resuming."""
        record = json.dumps({"node": self.node_id, "session": session, "user": dict(user)})
        await self._run(self._client.set(self._key("nick", key), record, px=self._ttl_ms))

    async def enter(self, room: str, session: str, user: Mapping[str, Any]) -> None:
        key = self._key("room", room, "node", self.node_id)
        async with self._client.pipeline(transaction=False) as pipe:
            pipe.hset(key, session, json.dumps(dict(user)))
            pipe.pexpire(key, self._ttl_ms * 4)
            await self._run(pipe.execute())

    async def leave(self, room: str, session: str) -> None:
        await self._run(self._client.hdel(self._key("room", room, "node", self.node_id), session))

    async def alive_nodes(self, now_ms: int) -> list[int]:
        members = await self._run(
            self._client.zrangebyscore(self._key("nodes"), now_ms - self._ttl_ms, "+inf")
        )
        return [int(m) for m in members]

    async def members(self, room: str, now_ms: int) -> list[dict[str, Any]]:
        """Everyone in a room on every alive node, ordered by nickname key."""
        nodes = await self.alive_nodes(now_ms)
        async with self._client.pipeline(transaction=False) as pipe:
            for node in nodes:
                pipe.hvals(self._key("room", room, "node", node))
            found = await self._run(pipe.execute())
        return [json.loads(user) for values in found for user in values]

    async def counts(self, rooms: Iterable[str], now_ms: int) -> dict[str, int]:
        nodes = await self.alive_nodes(now_ms)
        room_list = list(rooms)
        async with self._client.pipeline(transaction=False) as pipe:
            for room in room_list:
                for node in nodes:
                    pipe.hlen(self._key("room", room, "node", node))
            sizes = await self._run(pipe.execute())
        width = len(nodes)
        return {room: sum(sizes[i * width : (i + 1) * width]) for i, room in enumerate(room_list)}

    async def heartbeat(
        self,
        now_ms: int,
        claims: Mapping[str, tuple[str, Mapping[str, Any]]],
        members: Mapping[str, Mapping[str, Mapping[str, Any]]],
    ) -> bool:
        """Say this node is alive and write its claims again (not only extend them: after a
        Redis restart or flush they must come back).

        Args:
            claims: nickname key -> (session, public profile) of this node's people.
            members: room -> session -> public profile, this node's members of each room.

        Returns:
            False when another node now holds this node's number (after a flush): the caller
            must claim a new one before issuing message ids.
        """
        still_ours = await self._run(
            self._keep_number(
                keys=[self._key("node-id", self.node_id)], args=[self._token, self._ttl_ms * 2]
            )
        )
        async with self._client.pipeline(transaction=False) as pipe:
            pipe.zadd(self._key("nodes"), {str(self.node_id): now_ms})
            for key, (session, user) in claims.items():
                record = {"node": self.node_id, "session": session, "user": dict(user)}
                pipe.set(self._key("nick", key), json.dumps(record), px=self._ttl_ms)
            for room, people in members.items():
                name = self._key("room", room, "node", self.node_id)
                pipe.delete(name)
                if people:
                    pipe.hset(name, mapping={s: json.dumps(dict(u)) for s, u in people.items()})
                    pipe.pexpire(name, self._ttl_ms * 4)
            await self._run(pipe.execute())
        return bool(still_ours)

    async def reap(self, now_ms: int, rooms: Iterable[str]) -> list[DeadMember]:
        """Take over the leftovers of nodes that stopped beating; returns who left where."""
        stale = await self._run(
            self._client.zrangebyscore(self._key("nodes"), "-inf", f"({now_ms - self._ttl_ms}")
        )
        gone: list[DeadMember] = []
        for member in stale:
            node = int(member)
            if node == self.node_id or not await self._run(
                self._client.set(
                    self._key("reaped", node), self._token, nx=True, px=self._ttl_ms * 4
                )
            ):
                continue
            for room in rooms:
                key = self._key("room", room, "node", node)
                users = await self._run(self._client.hvals(key))
                gone.extend(DeadMember(room, json.loads(user)) for user in users)
                await self._run(self._client.delete(key))
            await self._run(self._client.zrem(self._key("nodes"), member))
        return gone

    async def withdraw(self, rooms: Iterable[str]) -> None:
        """A clean stop: forget this node at once instead of waiting for expiry."""
        async with self._client.pipeline(transaction=False) as pipe:
            for room in rooms:
                pipe.delete(self._key("room", room, "node", self.node_id))
            pipe.zrem(self._key("nodes"), str(self.node_id))
            pipe.delete(self._key("node-id", self.node_id))
            await self._run(pipe.execute())

    async def use_once(self, key: str, expires_ms: int) -> bool:
        """Remember a single-use key on every node until it expires; False if already used."""
        return bool(
            await self._run(
                self._client.set(self._key("used", key), "1", nx=True, pxat=max(expires_ms, 1))
            )
        )

    async def keep(self, key: str, value: str, expires_ms: int) -> None:
        """A value every node may read back (`kept`) until `expires_ms`."""
        await self._run(self._client.set(self._key("kept", key), value, pxat=max(expires_ms, 1)))

    async def kept(self, key: str) -> str | None:
        found = await self._run(self._client.get(self._key("kept", key)))
        return str(found) if found is not None else None

    async def ping(self) -> None:
        await self._run(self._client.ping())

    async def close(self) -> None:
        if self._owns_client:
            await self._client.aclose()
