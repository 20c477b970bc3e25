"""Staff logins under attack: one chatting user's say→ack latency, quiet and during a storm of
wrong staff logins, side by side (issue 17, finding 3).

    .venv/bin/python bench/staff_logins.py [--seconds 10] [--attackers 60] [--tries 3]
                                           [--pace-ms 10] [--round-s 1] [--json FILE]

A `causerie serve` on 127.0.0.1 (SQLite; chat flood limits off so that the measuring user is
never throttled: the staff-login limits do not depend on them and stay on) with a real staff
account whose password hash uses the shipped argon2id parameters (64 MiB, 3 passes, 4 lanes).
One user joins `general` and says a new line every `pace` ms, timing each from its send to its
`ack`. Phases of `--seconds` each:

- `baseline`: nobody else.
- `attack` (the issue's scenario): `attackers` connections from the one loopback address, each
  sending `tries` logins with wrong passwords for the real account, then reconnecting for the
  next round (a round a second per connection, so the storm lasts the whole phase: 180
  attempts a second). The per-address and per-name limits refuse most at once.
- `spread`: the same storm, each round from its own address (`X-Forwarded-For`, which the
  server believes from loopback) and for its own unknown name, so no limit by address or name
  ever bites: every attempt asks for an argon2 hash of the dummy, and only the bounded pool
  (one niced thread, four waiting) stands between the storm and the CPU.

The attackers run in their own process. Prints one JSON line per phase, then a table with each
phase's p50 and p99 beside the baseline's; the goal is an attacked p99 under 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import statistics
import sys
import tempfile
import time
from collections import Counter
from multiprocessing.connection import Connection as Pipe
from pathlib import Path
from typing import Any

import websockets

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.support.process import ServerProcess

STAFF_NAME = "Gaspard_Modo"
STAFF_PASSWORD = "un-mot-de-passe-tres-long"
ENV = {
    "CAUSERIE_RATE_LIMITS": "off",
    "CAUSERIE_LOG_LEVEL": "warning",
    # The connection limits per address are another finding's; the storm measures logins.
    "CAUSERIE_WS_CONNECTIONS_PER_ADDRESS": "100000",
    "CAUSERIE_HELLOS_PER_MINUTE_PER_ADDRESS": "100000",
}
WORDS = "salut ça va bien et toi quoi de neuf ce soir".split()


def _text(counter: int) -> str:
    """A new line each time (the repeat check), words only (digits look like phone numbers)."""
    picked = []
    while True:
        counter, index = divmod(counter, len(WORDS))
        picked.append(WORDS[index])
        if not counter:
            return " ".join(picked)


async def make_account(data_dir: Path) -> None:
    from causerie.safety.staff import StaffAccount, StaffRole, hash_password
    from causerie.store.sql import SqlStore

    store = SqlStore(f"sqlite+aiosqlite:///{(data_dir / 'causerie.db').resolve()}")
    try:
        await store.migrate()
        account = StaffAccount(STAFF_NAME, StaffRole.MODERATOR, hash_password(STAFF_PASSWORD))
        await store.add_staff(account, 0)
    finally:
        await store.close()


# -- the talker ---------------------------------------------------------------------------------


class Talker:
    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.counter = 0

    @classmethod
    async def open(cls, url: str) -> Talker:
        ws = await websockets.connect(url, max_size=None)
        talker = cls(ws)
        await talker.request(
            {"type": "hello", "nick": "Bavarde", "gender": "woman", "age": 30, "postcode": "75011"}
        )
        await talker.request({"type": "join", "room": "general"})
        return talker

    async def request(self, frame: dict[str, Any]) -> dict[str, Any]:
        self.counter += 1
        request_id = f"r{self.counter}"
        await self.ws.send(json.dumps({**frame, "id": request_id}))
        while True:
            answer: dict[str, Any] = json.loads(await self.ws.recv())
            if answer.get("re") == request_id:
                return answer

    async def talk(self, seconds: float, pace_s: float) -> list[float]:
        """Say a line every `pace_s` for `seconds`; the say→ack latencies in ms."""
        latencies: list[float] = []
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            started = time.monotonic()
            answer = await self.request(
                {"type": "say", "room": "general", "text": _text(self.counter)}
            )
            if answer["type"] != "ack":
                raise RuntimeError(f"the talker was refused: {answer}")
            latencies.append((time.monotonic() - started) * 1000)
            await asyncio.sleep(max(0.0, pace_s - (time.monotonic() - started)))
        return latencies


# -- the attackers (own process) ----------------------------------------------------------------


async def _attacker(
    url: str,
    index: int,
    spread: bool,
    tries: int,
    round_s: float,
    deadline: float,
    codes: Counter[str],
) -> None:
    round_number = 0
    while time.monotonic() < deadline:
        started = time.monotonic()
        round_number += 1
        name, headers = STAFF_NAME, None
        if spread:
            name = f"Inconnu_{index}_{round_number}"
            address = f"10.{77 + round_number // 250 % 100}.{index}.{round_number % 250 + 1}"
            headers = {"X-Forwarded-For": address}
        try:
            async with websockets.connect(url, additional_headers=headers) as ws:
                for attempt in range(tries):
                    await ws.send(
                        json.dumps(
                            {
                                "type": "login",
                                "id": attempt,
                                "name": name,
                                "password": f"faux-{round_number}-{attempt}",
                            }
                        )
                    )
                answered = 0
                while answered < tries:
                    frame = json.loads(await ws.recv())
                    if "re" in frame:
                        answered += 1
                        codes[frame.get("code", frame["type"])] += 1
        except (OSError, websockets.ConnectionClosed):
            codes["connection_closed"] += 1
        await asyncio.sleep(max(0.0, round_s - (time.monotonic() - started)))


async def _storm(
    url: str,
    spread: bool,
    attackers: int,
    tries: int,
    round_s: float,
    seconds: float,
    codes: Counter[str],
) -> None:
    deadline = time.monotonic() + seconds
    await asyncio.gather(
        *(_attacker(url, i, spread, tries, round_s, deadline, codes) for i in range(attackers))
    )


def attack_process(pipe: Pipe, url: str, attackers: int, tries: int, round_s: float) -> None:
    """Waits for `(phase, seconds)`, storms for that long, answers with the codes seen."""
    while True:
        order = pipe.recv()
        if order is None:
            return
        phase, seconds = order
        codes: Counter[str] = Counter()

        started = time.monotonic()
        asyncio.run(_storm(url, phase == "spread", attackers, tries, round_s, seconds, codes))
        pipe.send({"codes": dict(codes), "storm_s": round(time.monotonic() - started, 2)})


# -- the run ------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def run(args: argparse.Namespace) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="causerie-bench-") as workdir:
        data = Path(workdir)
        await make_account(data)
        server = ServerProcess(data, env=ENV).start()
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        attackers = context.Process(
            target=attack_process,
            args=(theirs, server.ws_url, args.attackers, args.tries, args.round_s),
            daemon=True,
        )
        attackers.start()
        results = []
        try:
            talker = await Talker.open(server.ws_url)
            await talker.talk(1.0, args.pace_ms / 1000)  # warm up
            for phase in ("baseline", "attack", "spread"):
                if phase != "baseline":
                    ours.send((phase, args.seconds))
                    await asyncio.sleep(0.2)  # the storm is under way before we measure
                latencies = await talker.talk(args.seconds, args.pace_ms / 1000)
                storm = ours.recv() if phase != "baseline" else {}
                result = {
                    "phase": phase,
                    "says": len(latencies),
                    "p50_ms": round(statistics.median(latencies), 2),
                    "p99_ms": round(percentile(latencies, 0.99), 2),
                    "max_ms": round(max(latencies), 2),
                    **storm,
                }
                print(json.dumps(result, ensure_ascii=False), flush=True)
                results.append(result)
            await talker.ws.close()
        finally:
            ours.send(None)
            attackers.join(10)
            server.stop()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="per phase")
    parser.add_argument("--attackers", type=int, default=60, help="connections at once")
    parser.add_argument("--tries", type=int, default=3, help="logins per connection and round")
    parser.add_argument("--round-s", type=float, default=1.0, help="one round per connection")
    parser.add_argument("--pace-ms", type=float, default=10.0, help="between the talker's says")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    results = asyncio.run(run(args))
    base = results[0]
    print()
    print(f"{'phase':<10} {'says':>6} {'p50 ms':>8} {'p99 ms':>8} {'base p99':>9}  storm")
    for result in results:
        codes = ", ".join(f"{k} {v}" for k, v in sorted(result.get("codes", {}).items()))
        print(
            f"{result['phase']:<10} {result['says']:>6} {result['p50_ms']:>8} "
            f"{result['p99_ms']:>8} {base['p99_ms']:>9}  {codes}"
        )
    worst = max(r["p99_ms"] for r in results[1:])
    print(f"\nattacked p99 {worst} ms (goal: under 50 ms) beside {base['p99_ms']} ms quiet")
    if args.json:
        args.json.write_text("\n".join(json.dumps(r) for r in results) + "\n")


if __name__ == "__main__":
    main()
