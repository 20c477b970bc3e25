"""Why group commit sends one multi-row INSERT: sqlite3 beside a busy event-loop thread.

sqlite3 lets go of the GIL for each statement it steps. While another thread runs Python
code, getting the GIL back waits up to the switch interval (5 ms), so `executemany` of many
rows, one step each, is slowed by that wait for every row; one statement of many rows waits
once. This inserts the same rows both ways from a worker thread, first with the main thread
idle, then with it spinning as a busy event loop does, and prints one JSON line per case with
the median of `--repeat` runs in milliseconds.

    python bench/convoy.py [--rows 1000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

COLUMNS = 9
Rows = list[tuple[object, ...]]


def _rows(batch: int, count: int) -> Rows:
    return [
        (f"{batch}-{i}", "salut la compagnie", i, "a", "b", 3, "c", "d", 5) for i in range(count)
    ]


def _executemany(db: sqlite3.Connection, rows: Rows) -> None:
    db.executemany(f"INSERT INTO m VALUES ({', '.join('?' * COLUMNS)})", rows)
    db.commit()


def _one_statement(db: sqlite3.Connection, rows: Rows) -> None:
    group = f"({', '.join('?' * COLUMNS)})"
    values = [value for row in rows for value in row]
    db.execute(f"INSERT INTO m VALUES {', '.join([group] * len(rows))}", values)
    db.commit()


Insert = Callable[[sqlite3.Connection, Rows], None]
CASES: tuple[tuple[str, Insert], ...] = (
    ("executemany", _executemany),
    ("one_statement", _one_statement),
)


def _timed_in_thread(insert: Insert, db: sqlite3.Connection, rows: Rows) -> float:
    worker = threading.Thread(target=insert, args=(db, rows))
    started = time.perf_counter()
    worker.start()
    worker.join()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        db = sqlite3.connect(Path(directory) / "convoy.db", check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("CREATE TABLE m (id TEXT PRIMARY KEY, a, b, c, d, e, f, g, h)")
        batches = iter(range(1_000_000))
        for busy in (False, True):
            stop = threading.Event()
            spinner = threading.Thread(target=_spin, args=(stop,))
            if busy:
                spinner.start()
            try:
                for name, insert in CASES:
                    times = [
                        _timed_in_thread(insert, db, _rows(next(batches), args.rows))
                        for _ in range(args.repeat)
                    ]
                    print(
                        json.dumps(
                            {
                                "insert": name,
                                "rows": args.rows,
                                "main_thread": "busy" if busy else "idle",
                                "median_ms": round(statistics.median(times), 2),
                            }
                        ),
                        flush=True,
                    )
            finally:
                stop.set()
                if busy:
                    spinner.join()


def _spin(stop: threading.Event) -> None:
    count = 0
    while not stop.is_set():
        count += 1


if __name__ == "__main__":
    main()
