"""The node's whole path for a room message, in one process, without sockets.

    .venv/bin/python bench/path.py [--members 200] [--senders 10] [--messages 20000]
                                   [--irc 0]

A `Node` as `causerie serve` builds it (SQLite in a temporary directory, rate limits off,
everything else on), its members on sinks that write nowhere. The senders' `say` commands go
through `Node.dispatch` a few at a time, as they arrive together in one loop iteration of a
busy server. Prints one JSON line: main-thread CPU per message (what bounds a node at 8,000
msg/s on one core), all threads' CPU per message (the group commit's thread too), and the
wall time. No network and no load generator share the cores, so it varies far less than
`bench/run.py`; the machine's own spread still shows from one run to the next (±15% here).
`--irc N`: the first N members (senders first) are IRC clients without echo-message, each
awaiting its own echo as the listener's PRIVMSG does (the IRC fan-out path: one rendering per
capability set, the sender's echo left out).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from pathlib import Path

import uvloop
from loadgen import stamp

from causerie.assembly.node import build_node
from causerie.config import Settings
from causerie.core.commands import Hello, Join, Say
from causerie.irc.directory import Directory
from causerie.irc.session import IrcSession, SessionConfig
from causerie.irc.transport import IrcSink
from causerie.node.connections import Connection, Peer, TransportSink
from causerie.node.envelope import Envelope
from causerie.store.base import Origin
from causerie.ws.wire import frame_of

AT_ONCE = 8  # commands per loop iteration


class _Nowhere:
    def write(self, data: bytes) -> None: ...

    def is_closing(self) -> bool:
        return False

    def get_write_buffer_size(self) -> int:
        return 0

    def abort(self) -> None: ...


class _Sink(TransportSink):
    """A WebSocket member whose socket takes everything at once."""

    __slots__ = ("_transport", "kind")

    def __init__(self) -> None:
        self._transport = _Nowhere()  # type: ignore[assignment]
        self.kind = "ws"

    def encode(self, envelope: Envelope) -> bytes:
        return frame_of(envelope.text)

    def write(self, data: bytes) -> None:
        self._transport.write(data)

    def close(self, code: int, reason: str) -> None:
        _closed(code, reason)


def _closed(_code: int, _reason: str) -> None:
    return None


def _irc_member() -> tuple[IrcSink, IrcSession]:
    """An IRC client of the listener, without echo-message, on a socket that takes all."""
    session = IrcSession(SessionConfig(), _DIRECTORY)
    return IrcSink(session, _Nowhere(), _closed), session  # type: ignore[arg-type]


_DIRECTORY = Directory()


async def measure(
    data_dir: Path, members: int, senders: int, messages: int, irc: int = 0
) -> dict[str, float]:
    node = await build_node(Settings(data_dir=data_dir, rate_limits=False))
    await node.start()
    room: list[Connection] = []
    irc_sessions: dict[int, IrcSession] = {}
    for index in range(members):
        protocol = "irc" if index < irc else "ws"
        peer = Peer(Origin("127.0.0.1", 10_000 + index), f"device-{index}", "bench", protocol)
        sink: TransportSink = _Sink()
        if index < irc:
            sink, irc_sessions[index] = _irc_member()
        connection = Connection(f"c{index}", peer, 1 << 30, sink, node.outbox)  # type: ignore[arg-type]
        if isinstance(sink, IrcSink):
            sink.attach(connection)
        node.attach(connection)
        connection.start()
        await node.dispatch(connection, None, Hello(f"m{index}", "woman", 30, "75011", "fr"))
        await node.dispatch(connection, None, Join("general"))
        room.append(connection)
    await asyncio.sleep(0.5)  # the logins' records committed
    texts = [f"{stamp()} {index}" for index in range(messages)]
    started = time.perf_counter()
    started_cpu, started_main = time.process_time(), time.thread_time()
    for first in range(0, messages, AT_ONCE):
        batch = range(first, min(first + AT_ONCE, messages))
        for index in batch:
            session = irc_sessions.get(index % senders)
            if session is not None:
                session.expect_own_echo()  # as the listener's PRIVMSG does
        await asyncio.gather(
            *(
                node.dispatch(room[index % senders], index, Say("general", texts[index]))
                for index in batch
            )
        )
        await asyncio.sleep(0)  # the loop iteration ends: the outbox flushes
    await asyncio.sleep(0.2)  # the last batch committed and acknowledged
    main_cpu, cpu = time.thread_time() - started_main, time.process_time() - started_cpu
    wall = time.perf_counter() - started
    await node.stop()
    return {
        "members": members,
        "irc_members": irc,
        "senders": senders,
        "messages": messages,
        "main_thread_us_per_message": round(main_cpu / messages * 1e6, 1),
        "all_threads_us_per_message": round(cpu / messages * 1e6, 1),
        "wall_s": round(wall, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--senders", type=int, default=10)
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--irc", type=int, default=0, help="members on IRC (senders first)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="causerie-path-") as workdir:
        figures = uvloop.run(
            measure(Path(workdir), args.members, args.senders, args.messages, args.irc)
        )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
