"""IRC load generator (RFC 2812 client lines), the same scenarios as `wsload` for IRC servers:
the C peers (ngIRCd, InspIRCd) and Causerie's IRC listener.

Members register (NICK/USER), join the channel and count `PRIVMSG <channel> :T` in the raw
stream; one in `observe_every` also times each message (see `loadgen`). An IRC server does not
echo a PRIVMSG to its sender, so each message is expected by every member but the sender.

    python bench/ircload.py --host 127.0.0.1 --port 6667 --pid 1234 [--members 200]
        [--senders 10] [--rate 2000] [--seconds 10] [--procs 2] [--idle]

Prints one JSON line.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadgen import TIMESTAMP, Member, Plan, run_load
from wsload import arguments, scenario_of

PING_LINE = re.compile(rb"(?:^|\n)PING (:?[^\r\n]*)\r?\n")
WELCOME = re.compile(rb"(?m)^:\S+ 001 ")
REFUSED = re.compile(rb"(?m)^(?:ERROR :|:\S+ (?:432|433|465|471|473|474|475) )")


class IrcMember(Member):
    def __init__(self, plan: Plan, index: int, is_observer: bool, histogram: Counter[int]) -> None:
        super().__init__(f"bench{index}", is_observer, histogram)
        self.plan = plan
        self.channel = "#" + plan.room
        self.marker = f"PRIVMSG {self.channel} :T".encode()
        self.pattern = re.compile(re.escape(self.marker[:-1]) + TIMESTAMP)
        self._joining = False

    def connection_made(self, transport: object) -> None:
        super().connection_made(transport)
        assert self.transport is not None
        self.transport.write(f"NICK {self.nick}\r\nUSER {self.nick} 0 * :30 x 75011\r\n".encode())

    def _pong(self, stream: bytes) -> None:
        for found in PING_LINE.finditer(stream):
            if self.transport is not None:
                self.transport.write(b"PONG " + found.group(1) + b"\r\n")

    def on_login_data(self, buffer: bytearray) -> None:
        data = bytes(buffer)
        if b"PING " in data:
            self._pong(data)
        if REFUSED.search(data):
            self.logged_in.set_exception(RuntimeError(f"{self.nick}: {data[-300:]!r}"))
            buffer.clear()
            return
        if not self._joining and WELCOME.search(data):
            if not self.plan.options.get("join", True):
                self.logged_in_now()
                return
            self._joining = True
            buffer.clear()
            assert self.transport is not None
            self.transport.write(f"JOIN {self.channel}\r\n".encode())
            return
        if self._joining and b" 366 " in data:
            self.logged_in_now()

    def count(self, data: bytes) -> None:
        if b"PING " in data:
            self._pong(self._tail[-1:] + data)
        super().count(data)

    def message_bytes(self, text: str) -> bytes:
        return f"PRIVMSG {self.channel} :{text}\r\n".encode()


def make_member(plan: Plan, index: int, is_observer: bool, histogram: Counter[int]) -> Member:
    return IrcMember(plan, index, is_observer, histogram)


def run(host: str, port: int, pid: int, **scenario: object) -> dict[str, object]:
    options: dict[str, object] = {"join": not scenario.get("idle", False)}
    if scenario.get("login_concurrency"):
        options["login_concurrency"] = scenario["login_concurrency"]
    scenario.pop("login_concurrency", None)
    return run_load(
        make_member,
        pid,
        host,
        port,
        options=options,
        sender_receives_own=False,
        **scenario,  # type: ignore[arg-type]
    )


if __name__ == "__main__":
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    print(json.dumps(run(args.host, args.port, args.pid, **scenario_of(args))), flush=True)
