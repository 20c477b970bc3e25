"""What one does to messages and conversations in the web client (issue 19): the wait for new
private conversations counted down before typing; replies, typing, deletion (added below as
they land).

Real server, real browser, one context per person.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.pages import enter_chat, enter_room, messages_with, send
from tests.e2e.pages import expect_ as _expect
from tests.support.process import ServerProcess

pytestmark = pytest.mark.e2e


def _serve(tmp_path: Path, **env: str) -> Iterator[str]:
    process = ServerProcess(tmp_path, env=env).start()
    try:
        yield process.url
    finally:
        process.stop()


@pytest.fixture
def waiting_server(tmp_path: Path) -> Iterator[str]:
    yield from _serve(tmp_path, CAUSERIE_DM_WAIT_S="12")


def _two_in_general(new_page: Callable[..., Any], url: str) -> tuple[Any, Any]:
    expect = _expect()
    alice, bruno = new_page(), new_page()
    enter_chat(alice, url, "Alice", "woman", 25, "75011")
    enter_chat(bruno, url, "Bruno", "man", 31, "69001")
    enter_room(alice, "general")
    enter_room(bruno, "general")
    expect(alice.get_by_test_id("member-Bruno")).to_be_visible()
    expect(bruno.get_by_test_id("member-Alice")).to_be_visible()
    return alice, bruno


def test_dm_wait_counted_down_before_typing_and_the_draft_leaves_when_allowed(
    waiting_server: str, new_page: Callable[..., Any]
) -> None:
    expect = _expect()
    alice, bruno = _two_in_general(new_page, waiting_server)

    # Nothing sent yet: the welcome said how long the wait is, so the countdown shows at once.
    bruno.get_by_test_id("member-Alice").get_by_test_id("open-dm").click()
    status = bruno.get_by_test_id("composer-status")
    expect(status).to_contain_text(
        re.compile(r"Les nouvelles conversations privées s'ouvrent dans \d+ s")
    )
    composer = bruno.get_by_test_id("composer-input")
    expect(composer).to_be_enabled()

    # The line typed meanwhile is kept and leaves by itself once the wait is over.
    send(bruno, "Bonjour Alice, on parle musique ?")
    line = messages_with(bruno, "Bonjour Alice, on parle musique ?")
    expect(line.get_by_test_id("message-queued")).to_be_visible()
    expect(line).not_to_have_class(re.compile("is-failed"))
    request = alice.get_by_test_id("dm-request-Bruno")
    expect(request).to_be_visible(timeout=20_000)
    expect(request).to_contain_text("Bonjour Alice, on parle musique ?")
    expect(line.get_by_test_id("message-queued")).to_have_count(0)
    expect(status).to_be_hidden()
