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

import inspect
import json
import os
import struct
from pathlib import Path
from typing import Any

from calls import TakeAll, count_until_written, figures, main, settle

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


async def measure(data_dir: Path, members: int, listed: bool = False) -> dict[str, Any]:
    settings = Settings(data_dir=data_dir, rate_limits=False)
    node = build_node(settings)
    if inspect.isawaitable(node):
        node = await node
    await node.start()
    protocol = protocol_for(node)
    sockets: list[tuple[Any, TakeAll]] = []
    for index in range(members):
        client, socket = protocol(), TakeAll(20_000 + index)
        client.connection_made(socket)
        client.data_received(UPGRADE % index)
        hello = {"type": "hello", "nick": f"m{index}", "gender": "woman", "age": 30}
        client.data_received(client_frame(json.dumps({**hello, "postcode": "75011"})))
        await settle()
        client.data_received(client_frame('{"type":"join","room":"general"}'))
        await settle()
        sockets.append((client, socket))
    sender = sockets[0][0]
    # A first message, not counted: what happens once per node (caches filled) is not the path.
    sender.data_received(client_frame('{"type":"say","id":"0","room":"general","text":"salut"}'))
    await settle()
    say = client_frame('{"type":"say","id":"1","room":"general","text":"bonjour tout le monde"}')
    calls = await count_until_written(
        lambda: sender.data_received(say), [socket for _client, socket in sockets[1:]]
    )
    await node.stop()
    return figures(calls, members, "by_module", listed)


if __name__ == "__main__":
    main(__doc__, measure)
