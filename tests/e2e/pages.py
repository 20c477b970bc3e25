"""What a person does in the web client, shared by the browser tests."""

from __future__ import annotations

from typing import Any


def expect_() -> Any:
    # Imported late: without Playwright the `browser` fixture skips before any test body runs.
    from playwright.sync_api import expect

    return expect


def join(page: Any, base_url: str, nick: str, gender: str, age: int, postcode: str) -> None:
    """Fill the join form and press "Entrer"."""
    page.goto(f"{base_url}/")
    page.get_by_test_id("nick").fill(nick)
    page.get_by_test_id("gender").select_option(gender)
    page.get_by_test_id("age").fill(str(age))
    page.get_by_test_id("postcode").fill(postcode)
    page.get_by_test_id("join-submit").click()


def enter_room(page: Any, room_id: str) -> None:
    expect = expect_()
    page.get_by_test_id(f"room-{room_id}").click()
    expect(page.get_by_test_id(f"tab-room-{room_id}")).to_be_visible()
    expect(page.get_by_test_id("composer-input")).to_be_enabled()


def send(page: Any, text: str) -> None:
    page.get_by_test_id("composer-input").fill(text)
    page.get_by_test_id("composer-input").press("Enter")


def messages_with(page: Any, text: str) -> Any:
    return page.get_by_test_id("messages").get_by_test_id("message").filter(has_text=text)


def enter_chat(page: Any, base_url: str, nick: str, gender: str, age: int, postcode: str) -> None:
    """Join and wait until the chat is shown."""
    join(page, base_url, nick, gender, age, postcode)
    expect_()(page.get_by_test_id("chat-view")).to_be_visible()
