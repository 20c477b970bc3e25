"""WebSocket load generator for Causerie's protocol (and the ceiling server, which speaks the
same `hello` / `join` / `say` → `message` subset).

Raw RFC 6455 on an asyncio Protocol: the client masks with a zero key (valid, and the payload
needs no XOR), and deliveries are counted in the byte stream (see `loadgen`). Server pings are
answered so long runs are not cut by the ping timeout.

    python bench/wsload.py --url ws://127.0.0.1:8000/ws --pid 1234 [--members 200]
        [--senders 10] [--rate 2000] [--seconds 10] [--procs 2] [--idle]

Prints one JSON line.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import struct
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadgen import TIMESTAMP, Member, Plan, run_load

PING = b"\x89"


def client_frame(payload: bytes, opcode: int = 0x1) -> bytes:
    """A masked client frame with the all-zero mask key."""
    length = len(payload)
    if length < 126:
        header = struct.pack("!BB", 0x80 | opcode, 0x80 | length)
    elif length < 65536:
        header = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, length)
    else:
        header = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, length)
    return header + b"\x00\x00\x00\x00" + payload


class WsMember(Member):
    marker = b'{"type":"message"'
    pattern = re.compile(rb'"text":"' + TIMESTAMP)

    def __init__(self, plan: Plan, index: int, is_observer: bool, histogram: Counter[int]) -> None:
        super().__init__(f"bench{index}", is_observer, histogram)
        self.plan = plan
        self._step = 0
        self._say_prefix = b'{"type":"say","room":"' + plan.room.encode() + b'","text":"'

    def connection_made(self, transport: object) -> None:
        super().connection_made(transport)  # type: ignore[arg-type]
        key = base64.b64encode(os.urandom(16)).decode()
        path = self.plan.options.get("path", "/ws")
        request = (
            f"GET {path} HTTP/1.1\r\nHost: {self.plan.host}:{self.plan.port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        assert self.transport is not None
        self.transport.write(request.encode())

    def _send_json(self, frame: dict[str, object]) -> None:
        assert self.transport is not None
        self.transport.write(client_frame(json.dumps(frame).encode()))

    def on_login_data(self, buffer: bytearray) -> None:
        if b'"type":"error"' in buffer:
            self.logged_in.set_exception(RuntimeError(f"{self.nick}: {bytes(buffer)[-300:]!r}"))
            self._step = -1
            return
        if self._step == 0 and b"\r\n\r\n" in buffer:
            head, _, rest = bytes(buffer).partition(b"\r\n\r\n")
            if b" 101 " not in head.split(b"\r\n", 1)[0]:
                self.logged_in.set_exception(RuntimeError(f"upgrade refused: {head[:80]!r}"))
                self._step = -1
                return
            buffer[:] = rest
            self._step = 1
            hello = {"type": "hello", "nick": self.nick, "gender": "other", "age": 30}
            self._send_json({**hello, "postcode": "75011"})
        if self._step == 1 and b'"type":"welcome"' in buffer:
            buffer.clear()
            if not self.plan.options.get("join", True):
                self.logged_in_now()
                return
            self._step = 2
            self._send_json({"type": "join", "room": self.plan.room})
        if self._step == 2 and b'"type":"joined"' in buffer:
            self.logged_in_now()

    def count(self, data: bytes) -> None:
        if PING in data:
            self._answer_pings(self._tail + data)
        super().count(data)

    def _answer_pings(self, stream: bytes) -> None:
        # A ping with a 0-125 byte payload: 0x89, length, payload. Text frames here are ASCII
        # JSON, so 0x89 marks a ping; a rare false match only sends an unsolicited pong.
        at = stream.find(PING)
        while at != -1 and at + 2 <= len(stream):
            length = stream[at + 1] & 0x7F
            payload = stream[at + 2 : at + 2 + length]
            if length < 126 and len(payload) == length and self.transport is not None:
                self.transport.write(client_frame(payload, opcode=0xA))
            at = stream.find(PING, at + 1)

    def message_bytes(self, text: str) -> bytes:
        return client_frame(self._say_prefix + text.encode() + b'"}')


def make_member(plan: Plan, index: int, is_observer: bool, histogram: Counter[int]) -> Member:
    return WsMember(plan, index, is_observer, histogram)


def run(url: str, pid: int, **scenario: object) -> dict[str, object]:
    parts = urlsplit(url)
    options = {"path": parts.path or "/ws", "join": not scenario.get("idle", False)}
    if scenario.get("login_concurrency"):
        options["login_concurrency"] = scenario["login_concurrency"]
    scenario.pop("login_concurrency", None)
    return run_load(
        make_member,
        pid,
        parts.hostname or "127.0.0.1",
        parts.port or 80,
        options=options,
        sender_receives_own=True,
        **scenario,  # type: ignore[arg-type]
    )


def arguments(description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--pid", type=int, required=True, help="server process, for CPU and RSS")
    parser.add_argument("--room", default="general")
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--senders", type=int, default=10)
    parser.add_argument("--rate", type=float, default=2000.0, help="messages per second, total")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--procs", type=int, default=2, help="generator processes")
    parser.add_argument("--observe-every", type=int, default=10, help="1 member in N is timed")
    parser.add_argument("--idle", action="store_true", help="log in only: memory, logins/s")
    parser.add_argument("--login-concurrency", type=int, help="logins at once, per process")
    return parser


def scenario_of(args: argparse.Namespace) -> dict[str, object]:
    return {
        "room": args.room,
        "members": args.members,
        "senders": 0 if args.idle else args.senders,
        "rate": 0.0 if args.idle else args.rate,
        "seconds": 0.0 if args.idle else args.seconds,
        "procs": args.procs,
        "observe_every": args.observe_every,
        "idle": args.idle,
        "login_concurrency": args.login_concurrency,
    }


if __name__ == "__main__":
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    args = parser.parse_args()
    print(json.dumps(run(args.url, args.pid, **scenario_of(args))), flush=True)
