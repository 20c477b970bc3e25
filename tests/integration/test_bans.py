"""Bans by session, device cookie and address: a new nickname does not escape them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed

from causerie.core.policy.bans import BanScope
from tests.support.chat import Client, RunningServer
from tests.support.process import ServerProcess

pytestmark = pytest.mark.integration


def _device(name: str) -> dict[str, str]:
    return {"Cookie": f"causerie_device={name}"}


async def _expect_closed(client: Client, code: int) -> None:
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            await client.receive()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == code


async def test_site_ban_kicks_and_new_nickname_from_same_device_is_refused(
    server: RunningServer, connect: Any
) -> None:
    banned = await connect(additional_headers=_device("appareil-a"))
    await banned.hello("Fauteur")
    ban = await server.node.bans.ban(
        nick="fauteur",
        scope=BanScope.SITE,
        room=None,
        duration_s=None,
        reason="harcèlement",
        actor="modo",
    )
    assert ban.device == "appareil-a" and ban.expires_at_ms is None
    error = await banned.expect_type("error")
    assert error["code"] == "banned" and "retry_after" not in error
    await _expect_closed(banned, 4003)
    again = await connect(additional_headers=_device("appareil-a"))
    refused = await again.hello("Innocent")
    assert refused["code"] == "banned"


async def test_temporary_room_ban_removes_from_room_only(
    server: RunningServer, connect: Any
) -> None:
    user = await connect(additional_headers=_device("appareil-b"))
    await user.hello("Bavard")
    await user.join("general")
    await user.join("sport")
    await server.node.bans.ban(
        nick="Bavard",
        scope=BanScope.ROOM,
        room="general",
        duration_s=600,
        reason="spam",
        actor="modo",
    )
    error = await user.expect(lambda f: f.get("code") == "banned", type_="error")
    assert error["field"] == "room" and 590 < error["retry_after"] <= 600
    refused = await user.join("general")
    assert refused["code"] == "banned"
    message, _ack = await user.say("sport", "toujours ici")
    assert message["room"] == "sport"


async def test_ban_unknown_nick_is_not_found(server: RunningServer) -> None:
    from causerie.errors import CauserieError

    with pytest.raises(CauserieError) as refused:
        await server.node.bans.ban(
            nick="Personne",
            scope=BanScope.SITE,
            room=None,
            duration_s=None,
            reason="x",
            actor="modo",
        )
    assert refused.value.code.value == "not_found"


async def test_cli_ban_reaches_the_running_server(tmp_path: Path) -> None:
    import asyncio
    import os
    import subprocess
    import sys

    import websockets

    from tests.support.process import REPO_ROOT

    process = ServerProcess(tmp_path).start()
    try:
        client = Client(
            await websockets.connect(process.ws_url, additional_headers=_device("appareil-c"))
        )
        await client.hello("Cible")
        result = await asyncio.to_thread(
            subprocess.run,
            [
                sys.executable,
                "-m",
                "causerie",
                "--data-dir",
                str(tmp_path),
                "ban",
                "Cible",
                "--duration",
                "2h",
                "--reason",
                "menaces",
            ],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PYTHONPATH": str(REPO_ROOT / "src")},
        )
        assert result.returncode == 0, result.stderr
        assert "Cible banned from the site for 2h" in result.stdout
        error = await client.expect_type("error")  # within the node's polling interval
        assert error["code"] == "banned" and error["retry_after"] > 7000
        await _expect_closed(client, 4003)
    finally:
        process.stop()
