"""What one does to messages and conversations in the web client (issue 19): reply to a
message (quoted above, clickable to the original), see who is typing, take back one's own
message, and the wait for new private conversations counted down before typing.

Real server, real browser, one context per person.
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


def _serve(tmp_path: Path, **env: str) -> Iterator[str]:
    with ServerProcess(tmp_path, env=env) as process:
        yield process.url


@pytest.fixture
def chat_server(tmp_path: Path) -> Iterator[str]:
    yield from _serve(tmp_path)


@pytest.fixture
def waiting_server(tmp_path: Path) -> Iterator[str]:
    yield from _serve(tmp_path, CAUSERIE_DM_WAIT_S="12")


def test_dm_wait_counted_down_before_typing_and_the_draft_leaves_when_allowed(
    waiting_server: str, new_page: Callable[..., Any]
) -> None:
    expect = _expect()
    alice, bruno = alice_and_bruno_in_general(new_page, waiting_server)

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


def test_reply_quotes_the_original_and_jumps_to_it(
    chat_server: str, new_page: Callable[..., Any]
) -> None:
    expect = _expect()
    alice, bruno = alice_and_bruno_in_general(new_page, chat_server)
    send(alice, "Qui vient au concert samedi ?")
    original = messages_with(bruno, "Qui vient au concert samedi ?")
    expect(original).to_have_count(1)

    original.get_by_test_id("message-reply").click()
    bar = bruno.get_by_test_id("composer-reply")
    expect(bar).to_contain_text("Réponse à Alice")
    expect(bar).to_contain_text("Qui vient au concert samedi ?")
    expect(bruno.get_by_test_id("composer-input")).to_be_focused()
    send(bruno, "Moi, avec plaisir")
    expect(bar).to_be_hidden()

    reply = messages_with(alice, "Moi, avec plaisir")
    quote = reply.get_by_test_id("message-quote")
    expect(quote).to_contain_text("Alice")
    expect(quote).to_contain_text("Qui vient au concert samedi ?")
    quote.click()
    expect(messages_with(alice, "Qui vient au concert samedi ?").first).to_have_class(
        re.compile("is-highlighted")
    )


def test_typing_shows_who_writes_then_goes(chat_server: str, new_page: Callable[..., Any]) -> None:
    expect = _expect()
    alice, bruno = alice_and_bruno_in_general(new_page, chat_server)

    bruno.get_by_test_id("composer-input").press_sequentially("J'arrive")
    line = alice.get_by_test_id("typing-line")
    expect(line).to_have_text("Bruno écrit…")
    expect(bruno.get_by_test_id("typing-line")).to_be_hidden()  # not told about oneself

    # Sent: the line goes at once.
    bruno.get_by_test_id("composer-input").press("Enter")
    expect(messages_with(alice, "J'arrive")).to_have_count(1)
    expect(line).to_be_hidden()

    # Typing then stopping: the line expires by itself.
    bruno.get_by_test_id("composer-input").press_sequentially("hmm")
    expect(line).to_have_text("Bruno écrit…", timeout=8_000)
    expect(line).to_be_hidden(timeout=10_000)


def test_delete_own_message_disappears_for_everyone(
    chat_server: str, new_page: Callable[..., Any]
) -> None:
    expect = _expect()
    alice, bruno = alice_and_bruno_in_general(new_page, chat_server)
    send(alice, "Mon numéro est faux, oubliez")
    send(alice, "Bonne soirée")
    expect(messages_with(bruno, "Bonne soirée")).to_have_count(1)
    # Only one's own messages offer "Supprimer".
    expect(
        messages_with(bruno, "Mon numéro est faux").get_by_test_id("message-delete")
    ).to_have_count(0)

    alice.once("dialog", lambda dialog: dialog.accept())
    messages_with(alice, "Mon numéro est faux").get_by_test_id("message-delete").click()

    for page in (alice, bruno):
        expect(messages_with(page, "Mon numéro est faux")).to_have_count(0)
        expect(messages_with(page, "Bonne soirée")).to_have_count(1)


def test_delete_cancelled_keeps_the_message(chat_server: str, new_page: Callable[..., Any]) -> None:
    expect = _expect()
    alice, bruno = alice_and_bruno_in_general(new_page, chat_server)
    send(alice, "Je garde celui-ci")
    expect(messages_with(bruno, "Je garde celui-ci")).to_have_count(1)

    alice.once("dialog", lambda dialog: dialog.dismiss())
    messages_with(alice, "Je garde celui-ci").get_by_test_id("message-delete").click()
    send(alice, "et la suite")

    expect(messages_with(bruno, "et la suite")).to_have_count(1)
    expect(messages_with(bruno, "Je garde celui-ci")).to_have_count(1)


def test_moderator_releases_a_held_message_from_the_console(
    tmp_path: Path, new_page: Callable[..., Any]
) -> None:
    from tests.e2e.test_moderation_console import MODERATOR, add_moderator, login

    expect = _expect()
    password = "Pastèque-Ardoise-42"
    process = ServerProcess(tmp_path).start()
    try:
        add_moderator(process, MODERATOR, password)
        tom, zoe = new_page(), new_page()
        enter_chat(tom, process.url, "Tom", "man", 15, "69001")
        enter_chat(zoe, process.url, "Zoe", "woman", 14, "75011")
        enter_room(tom, "ados-general")
        enter_room(zoe, "ados-general")
        expect(zoe.get_by_test_id("member-Tom")).to_be_visible()
        send(tom, "le club appelle au 06 12 34 56 78")
        line = messages_with(tom, "le club appelle")
        expect(line).to_have_class(re.compile("is-held"))

        modo = new_page()
        modo.goto(f"{process.url}/mod")
        login(modo, password)
        item = modo.get_by_test_id("queue").locator("[data-testid^='queue-item-']").first
        expect(item).to_be_visible()
        item.click()
        expect(modo.get_by_test_id("action-delete")).to_have_count(0)  # it was never shown
        modo.get_by_test_id("action-release").click()
        expect(modo.get_by_test_id("action-reason")).to_have_value(re.compile(r"\S"))
        modo.get_by_test_id("action-confirm").click()
        expect(modo.get_by_test_id("action-result")).to_have_attribute("data-state", "ok")

        # Delivered as if it had passed: Zoe sees it, Tom's line is no longer held.
        expect(messages_with(zoe, "le club appelle")).to_have_count(1)
        expect(line).not_to_have_class(re.compile("is-held"))
        expect(tom.get_by_test_id("notice-info")).to_contain_text("publié")
        expect(item).to_have_attribute("data-state", "actioned")
    finally:
        process.stop()
