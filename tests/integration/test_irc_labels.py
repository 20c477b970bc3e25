"""IRCv3 labeled-response over a real IRC connection (raw socket): a labelled JOIN that makes
a room comes back as one `labeled-response` batch after the node's requests (join refused,
room made, join again) all answered; a labelled PRIVMSG without echo-message gets an ACK."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.chat import stop_server
from tests.support.irc import irc_port, start_irc_server

pytestmark = pytest.mark.integration


@pytest.fixture
async def port(tmp_path: Path) -> AsyncIterator[int]:
    _running, server, task = await start_irc_server(tmp_path, trust_messages=0, trust_span_s=0)
    yield irc_port(server)
    await stop_server(server, task)


async def _read_until(reader: asyncio.StreamReader, marker: bytes) -> list[str]:
    data = b""
    async with asyncio.timeout(5):
        while marker not in data:
            chunk = await reader.read(4096)
            assert chunk, data
            data += chunk
    return data.decode().split("\r\n")


async def test_a_labelled_join_is_one_batch_and_a_labelled_message_an_ack(port: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"CAP LS 302\r\nCAP REQ :batch labeled-response\r\n")
    writer.write(b"NICK Alice\r\nUSER a 0 * :30 f 75011\r\nCAP END\r\n")
    await _read_until(reader, b" 422 ")

    writer.write(b"@label=j1 JOIN #club,inv@lid\r\n")
    lines = await _read_until(reader, b"BATCH -")

    start = next(i for i, line in enumerate(lines) if line.startswith("@label=j1 "))
    assert lines[start].endswith(" labeled-response") and " BATCH +" in lines[start]
    batch = lines[start].split(" BATCH +")[1].split(" ")[0]
    end = lines.index(f":irc.causerie BATCH -{batch}")
    inner = lines[start + 1 : end]
    assert all(line.startswith(f"@batch={batch} ") for line in inner)
    commands = [line.split(" ")[2] for line in inner]
    assert {"403", "JOIN", "353", "366"} <= set(commands)
    assert " 403 Alice inv@lid " in inner[commands.index("403")]

    writer.write(b"@label=m1 PRIVMSG #club :bonjour\r\n")
    assert "@label=m1 :irc.causerie ACK" in await _read_until(reader, b" ACK")
    writer.close()
