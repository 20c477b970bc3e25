"""Fan-out benchmark: one room, many members, a few senders, over real WebSockets on loopback.

Starts `causerie serve` (rate limits off, loopback only), connects MEMBERS clients to one room,
has SENDERS of them post at a total RATE msg/s for SECONDS, and prints one JSON line per run:
deliveries per second, p50/p99/max delivery latency (from a send timestamp carried in the text),
lost messages. `--mode compare` runs the same load on one embedded node and on two nodes sharing
PostgreSQL and Redis (members split between them), and prints the ratios. Bounded in count and
time; talks only to 127.0.0.1.

    python bench/cluster.py [--members 200] [--senders 10] [--rate 500] [--seconds 5]
                        [--mode embedded|cluster|compare]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import websockets

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.support.process import ServerProcess


async def member(
    url: str, index: int, latencies: list[float], received: list[int]
) -> websockets.ClientConnection:
    ws = await websockets.connect(url, max_size=None)
    await ws.send(
        json.dumps(
            {
                "type": "hello",
                "nick": f"bench{index}",
                "gender": "other",
                "age": 30,
                "postcode": "75011",
            }
        )
    )
    await ws.recv()
    await ws.send(json.dumps({"type": "join", "room": "general", "id": "j"}))

    async def read() -> None:
        async for raw in ws:
            if '"type":"message"' not in raw:
                continue
            sent = float(json.loads(raw)["text"].split(" ", 1)[0])
            latencies.append(time.perf_counter() - sent)
            received[index] += 1

    asyncio.get_running_loop().create_task(read())
    return ws


async def measure(
    urls: list[str], members: int, senders: int, rate: float, seconds: float
) -> dict[str, float]:
    """Members join round-robin across the nodes' URLs; senders too."""
    latencies: list[float] = []
    received = [0] * members
    clients = [await member(urls[i % len(urls)], i, latencies, received) for i in range(members)]
    await asyncio.sleep(1.0)
    latencies.clear()
    received[:] = [0] * members
    total = int(rate * seconds)
    interval = senders / rate
    started = time.perf_counter()

    async def send(client: websockets.ClientConnection, count: int) -> None:
        next_at = time.perf_counter()
        for _ in range(count):
            await client.send(
                json.dumps(
                    {"type": "say", "room": "general", "text": f"{time.perf_counter()} bench"}
                )
            )
            next_at += interval
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))

    await asyncio.gather(*(send(c, total // senders) for c in clients[:senders]))
    sent = (total // senders) * senders
    deadline = time.perf_counter() + 10
    while sum(received) < sent * members and time.perf_counter() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.05)
    elapsed = time.perf_counter() - started
    for client in clients:
        await client.close()
    ordered = sorted(latencies) or [0.0]
    return {
        "nodes": len(urls),
        "members": members,
        "senders": senders,
        "target_msg_per_s": rate,
        "messages": sent,
        "msg_per_s": round(sent / elapsed, 1),
        "deliveries": sum(received),
        "deliveries_per_s": round(sum(received) / elapsed),
        "lost": sent * members - sum(received),
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(ordered[max(0, int(len(ordered) * 0.99) - 1)] * 1000, 2),
        "max_ms": round(ordered[-1] * 1000, 2),
    }


BENCH_ENV = {"CAUSERIE_RATE_LIMITS": "off", "CAUSERIE_LOG_LEVEL": "warning"}


async def embedded(members: int, senders: int, rate: float, seconds: float) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as data:
        server = ServerProcess(Path(data), env=BENCH_ENV).start()
        try:
            return await measure([server.ws_url], members, senders, rate, seconds)
        finally:
            server.stop()


async def cluster(members: int, senders: int, rate: float, seconds: float) -> dict[str, float]:
    """Two nodes on PostgreSQL (a schema of its own) and Redis (a prefix of its own)."""
    from tests.support.databases import (
        POSTGRES_URL,
        REDIS_URL,
        drop_redis_prefix,
        postgres_schema,
        unique_prefix,
    )

    prefix = unique_prefix()
    async with postgres_schema() as schema:
        env = {
            **BENCH_ENV,
            "CAUSERIE_DATABASE_URL": POSTGRES_URL,
            "CAUSERIE_DATABASE_SCHEMA": schema,
            "CAUSERIE_REDIS_URL": REDIS_URL,
            "CAUSERIE_REDIS_PREFIX": prefix,
        }
        with tempfile.TemporaryDirectory() as data:
            nodes = []
            try:
                for index in range(2):
                    (Path(data) / str(index)).mkdir()
                    nodes.append(ServerProcess(Path(data) / str(index), env=env).start())
                return await measure([n.ws_url for n in nodes], members, senders, rate, seconds)
            finally:
                for node in nodes:
                    node.stop()
                await drop_redis_prefix(prefix)


async def main(args: argparse.Namespace) -> None:
    load = (args.members, args.senders, args.rate, args.seconds)
    runs = []
    if args.mode in ("embedded", "compare"):
        runs.append(await embedded(*load))
        print(json.dumps({"backend": "embedded", **runs[-1]}), flush=True)
    if args.mode in ("cluster", "compare"):
        runs.append(await cluster(*load))
        print(json.dumps({"backend": "postgres+redis", **runs[-1]}), flush=True)
    if len(runs) == 2:
        base, scaled = runs
        print(
            json.dumps(
                {
                    "ratio_cluster_to_embedded": {
                        key: round(scaled[key] / base[key], 2) if base[key] else None
                        for key in ("deliveries_per_s", "p50_ms", "p99_ms")
                    }
                }
            )
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--senders", type=int, default=10)
    parser.add_argument("--rate", type=float, default=500.0)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument(
        "--mode",
        choices=["embedded", "cluster", "compare"],
        default="embedded",
        help="one node on SQLite, two nodes on PostgreSQL and Redis, or both",
    )
    asyncio.run(main(parser.parse_args()))
