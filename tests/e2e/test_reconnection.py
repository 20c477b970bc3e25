"""The web client survives a lost connection by itself (issue: a chat people stay in).

Real server process, real browser. The server is restarted under the pages (same port, same
data directory, as an operator restarts it) and the browser is put offline and back: nobody
clicks "Se reconnecter", messages flow again, what was written meanwhile is delivered once,
and nothing arrives twice or goes missing.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.pages import alice_and_bruno_in_general, enter_chat, enter_room, messages_with, send
from tests.e2e.pages import expect_ as _expect
from tests.support.process import ServerProcess

pytestmark = pytest.mark.e2e

BACK_WITHIN_MS = 10_000  # the bar: messages flowing again within 10 s, with no click


@pytest.fixture
def server_process(tmp_path: Path) -> Iterator[ServerProcess]:
    with ServerProcess(tmp_path) as process:
        yield process


def test_server_restart_brings_the_chat_back_without_a_click(
    server_process: ServerProcess, new_page: Callable[..., Any]
) -> None:
    expect = _expect()
    alice, bruno = alice_and_bruno_in_general(new_page, server_process.url)
    send(alice, "Avant le redémarrage")
    expect(messages_with(bruno, "Avant le redémarrage")).to_have_count(1)

    server_process.stop()
    banner = alice.get_by_test_id("connection-banner")
    expect(banner).to_be_visible()
    expect(alice.get_by_test_id("connection-title")).to_have_text("Reconnexion…")
    # Between attempts the banner counts down to the next one and still offers the button.
    expect(alice.get_by_test_id("connection-detail")).to_contain_text(
        re.compile(r"Nouvel essai dans \d+ s")
    )
    expect(alice.get_by_test_id("reconnect")).to_have_text("Se reconnecter")
    # Offline, the field stays open: what Alice writes waits, marked as such.
    composer = alice.get_by_test_id("composer-input")
    expect(composer).to_be_enabled()
    send(alice, "Écrit pendant la coupure")
    waiting = messages_with(alice, "Écrit pendant la coupure")
    expect(waiting.get_by_test_id("message-queued")).to_be_visible()

    started = time.monotonic()
    server_process.start()
    ready = time.monotonic()
    # No click: both pages come back by themselves and messages flow again.
    expect(banner).to_be_hidden(timeout=BACK_WITHIN_MS)
    expect(bruno.get_by_test_id("connection-banner")).to_be_hidden(timeout=BACK_WITHIN_MS)
    expect(messages_with(bruno, "Écrit pendant la coupure")).to_have_count(
        1, timeout=BACK_WITHIN_MS
    )
    delivered = time.monotonic()
    print(
        f"server start -> ready {ready - started:.2f} s; ready -> Alice's waiting message "
        f"delivered {delivered - ready:.2f} s"
    )
    send(bruno, "Après le redémarrage")
    expect(messages_with(alice, "Après le redémarrage")).to_have_count(1)

    # Nothing lost, nothing doubled, on either side.
    for page in (alice, bruno):
        for text in ("Avant le redémarrage", "Écrit pendant la coupure", "Après le redémarrage"):
            expect(messages_with(page, text)).to_have_count(1)
    expect(waiting.get_by_test_id("message-queued")).to_have_count(0)
    expect(waiting).not_to_have_class(re.compile("is-failed|is-pending"))


def test_messages_sent_while_away_arrive_once_after_the_reconnection(
    server_process: ServerProcess, new_page: Callable[..., Any]
) -> None:
    """Bruno talks while Alice's browser is offline: she gets every line once, no gap."""
    expect = _expect()
    alice, bruno = alice_and_bruno_in_general(new_page, server_process.url)
    send(bruno, "Ligne 1")
    expect(messages_with(alice, "Ligne 1")).to_have_count(1)

    alice.context.set_offline(True)
    expect(alice.get_by_test_id("connection-banner")).to_be_visible()
    # Bruno sees Alice leave (her socket is gone), then talks on.
    expect(bruno.get_by_test_id("member-Alice")).to_have_count(0)
    for text in ("Ligne 2", "Ligne 3", "Ligne 4"):
        send(bruno, text)
        expect(messages_with(bruno, text)).not_to_have_class(re.compile("is-pending"))

    alice.context.set_offline(False)  # the `online` event: an attempt at once
    expect(alice.get_by_test_id("connection-banner")).to_be_hidden(timeout=BACK_WITHIN_MS)
    # Every line once, in order: no gap, no duplicate.
    texts = alice.get_by_test_id("messages").get_by_test_id("message").locator(".message-text")
    expect(texts).to_have_text(["Ligne 1", "Ligne 2", "Ligne 3", "Ligne 4"])
    # She was looking at the room: nothing counted unread.
    expect(alice.get_by_test_id("tab-room-general").get_by_test_id("unread")).to_have_count(0)


def test_offline_draft_is_kept_and_a_message_written_offline_is_sent(
    server_process: ServerProcess, new_page: Callable[..., Any]
) -> None:
    expect = _expect()
    alice, bruno = alice_and_bruno_in_general(new_page, server_process.url)

    alice.context.set_offline(True)  # Wi-Fi gone
    expect(alice.get_by_test_id("connection-banner")).to_be_visible()
    expect(alice.get_by_test_id("connection-detail")).to_contain_text("En attente du réseau")
    send(alice, "Message hors ligne")
    line = messages_with(alice, "Message hors ligne")
    expect(line.get_by_test_id("message-queued")).to_have_text("en attente de connexion")
    expect(alice.get_by_test_id("composer-status")).to_contain_text("1 message(s) en attente")
    # A draft she has not sent yet stays in the field.
    alice.get_by_test_id("composer-input").fill("Brouillon gardé")

    alice.context.set_offline(False)  # 4G: back at once, no click
    expect(alice.get_by_test_id("connection-banner")).to_be_hidden(timeout=BACK_WITHIN_MS)
    expect(messages_with(bruno, "Message hors ligne")).to_have_count(1)
    expect(line.get_by_test_id("message-queued")).to_have_count(0)
    expect(alice.get_by_test_id("composer-input")).to_have_value("Brouillon gardé")
    alice.get_by_test_id("composer-input").press("Enter")
    expect(messages_with(bruno, "Brouillon gardé")).to_have_count(1)
    expect(messages_with(alice, "Message hors ligne")).to_have_count(1)


COUNT_SOCKETS = """
window.__sockets = 0;
const RealSocket = window.WebSocket;
window.WebSocket = class extends RealSocket {
  constructor(...args) { super(...args); window.__sockets += 1; }
};
"""


def test_the_button_tries_at_once_instead_of_waiting(
    server_process: ServerProcess, new_page: Callable[..., Any]
) -> None:
    expect = _expect()
    page = new_page()
    page.add_init_script(COUNT_SOCKETS)
    enter_chat(page, server_process.url, "Alice", "woman", 25, "75011")
    enter_room(page, "general")
    server_process.stop()
    detail = page.get_by_test_id("connection-detail")
    # Attempts fail and the waits grow (0.5 s doubling, ±30 %) until one is 5 s or more away.
    expect(detail).to_contain_text(re.compile(r"Nouvel essai dans ([5-9]|\d\d) s"), timeout=30_000)
    attempts = page.evaluate("window.__sockets")
    page.get_by_test_id("reconnect").click()
    # A new attempt at once, well before the planned one.
    page.wait_for_function(f"window.__sockets > {attempts}", timeout=3_000)
    server_process.start()
    # The server is back but the next planned attempt may be far: the button brings it now
    # (pressed through the page, since the page may have come back by itself just before).
    page.evaluate("document.getElementById('reconnect').click()")
    expect(page.get_by_test_id("connection-banner")).to_be_hidden(timeout=BACK_WITHIN_MS)
    expect(page.get_by_test_id("composer-input")).to_be_enabled()
    # Pressed while online it does nothing: the live connection is kept.
    sockets = page.evaluate("window.__sockets")
    page.evaluate("document.getElementById('reconnect').click()")
    send(page, "Toujours là")
    expect(messages_with(page, "Toujours là")).not_to_have_class(re.compile("is-pending"))
    assert page.evaluate("window.__sockets") == sockets
