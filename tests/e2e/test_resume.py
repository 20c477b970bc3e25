"""The web client comes back as the same person (docs/protocol.md, "Coming back after a loss").

Real server process, real Chromium. A reload keeps the person (no join form; same nickname,
rooms and private conversation with their history); a server restart during a private
conversation brings both sides back by themselves, nothing lost or doubled and the acceptance
kept; a newcomer who takes a former nickname sees none of the former owner's lines as theirs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.pages import alice_and_bruno_in_general, enter_chat, enter_room, messages_with, send
from tests.e2e.pages import expect_ as _expect
from tests.support.process import ServerProcess

pytestmark = pytest.mark.e2e

BACK_WITHIN_MS = 10_000  # the bar: back within 10 s, with no click


@pytest.fixture
def server_process(tmp_path: Path) -> Iterator[ServerProcess]:
    with ServerProcess(tmp_path) as process:
        yield process


def _talking(new_page: Callable[..., Any], url: str) -> tuple[Any, Any]:
    """Alice and Bruno in `general` and in a private conversation both accepted."""
    expect = _expect()
    alice, bruno = alice_and_bruno_in_general(new_page, url)
    send(alice, "Bonjour le salon")
    expect(messages_with(bruno, "Bonjour le salon")).to_have_count(1)
    bruno.get_by_test_id("member-Alice").get_by_test_id("member-card").click()
    bruno.get_by_test_id("profile-card").get_by_test_id("profile-dm").click()
    send(bruno, "Salut Alice, en privé")
    alice.get_by_test_id("dm-request-Bruno").get_by_test_id("accept").click()
    expect(alice.get_by_test_id("tab-dm-Bruno")).to_be_visible()
    alice.get_by_test_id("tab-dm-Bruno").click()
    send(alice, "Salut Bruno")
    expect(messages_with(bruno, "Salut Bruno")).to_have_count(1)
    return alice, bruno


def test_reload_comes_back_as_the_same_person(
    server_process: ServerProcess, new_page: Callable[..., Any]
) -> None:
    expect = _expect()
    alice, bruno = _talking(new_page, server_process.url)

    alice.reload()

    expect(alice.get_by_test_id("chat-view")).to_be_visible(timeout=BACK_WITHIN_MS)
    expect(alice.get_by_test_id("join-submit")).to_be_hidden()
    expect(alice.get_by_test_id("tab-room-general")).to_be_visible()
    expect(alice.get_by_test_id("tab-dm-Bruno")).to_be_visible()
    alice.get_by_test_id("tab-dm-Bruno").click()
    expect(messages_with(alice, "Salut Alice, en privé")).to_have_count(1)
    expect(messages_with(alice, "Salut Bruno")).to_have_count(1)
    expect(messages_with(alice, "Salut Bruno")).to_have_class(has_class("is-mine"))
    alice.get_by_test_id("tab-room-general").click()
    expect(messages_with(alice, "Bonjour le salon")).to_have_count(1)
    expect(messages_with(alice, "Bonjour le salon")).to_have_class(has_class("is-mine"))
    # Bruno saw no departure, and writes on: a message in the conversation, not a request.
    bruno.get_by_test_id("tab-dm-Alice").click()
    send(bruno, "Toujours là ?")
    expect(alice.get_by_test_id("tab-dm-Bruno").get_by_test_id("unread")).to_have_text("1")
    expect(alice.get_by_test_id("dm-request-Bruno")).to_have_count(0)
    # The form keeps the profile after "Quitter".
    alice.get_by_test_id("logout").click()
    alice.reload()
    expect(alice.get_by_test_id("nick")).to_have_value("Alice")
    expect(alice.get_by_test_id("chat-view")).to_be_hidden()


def test_server_restart_during_a_private_conversation_loses_and_doubles_nothing(
    server_process: ServerProcess, new_page: Callable[..., Any]
) -> None:
    expect = _expect()
    alice, bruno = _talking(new_page, server_process.url)
    alice.get_by_test_id("tab-room-general").click()  # the conversation is read in the background

    server_process.stop()
    expect(bruno.get_by_test_id("connection-banner")).to_be_visible()
    send(bruno, "Écrit pendant le redémarrage")
    server_process.start()

    expect(alice.get_by_test_id("connection-banner")).to_be_hidden(timeout=BACK_WITHIN_MS)
    expect(bruno.get_by_test_id("connection-banner")).to_be_hidden(timeout=BACK_WITHIN_MS)
    alice_tab = alice.get_by_test_id("tab-dm-Bruno")
    expect(alice_tab.get_by_test_id("unread")).to_have_text("1", timeout=BACK_WITHIN_MS)
    send(bruno, "Et après")
    expect(alice_tab.get_by_test_id("unread")).to_have_text("2", timeout=BACK_WITHIN_MS)
    alice_tab.click()
    for text in (
        "Salut Alice, en privé",
        "Salut Bruno",
        "Écrit pendant le redémarrage",
        "Et après",
    ):
        expect(messages_with(alice, text)).to_have_count(1)
    # Both came back: still accepted, no request waits.
    expect(alice.get_by_test_id("dm-request-Bruno")).to_have_count(0)
    send(alice, "Bien reçu")
    expect(messages_with(bruno, "Bien reçu")).to_have_count(1, timeout=BACK_WITHIN_MS)
    expect(bruno.get_by_test_id("dm-request-Alice")).to_have_count(0)
    for text in ("Salut Bruno", "Écrit pendant le redémarrage"):
        expect(messages_with(bruno, text)).to_have_count(1)


def test_newcomer_with_a_former_nickname_sees_nothing_as_theirs(
    server_process: ServerProcess, new_page: Callable[..., Any]
) -> None:
    expect = _expect()
    alice, _bruno = _talking(new_page, server_process.url)
    alice.get_by_test_id("logout").click()  # Alice quits for good

    newcomer = new_page()
    enter_chat(newcomer, server_process.url, "Alice", "woman", 40, "13001")
    enter_room(newcomer, "general")

    former = messages_with(newcomer, "Bonjour le salon")
    expect(former).to_have_count(1)
    expect(former).not_to_have_class(has_class("is-mine"))
    expect(former.get_by_test_id("report")).to_have_count(1)
    expect(newcomer.get_by_test_id("tab-dm-Bruno")).to_have_count(0)
    expect(newcomer.get_by_test_id("dm-request-Bruno")).to_have_count(0)


def has_class(name: str) -> re.Pattern[str]:
    return re.compile(rf"(^|\s){re.escape(name)}(\s|$)")
