"""The web client end to end: real server, real browser, several people at once.

Each person is a separate browser context (own cookies and WebSocket). Assertions use
Playwright's auto-waiting `expect`, so they wait for live frames instead of sleeping.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.pages import enter_room, join, messages_with, send
from tests.e2e.pages import expect_ as _expect

pytestmark = pytest.mark.e2e

NOT_EMPTY = re.compile(r"\S")


def test_two_adults_chat_filter_and_message_privately(
    server: str, new_page: Callable[..., Any], artifacts_dir: Path
) -> None:
    expect = _expect()
    alice = new_page()
    bruno = new_page()

    join(alice, server, "Alice", "woman", 25, "75011")
    expect(alice.get_by_test_id("room-general")).to_be_visible()
    join(bruno, server, "Bruno", "man", 31, "69001")
    expect(bruno.get_by_test_id("room-general")).to_be_visible()
    enter_room(alice, "general")
    enter_room(bruno, "general")

    # Presence is live both ways.
    expect(bruno.get_by_test_id("member-Alice")).to_be_visible()
    expect(alice.get_by_test_id("member-Bruno")).to_be_visible()

    # Alice speaks, Bruno sees it live; her own line leaves the pending state once acked.
    send(alice, "Bonjour à tous !")
    expect(messages_with(bruno, "Bonjour à tous !")).to_have_count(1)
    expect(messages_with(alice, "Bonjour à tous !")).to_have_count(1)
    expect(messages_with(alice, "Bonjour à tous !")).not_to_have_class(re.compile("is-pending"))

    # User text is shown as text, never turned into markup.
    send(alice, "<img src=x onerror=alert(1)> <b>gras</b>")
    expect(messages_with(bruno, "<b>gras</b>")).to_have_count(1)
    expect(bruno.get_by_test_id("messages").locator("img, b")).to_have_count(0)

    # Bruno sees Alice's département, never her postal code.
    alice_entry = bruno.get_by_test_id("member-Alice")
    expect(alice_entry.get_by_test_id("member-dept")).to_have_text("75")
    expect(bruno.get_by_test_id("members")).not_to_contain_text("75011")

    # Filtering by gender hides and shows people, and says how many are shown.
    gender_filter = bruno.get_by_test_id("filter-gender")
    gender_filter.select_option("man")
    expect(bruno.get_by_test_id("member-Alice")).to_have_count(0)
    expect(bruno.get_by_test_id("member-Bruno")).to_be_visible()
    expect(bruno.get_by_test_id("members-shown")).to_have_text("1 / 2")
    gender_filter.select_option("woman")
    expect(bruno.get_by_test_id("member-Alice")).to_be_visible()
    expect(bruno.get_by_test_id("member-Bruno")).to_have_count(0)
    gender_filter.select_option("")
    expect(bruno.get_by_test_id("member-Alice")).to_be_visible()
    expect(bruno.get_by_test_id("member-Bruno")).to_be_visible()
    expect(bruno.get_by_test_id("members-shown")).to_have_text("2 / 2")

    # Bruno opens Alice's card from the member list, then a private conversation from it.
    bruno.get_by_test_id("member-Alice").get_by_test_id("member-card").click()
    card = bruno.get_by_test_id("profile-card")
    expect(card).to_be_visible()
    card.get_by_test_id("profile-dm").click()
    expect(bruno.get_by_test_id("tab-dm-Alice")).to_be_visible()
    expect(card).to_be_hidden()
    send(bruno, "Salut Alice, en privé")
    expect(messages_with(bruno, "Salut Alice, en privé")).to_have_count(1)

    # A stranger's first message is a request: Alice accepts it, then Bruno's next message
    # arrives in a conversation tab with an unread badge, which she opens and reads.
    alice.get_by_test_id("dm-request-Bruno").get_by_test_id("accept").click()
    alice_tab = alice.get_by_test_id("tab-dm-Bruno")
    expect(alice_tab).to_be_visible()
    alice.get_by_test_id("tab-room-general").click()
    bruno.get_by_test_id("tab-dm-Alice").click()
    send(bruno, "Tu me lis ?")
    expect(alice_tab.get_by_test_id("unread")).to_have_text("1")
    alice_tab.click()
    expect(messages_with(alice, "Tu me lis ?")).to_have_count(1)
    expect(alice_tab.get_by_test_id("unread")).to_have_count(0)

    # Bruno's room view, kept as an artifact of the run.
    bruno.get_by_test_id("tab-room-general").click()
    expect(messages_with(bruno, "Bonjour à tous !")).to_be_visible()
    bruno.screenshot(path=str(artifacts_dir / "room-view.png"))


def test_teen_sees_only_teen_rooms(server: str, new_page: Callable[..., Any]) -> None:
    expect = _expect()
    zoe = new_page()
    join(zoe, server, "Zoé", "woman", 15, "33000")

    expect(zoe.get_by_test_id("group-teen")).to_be_visible()
    expect(zoe.get_by_test_id("room-ados-general")).to_be_visible()
    expect(zoe.get_by_test_id("group-thematic")).to_have_count(0)
    expect(zoe.get_by_test_id("group-regional")).to_have_count(0)
    expect(zoe.get_by_test_id("room-general")).to_have_count(0)
    expect(zoe.get_by_test_id(re.compile(r"^room-(?!ados-)"))).to_have_count(0)


def test_join_refusals_show_beside_their_field(server: str, new_page: Callable[..., Any]) -> None:
    expect = _expect()
    page = new_page()

    join(page, server, "Petit", "man", 12, "75011")
    expect(page.get_by_test_id("error-age")).to_have_text(NOT_EMPTY)
    expect(page.get_by_test_id("error-nick")).to_be_empty()
    expect(page.get_by_test_id("error-postcode")).to_be_empty()
    expect(page.get_by_test_id("chat-view")).to_be_hidden()

    page.get_by_test_id("age").fill("20")
    page.get_by_test_id("postcode").fill("99999")
    page.get_by_test_id("join-submit").click()
    expect(page.get_by_test_id("error-postcode")).to_have_text(NOT_EMPTY)
    expect(page.get_by_test_id("error-age")).to_be_empty()
    expect(page.get_by_test_id("chat-view")).to_be_hidden()
    expect(page.get_by_test_id("join-submit")).to_be_enabled()
