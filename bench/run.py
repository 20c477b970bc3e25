"""Fan-out benchmark: one room, many members, a few senders, over real WebSockets on loopback.

Starts `causerie serve` (rate limits off, loopback only), connects MEMBERS clients to one room,
has SENDERS of them post at a total RATE msg/s for SECONDS, and prints one JSON line: deliveries
per second, p50/p99/max delivery latency (from a send timestamp carried in the text), lost
messages. Bounded in count and time; talks only to 127.0.0.1.

    python bench/run.py [--members 200] [--senders 10] [--rate 500] [--seconds 5]
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
    url: str,
    index: int,
    ready: asyncio.Event,
    latencies: list[float],
    received: list[int],
    stop: asyncio.Event,
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


async def main(members: int, senders: int, rate: float, seconds: float) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as data:
        server = ServerProcess(
            Path(data), env={"CAUSERIE_RATE_LIMITS": "off", "CAUSERIE_LOG_LEVEL": "warning"}
        ).start()
        try:
            latencies: list[float] = []
            received = [0] * members
            stop = asyncio.Event()
            ready = asyncio.Event()
            clients = [
                await member(server.ws_url, i, ready, latencies, received, stop)
                for i in range(members)
            ]
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
                            {
                                "type": "say",
                                "room": "general",
                                "text": f"{time.perf_counter()} bench",
                            }
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
        finally:
            server.stop()
    ordered = sorted(latencies) or [0.0]
    return {
        "members": members,
        "senders": senders,
        "target_msg_per_s": rate,
        "messages": sent,
        "deliveries": sum(received),
        "deliveries_per_s": round(sum(received) / elapsed),
        "lost": sent * members - sum(received),
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(ordered[int(len(ordered) * 0.99) - 1] * 1000, 2),
        "max_ms": round(ordered[-1] * 1000, 2),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--senders", type=int, default=10)
    parser.add_argument("--rate", type=float, default=500.0)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(main(args.members, args.senders, args.rate, args.seconds))))
