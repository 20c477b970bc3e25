"""Games played in Chromium against the real server (docs/games.md): a quiz in a room where
two web users answer and the winner's points show in the room's leaderboard. The room's games
are switched on in its store, as the operator's setting does. Screenshots go to
artifacts/games-quiz-*.png; the assertions check what each picture must show.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from causerie.games.answers import fold
from causerie.games.library import PackagedLibrary
from tests.e2e.pages import enter_chat, send
from tests.e2e.pages import expect_ as _expect
from tests.e2e.test_accessibility import AXE, violations
from tests.support.process import ServerProcess

pytestmark = pytest.mark.e2e


@pytest.fixture
def causerie(tmp_path: Path) -> Iterator[ServerProcess]:
    env = {"CAUSERIE_TRUST_MESSAGES": "0", "CAUSERIE_TRUST_SPAN_S": "0"}
    with ServerProcess(tmp_path, env=env) as process:
        yield process


def allow_games(data_dir: Path, room: str, games: list[str]) -> None:
    """The room's games setting, written to the server's store (SQLite in its data dir)."""
    databases = [
        path for path in data_dir.rglob("*") if path.suffix in {".db", ".sqlite", ".sqlite3"}
    ]
    assert databases, f"no SQLite store in {data_dir}"
    with sqlite3.connect(databases[0], timeout=10) as db:
        db.executemany(
            "INSERT INTO room_games (room_id, game) VALUES (?, ?)", [(room, game) for game in games]
        )


def answer_to(question: str) -> str:
    """The shipped bank's first accepted answer to `question`."""
    for known in PackagedLibrary().questions():
        if fold(known.text) == fold(question):
            return known.answers[0]
    raise AssertionError(f"not in the bank: {question}")


def test_quiz_two_web_players_and_the_winner_s_points_in_the_leaderboard(
    causerie: ServerProcess, new_page: Callable[..., Any], artifacts_dir: Path
) -> None:
    expect = _expect()
    alice = new_page(width=1280, height=900)
    bruno = new_page(width=390, height=844)
    enter_chat(alice, causerie.url, "Alice", "woman", 25, "75011")
    enter_chat(bruno, causerie.url, "Bruno", "man", 31, "69001")
    for page in (alice, bruno):  # at any width (on a phone the room replaces the list)
        page.get_by_test_id("room-general").click()
        expect(page.get_by_test_id("composer-input")).to_be_enabled()
    allow_games(causerie.data_dir, "general", ["quiz"])

    send(alice, "!quiz 1")
    for page in (alice, bruno):
        view = page.get_by_test_id("messages").locator("[data-kind=quiz]").last
        expect(view.get_by_test_id("game-question")).to_be_visible()
        expect(view.get_by_test_id("game-countdown")).to_be_visible()
    question = (
        alice.get_by_test_id("messages")
        .locator("[data-kind=quiz]")
        .last.get_by_test_id("game-question")
    ).inner_text()
    alice.screenshot(path=str(artifacts_dir / "games-quiz-question-desktop.png"))
    bruno.screenshot(path=str(artifacts_dir / "games-quiz-question-phone.png"))
    axe = AXE.read_text(encoding="utf-8") if AXE.exists() else None
    found = violations(bruno, axe, "phone quiz") if axe else []

    send(alice, "je ne sais pas")  # a wrong answer is chat
    send(bruno, answer_to(question))
    the_end = (
        alice.get_by_test_id("messages").get_by_test_id("message").filter(has_text="Fin du quiz")
    )
    expect(the_end).to_contain_text("Bruno")
    expect(the_end.get_by_test_id("game-ranking")).to_contain_text("Bruno")

    alice.get_by_test_id("scores-open").click()
    dialog = alice.get_by_test_id("scores-dialog")
    rows = dialog.get_by_test_id("scores-row")
    expect(rows).to_have_count(1)  # Alice's wrong answer scored nothing
    expect(rows.first.get_by_test_id("scores-nick")).to_have_text("Bruno")
    points = int(rows.first.get_by_test_id("scores-points").inner_text())
    assert points > 0
    alice.screenshot(path=str(artifacts_dir / "games-quiz-scores-desktop.png"))
    dialog.get_by_test_id("scores-all").click()
    expect(dialog.get_by_test_id("scores-points")).to_have_text([str(points)])

    bruno.get_by_test_id("scores-open").click()
    expect(bruno.get_by_test_id("scores-dialog").get_by_test_id("scores-nick")).to_have_text(
        ["Bruno"]
    )
    bruno.screenshot(path=str(artifacts_dir / "games-quiz-scores-phone.png"))
    found += violations(bruno, axe, "phone scores") if axe else []
    assert found == []  # axe-core (when installed): no serious or critical violation


def _play(page: Any, column: int) -> None:
    """On my turn (the newest board offers its columns), drop a piece in `column`."""
    expect = _expect()
    button = page.get_by_test_id("messages").get_by_test_id(f"board-column-{column}")
    expect(button).to_have_count(1)
    button.click()
    expect(page.get_by_test_id("messages").get_by_test_id(f"board-column-{column}")).to_have_count(
        0
    )


def test_puissance_4_invited_accepted_and_won_by_clicking_columns(
    causerie: ServerProcess, new_page: Callable[..., Any], artifacts_dir: Path
) -> None:
    expect = _expect()
    alice = new_page(width=1280, height=900)
    bruno = new_page(width=390, height=844)
    enter_chat(alice, causerie.url, "Alice", "woman", 25, "75011")
    enter_chat(bruno, causerie.url, "Bruno", "man", 31, "69001")
    for page in (alice, bruno):
        page.get_by_test_id("room-general").click()
        expect(page.get_by_test_id("composer-input")).to_be_enabled()
    # A private conversation Bruno accepted, as for any private message.
    alice.get_by_test_id("member-Bruno").get_by_test_id("open-dm").click()
    send(alice, "Salut Bruno, une partie ?")
    bruno.get_by_test_id("nav-rooms").click()
    bruno.get_by_test_id("dm-request-Alice").get_by_test_id("accept").click()
    expect(bruno.get_by_test_id("messages")).to_contain_text("une partie ?")

    # "Jouer à…" on Bruno's card: Puissance 4, typed as `!puissance4` in the conversation.
    alice.get_by_test_id("member-card-panel").get_by_test_id("play-puissance4").click()
    invite = bruno.get_by_test_id("game-invite")
    expect(invite).to_contain_text("Alice te propose une partie de Puissance 4.")
    bruno.screenshot(path=str(artifacts_dir / "games-p4-invite-phone.png"))
    invite.get_by_test_id("game-invite-accept").click()

    # The game draws who starts: whoever is offered the columns first fills column 1, the
    # other column 2, until four in a column.
    first_board = alice.get_by_test_id("messages").get_by_test_id("game-board")
    expect(first_board).to_have_count(1)
    expect(bruno.get_by_test_id("messages").get_by_test_id("game-board")).to_have_count(1)
    alice_starts = alice.get_by_test_id("messages").get_by_test_id("board-column-1").count() == 1
    first, second = (alice, bruno) if alice_starts else (bruno, alice)
    winner = "Alice" if alice_starts else "Bruno"
    for _ in range(3):
        _play(first, 1)
        _play(second, 2)
    alice.screenshot(path=str(artifacts_dir / "games-p4-playing-desktop.png"))
    _play(first, 1)
    for page in (alice, bruno):
        status = page.get_by_test_id("messages").get_by_test_id("board-status").last
        expect(status).to_have_text(f"{winner} gagne !")
        expect(page.get_by_test_id("messages").locator("button.board-move")).to_have_count(0)
    alice.screenshot(path=str(artifacts_dir / "games-p4-won-desktop.png"))
    bruno.screenshot(path=str(artifacts_dir / "games-p4-won-phone.png"))
