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

from pathlib import Path
from typing import Any

from calls import TakeAll, count_until_written, figures, main, settle

from causerie.assembly.node import build_node
from causerie.config import Settings
from causerie.irc.transport import IrcClient, IrcListener


async def measure(data_dir: Path, members: int, listed: bool = False) -> dict[str, Any]:
    settings = Settings(data_dir=data_dir, rate_limits=False, irc_connections_per_address=1000)
    node = await build_node(settings)
    await node.start()
    listener = IrcListener(node, settings)
    clients: list[tuple[IrcClient, TakeAll]] = []
    for index in range(members):
        client, socket = IrcClient(listener), TakeAll(20_000 + index)
        client.connection_made(socket)  # type: ignore[arg-type]
        client.data_received(f"NICK m{index}\r\nUSER u 0 * :30 f 75011\r\n".encode())
        await settle()
        client.data_received(b"JOIN #general\r\n")
        await settle()
        clients.append((client, socket))
    await settle()
    sender = clients[0][0]
    calls = await count_until_written(
        lambda: sender.data_received(b"PRIVMSG #general :bonjour tout le monde\r\n"),
        [socket for _client, socket in clients[1:]],
    )
    await node.stop()
    return figures(calls, members, "by_package", listed)


if __name__ == "__main__":
    main(__doc__, measure)
