"""The calls one IRC PRIVMSG makes from the sender's socket to every recipient's, counted.

    .venv/bin/python bench/privmsg_calls.py [--members 3]

A node as `causerie serve` builds it (SQLite in a temporary directory, rate limits off), its
IRC listener's clients on sockets that take everything (no network). Once they have registered
and joined one channel, the first client's `PRIVMSG #general :…` line is fed to its protocol
and the loop runs until every member's socket was written; `sys.setprofile` counts every Python
function of `causerie` entered on the way (the group commit's thread and the ack excepted: the
count stops when the last recipient's bytes are written). Prints one JSON line: the calls in
all, the distinct functions, and the calls per package. docs/architecture.md quotes it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path
from types import FrameType
from typing import Any

from causerie.assembly.node import build_node
from causerie.config import Settings
from causerie.irc.transport import IrcClient, IrcListener


class _Socket:
    """A client socket that takes every byte at once."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.data = b""

    def write(self, data: bytes) -> None:
        self.data += data

    def is_closing(self) -> bool:
        return False

    def get_write_buffer_size(self) -> int:
        return 0

    def get_extra_info(self, name: str) -> Any:
        return ("127.0.0.1", self.port) if name == "peername" else None

    def close(self) -> None: ...

    def abort(self) -> None: ...

    def pause_reading(self) -> None: ...

    def resume_reading(self) -> None: ...


async def _settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0.01)


async def measure(data_dir: Path, members: int, listed: bool = False) -> dict[str, Any]:
    settings = Settings(data_dir=data_dir, rate_limits=False, irc_connections_per_address=1000)
    node = await build_node(settings)
    await node.start()
    listener = IrcListener(node, settings)
    clients: list[tuple[IrcClient, _Socket]] = []
    for index in range(members):
        client, socket = IrcClient(listener), _Socket(20_000 + index)
        client.connection_made(socket)  # type: ignore[arg-type]
        client.data_received(f"NICK m{index}\r\nUSER u 0 * :30 f 75011\r\n".encode())
        await _settle()
        client.data_received(b"JOIN #general\r\n")
        await _settle()
        clients.append((client, socket))
    await _settle()
    written = [len(socket.data) for _client, socket in clients]
    calls: Counter[str] = Counter()
    done = asyncio.get_running_loop().create_future()

    def count(frame: FrameType, event: str, _arg: object) -> None:
        if event == "call":
            module = frame.f_globals.get("__name__", "")
            if module.startswith("causerie"):
                calls[f"{module}.{frame.f_code.co_qualname}"] += 1
        if not done.done() and all(
            len(socket.data) > before
            for (_c, socket), before in zip(clients[1:], written[1:], strict=True)
        ):
            sys.setprofile(None)
            done.set_result(None)

    sender = clients[0][0]
    sys.setprofile(count)
    sender.data_received(b"PRIVMSG #general :bonjour tout le monde\r\n")
    await asyncio.wait_for(done, 5)
    sys.setprofile(None)
    await node.stop()
    packages: Counter[str] = Counter()
    for name, number in calls.items():
        packages[".".join(name.split(".")[:2])] += number
    figures: dict[str, Any] = {
        "members": members,
        "calls": sum(calls.values()),
        "functions": len(calls),
        "by_package": dict(packages.most_common()),
    }
    if listed:
        figures["each"] = dict(calls)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=3)
    parser.add_argument("--list", action="store_true", help="also every function and its calls")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="causerie-calls-") as workdir:
        figures = asyncio.run(measure(Path(workdir), args.members, args.list))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
