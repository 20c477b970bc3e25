"""A room's games on the admin page in Chromium (docs/games.md, "Which games run where"): an
admin opens "Jeux de ce salon" for a room, sees a refusal readably, ticks two games and saves;
the store (as `causerie rooms games` reads it) holds them, a person already in the room sees
its "Scores" appear without reloading (the room object's `games`) and `!jeux` lists them.
Screenshots: `artifacts/admin-room-games.png` (the panel with the refusal) and
`artifacts/admin-room-games-saved.png` (the list after saving).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.pages import enter_chat, enter_room, messages_with, send
from tests.e2e.test_accessibility import AXE, violations
from tests.e2e.test_admin_page import PASSWORD, add_staff
from tests.support.process import ServerProcess

pytestmark = pytest.mark.e2e


@pytest.fixture
def causerie(tmp_path: Path) -> Iterator[ServerProcess]:
    env = {"CAUSERIE_TRUST_MESSAGES": "0", "CAUSERIE_TRUST_SPAN_S": "0"}
    with ServerProcess(tmp_path, env=env) as process:
        yield process


def room_games_in_store(server: ServerProcess, room: str) -> str:
    """What `causerie rooms games ROOM` prints: the store's setting, read by the CLI."""
    return server.cli("rooms", "games", room)


def test_admin_turns_games_on_for_a_room_seen_by_the_store_and_in_the_room(
    causerie: ServerProcess, new_page: Callable[..., Any], artifacts_dir: Path
) -> None:
    from playwright.sync_api import Route, expect

    add_staff(causerie, "admin1", "admin")
    chat = new_page()
    enter_chat(chat, causerie.url, "Margaux", "woman", 29, "69003")
    enter_room(chat, "musique")
    expect(chat.get_by_test_id("scores-open")).to_be_hidden()  # no games here yet

    admin = new_page(width=1280, height=1400)
    admin.goto(f"{causerie.url}/admin")
    admin.get_by_test_id("admin-name").fill("admin1")
    admin.get_by_test_id("admin-password").fill(PASSWORD)
    admin.get_by_test_id("admin-submit").click()
    admin.get_by_test_id("room-games-musique").click()
    panel = admin.get_by_test_id("games-panel")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("Jeux de ce salon")
    expect(panel).to_contain_text("Musique (#musique)")
    expect(panel.get_by_test_id("game-quiz")).not_to_be_checked()
    expect(panel.get_by_test_id("game-morpion")).to_have_count(0)  # a duel is no room game
    if AXE.exists():  # the panel open: no serious accessibility violation
        assert violations(admin, AXE.read_text(encoding="utf-8"), "games panel") == []

    # A refusal, readable: a game the server does not know slipped into the request.
    def with_belote(route: Route) -> None:
        body = json.loads(route.request.post_data or "{}")
        route.continue_(post_data=json.dumps({**body, "games": [*body["games"], "belote"]}))

    admin.route("**/api/admin/rooms/musique/games*", with_belote)
    panel.get_by_test_id("game-quiz").check()
    panel.get_by_test_id("game-pendu").check()
    panel.get_by_test_id("games-reason").fill("soirée jeux du vendredi")
    panel.get_by_test_id("games-save").click()
    error = panel.get_by_test_id("games-error")
    expect(error).to_contain_text("Jeu inconnu ou non permis dans ce salon : belote")
    expect(error).to_contain_text("Jeux possibles :")
    expect(panel).to_be_visible()
    panel.screenshot(path=str(artifacts_dir / "admin-room-games.png"))
    assert room_games_in_store(causerie, "musique") == "games in musique: none"

    admin.unroute("**/api/admin/rooms/musique/games*")
    panel.get_by_test_id("games-save").click()
    expect(panel).to_be_hidden()
    status = admin.get_by_test_id("room-status")
    expect(status).to_have_text("Jeux enregistrés pour Musique : pendu, quiz.")
    expect(admin.get_by_test_id("room-row-musique")).to_contain_text("jeux : pendu, quiz")
    admin.screenshot(path=str(artifacts_dir / "admin-room-games-saved.png"), full_page=True)
    assert room_games_in_store(causerie, "musique") == "games in musique: pendu, quiz"

    # In the room, live: the room object's games show "Scores"; `!jeux` lists both games.
    expect(chat.get_by_test_id("scores-open")).to_be_visible()
    send(chat, "!jeux")
    listing = messages_with(chat, "Jeux de ce salon")
    expect(listing).to_contain_text("!pendu")
    expect(listing).to_contain_text("!quiz")

    # Opened again, the panel ticks what is saved.
    admin.get_by_test_id("room-games-musique").click()
    expect(panel.get_by_test_id("game-quiz")).to_be_checked()
    expect(panel.get_by_test_id("game-devine")).not_to_be_checked()
