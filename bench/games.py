"""A quiz in a busy room: who wins a flood of right answers, and what the game costs the room.

Starts `causerie serve` (loopback, SQLite in a temporary directory, rate limits off so the
load is the bench's, not the limiter's), puts MEMBERS people in the seeded games room `jeux`
(every room game on), and runs two phases of the same chatter (SENDERS people saying
timestamped lines at RATE messages/s in all):

1. `without`: the chatter alone, for SECONDS;
2. `burst`: the chatter while, ROUNDS times a few seconds apart, PLAYERS people send a line at
   once with no game running: what the same flood of answers costs the room by itself;
3. `with`: the chatter while a quiz of ROUNDS questions runs: as each question arrives, PLAYERS
   people send the right answer at once (looked up in the shipped bank).

For each round it checks that the winner the quiz names is the player whose answer was
acknowledged first (the smallest `ack.message_id` among the answers: ids grow in the order
messages are stored and fanned out) and the first answer the room saw. It prints one JSON line:
the chatter's delivery latency p50/p99 (ms, measured by OBSERVERS members) in each phase, the
ratio of `with` to `without` and of `with` to `burst` (the game's own cost), and per round
the answers acknowledged, the winner and whether it was the first.
Bounded in time (each wait has a timeout) and talks only to 127.0.0.1.

    python bench/games.py [--members 200] [--players 50] [--rate 100] [--seconds 10] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import websockets

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.support.process import ServerProcess

from causerie.games.library import PackagedLibrary

ROOM = "jeux"
TIMEOUT_S = 60.0
BURST_GAP_S = 4.0  # about a quiz round: the answers, the verdict, the next question
WINNER = re.compile(r"^Bravo (\S+) :")


class Member:
    def __init__(self, url: str, index: int, *, is_observer: bool) -> None:
        self.url = url
        self.nick = f"Joueur{index:03d}"
        self.index = index
        self.is_observer = is_observer
        self.ws: Any = None
        self.latencies: dict[str, list[float]] = {"without": [], "burst": [], "with": []}
        self.phase = "without"
        self.acks: dict[str, asyncio.Future[int]] = {}
        self.game_lines: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.room_order: list[tuple[int, str, str]] = []
        self.is_watcher = False

    async def open(self) -> None:
        headers = {"Cookie": f"causerie_device=bench-games-{self.index:06d}"}
        self.ws = await websockets.connect(self.url, additional_headers=headers, max_queue=None)
        await self._request(
            {"type": "hello", "nick": self.nick, "gender": "other", "age": 30, "postcode": "75011"}
        )
        await self._request({"type": "join", "room": ROOM})

    async def _request(self, frame: dict[str, Any]) -> dict[str, Any]:
        await self.ws.send(json.dumps({**frame, "id": "open"}))
        while True:
            reply = json.loads(await self.ws.recv())
            if reply.get("re") == "open":
                if reply["type"] == "error":
                    raise RuntimeError(f"{self.nick}: {reply}")
                return reply

    def expect_ack(self, request_id: str) -> asyncio.Future[int]:
        self.acks[request_id] = asyncio.get_running_loop().create_future()
        return self.acks[request_id]

    async def say(self, text: str, request_id: str) -> None:
        await self.ws.send(
            json.dumps({"type": "say", "room": ROOM, "text": text, "id": request_id})
        )

    async def pump(self) -> None:
        """Reads every frame; parses only what this member measures (the client's CPU is the
        server's too, on this machine)."""
        try:
            async for raw in self.ws:
                if '"type":"ack"' in raw:
                    ack = json.loads(raw)
                    waiting = self.acks.get(ack["re"])
                    if waiting is not None and not waiting.done():
                        waiting.set_result(ack["message_id"])
                elif self.is_observer and '"text":"bench ' in raw:
                    sent_ns = int(json.loads(raw)["text"].split()[1])
                    self.latencies[self.phase].append((time.perf_counter_ns() - sent_ns) / 1e6)
                elif self.is_watcher and '"type":"message"' in raw:
                    frame = json.loads(raw)
                    self.room_order.append((frame["id"], frame["from"]["nick"], frame["text"]))
                    if frame.get("game"):
                        self.game_lines.put_nowait(frame)
        except websockets.ConnectionClosed:
            pass


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(fraction * len(ordered)))], 2) if values else 0.0


async def chatter(senders: list[Member], rate: int, stop: asyncio.Event) -> int:
    interval_s = len(senders) / rate
    sent = 0
    while not stop.is_set():
        started = time.perf_counter()
        for sender in senders:
            await sender.say(f"bench {time.perf_counter_ns()}", f"c{sent}")
            sent += 1
        await asyncio.sleep(max(0.0, interval_s - (time.perf_counter() - started)))
    return sent


async def next_line(watcher: Member, accept: Any) -> dict[str, Any]:
    while True:
        frame = await asyncio.wait_for(watcher.game_lines.get(), TIMEOUT_S)
        if accept(frame):
            return frame


async def play_round(watcher: Member, players: list[Member], answers: dict[str, str]) -> dict:
    question = await next_line(
        watcher, lambda f: (f["game"].get("view") or {}).get("is_open") and "Question" in f["text"]
    )
    view = question["game"]["view"]
    answer = answers[view["question"]]
    request_id = f"answer{view['number']}"
    acks = [player.expect_ack(request_id) for player in players]
    # In a new order each round, so the first to be stored is not always the same person.
    await asyncio.gather(*(p.say(answer, request_id) for p in random.sample(players, len(players))))
    verdict = await next_line(watcher, lambda f: WINNER.match(f["text"]) is not None)
    winner = WINNER.match(verdict["text"]).group(1)  # type: ignore[union-attr]
    message_ids = await asyncio.wait_for(asyncio.gather(*acks), TIMEOUT_S)
    acked = {
        player.nick: message_id for player, message_id in zip(players, message_ids, strict=True)
    }
    first_acked = min(acked, key=acked.__getitem__)
    seen = [nick for _id, nick, text in watcher.room_order if text == answer and nick in acked]
    return {
        "round": view["number"],
        "answers_acked": len(acked),
        "winner": winner,
        "first_acked": first_acked,
        "winner_is_first_acked": winner == first_acked,
        "winner_is_first_seen": bool(seen) and winner == seen[0],
    }


async def run(args: argparse.Namespace) -> dict[str, Any]:
    answers = {q.text: q.answers[0] for q in PackagedLibrary().questions()}
    with tempfile.TemporaryDirectory() as data:
        env = {"CAUSERIE_RATE_LIMITS": "off"}
        with ServerProcess(Path(data), env=env) as server:
            url = server.ws_url
            members = [
                Member(url, i, is_observer=i % (args.members // args.observers) == 0)
                for i in range(args.members)
            ]
            for member in members:
                await member.open()
            watcher = members[0]
            watcher.is_watcher = True
            pumps = [asyncio.create_task(m.pump()) for m in members]
            players = members[1 : 1 + args.players]
            senders = members[-args.senders :]

            stop = asyncio.Event()
            talk = asyncio.create_task(chatter(senders, args.rate, stop))
            await asyncio.sleep(args.seconds)
            for member in members:
                member.phase = "burst"
            for number in range(args.rounds):
                lines = (p.say(f"pas de jeu {number}", f"burst{number}") for p in players)
                await asyncio.gather(*lines)
                await asyncio.sleep(BURST_GAP_S)
            for member in members:
                member.phase = "with"
            await watcher.say(f"!quiz {args.rounds}", "start")
            rounds = [await play_round(watcher, players, answers) for _ in range(args.rounds)]
            stop.set()
            sent = await talk
            await asyncio.sleep(1.0)
            for member in members:
                await member.ws.close()
            await asyncio.gather(*pumps)

    without = [v for m in members for v in m.latencies["without"]]
    burst = [v for m in members for v in m.latencies["burst"]]
    within = [v for m in members for v in m.latencies["with"]]
    p99_without, p99_with = percentile(without, 0.99), percentile(within, 0.99)
    p99_burst = percentile(burst, 0.99)
    return {
        "bench": "games",
        "members": args.members,
        "players": args.players,
        "chatter_rate": args.rate,
        "chatter_sent": sent,
        "p50_without_ms": percentile(without, 0.5),
        "p99_without_ms": p99_without,
        "p50_with_ms": percentile(within, 0.5),
        "p99_with_ms": p99_with,
        "p50_burst_ms": percentile(burst, 0.5),
        "p99_burst_ms": p99_burst,
        "p99_ratio": round(p99_with / p99_without, 2) if p99_without else None,
        "p99_ratio_to_burst": round(p99_with / p99_burst, 2) if p99_burst else None,
        "deliveries_measured": [len(without), len(burst), len(within)],
        "rounds": rounds,
        "every_winner_first_acked": all(r["winner_is_first_acked"] for r in rounds),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--players", type=int, default=50)
    parser.add_argument("--senders", type=int, default=10)
    parser.add_argument("--observers", type=int, default=20)
    parser.add_argument("--rate", type=int, default=100, help="chatter messages per second")
    parser.add_argument("--seconds", type=float, default=10.0, help="the phase without a game")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args))))


if __name__ == "__main__":
    main()
