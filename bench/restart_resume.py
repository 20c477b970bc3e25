"""Time from a server restart to messages flowing again (issue: a chat people stay in).

Starts `causerie serve` (loopback, SQLite in a temporary directory), connects CLIENTS people
(each with its own device cookie) to `general`, half of them in a private conversation with
the other half; stops the server (SIGTERM: 1012 to everyone, sessions kept for a resume) and
starts it again on the same port and data. Every client comes back with `hello` + `resume`
(its `resume_token`, rooms, `last_id`, `last_dm_id`), retrying on the web client's schedule
(first try 0.5 s after the loss, doubling to 30 s, ±30 % jitter) or, with `--retry fast`,
every 50 ms (what the server itself allows). Then one room message and one private message
are sent, and the time until every client has them is measured.

Prints one JSON line per retry schedule, times in seconds from the moment the restarted
process was asked to start: `ready` (its /healthz answers), `welcomed_p50/p99/max` (each
client's resume welcomed), `flowing` (the room message and every private message delivered
to all), and the counts of resumes refused and of messages missed or doubled (both must be
0). Also the stop itself (`stopped`, from SIGTERM to exit; the clients' retries start at the
loss, so the web schedule's backoff has grown meanwhile, as in a browser). Bounded in count
and time; talks only to 127.0.0.1.

    python bench/restart_resume.py [--clients 40] [--retry web|fast|both]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import websockets

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.support.process import ServerProcess

TIMEOUT_S = 60.0


class Person:
    def __init__(self, url: str, index: int) -> None:
        self.url = url
        self.nick = f"Banc{index:03d}"
        self.device = f"bench-device-{index:06d}"
        self.ws: Any = None
        self.welcome: dict[str, Any] = {}
        self.last_id = 0
        self.last_dm_id = 0
        self.seen: list[int] = []

    async def connect(self) -> None:
        headers = {"Cookie": f"causerie_device={self.device}"}
        self.ws = await websockets.connect(self.url, additional_headers=headers)

    async def request(self, frame: dict[str, Any]) -> dict[str, Any]:
        await self.ws.send(json.dumps({**frame, "id": "r"}))
        while True:
            reply = json.loads(await self.ws.recv())
            self.note(reply)
            if reply.get("re") == "r":
                return reply

    def note(self, frame: dict[str, Any]) -> None:
        if frame.get("type") == "message":
            self.last_id = max(self.last_id, frame["id"])
            self.seen.append(frame["id"])
        elif frame.get("type") in ("dm", "dm_request"):
            self.last_dm_id = max(self.last_dm_id, frame["id"])
            self.seen.append(frame["id"])

    async def hello(self, resume: dict[str, Any] | None = None) -> dict[str, Any]:
        fields = {"type": "hello", "nick": self.nick, "gender": "other", "age": 30}
        fields["postcode"] = "75011"
        if resume is not None:
            fields["resume"] = resume
        reply = await self.request(fields)
        if reply["type"] == "welcome":
            self.welcome = reply
        return reply

    async def come_back(self, schedule: str, started: float) -> tuple[float, bool]:
        """Retry until welcomed; (seconds from `started`, whether it resumed)."""
        try:
            while True:  # the server's 1012 (or the socket's end) is the loss
                self.note(json.loads(await self.ws.recv()))
        except websockets.ConnectionClosed:
            pass
        delay = 0.5
        while True:
            wait = 0.05 if schedule == "fast" else delay * random.uniform(0.7, 1.3)
            await asyncio.sleep(wait)
            delay = min(delay * 2, 30.0)
            try:
                await self.connect()
            except OSError:
                continue
            resume = {
                "session": self.welcome["session"],
                "resume_token": self.welcome["resume_token"],
                "rooms": ["general"],
                "last_id": self.last_id,
                "last_dm_id": self.last_dm_id,
            }
            try:
                reply = await self.hello(resume)
            except websockets.ConnectionClosed:
                continue
            if reply["type"] == "welcome":
                return time.monotonic() - started, True
            if reply.get("code") == "resume_refused":
                return time.monotonic() - started, False
            await self.ws.close()

    async def until(self, ids: set[int]) -> None:
        while not ids <= set(self.seen):
            self.note(json.loads(await self.ws.recv()))


async def one_run(clients: int, schedule: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as data:
        server = ServerProcess(Path(data), env={"CAUSERIE_RATE_LIMITS": "off"}).start()
        url = server.url.replace("http://", "ws://") + "/ws"
        people = [Person(url, i) for i in range(clients)]
        try:
            for person in people:
                await person.connect()
                assert (await person.hello())["type"] == "welcome"
                assert (await person.request({"type": "join", "room": "general"}))[
                    "type"
                ] == "joined"
            half = clients // 2
            for a, b in zip(people[:half], people[half:], strict=False):
                await a.request({"type": "dm", "to": b.nick, "text": "avant"})
                await b.request({"type": "dm", "to": a.nick, "text": "avant aussi"})
            await asyncio.sleep(0.5)
            loop = asyncio.get_running_loop()
            lost = time.monotonic()  # the clients start coming back as the 1012 arrives
            comebacks = [asyncio.create_task(p.come_back(schedule, lost)) for p in people]
            await loop.run_in_executor(None, server.stop)
            started = time.monotonic()
            stopped = started - lost
            await loop.run_in_executor(None, server.start)
            ready = time.monotonic() - started
            results = await asyncio.wait_for(asyncio.gather(*comebacks), TIMEOUT_S)
            welcomed = sorted(seconds - stopped for seconds, _ok in results)
            refused = sum(1 for _s, ok in results if not ok)
            for person in people:  # what the resume sent (joined, replayed dms)
                person.seen.clear()
            said = await people[0].request({"type": "say", "room": "general", "text": "après"})
            wanted = {person.nick: {said["message_id"]} for person in people}
            for a, b in zip(people[:half], people[half:], strict=False):
                sent = await a.request({"type": "dm", "to": b.nick, "text": "après"})
                wanted[b.nick].add(sent["message_id"])
                wanted[a.nick].add(sent["message_id"])  # the sender's own copy
            await asyncio.wait_for(
                asyncio.gather(*(p.until(wanted[p.nick]) for p in people)), TIMEOUT_S
            )
            flowing = time.monotonic() - started
            doubled = sum(len(p.seen) - len(set(p.seen)) for p in people)
            return {
                "bench": "restart_resume",
                "retry": schedule,
                "clients": clients,
                "stopped": round(stopped, 3),
                "ready": round(ready, 3),
                "welcomed_p50": round(statistics.median(welcomed), 3),
                "welcomed_p99": round(welcomed[int(0.99 * (len(welcomed) - 1))], 3),
                "welcomed_max": round(welcomed[-1], 3),
                "flowing": round(flowing, 3),
                "refused": refused,
                "doubled": doubled,
            }
        finally:
            for person in people:
                if person.ws is not None:
                    await person.ws.close()
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=40)
    parser.add_argument("--retry", choices=("web", "fast", "both"), default="both")
    args = parser.parse_args()
    schedules = ("fast", "web") if args.retry == "both" else (args.retry,)
    for schedule in schedules:
        print(json.dumps(asyncio.run(one_run(min(args.clients, 400), schedule))), flush=True)


if __name__ == "__main__":
    main()
