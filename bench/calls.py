"""What bench/say_calls.py and bench/privmsg_calls.py share: sockets that take every byte, and
the count of `causerie` functions entered from one client's bytes to the last recipient's write.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import FrameType
from typing import Any


class TakeAll:
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


async def settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0.01)


async def count_until_written(send: Callable[[], None], recipients: list[TakeAll]) -> Counter[str]:
    """Every `causerie` function entered from `send()` until each recipient was written."""
    written = [len(socket.data) for socket in recipients]
    calls: Counter[str] = Counter()
    done = asyncio.get_running_loop().create_future()

    def count(frame: FrameType, event: str, _arg: object) -> None:
        if event == "call":
            module = frame.f_globals.get("__name__", "")
            if module.startswith("causerie"):
                calls[f"{module}.{frame.f_code.co_qualname}"] += 1
        if not done.done() and all(
            len(socket.data) > before for socket, before in zip(recipients, written, strict=True)
        ):
            sys.setprofile(None)
            done.set_result(None)

    sys.setprofile(count)
    send()
    await asyncio.wait_for(done, 5)
    sys.setprofile(None)
    return calls


def figures(calls: Counter[str], members: int, group: str, listed: bool) -> dict[str, Any]:
    """The JSON line: calls in all, distinct functions, calls per module or per package."""
    parts = slice(1, 3) if group == "by_module" else slice(0, 2)
    grouped: Counter[str] = Counter()
    for name, number in calls.items():
        grouped[".".join(name.split(".")[parts])] += number
    found: dict[str, Any] = {
        "members": members,
        "calls": sum(calls.values()),
        "functions": len(calls),
        group: dict(grouped.most_common()),
    }
    if listed:
        found["each"] = dict(calls)
    return found


def main(doc: str, measure: Callable[[Path, int, bool], Awaitable[dict[str, Any]]]) -> None:
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--members", type=int, default=3)
    parser.add_argument("--list", action="store_true", help="also every function and its calls")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="causerie-calls-") as workdir:
        found = asyncio.run(measure(Path(workdir), args.members, args.list))
    print(json.dumps(found))
