"""How the web client draws games (docs/games.md), without any game running: first the
renderers alone (views/game-views.js, game-boards.js) given views of every kind, then the whole
client talking to a fake server (Playwright's WebSocket route answers `hello` and `join` and
pushes game lines), so that what a player clicks is checked as the frames it sends: a board's
column as `say`, an invitation's "Accepter" as `!oui`, "Jouer à…" as `!puissance4`, the
leaderboard's tabs as `scores` requests. Screenshots go to artifacts/games-*.png.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.pages import expect_ as _expect
from tests.e2e.test_accessibility import AXE, violations

pytestmark = pytest.mark.e2e

ALICE = {"nick": "Alice", "gender": "woman", "age": 25, "dept": "75", "region": "Île-de-France"}
BRUNO = {
    "nick": "Bruno",
    "gender": "man",
    "age": 31,
    "dept": "69",
    "region": "Auvergne-Rhône-Alpes",
}
BOT = {"nick": "Croupier", "gender": "unspecified", "age": 99, "dept": "", "region": ""}
ROOM = {"id": "jeux", "name": "Jeux", "kind": "thematic", "audience": "adult", "members": 3}


def _render(page: Any, server: str, body: str) -> Any:
    """Run `body` with the renderers imported as `v` (game-views.js) and `b` (game-boards.js),
    in a page that has the client's styles; `body` may append to `stage`."""
    page.goto(f"{server}/healthz")
    return page.evaluate(
        f"""async () => {{
          for (const sheet of ["style.css", "games.css"]) {{
            const link = document.createElement("link");
            link.rel = "stylesheet";
            link.href = "{server}/static/" + sheet;
            document.head.append(link);
            await new Promise((done) => link.addEventListener("load", done));
          }}
          document.body.replaceChildren();
          const stage = document.createElement("ol");
          document.body.append(stage);
          const v = await import("{server}/static/views/game-views.js");
          const b = await import("{server}/static/views/game-boards.js");
          {body}
        }}"""
    )


def test_game_views_of_each_kind_draw_their_state_and_unknown_kinds_draw_nothing(
    server: str, new_page: Callable[..., Any]
) -> None:
    found = _render(
        new_page(),
        server,
        """
        const draw = (view, options = {}) => v.gameNode({ name: "x", view }, options);
        const hangman = draw({ kind: "hangman", mask: "C_A_", misses: 3, max_misses: 6,
                               wrong: ["E", "S", "T"] });
        const motus = draw({ kind: "motus", length: 5, first: "S", known: "S_L__", max_tries: 6,
          rows: [{ nick: "bob", word: "SALUT", marks: ["well", "misplaced", "absent",
                                                      "absent", "well"] }] });
        const quiz = draw({ kind: "quiz", question: "Capitale du Pérou ?", category: "Géo",
                            number: 2, total: 10, deadline_ms: Date.now() + 20500, hint: "L___" },
                          { isLive: true });
        const old = draw({ kind: "quiz", question: "?", deadline_ms: Date.now() + 20000 });
        const board = draw({ kind: "board", game: "puissance4", rows: 6, cols: 7,
          players: ["Alice", "Bruno"], turn: "Alice",
          cells: [".......", ".......", ".......", ".......", "...O...", "..XXO.."] },
          { isLive: true, me: "alice" });
        const morpion = draw({ kind: "board", game: "morpion", rows: 3, cols: 3,
          players: ["Alice", "Bruno"], turn: "Bruno", winner: "Alice",
          cells: [["X", "O", ""], ["", "X", "O"], ["", "", "X"]],
          line: [[0, 0], [1, 1], [2, 2]] }, { isLive: true, me: "Bruno" });
        const dice = draw({ kind: "dice", game: "yams", phase: "playing", players: ["bob", "al"],
                            turn: "bob", dice: [4, 2, 1], held: [0], roll: 2, max_rolls: 3,
                            totals: { bob: 12, al: 30 } });
        const chain = draw({ kind: "chain", last: "lapin", letter: "N", count: 2,
                             recent: ["chat", "tapis", "lapin"], turn_ms: 30000 });
        const blind = draw({ kind: "blind", category: "Cinéma", number: 1, total: 5,
                             clues: ["Un chapeau", "Un fouet"], clue_count: 4, points: 6,
                             is_open: false, answer: "Indiana Jones" });
        const letters = draw({ kind: "letters", letters: ["E", "A", "R", "T"],
          proposals: [{ nick: "bob", length: 4, word: "RATE" }], longest: ["RATE", "TARE"] });
        const numbers = draw({ kind: "numbers", plaques: [1, 5, 10, 25, 50, 100], target: 437,
          best: { nick: "bob", value: 436, text: "100*4+25+10+1" } });
        const ranking = draw({ kind: "quiz", total: 3, ranking: [{ nick: "bob", points: 9 }] });
        const i18n = await import("/static/i18n.js");
        i18n.setLang("en");
        const english = [
          draw({ kind: "hangman", mask: "A_", misses: 1, max_misses: 6, wrong: ["E"] }),
          draw({ kind: "board", game: "morpion", rows: 3, cols: 3,
            players: ["Alice", "Bruno"], turn: "Alice", cells: ["X", "", "", "", "", "", "", "", ""]
          },
            { isLive: true, me: "Alice" }),
        ].map((node) => node.textContent);
        i18n.setLang("fr");
        const count = (node, selector) => node.querySelectorAll(selector).length;
        return {
          parts: [0, 1, 3, 6, 9].map((n) => v.hangmanParts(n, 6)).concat(v.hangmanParts(5, 10)),
          drawnParts: count(hangman, ".body-part"),
          mask: hangman.querySelector("[data-testid=game-mask]").textContent,
          wrong: hangman.querySelector("[data-testid=game-wrong]").textContent,
          marks: [...motus.querySelectorAll("[data-testid=motus-cell]")].map((c) => c.dataset.mark),
          motusRows: count(motus, ".motus-row"),
          nextRow: [...motus.querySelectorAll(".motus-row")][1].textContent,
          countdown: quiz.querySelector("[data-testid=game-countdown]").textContent,
          hint: quiz.querySelector("[data-testid=game-hint]").textContent,
          oldCountdown: count(old, "[data-testid=game-countdown]"),
          columns: [...board.querySelectorAll("button.board-move")].map((c) => c.dataset.testid),
          owners: b.boardCells({ rows: 6, cols: 7, players: ["Alice", "Bruno"],
                                 cells: ["...O...", "..XXO..", ".......", ".......", ".......",
                                         "......."] })[1].join(""),
          morpionButtons: count(morpion, "button"),
          winning: count(morpion, ".is-winning"),
          status: morpion.querySelector("[data-testid=board-status]").textContent,
          moves: [b.moveText({ game: "morpion", cols: 3 }, 1, 2),
                  b.moveText({ game: "puissance4", cols: 7 }, 5, 3)],
          faces: [...dice.querySelectorAll("[data-testid=game-die]")].map((d) => d.dataset.face),
          held: count(dice, ".is-held"),
          diceText: dice.querySelector("[data-testid=game-roll]").textContent + " / " +
            dice.querySelector("[data-testid=game-player]").textContent + " / " +
            dice.querySelector("[data-testid=game-totals]").textContent,
          chain: chain.querySelector("[data-testid=game-chain]").textContent,
          next: chain.querySelector("[data-testid=game-letter]").textContent,
          clues: count(blind, "[data-testid=game-clues] li"),
          answer: blind.querySelector("[data-testid=game-answer]").textContent,
          tiles: letters.querySelector("[data-testid=game-tiles]").textContent,
          proposals: letters.querySelector("[data-testid=game-proposals]").textContent,
          best: numbers.querySelector("[data-testid=game-best]").textContent,
          ranking: ranking.querySelector("[data-testid=game-ranking]").textContent,
          english,
          unknown: draw({ kind: "belote", cards: [] }),
          none: v.gameNode({ name: "x", view: null }),
        };
        """,
    )
    assert found["parts"] == [0, 1, 3, 6, 6, 3]  # never more than the whole body
    assert found["drawnParts"] == 3
    assert found["mask"] == "C _ A _" and found["wrong"] == "E S T"
    assert found["marks"] == ["well", "misplaced", "absent", "absent", "well"]
    assert found["motusRows"] == 6 and found["nextRow"].startswith("SL")
    assert found["countdown"] in {"20 s", "21 s"} and found["hint"] == "Indice : L___"
    assert found["oldCountdown"] == 0  # only the newest line of a game counts down
    # My turn: the seven columns have room, each one a button.
    assert found["columns"] == [f"board-column-{n}" for n in range(1, 8)]
    assert found["owners"] == "0011200"
    assert found["morpionButtons"] == 0  # the game is won: nothing more to play
    assert found["winning"] == 3 and found["status"] == "Alice gagne !"
    assert found["moves"] == ["6", "4"]
    assert found["faces"] == ["4", "2", "1"] and found["held"] == 1
    assert found["diceText"] == "Lancer 2/3 / À bob de lancer / bob 12al 30"
    assert found["chain"] == "chattapislapin" and found["next"] == "Prochain mot en N"
    assert found["clues"] == 2 and found["answer"] == "Réponse : Indiana Jones"
    assert found["tiles"] == "EART" and found["proposals"] == "bob RATE (4 lettres)"
    assert found["best"] == "Meilleur compte : 436 (bob) 100*4+25+10+1"
    assert found["ranking"] == "bob 9 pt(s)"
    assert "1 miss(es) out of 6" in found["english"][0] and "Wrong letters:" in found["english"][0]
    assert found["english"][1].endswith("Your turn!")
    assert found["unknown"] is None and found["none"] is None


DUEL_TEXT = (
    "Puissance4 : Bruno (X) contre Alice (O). Jouez une colonne de 1 à 7. À toi, Bruno.\n"
    + ". . . . . . .\n" * 4
    + ". . . O . . .\n. . X X O . .\n1 2 3 4 5 6 7"
)


def test_duel_boards_are_read_from_the_notice_text_the_node_sends(
    server: str, new_page: Callable[..., Any]
) -> None:
    found = _render(
        new_page(),
        server,
        f"""
        const d = await import("/static/duel-notices.js");
        const p4 = d.boardOfText({json.dumps(DUEL_TEXT)});
        const won = d.boardOfText("Alice gagne ! +3 points.\\nX O 3\\n4 X O\\n7 8 X");
        const turn = d.boardOfText("À toi, Alice (O).\\nX 2 3\\n4 5 6\\n7 8 9", ["Bruno", "Alice"]);
        return [p4, won, turn, d.boardOfText("Bien vu !"), d.boardOfText("1 2 3")];
        """,
    )
    p4, won, turn, chat, digits = found
    assert p4["game"] == "puissance4" and p4["players"] == ["Bruno", "Alice"]
    assert p4["turn"] == "Bruno" and p4["winner"] is None
    assert p4["cells"][-7:] == ["", "", "X", "X", "O", "", ""] and len(p4["cells"]) == 42
    assert won["game"] == "morpion" and won["winner"] == "Alice" and won["turn"] is None
    assert won["cells"] == ["X", "O", "", "", "X", "O", "", "", "X"]
    assert turn["turn"] == "Alice" and turn["players"] == ["Bruno", "Alice"]
    assert chat is None and digits is None


class FakeServer:
    """Answers the client's `hello` and `join` like the node, keeps every frame it gets, and
    pushes what a test tells it to."""

    def __init__(self, page: Any) -> None:
        self.received: list[dict[str, Any]] = []
        self.socket: Any = None
        self.history: list[dict[str, Any]] = []
        page.route_web_socket("**/ws", self._connect)

    def _connect(self, socket: Any) -> None:
        self.socket = socket
        socket.on_message(self._on_message)

    def push(self, frame: dict[str, Any]) -> None:
        self.socket.send(json.dumps(frame))

    def _on_message(self, raw: str | bytes) -> None:
        frame = json.loads(raw)
        self.received.append(frame)
        match frame["type"]:
            case "hello":
                self.push(
                    {
                        "type": "welcome",
                        "re": frame.get("id"),
                        "session": "s1",
                        "token": "t",
                        "protocol": 1,
                        "user": ALICE,
                        "rooms": [ROOM],
                    }
                )
            case "join":
                members = [ALICE, BRUNO, BOT]
                self.push(
                    {
                        "type": "joined",
                        "re": frame.get("id"),
                        "room": ROOM,
                        "members": members,
                        "history": self.history,
                    }
                )
            case "say" | "dm":
                self.push(
                    {
                        "type": "ack",
                        "re": frame.get("id"),
                        "message_id": 900 + len(self.received),
                        "ts": int(time.time() * 1000),
                    }
                )
            case "scores":
                rows = {
                    "jour": [{"nick": "Bruno", "points": 12}, {"nick": "Alice", "points": 7}],
                    "semaine": [],
                    "tout": [{"nick": "Alice", "points": 40}],
                }
                self.push(
                    {
                        "type": "scores",
                        "re": frame.get("id"),
                        "room": frame["room"],
                        "period": frame["period"],
                        "rows": rows[frame["period"]],
                    }
                )

    def sent(self, kind: str) -> list[dict[str, Any]]:
        return [frame for frame in self.received if frame["type"] == kind]


def _line(message_id: int, view: dict[str, Any], text: str, name: str) -> dict[str, Any]:
    return {
        "type": "message",
        "id": message_id,
        "room": "jeux",
        "from": BOT,
        "text": text,
        "ts": int(time.time() * 1000),
        "game": {"name": name, "view": view},
    }


def _wait_for(page: Any, check: Callable[[], bool]) -> None:
    for _ in range(100):
        if check():
            return
        page.wait_for_timeout(50)
    raise AssertionError("the client did not send what was expected")


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_the_client_draws_game_lines_plays_boards_and_shows_the_leaderboard(
    server: str, new_page: Callable[..., Any], artifacts_dir: Path, width: str
) -> None:
    expect = _expect()
    page = new_page(*((1280, 900) if width == "desktop" else (390, 844)))
    fake = FakeServer(page)
    page.goto(f"{server}/")
    page.get_by_test_id("nick").fill("Alice")
    page.get_by_test_id("gender").select_option("woman")
    page.get_by_test_id("age").fill("25")
    page.get_by_test_id("postcode").fill("75011")
    page.get_by_test_id("join-submit").click()
    page.get_by_test_id("room-jeux").click()
    expect(page.get_by_test_id("composer-input")).to_be_enabled()

    now = int(time.time() * 1000)
    fake.push(
        _line(
            1,
            {
                "kind": "hangman",
                "mask": "P_RR_QU_T",
                "misses": 4,
                "max_misses": 6,
                "wrong": ["E", "S", "L", "N"],
                "level": "moyen",
            },
            "Le pendu : P_RR_QU_T (4 erreurs)",
            "pendu",
        )
    )
    fake.push(
        _line(
            2,
            {
                "kind": "quiz",
                "question": "Quelle est la capitale du Pérou ?",
                "category": "Géographie",
                "number": 3,
                "total": 10,
                "deadline_ms": now + 30000,
                "hint": "L___",
                "is_open": True,
            },
            "Question 3/10 (Géographie) : Quelle est la capitale du Pérou ?",
            "quiz",
        )
    )
    fake.push(
        _line(
            3,
            {
                "kind": "motus",
                "length": 6,
                "first": "M",
                "known": "M__S__",
                "max_tries": 6,
                "rows": [
                    {
                        "nick": "Bruno",
                        "word": "MAISON",
                        "marks": ["well", "misplaced", "absent", "well", "absent", "absent"],
                    },
                ],
            },
            "Motus : M A I S O N",
            "motus",
        )
    )
    fake.push(
        _line(
            4,
            {
                "kind": "board",
                "game": "puissance4",
                "rows": 6,
                "cols": 7,
                "players": ["Alice", "Bruno"],
                "turn": "Alice",
                "cells": [".......", ".......", ".......", ".......", "...O...", "..XXO.."],
            },
            "Puissance 4 : à Alice de jouer (1-7).",
            "puissance4",
        )
    )
    fake.push(
        _line(
            5,
            {
                "kind": "numbers",
                "plaques": [1, 5, 10, 25, 50, 100],
                "target": 437,
                "deadline_ms": now + 45000,
                "best": {"nick": "Bruno", "value": 436, "text": "100*4+25+10+1"},
            },
            "Le compte est bon : 437 avec 1 5 10 25 50 100",
            "comptestbon",
        )
    )
    fake.push(
        _line(
            6,
            {
                "kind": "letters",
                "letters": list("EARTSLNIO"),
                "round_ms": 45000,
                "proposals": [{"nick": "Bruno", "length": 7}],
            },
            "Le mot le plus long : E A R T S L N I O",
            "motlepluslong",
        )
    )
    fake.push(
        _line(
            7,
            {
                "kind": "chain",
                "last": "lapin",
                "letter": "N",
                "count": 2,
                "recent": ["chat", "tapis", "lapin"],
                "turn_ms": 30000,
            },
            "LAPIN : au suivant, un mot en N !",
            "chaine",
        )
    )
    fake.push(
        _line(
            8,
            {
                "kind": "blind",
                "category": "Cinéma",
                "number": 1,
                "total": 5,
                "clues": ["Un chapeau", "Un fouet"],
                "clue_count": 4,
                "clue_ms": 10000,
                "points": 6,
                "is_open": True,
                "answer": None,
            },
            "Blind 1/5 (Cinéma) : Un chapeau. Un fouet.",
            "blind",
        )
    )
    fake.push(
        _line(
            9,
            {
                "kind": "dice",
                "game": "yams",
                "phase": "playing",
                "players": ["Alice", "Bruno"],
                "turn": "Bruno",
                "dice": [6, 6, 3, 6, 1],
                "roll": 2,
                "max_rolls": 3,
                "totals": {"Alice": 24, "Bruno": 18},
            },
            "Bruno (2e lancer) : 6 6 3 6 1",
            "yams",
        )
    )
    messages = page.get_by_test_id("messages")
    expect(messages.get_by_test_id("game-view")).to_have_count(9)
    quiz_countdown = messages.locator("[data-kind=quiz]").get_by_test_id("game-countdown")
    expect(quiz_countdown).to_have_text("30 s")
    expect(messages.get_by_test_id("game-gallows")).to_have_attribute("data-parts", "4")
    expect(messages.get_by_text("Le pendu : P_RR_QU_T (4 erreurs)")).to_be_visible()  # text stays
    page.screenshot(path=str(artifacts_dir / f"games-room-{width}.png"))
    axe = AXE.read_text(encoding="utf-8") if AXE.exists() else None
    found = violations(page, axe, f"{width} games") if axe else []
    for view in messages.get_by_test_id("game-view").all():
        kind = view.get_attribute("data-kind")
        view.screenshot(path=str(artifacts_dir / f"games-{kind}-{width}.png"))

    # My turn: a click on column 4 is the line "4" in the room, as typing it would be.
    messages.get_by_test_id("board-column-4").click()
    _wait_for(page, lambda: any(f.get("text") == "4" for f in fake.sent("say")))
    assert fake.sent("say")[-1]["room"] == "jeux"
    expect(quiz_countdown).not_to_have_text("30 s")  # it counts down

    # The leaderboard, from the room's header: today first, then all time.
    if width == "phone":
        page.get_by_test_id("nav-chat").click()
    page.get_by_test_id("scores-open").click()
    dialog = page.get_by_test_id("scores-dialog")
    expect(dialog.get_by_test_id("scores-row")).to_have_count(2)
    expect(dialog.get_by_test_id("scores-row").first).to_contain_text("Bruno")
    expect(dialog.get_by_test_id("scores-row").first).to_contain_text("12")
    page.screenshot(path=str(artifacts_dir / f"games-scores-{width}.png"))
    found += violations(page, axe, f"{width} scores") if axe else []
    dialog.get_by_test_id("scores-week").click()
    expect(dialog.get_by_test_id("scores-empty")).to_be_visible()
    dialog.get_by_test_id("scores-all").click()
    expect(dialog.get_by_test_id("scores-points")).to_have_text(["40"])
    assert [f["period"] for f in fake.sent("scores")] == ["jour", "semaine", "tout"]
    # A game speaks in the room while the leaderboard is open: it asks for its tab again.
    fake.push(
        _line(
            10,
            {"kind": "guess", "low": 1, "high": 100, "guesses": 3},
            "Bravo Bruno : c'était 42 !",
            "devine",
        )
    )
    _wait_for(page, lambda: len(fake.sent("scores")) == 4)
    assert fake.sent("scores")[-1]["period"] == "tout"
    page.keyboard.press("Escape")

    # An invitation from Bruno in private: "Accepter" answers `!oui` to him.
    fake.push(
        {
            "type": "dm",
            "id": 50,
            "from": BRUNO,
            "to": ALICE,
            "text": "!morpion",
            "ts": int(time.time() * 1000),
        }
    )
    if width == "phone":
        page.get_by_test_id("nav-rooms").click()
    page.get_by_test_id("tab-dm-Bruno").click()
    invite = page.get_by_test_id("game-invite")
    expect(invite).to_contain_text("Bruno te propose une partie de Morpion.")
    page.screenshot(path=str(artifacts_dir / f"games-invite-{width}.png"))
    found += violations(page, axe, f"{width} invitation") if axe else []
    if width == "desktop":  # beside the conversation, the card offers the two games at once
        panel = page.get_by_test_id("member-card-panel")
        expect(panel.get_by_test_id("play-morpion")).to_be_visible()
        expect(panel.get_by_test_id("play-puissance4")).to_be_visible()
    invite.get_by_test_id("game-invite-accept").click()
    _wait_for(page, lambda: any(f.get("text") == "!oui" for f in fake.sent("dm")))
    assert fake.sent("dm")[-1]["to"] == "Bruno"
    expect(page.get_by_test_id("game-invite")).to_have_count(0)  # answered

    # The duel's lines come to each player as notices: drawn in our private conversation, and
    # on my turn a column is the line "5" to Bruno.
    board = {
        "kind": "board",
        "game": "puissance4",
        "rows": 6,
        "cols": 7,
        "players": ["Bruno", "Alice"],
        "turn": "Alice",
        "winner": None,
        "marks": ["X", "O"],
        "cells": [""] * 38 + ["X"] + [""] * 3,
    }
    fake.push(
        {
            "type": "notice",
            "kind": "info",
            "key": "game",
            "text": "Puissance 4 : à Alice.",
            "game": {"name": "puissance4", "view": board},
        }
    )
    # A room game's word to me alone (its view lists a whole table) stays a notice.
    fake.push(
        {
            "type": "notice",
            "kind": "info",
            "key": "game",
            "text": "Garde tes deux 6 !",
            "game": {
                "name": "yams",
                "view": {"kind": "dice", "players": ["Alice", "Bruno"], "dice": [6, 6, 1, 2, 3]},
            },
        }
    )
    expect(page.get_by_test_id("notice-info").filter(has_text="Garde tes deux 6")).to_be_visible()
    duel = page.get_by_test_id("messages").get_by_test_id("game-view")
    expect(duel).to_have_count(1)
    expect(duel).to_have_attribute("data-kind", "board")
    expect(duel.get_by_test_id("board-status")).to_have_text("À toi de jouer !")
    page.screenshot(path=str(artifacts_dir / f"games-duel-{width}.png"))
    duel.get_by_test_id("board-column-5").click()
    _wait_for(page, lambda: any(f.get("text") == "5" for f in fake.sent("dm")))
    assert fake.sent("dm")[-1]["to"] == "Bruno"

    # "Jouer à…" on Bruno's card: the invitation typed in our private conversation.
    page.get_by_test_id("message-nick").filter(has_text="Bruno").first.click()
    card = page.get_by_test_id("profile-card")
    card.get_by_test_id("profile-play").click()
    card.get_by_test_id("play-puissance4").click()
    _wait_for(page, lambda: any(f.get("text") == "!puissance4" for f in fake.sent("dm")))
    assert fake.sent("dm")[-1]["to"] == "Bruno"
    assert found == []  # axe-core (when installed): no serious or critical violation
