"""The calls one WebSocket `say` makes from the sender's socket to every recipient's, counted.

    .venv/bin/python bench/say_calls.py [--members 3] [--list]

The twin of bench/privmsg_calls.py for the web: a node as `causerie serve` builds it (SQLite in
a temporary directory, rate limits off), its WebSocket protocol's connections on sockets that
take everything (no network). Once they said hello and joined `general`, the first one's masked
`say` frame (its second: the first fills what is filled once per node) is fed to its protocol
and the loop runs until every other member's socket was
written; `sys.setprofile` counts every Python function of `causerie` entered on the way (the
group commit's thread and the ack excepted: the count stops when the last recipient's bytes are
written). Prints one JSON line: the calls in all, the distinct functions, the calls per module
(`--list`: per function). docs/architecture.md quotes it.
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import json
import os
import struct
import sys
import tempfile
from collections import Counter
from pathlib import Path
from types import FrameType
from typing import Any

from causerie.config import Settings
from causerie.ws.protocol import protocol_for

try:  # the composition root; before it, the node's own builder (for a before/after count)
    from causerie.assembly.node import build_node
except ImportError:  # pragma: no cover
    from causerie.node.assembly import build_node  # type: ignore[no-redef]

UPGRADE = (
    b"GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
    b"Cookie: causerie_device=device%d\r\n\r\n"
)


def client_frame(text: str) -> bytes:
    """A masked text frame, as a browser sends it (RFC 6455 section 5.3)."""
    payload, mask = text.encode(), os.urandom(4)
    length = len(payload)
    head = bytes((0x81, 0x80 | length)) if length < 126 else struct.pack("!BBH", 0x81, 254, length)
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


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
    settings = Settings(data_dir=data_dir, rate_limits=False)
    node = build_node(settings)
    if inspect.isawaitable(node):
        node = await node
    await node.start()
    protocol = protocol_for(node)
    sockets: list[tuple[Any, _Socket]] = []
    for index in range(members):
        client, socket = protocol(), _Socket(20_000 + index)
        client.connection_made(socket)
        client.data_received(UPGRADE % index)
        hello = {"type": "hello", "nick": f"m{index}", "gender": "woman", "age": 30}
        client.data_received(client_frame(json.dumps({**hello, "postcode": "75011"})))
        await _settle()
        client.data_received(client_frame('{"type":"join","room":"general"}'))
        await _settle()
        sockets.append((client, socket))
    sender = sockets[0][0]
    # A first message, not counted: what happens once per node (caches filled) is not the path.
    sender.data_received(client_frame('{"type":"say","id":"0","room":"general","text":"salut"}'))
    await _settle()
    written = [len(socket.data) for _client, socket in sockets]
    calls: Counter[str] = Counter()
    done = asyncio.get_running_loop().create_future()

    def count(frame: FrameType, event: str, _arg: object) -> None:
        if event == "call":
            module = frame.f_globals.get("__name__", "")
            if module.startswith("causerie"):
                calls[f"{module}.{frame.f_code.co_qualname}"] += 1
        if not done.done() and all(
            len(socket.data) > before
            for (_c, socket), before in zip(sockets[1:], written[1:], strict=True)
        ):
            sys.setprofile(None)
            done.set_result(None)

    say = client_frame('{"type":"say","id":"1","room":"general","text":"bonjour tout le monde"}')
    sys.setprofile(count)
    sender.data_received(say)
    await asyncio.wait_for(done, 5)
    sys.setprofile(None)
    await node.stop()
    modules: Counter[str] = Counter()
    for name, number in calls.items():
        modules[".".join(name.split(".")[1:3])] += number
    figures: dict[str, Any] = {
        "members": members,
        "calls": sum(calls.values()),
        "functions": len(calls),
        "by_module": dict(modules.most_common()),
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
