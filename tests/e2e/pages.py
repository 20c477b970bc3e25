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


def alice_and_bruno_in_general(
    new_page: Any, base_url: str, alice_script: str | None = None
) -> tuple[Any, Any]:
    """Alice (25, Paris) and Bruno (31, Lyon) in `general`, each seeing the other listed;
    `alice_script` runs in Alice's page before the client's own."""
    expect = expect_()
    alice = new_page()
    if alice_script:
        alice.add_init_script(alice_script)
    bruno = new_page()
    enter_chat(alice, base_url, "Alice", "woman", 25, "75011")
    enter_chat(bruno, base_url, "Bruno", "man", 31, "69001")
    enter_room(alice, "general")
    enter_room(bruno, "general")
    expect(alice.get_by_test_id("member-Bruno")).to_be_visible()
    expect(bruno.get_by_test_id("member-Alice")).to_be_visible()
    return alice, bruno
