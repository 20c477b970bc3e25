"""Where an idle connection's bytes go: tracemalloc on a node holding N logged-in connections.

    .venv/bin/python bench/idle_memory.py [--protocol ws|irc] [--connections 2000] [--top 25]

The node runs in this process as `causerie serve` builds it (SQLite in a temporary directory,
rate limits off, the IRC listener on), traced from just before the clients connect; the clients
are plain blocking sockets in another process, so none of their objects are counted. They log in
(WebSocket: handshake and `hello`; IRC: `NICK` and `USER` with a profile) and stay. Prints one
JSON line: the bytes per connection in all, and the `--top` allocation sites (file:line, bytes
and objects per connection). Python objects only: memory the C parts keep outside Python's
allocator (socket buffers) is not counted, so `bench/run.py --scenarios idle` (RSS) reads a
little higher.

Objects made by uvloop's C code (the transport, its handles) show as the line that runs the
loop (`asyncio/runners.py`). Caches of fixed size (the IRC parse cache, the shared room
descriptions) are spread over the connections: run with two sizes to tell them from what grows
with each connection.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import sys
import tempfile
import tracemalloc
from pathlib import Path

import uvloop

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from loadgen import raise_fd_limit
from tests.support.chat import start_server, stop_server
from tests.support.irc import irc_port

REPO = Path(__file__).resolve().parents[1]
CLIENTS = r"""
import base64, os, resource, socket, struct, sys

soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
protocol, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])


def ws_frame(payload):
    if len(payload) < 126:
        header = struct.pack("!BB", 0x81, 0x80 | len(payload))
    else:
        header = struct.pack("!BBH", 0x81, 0x80 | 126, len(payload))
    return header + b"\0\0\0\0" + payload  # the zero mask leaves the payload as it is


def log_in(index):
    sock = socket.create_connection(("127.0.0.1", port))
    if protocol == "irc":
        sock.sendall(f"NICK idle{index}\r\nUSER idle 0 * :30 x 75011\r\n".encode())
        done = b" 001 "
    else:
        key = base64.b64encode(os.urandom(16)).decode()
        sock.sendall(
            f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n".encode()
        )
        hello = '{"type":"hello","nick":"idle%d","age":30,"gender":"woman","postcode":"75011"}'
        sock.sendall(ws_frame((hello % index).encode()))
        done = b'"welcome"'
    seen = b""
    while done not in seen:
        data = sock.recv(65536)
        if not data:
            raise SystemExit(f"connection {index} closed before its login: {seen[-200:]!r}")
        seen = seen[-4096:] + data
    return sock


sockets = [log_in(index) for index in range(count)]
print("ready", flush=True)
sys.stdin.readline()
"""


async def measure(data_dir: Path, protocol: str, count: int, top: int) -> dict[str, object]:
    running, server, task = await start_server(
        data_dir,
        rate_limits=False,
        irc_port=0,
        irc_connections_per_address=100_000,
        irc_connects_per_minute=100_000,
    )
    port = irc_port(server) if protocol == "irc" else int(running.url.rsplit(":", 1)[1])
    await asyncio.sleep(0.5)  # start-up's own allocations settle
    gc.collect()
    tracemalloc.start(1)
    before = tracemalloc.take_snapshot()
    clients = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        CLIENTS,
        protocol,
        str(port),
        str(count),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert clients.stdout is not None and clients.stdin is not None
    line = await asyncio.wait_for(clients.stdout.readline(), 600)
    if line.strip() != b"ready":
        raise SystemExit("the clients did not all log in")
    await asyncio.sleep(1.0)  # the logins' batches committed, their buffers gone
    gc.collect()
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    clients.stdin.write(b"\n")
    await clients.stdin.drain()
    await clients.wait()
    await stop_server(server, task)
    stats = after.compare_to(before, "lineno")
    root = str(REPO)
    return {
        "protocol": protocol,
        "connections": count,
        "bytes_per_connection": round(sum(s.size_diff for s in stats) / count),
        "top": [
            {
                "where": f"{s.traceback[0].filename.replace(root + '/', '')}:"
                f"{s.traceback[0].lineno}",
                "bytes": round(s.size_diff / count),
                "objects": round(s.count_diff / count, 2),
            }
            for s in stats[:top]
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--protocol", choices=("ws", "irc"), default="irc")
    parser.add_argument("--connections", type=int, default=2000)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    raise_fd_limit()
    with tempfile.TemporaryDirectory(prefix="causerie-idle-") as workdir:
        figures = uvloop.run(measure(Path(workdir), args.protocol, args.connections, args.top))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
