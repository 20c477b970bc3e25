"""Over real IRC (the `irc` library from PyPI): a listener with a server password
(`irc_password`, for a private deployment) registers a client whose PASS gives it, and answers
any other with 464 ERR_PASSWDMISMATCH and ERROR, before it is anyone."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.chat import stop_server
from tests.support.irc import IrcClient, irc_port, start_irc_server

pytestmark = pytest.mark.integration


async def test_irc_server_password_lets_in_the_right_pass_and_closes_on_another(
    tmp_path: Path,
) -> None:
    running, server, task = await start_irc_server(tmp_path, irc_password="entre-nous")
    port = irc_port(server)
    try:
        member = await IrcClient.connect(port, "Alice", password="entre-nous")
        wrong = await IrcClient.connect(port, "Bruno", password="au-hasard", wait_welcome=False)
        missing = await IrcClient.connect(port, "Chloe", wait_welcome=False)

        for refused in (wrong, missing):
            await refused.expect("passwdmismatch")
            await refused.expect("error")
            assert not [e for e in refused.events if e.type == "welcome"]
        member.send("JOIN #general")
        await member.expect("endofnames")
        assert len(running.node.sessions()) == 1  # Alice alone said hello
        member.close()
    finally:
        await stop_server(server, task)
