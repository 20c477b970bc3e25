"""What the WebSocket and IRC load generators share: worker processes, counting, latency.

How this works: the coordinator starts `procs` worker processes (spawned, each with its own
uvloop loop); members and senders are dealt to them round-robin. Each worker logs its members in
and joins the room, then reports ready; once all are ready the coordinator sends one start time
(CLOCK_MONOTONIC, shared by every process on Linux). Senders post at their share of the rate,
each text carrying `T<send time, base 36> ` so latency is measured from the message itself.
Every member counts deliveries with `bytes.count` over the raw stream (no frame or line
parsing, so the generator stays cheap); one member in `observe_every` also extracts the
timestamps with one regular expression per chunk and fills a 0.1 ms histogram. After sending,
the coordinator tells the workers how many messages went out; they wait (bounded) for the
deliveries and report.

Server CPU and RSS come from /proc/<pid>; generator CPU is the workers' own process time.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import re
import resource
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection as Pipe
from typing import Any

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
BUCKET_S = 0.0001  # histogram resolution: 0.1 ms
DRAIN_S = 10.0
LOGIN_CONCURRENCY = 16  # per process: connections logging in at once
# The send time in microseconds, base 36, then a few words: chat-like text. (A run of digits
# would make every message look like a phone number to the automatic moderation, which then
# parses it: a cost real conversation rarely has; see docs/performance.md.)
TIMESTAMP = rb"T([0-9a-z]+) "
TEXT_AFTER_TIMESTAMP = "salut la compagnie"
DIGITS36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def base36(number: int) -> str:
    text = ""
    while number:
        number, digit = divmod(number, 36)
        text = DIGITS36[digit] + text
    return text or "0"


def stamp() -> str:
    return f"T{base36(time.monotonic_ns() // 1000)} {TEXT_AFTER_TIMESTAMP}"


def raise_fd_limit() -> None:
    """Ten thousand idle connections need as many descriptors on each side."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 200_000
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, max(hard, wanted)))
        return
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def proc_cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process (fields 14 and 15 of /proc/<pid>/stat)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def proc_rss_kb(pid: int, key: str = "VmRSS") -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def percentile(histogram: Counter[int], fraction: float) -> float:
    """The latency (ms) below which `fraction` of the observed deliveries fall."""
    total = sum(histogram.values())
    if total == 0:
        return 0.0
    wanted, seen = fraction * total, 0
    for bucket in sorted(histogram):
        seen += histogram[bucket]
        if seen >= wanted:
            return round(bucket * BUCKET_S * 1000, 2)
    return round(max(histogram) * BUCKET_S * 1000, 2)


class Member(asyncio.Protocol):
    """A connected member: counts `marker` in the stream; an observer also times them.

    Subclasses do the protocol's login (`login`) and framing of a message (`message_bytes`).
    """

    marker = b""
    pattern: re.Pattern[bytes] = re.compile(TIMESTAMP)

    def __init__(self, nick: str, is_observer: bool, histogram: Counter[int]) -> None:
        self.nick = nick
        self.is_observer = is_observer
        self.histogram = histogram
        self.received = 0
        self.sent = 0
        self.closed = False
        self.transport: asyncio.Transport | None = None
        self.logged_in = asyncio.get_running_loop().create_future()
        self._login_buffer: bytearray | None = bytearray()
        self._tail = b""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  (uvloop's is not a subclass)

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if not self.logged_in.done():
            self.logged_in.set_exception(ConnectionError(f"{self.nick}: closed during login"))

    def data_received(self, data: bytes) -> None:
        if self._login_buffer is not None:
            self._login_buffer += data
            self.on_login_data(self._login_buffer)
            return
        self.count(data)

    def on_login_data(self, buffer: bytearray) -> None:
        raise NotImplementedError

    def logged_in_now(self, rest: bytes = b"") -> None:
        self._login_buffer = None
        if not self.logged_in.done():
            self.logged_in.set_result(None)
        if rest:
            self.count(rest)

    def count(self, data: bytes) -> None:
        stream = self._tail + data
        # An observer's tail may hold a whole marker, already counted.
        self.received += stream.count(self.marker) - self._tail.count(self.marker)
        if self.is_observer:
            now = time.monotonic()
            start = len(self._tail)
            histogram = self.histogram
            for found in self.pattern.finditer(stream):
                if found.end() > start:  # a match wholly in the tail was counted last time
                    sent_s = int(found.group(1), 36) / 1e6
                    histogram[int((now - sent_s) / BUCKET_S)] += 1
            self._tail = stream[-64:]
        else:
            self._tail = stream[-(len(self.marker) - 1) :]

    def message_bytes(self, text: str) -> bytes:
        raise NotImplementedError

    def say(self, text: str) -> None:
        if self.transport is not None and not self.closed:
            self.transport.write(self.message_bytes(text))
            self.sent += 1


@dataclass
class Plan:
    """One worker's share of a run."""

    host: str
    port: int
    room: str
    members: list[int]
    senders: list[int]
    rate: float  # this worker's msg/s
    seconds: float
    observe_every: int
    idle: bool = False
    options: dict[str, Any] = field(default_factory=dict)


MemberFactory = Callable[[Plan, int, bool, Counter[int]], Member]


async def _login_all(plan: Plan, make: MemberFactory, histogram: Counter[int]) -> list[Member]:
    loop = asyncio.get_running_loop()
    gate = asyncio.Semaphore(plan.options.get("login_concurrency", LOGIN_CONCURRENCY))

    async def one(index: int) -> Member:
        async with gate:
            _transport, member = await loop.create_connection(
                lambda: make(plan, index, index % plan.observe_every == 0, histogram),
                plan.host,
                plan.port,
            )
            await asyncio.wait_for(member.logged_in, 20)
            return member

    return list(await asyncio.gather(*(one(i) for i in plan.members)))


async def _send(members: dict[int, Member], plan: Plan, start: float) -> int:
    """Post at `plan.rate` msg/s for `plan.seconds`, round-robin over this worker's senders."""
    senders = [members[i] for i in plan.senders]
    if not senders or plan.rate <= 0:
        return 0
    total = int(plan.rate * plan.seconds)
    sent, turn = 0, 0
    while sent < total:
        now = time.monotonic()
        due = min(total, int((now - start) * plan.rate)) - sent
        for _ in range(due):
            senders[turn % len(senders)].say(stamp())
            turn += 1
            sent += 1
        await asyncio.sleep(0.001)
    return sent


async def _worker_main(plan: Plan, make: MemberFactory, pipe: Pipe) -> None:
    histogram: Counter[int] = Counter()
    login_started = time.monotonic()
    members_list = await _login_all(plan, make, histogram)
    login_s = time.monotonic() - login_started
    members = dict(zip(plan.members, members_list, strict=True))
    pipe.send(("ready", login_s))
    loop = asyncio.get_running_loop()
    start = await loop.run_in_executor(None, pipe.recv)
    while time.monotonic() < start:  # noqa: ASYNC110 (a start line shared by processes)
        await asyncio.sleep(0.001)
    cpu_started = time.process_time()
    sent = await _send(members, plan, start) if not plan.idle else 0
    pipe.send(("sent", sent))
    expected_per_member, own = await loop.run_in_executor(None, pipe.recv)
    expected = expected_per_member * len(members_list) - own * sum(m.sent for m in members_list)
    deadline = time.monotonic() + DRAIN_S
    while time.monotonic() < deadline:
        received = sum(m.received for m in members_list)
        if received >= expected or all(m.closed for m in members_list):
            break
        await asyncio.sleep(0.01)
    done_at = time.monotonic()
    pipe.send(
        (
            "result",
            {
                "sent": sent,
                "received": sum(m.received for m in members_list),
                "expected": expected,
                "disconnected": sum(m.closed for m in members_list),
                "histogram": dict(histogram),
                "cpu_s": time.process_time() - cpu_started,
                "done_at": done_at,
            },
        )
    )
    for member in members_list:
        if member.transport is not None:
            member.transport.close()


def worker(plan: Plan, make: MemberFactory, pipe: Pipe) -> None:
    import uvloop

    raise_fd_limit()
    try:
        uvloop.run(_worker_main(plan, make, pipe))
    except Exception as exc:
        pipe.send(("error", f"{type(exc).__name__}: {exc}"))


def _receive(pipe: Pipe, kind: str, timeout_s: float) -> Any:
    if not pipe.poll(timeout_s):
        raise TimeoutError(f"a load worker sent no {kind!r} within {timeout_s:.0f} s")
    got, value = pipe.recv()
    if got == "error":
        raise RuntimeError(f"load worker failed: {value}")
    if got != kind:
        raise RuntimeError(f"load worker sent {got!r}, expected {kind!r}")
    return value


def run_load(
    make: MemberFactory,
    server_pid: int,
    host: str,
    port: int,
    *,
    room: str,
    members: int,
    senders: int,
    rate: float,
    seconds: float,
    procs: int = 2,
    observe_every: int = 10,
    sender_receives_own: bool = True,
    idle: bool = False,
    options: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Run one scenario against a server and return its figures (one JSON-able dict)."""
    raise_fd_limit()
    procs = max(1, min(procs, members))
    context = multiprocessing.get_context("spawn")
    plans = [
        Plan(
            host,
            port,
            room,
            members=list(range(p, members, procs)),
            senders=[i for i in range(p, members, procs) if i < senders],
            rate=0.0,
            seconds=seconds,
            observe_every=observe_every,
            idle=idle,
            options=options or {},
        )
        for p in range(procs)
    ]
    for plan in plans:
        plan.rate = rate * len(plan.senders) / senders if senders else 0.0
    rss_before_kb = proc_rss_kb(server_pid)
    pipes, workers = [], []
    for plan in plans:
        ours, theirs = context.Pipe()
        process = context.Process(target=worker, args=(plan, make, theirs), daemon=True)
        process.start()
        pipes.append(ours)
        workers.append(process)
    try:
        login_s = max(_receive(p, "ready", 300) for p in pipes)
        if idle:
            time.sleep(1.0)  # let the last logins' transient buffers go
        rss_joined_kb = proc_rss_kb(server_pid)
        start = time.monotonic() + 0.2
        cpu_before = proc_cpu_s(server_pid)
        for pipe in pipes:
            pipe.send(start)
        sent = sum(_receive(p, "sent", seconds + 60) for p in pipes)
        for pipe in pipes:
            pipe.send((sent, 0 if sender_receives_own else 1))
        results = [_receive(p, "result", DRAIN_S + 30) for p in pipes]
        server_cpu = proc_cpu_s(server_pid) - cpu_before
    finally:
        for process in workers:
            process.join(timeout=10)
            if process.is_alive():
                process.kill()
    ended = max(r["done_at"] for r in results)
    wall = max(ended - start, 1e-6)
    histogram: Counter[int] = Counter()
    for result in results:
        histogram.update({int(k): v for k, v in result["histogram"].items()})
    received = sum(r["received"] for r in results)
    expected = sum(r["expected"] for r in results)
    figures: dict[str, Any] = {
        "members": members,
        "senders": senders,
        "target_msg_per_s": rate,
        "seconds": seconds,
        "messages": sent,
        "deliveries": received,
        "deliveries_per_s": round(received / max(wall, seconds if sent else wall)),
        "lost": max(0, expected - received),
        "disconnected": sum(r["disconnected"] for r in results),
        "p50_ms": percentile(histogram, 0.50),
        "p99_ms": percentile(histogram, 0.99),
        "max_ms": round(max(histogram, default=0) * BUCKET_S * 1000, 2),
        "observed": sum(histogram.values()),
        "server_cpu_pct": round(100 * server_cpu / wall),
        "server_rss_kb": proc_rss_kb(server_pid),
        "generator_cpu_pct": round(100 * sum(r["cpu_s"] for r in results) / wall),
        "generator_procs": procs,
        "login_s": round(login_s, 3),
        "login_concurrency": (options or {}).get("login_concurrency", LOGIN_CONCURRENCY) * procs,
        "logins_per_s": round(members / login_s) if login_s else None,
    }
    if idle:
        figures["idle_bytes_per_connection"] = round(
            (rss_joined_kb - rss_before_kb) * 1024 / max(1, members)
        )
    return figures
