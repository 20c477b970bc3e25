"""Pictures in the web client (issue 4): sending one in a room and in a private conversation,
the private one arriving blurred until the receiver chooses to see it, and the composer's
refusals. Real server, system Chromium; the pictures are made here."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.pages import enter_chat, enter_room, messages_with, send
from tests.e2e.pages import expect_ as _expect
from tests.unit.media import images

pytestmark = pytest.mark.e2e
_BLOB = re.compile(r"^blob:")
_NOT_HERE = re.compile("pas autorisées")


def _attach(page: Any, name: str, data: bytes, mime: str = "image/jpeg") -> None:
    page.get_by_test_id("composer-file").set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": data}]
    )


def _is_loaded(page: Any, picture: Any) -> bool:
    image = picture.locator("img")
    return bool(
        page.evaluate("(img) => img.complete && img.naturalWidth > 0", image.element_handle())
    )


def test_picture_in_room_and_blurred_in_private_until_revealed(
    server: str, new_page: Callable[..., Any], artifacts_dir: Path
) -> None:
    expect = _expect()
    alice, bruno = new_page(), new_page()
    enter_chat(alice, server, "Alice", "woman", 25, "75011")
    enter_chat(bruno, server, "Bruno", "man", 31, "69001")
    enter_room(alice, "general")
    enter_room(bruno, "general")

    # In a room: the picture reaches the other member as a thumbnail that opens full size.
    _attach(alice, "plage.jpg", images.jpeg(images.photo_like(640, 480, seed=11)))
    in_room = bruno.get_by_test_id("messages").get_by_test_id("picture")
    expect(in_room).to_have_count(1)
    expect(in_room.locator("img")).to_have_attribute("src", _BLOB)
    assert _is_loaded(bruno, in_room)
    in_room.locator("button").click()
    expect(bruno.get_by_test_id("picture-full")).to_be_visible()
    bruno.keyboard.press("Escape")
    expect(bruno.get_by_test_id("picture-full")).to_have_count(0)

    # In private: a stranger's first message is a picture. Alice sees a request that says a
    # picture waits; once she accepts, it is in the conversation, blurred.
    bruno.get_by_test_id("member-Alice").get_by_test_id("open-dm").click()
    _attach(bruno, "chat.png", images.png(images.photo_like(500, 400, seed=12)), "image/png")
    request = alice.get_by_test_id("dm-request-Bruno")
    expect(request.get_by_test_id("dm-request-text")).to_contain_text("une image")
    request.get_by_test_id("accept").click()
    expect(alice.get_by_test_id("tab-dm-Bruno")).to_be_visible()
    send(bruno, "Je t'envoie une photo")
    alice.get_by_test_id("tab-dm-Bruno").click()
    expect(messages_with(alice, "Je t'envoie une photo")).to_have_count(1)
    blurred = alice.get_by_test_id("picture-blurred")
    expect(blurred).to_be_visible()
    expect(blurred.get_by_test_id("picture-report")).to_be_visible()
    expect(alice.get_by_test_id("messages").get_by_test_id("picture")).to_have_count(0)
    alice.screenshot(path=str(artifacts_dir / "picture-blurred.png"))

    blurred.get_by_test_id("picture-reveal").click()
    revealed = alice.get_by_test_id("messages").get_by_test_id("picture")
    expect(revealed).to_have_count(1)
    expect(revealed.locator("img")).to_have_attribute("src", _BLOB)
    assert _is_loaded(alice, revealed)
    expect(alice.get_by_test_id("picture-blurred")).to_have_count(0)
    alice.screenshot(path=str(artifacts_dir / "picture-revealed.png"))

    # The sender sees his own picture plainly.
    expect(bruno.get_by_test_id("messages").get_by_test_id("picture")).to_have_count(1)


def test_composer_refuses_non_picture_and_teen_rooms_take_none(
    server: str, new_page: Callable[..., Any]
) -> None:
    expect = _expect()
    alice = new_page()
    enter_chat(alice, server, "Alice", "woman", 25, "75011")
    enter_room(alice, "general")

    _attach(alice, "page.png", b"<html><script>alert(1)</script></html>", "text/html")
    expect(alice.get_by_test_id("composer-error")).to_contain_text("n'est pas une image")
    _attach(alice, "faux.png", b"<html>pas une image</html>", "image/png")
    expect(alice.get_by_test_id("composer-error")).to_contain_text("image")
    expect(alice.get_by_test_id("messages").get_by_test_id("picture")).to_have_count(0)

    lea = new_page()
    enter_chat(lea, server, "Lea", "woman", 15, "75011")
    enter_room(lea, "ados-general")
    expect(lea.get_by_test_id("composer-picture")).to_be_disabled()
    expect(lea.get_by_test_id("composer-picture")).to_have_attribute("title", _NOT_HERE)
