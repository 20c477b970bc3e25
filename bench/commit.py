"""Group commit: how many messages per second are stored while each sender waits for its write.

Many concurrent senders each submit one message to the node's `BatchWriter` and await the
commit of the batch that holds it, as `say` does before its `ack`; the writer stores batches
through the real `SqlStore` (SQLite in WAL mode in a temporary directory, and PostgreSQL on
127.0.0.1:5432 when it answers, in a schema of its own that is dropped at the end: the
tests' `open_store`, so `CAUSERIE_TEST_POSTGRES_URL` points it elsewhere). Prints
one JSON line per backend: messages stored per second, batches, and the ack wait (p50/p99).

    python bench/commit.py [--messages 100000] [--senders 2000] [--no-postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from tests.support.databases import open_store

from causerie.core.messages import Message
from causerie.core.rooms import DEFAULT_ROOMS
from causerie.core.users import Gender, PublicUser
from causerie.node.writer import BatchWriter
from causerie.store.base import Origin
from causerie.store.sql import SqlStore

AUTHOR = PublicUser("Banc", Gender.OTHER, 30, "75", "Île-de-France")
HERE = Origin("127.0.0.1", 40000)


async def measure(kind: str, messages: int, senders: int, max_batch: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="causerie-commit-") as directory:
        async with open_store(kind, Path(directory)) as store:
            return {"backend": kind, **await _measure(store, messages, senders, max_batch)}


async def _measure(store: SqlStore, messages: int, senders: int, max_batch: int) -> dict[str, Any]:
    await store.seed_rooms(DEFAULT_ROOMS, 0)
    writer: BatchWriter[tuple[Message, Origin]] = BatchWriter(store.save, max_batch)
    writer.start()
    waits_ms: list[float] = []
    next_id = iter(range(1, messages + 1))

    async def sender() -> None:
        for message_id in next_id:
            message = Message(message_id, "general", AUTHOR, "salut la compagnie", message_id, "s")
            started = time.perf_counter()
            await writer.submit([(message, HERE)])
            waits_ms.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(sender() for _ in range(senders)))
    elapsed = time.perf_counter() - started
    await writer.stop()
    stored = await store.count_rows("messages")
    waits_ms.sort()
    return {
        "messages": messages,
        "stored": stored,
        "senders": senders,
        "seconds": round(elapsed, 3),
        "stored_per_s": round(stored / elapsed),
        "batches": writer.batches,
        "ack_wait_p50_ms": round(waits_ms[len(waits_ms) // 2], 2),
        "ack_wait_p99_ms": round(waits_ms[int(len(waits_ms) * 0.99)], 2),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--senders", type=int, default=2_000, help="concurrent, each awaits")
    parser.add_argument("--max-batch", type=int, default=1_000, help="commit_batch_max")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    for kind in ("sqlite",) if args.no_postgres else ("sqlite", "postgres"):
        try:
            figures = await measure(kind, args.messages, args.senders, args.max_batch)
        except pytest.skip.Exception as skipped:  # PostgreSQL not answering
            figures = {"backend": kind, "skipped": str(skipped)}
        print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    try:
        import uvloop

        uvloop.run(main())
    except ImportError:
        asyncio.run(main())
