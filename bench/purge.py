"""The purge under load: does the chat keep answering while a million old messages go?

Seeds N old messages (default 1,000,000, 200 days old, bulk insert) plus a few young ones in a
fresh database, starts the server in this process on 127.0.0.1 (port 0, the in-server purge job
off), connects a sender and a receiver to one room, and measures each `say`'s round trip (the
`ack`, which waits for the message to be stored, and the receiver's copy) first for a baseline,
then while the purge runs in the server's own event loop, exactly as the hourly job does. Prints
the purge's duration and rate and the chat's p50/p99/max in both phases. Every loop is bounded.

    python bench/purge.py [--messages 1000000] [--rate 20] [--baseline-s 5] [--postgres]

`--postgres` uses PostgreSQL on 127.0.0.1:5432 (database `test`) in a schema of its own.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import websockets

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from causerie.assembly.process import Process  # noqa: E402
from causerie.config import load_settings  # noqa: E402
from causerie.http.server import bind, local_url  # noqa: E402
from causerie.retention.purge import Purger  # noqa: E402
from causerie.store.sql import SqlStore  # noqa: E402

DAY_MS = 86_400_000
POSTGRES_URL = os.environ.get("CAUSERIE_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1/test")
COLUMNS = (
    "id, room_id, sender_session, sender_nick, sender_gender, sender_age, sender_dept, "
    "sender_region, text, created_at_ms, source_address, source_port"
)


def _rows(count: int, now_ms: int) -> Any:
    old = now_ms - 200 * DAY_MS
    for i in range(1, count + 1):
        yield (
            i,
            "general",
            f"s{i % 5000}",
            f"n{i % 5000}",
            "man",
            30,
            "75",
            "Île-de-France",
            f"vieux message {i}",
            old + i,
            "10.0.0.1",
            40000 + i % 20000,
        )


def seed_sqlite(path: Path, count: int, now_ms: int) -> None:
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=OFF")
        db.executemany(
            f"INSERT INTO messages ({COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            _rows(count, now_ms),
        )


async def seed_postgres(schema: str, count: int, now_ms: int) -> None:
    import asyncpg

    connection = await asyncpg.connect(POSTGRES_URL)
    try:
        await connection.copy_records_to_table(
            "messages",
            records=_rows(count, now_ms),
            columns=[c.strip() for c in COLUMNS.split(",")],
            schema_name=schema,
        )
    finally:
        await connection.close()


async def _recv(ws: Any, predicate: Any, timeout_s: float) -> dict[str, Any]:
    async with asyncio.timeout(timeout_s):
        while True:
            frame: dict[str, Any] = json.loads(await ws.recv())
            if predicate(frame):
                return frame


async def chat_probe(
    url: str, rate: float, stop: asyncio.Event, samples: dict[str, list[float]]
) -> None:
    """Send at `rate` per second until `stop`; record ack and delivery round trips in ms."""
    ws_url = url.replace("http://", "ws://") + "/ws"
    async with websockets.connect(ws_url) as sender, websockets.connect(ws_url) as receiver:
        for ws, nick in ((sender, "Emetteur"), (receiver, "Recepteur")):
            await ws.send(
                json.dumps(
                    {
                        "type": "hello",
                        "id": "h",
                        "nick": nick,
                        "age": 30,
                        "gender": "man",
                        "postcode": "75011",
                    }
                )
            )
            await _recv(ws, lambda f: f.get("type") == "welcome", 10)
            await ws.send(json.dumps({"type": "join", "id": "j", "room": "general"}))
            await _recv(ws, lambda f: f.get("type") == "joined", 10)
        sent = 0
        while not stop.is_set() and sent < 100_000:
            sent += 1
            text = f"ping {sent}"
            started = time.perf_counter()
            await sender.send(
                json.dumps({"type": "say", "id": str(sent), "room": "general", "text": text})
            )
            await _recv(sender, lambda f, s=str(sent): f.get("re") == s, 30)
            samples["ack"].append((time.perf_counter() - started) * 1000)
            await _recv(
                receiver, lambda f, t=text: f.get("type") == "message" and f.get("text") == t, 30
            )
            samples["delivery"].append((time.perf_counter() - started) * 1000)
            await asyncio.sleep(max(0.0, 1 / rate - (time.perf_counter() - started)))


def summary(values: list[float]) -> str:
    if not values:
        return "no samples"
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    return (
        f"n={len(values):5}  p50={statistics.median(ordered):6.1f} ms  "
        f"p99={p99:6.1f} ms  max={ordered[-1]:6.1f} ms"
    )


async def main(args: argparse.Namespace) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="causerie-purge-bench-"))
    now_ms = int(time.time() * 1000)
    overrides: dict[str, Any] = {
        "data_dir": workdir,
        "port": 0,
        "rate_limits": False,
        "purge_interval_s": 0,
        "purge_batch": args.batch,
        "purge_pause_s": None if args.pause_ms is None else args.pause_ms / 1000,
    }
    schema = None
    if args.postgres:
        schema = "bench_" + secrets.token_hex(4)
        overrides |= {"database_url": POSTGRES_URL, "database_schema": schema}
    settings = load_settings({}, overrides)
    store = SqlStore(settings.effective_database_url, schema=schema)
    await store.migrate()
    await store.close()
    started = time.perf_counter()
    if args.postgres:
        assert schema is not None
        await seed_postgres(schema, args.messages, now_ms)
    else:
        await asyncio.to_thread(seed_sqlite, workdir / "causerie.db", args.messages, now_ms)
    print(
        f"seeded {args.messages:,} old messages in {time.perf_counter() - started:.1f} s "
        f"({'PostgreSQL' if args.postgres else 'SQLite'})",
        flush=True,
    )

    sock = bind("127.0.0.1", 0)
    server = Process(settings, handle_signals=False)
    task = asyncio.get_running_loop().create_task(server.serve([sock]))
    async with asyncio.timeout(60):
        while not server.started:  # noqa: ASYNC110 - uvicorn offers no event to wait on
            await asyncio.sleep(0.05)
    node = server.node
    url = local_url(sock)
    try:
        baseline: dict[str, list[float]] = {"ack": [], "delivery": []}
        stop = asyncio.Event()
        probe = asyncio.create_task(chat_probe(url, args.rate, stop, baseline))
        await asyncio.sleep(args.baseline_s)
        stop.set()
        await probe

        during: dict[str, list[float]] = {"ack": [], "delivery": []}
        stop = asyncio.Event()
        probe = asyncio.create_task(chat_probe(url, args.rate, stop, during))
        await asyncio.sleep(0.5)
        started = time.perf_counter()
        result = await asyncio.wait_for(Purger.from_settings(node.store, settings).run(), 1800)
        elapsed = time.perf_counter() - started
        stop.set()
        await probe
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 60)
        if args.postgres and schema:
            cleanup = SqlStore(POSTGRES_URL)
            from sqlalchemy import text

            async with cleanup.engine.begin() as connection:
                await connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            await cleanup.close()
    removed = result.removed
    print(
        f"purge: {result.total:,} rows in {elapsed:.1f} s "
        f"({result.total / elapsed:,.0f} rows/s; batch {settings.purge_batch}, "
        f"pause {settings.purge_pause_s * 1000:.0f} ms)"
    )
    print("  " + ", ".join(f"{k.value} {n:,}" for k, n in removed.items() if n))
    for phase, samples in (("before purge", baseline), ("during purge", during)):
        print(f"{phase}: ack       {summary(samples['ack'])}")
        print(f"{phase}: delivery  {summary(samples['delivery'])}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--rate", type=float, default=20.0, help="chat messages per second")
    parser.add_argument("--baseline-s", type=float, default=5.0)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--batch", type=int, default=None, help="rows per purge transaction")
    parser.add_argument("--pause-ms", type=float, default=None, help="pause between batches")
    arguments = parser.parse_args()
    try:  # as `causerie serve` runs (cli._run_async)
        import uvloop

        uvloop.run(main(arguments))
    except ImportError:
        asyncio.run(main(arguments))
