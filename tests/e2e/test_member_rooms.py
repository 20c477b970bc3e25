"""Rooms people make in the web client (issue 20): "Créer un salon" makes and opens one,
member rooms are listed apart with a filter by name, the owner sees its settings, and a
person's card offers "Inviter dans…", which reaches the person invited."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.pages import enter_chat, enter_room, expect_
from tests.e2e.test_accessibility import violations
from tests.support.process import ServerProcess

# Making a room at once: the trust threshold has its own tests (integration).
TRUSTED = {"CAUSERIE_TRUST_MESSAGES": "0", "CAUSERIE_TRUST_SPAN_S": "0"}


@pytest.fixture
def trusting_server(tmp_path: Path) -> Iterator[str]:
    process = ServerProcess(tmp_path, TRUSTED).start()
    try:
        yield process.url
    finally:
        process.stop()


@pytest.fixture(scope="module")
def axe() -> str | None:
    """axe-core when installed (`make browser-tools`); the accessibility checks skip without."""
    path = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
    return path.read_text(encoding="utf-8") if path.exists() else None


def _violations(page: Any, axe: str | None, where: str) -> list[str]:
    return [] if axe is None else violations(page, axe, where)


def test_create_a_room_and_invite_from_the_profile_card(
    trusting_server: str, new_page: Callable[..., Any], axe: str | None
) -> None:
    expect = expect_()
    found: list[str] = []
    alice, bruno = new_page(), new_page()
    enter_chat(alice, trusting_server, "Alice", "woman", 30, "75011")
    enter_chat(bruno, trusting_server, "Bruno", "man", 31, "69001")
    enter_room(alice, "general")
    enter_room(bruno, "general")

    # "Créer un salon": made, owned, opened, and listed apart from the official rooms.
    alice.get_by_test_id("create-room").click()
    alice.get_by_test_id("create-room-name").fill("Fans de jazz")
    alice.get_by_test_id("create-room-topic").fill("Swing et bebop")
    found += _violations(alice, axe, "create dialog")
    alice.get_by_test_id("create-room-submit").click()
    expect(alice.get_by_test_id("tab-room-fans-de-jazz")).to_be_visible()
    listed = alice.get_by_test_id("member-room-list").get_by_test_id("room-fans-de-jazz")
    expect(listed).to_contain_text("Alice")
    expect(alice.get_by_test_id("room-groups").get_by_test_id("room-fans-de-jazz")).to_have_count(0)

    # The owner's settings: invitation only, saved and shown again.
    alice.get_by_test_id("member-settings-fans-de-jazz").click()
    expect(alice.get_by_test_id("member-settings-dialog")).to_be_visible()
    found += _violations(alice, axe, "settings dialog")
    alice.get_by_test_id("mode-invite-only").check()
    alice.get_by_test_id("settings-save").click()
    expect(listed).to_contain_text("Sur invitation")
    alice.keyboard.press("Escape")

    # Bruno finds it by name with the filter, but may not enter uninvited.
    member_rooms = bruno.get_by_test_id("member-room-list")
    bruno.get_by_test_id("member-rooms-filter").fill("zzz")
    expect(member_rooms.get_by_test_id("room-fans-de-jazz")).to_have_count(0)
    bruno.get_by_test_id("member-rooms-filter").fill("JAZZ")
    expect(member_rooms.get_by_test_id("room-fans-de-jazz")).to_be_visible()

    # "Inviter dans…" on Bruno's card, from the room they share.
    alice.get_by_test_id("tab-room-general").click()
    alice.get_by_test_id("member-Bruno").get_by_test_id("member-card").click()
    expect(alice.get_by_test_id("profile-card")).to_be_visible()
    alice.get_by_test_id("profile-invite").click()
    alice.get_by_test_id("invite-room").select_option("fans-de-jazz")
    found += _violations(alice, axe, "profile card, invite")
    alice.get_by_test_id("invite-send").click()
    expect(alice.get_by_test_id("notice-info").filter(has_text="Bruno")).to_be_visible()

    expect(bruno.get_by_test_id("notice-info").filter(has_text="t'invite")).to_be_visible()
    member_rooms.get_by_test_id("room-fans-de-jazz").click()
    expect(bruno.get_by_test_id("tab-room-fans-de-jazz")).to_be_visible()
    expect(bruno.get_by_test_id("member-Alice")).to_be_visible()
    found += _violations(bruno, axe, "member rooms")

    # A voice (IRC's +v), given from the settings: the role is listed with the others.
    alice.keyboard.press("Escape")  # the profile card
    alice.get_by_test_id("member-settings-fans-de-jazz").click()
    alice.get_by_test_id("settings-nick").fill("Bruno")
    alice.get_by_test_id("settings-room_voice-on").click()
    roles = alice.get_by_test_id("member-roles")
    expect(roles).to_contain_text("Ont la parole : Bruno")
    alice.get_by_test_id("settings-room_voice-off").click()
    expect(roles).to_contain_text("Ont la parole : personne")
    assert not found, "\n".join(found)
