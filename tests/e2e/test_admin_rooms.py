"""The rooms on the admin page in a browser: an admin adds a room, changes its topic and
closes it, each refusal shown beside the form; a person in the chat sees the room appear,
its topic change and, inside it, the room close with a notice, without reloading. The
screenshot is kept in `artifacts/admin-rooms.png`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.pages import enter_chat, enter_room
from tests.e2e.test_admin_page import PASSWORD, add_staff
from tests.support.process import ServerProcess

pytestmark = pytest.mark.e2e


@pytest.fixture
def causerie(tmp_path: Path) -> Iterator[ServerProcess]:
    with ServerProcess(tmp_path) as process:
        yield process


def test_admin_page_adds_edits_and_archives_a_room_seen_live_in_the_chat(
    causerie: ServerProcess, new_page: Callable[..., Any], artifacts_dir: Path
) -> None:
    from playwright.sync_api import expect

    add_staff(causerie, "admin1", "admin")
    chat = new_page()
    enter_chat(chat, causerie.url, "Margaux", "woman", 29, "69003")
    expect(chat.get_by_test_id("room-general")).to_be_visible()

    admin = new_page(width=1280, height=1400)
    admin.goto(f"{causerie.url}/admin")
    admin.get_by_test_id("admin-name").fill("admin1")
    admin.get_by_test_id("admin-password").fill(PASSWORD)
    admin.get_by_test_id("admin-submit").click()
    expect(admin.get_by_test_id("admin-rooms")).to_be_visible()
    expect(admin.get_by_test_id("room-row-general")).to_contain_text("Général")

    # A refusal, readable, beside the form: a name that imitates the team.
    admin.get_by_test_id("room-id").fill("equipe")
    admin.get_by_test_id("room-name").fill("Modération")
    admin.get_by_test_id("room-save").click()
    expect(admin.get_by_test_id("room-error")).to_contain_text("imite")

    admin.get_by_test_id("room-id").fill("jardinage")
    admin.get_by_test_id("room-name").fill("Jardinage")
    admin.get_by_test_id("room-topic").fill("Potagers et balcons")
    admin.get_by_test_id("room-limit").fill("25")
    admin.get_by_test_id("room-save").click()
    expect(admin.get_by_test_id("room-status")).to_be_visible()
    expect(admin.get_by_test_id("room-row-jardinage")).to_contain_text("≤ 25")
    expect(chat.get_by_test_id("room-jardinage")).to_be_visible()  # live, no reload

    enter_room(chat, "jardinage")
    admin.get_by_test_id("room-edit-jardinage").click()
    expect(admin.get_by_test_id("room-id")).to_be_disabled()
    admin.get_by_test_id("room-topic").fill("Semis de printemps")
    admin.get_by_test_id("room-save").click()
    expect(admin.get_by_test_id("room-row-jardinage")).to_contain_text("Semis de printemps")
    expect(chat.get_by_test_id("chat-view")).to_contain_text("Semis de printemps")
    admin.screenshot(path=str(artifacts_dir / "admin-rooms.png"), full_page=True)

    admin.get_by_test_id("room-archive-jardinage").click()
    expect(admin.get_by_test_id("archive-panel")).to_be_visible()
    admin.get_by_test_id("archive-reason").fill("doublon du salon général")
    admin.get_by_test_id("archive-confirm").click()
    expect(admin.get_by_test_id("room-row-jardinage")).to_have_count(0)
    expect(chat.get_by_test_id("room-jardinage")).to_have_count(0)
    expect(chat.get_by_test_id("tab-room-jardinage")).to_have_count(0)
    expect(chat.get_by_text("Le salon « Jardinage » a été fermé")).to_be_visible()

    admin.get_by_test_id("lang-en").click()
    expect(admin.get_by_test_id("room-save")).to_have_text("Save")
