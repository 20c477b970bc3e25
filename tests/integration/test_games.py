"""Games run by the node in a room (docs/games.md, "Running games"): started and played by
typing in the room from the web and from IRC alike, answers in the order they were
acknowledged, points stored; `!stop` only for a room's operators; scores after a restart."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from causerie.games.quiz import PAUSE_MS
from causerie.safety.staff import StaffAccount, StaffRole, hash_password
from tests.support.chat import TIMEOUT_S, Client, RunningServer, start_server, stop_server
from tests.support.games import CALCUL, TEST_GAMES, sum_of
from tests.support.irc import IrcClient, irc_port

PASSWORD = "Mot-de-passe-42"
OPTIONS = {"trust_messages": 0, "trust_span_s": 0, "irc_port": 0}


class World:
    def __init__(self, running: RunningServer, port: int) -> None:
        self.running = running
        self.port = port
        self.ws: list[Client] = []
        self.irc: list[IrcClient] = []

    async def web(self, nick: str, room: str = "general") -> Client:
        client = await Client.connect(self.running)
        self.ws.append(client)
        assert (await client.hello(nick, age=30, gender="man"))["type"] == "welcome"
        if room:
            assert (await client.join(room))["type"] == "joined"
        return client

    async def irc_client(self, nick: str) -> IrcClient:
        client = await IrcClient.connect(self.port, nick, "30 h 69001")
        self.irc.append(client)
        client.send("JOIN #general")
        await client.expect("endofnames")
        return client


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    running, server, task = await start_server(tmp_path, games=TEST_GAMES, **OPTIONS)
    await running.node.store.set_room_games("general", ["calcul"])  # type: ignore[attr-defined]
    here = World(running, irc_port(server))
    yield here
    for irc in here.irc:
        irc.close()
    for ws in here.ws:
        await ws.close()
    await stop_server(server, task)


def _view_of(frame: dict[str, Any]) -> dict[str, Any]:
    """The view of a game's message ({} for anyone else's, or a line without one)."""
    game = frame.get("game") if frame["from"]["nick"] == "Jeux" else None
    view = (game or {}).get("view")
    return view if isinstance(view, dict) else {}


async def _open_question(client: Client, number: int) -> dict[str, Any]:
    """The quiz's question `number`, while it is open: the room may be silent for the pause
    between two questions, longer than one frame's wait."""
    deadline = asyncio.get_running_loop().time() + PAUSE_MS / 1000 + 2 * TIMEOUT_S
    while True:
        try:
            return await client.expect(
                lambda f: _view_of(f).get("number") == number and _view_of(f).get("is_open"),
                type_="message",
            )
        except TimeoutError:
            if asyncio.get_running_loop().time() > deadline:
                raise


def _from_game(text: str) -> Any:
    return lambda f: f["from"]["nick"] == "Jeux" and text in f["text"]


async def test_game_played_by_web_and_irc_players_awards_points_in_answer_order(
    world: World,
) -> None:
    alice, bruno = await world.web("Alice"), await world.web("Bruno")
    carla = await world.irc_client("Carla")
    await alice.say("general", "!jeux")
    listed = await bruno.expect(_from_game("!calcul"), type_="message")
    assert "Trois additions" in listed["text"]

    await alice.say("general", "!calcul")
    first = await bruno.expect(_from_game("Calcul 1"), type_="message")
    assert first["game"] == {"name": "calcul", "view": {"round": 1, "of": 3}}
    on_irc = await carla.expect_text("pubmsg", "Calcul 1")
    assert on_irc.source.nick == "Jeux" and on_irc.arguments[0] == first["text"]

    # Bruno answers first; Alice's same answer, acknowledged after his, wins nothing.
    await bruno.say("general", sum_of(first["text"]))
    await alice.say("general", sum_of(first["text"]))
    second = await alice.expect(_from_game("Calcul 2"), type_="message")
    whisper = await bruno.expect_type("notice")
    assert (whisper["text"], whisper["key"], whisper["game"]["name"]) == (
        "Bien vu !",
        "game",
        "calcul",
    )
    carla.send(f"PRIVMSG #general :{sum_of(second['text'])}")
    third = await alice.expect(_from_game("Calcul 3"), type_="message")
    await alice.say("general", sum_of(third["text"]))
    await bruno.expect(_from_game("Fin du calcul"), type_="message")

    await bruno.say("general", "!top semaine")
    top = await alice.expect(_from_game("Classement"), type_="message")
    assert "Alice 1" in top["text"] and "Bruno 1" in top["text"] and "Carla 1" in top["text"]
    await carla.expect_text("pubmsg", "Classement")
    scores = await alice.request("scores", room="general", period="tout")
    assert scores["type"] == "scores" and scores["period"] == "tout"
    assert sorted(scores["rows"], key=lambda r: r["nick"]) == [
        {"nick": "Alice", "points": 1},
        {"nick": "Bruno", "points": 1},
        {"nick": "Carla", "points": 1},
    ]


async def test_member_room_owner_chooses_games_and_stops_one_a_member_cannot(
    world: World,
) -> None:
    alice = await world.web("Alice", room="")
    created = await alice.request("create_room", name="Salle de calcul")
    assert created["type"] == "room_created", created
    room = created["room"]["id"]
    await alice.join(room)
    bruno = await world.web("Bruno", room=room)
    # The owner chooses the room's games; a member may not.
    await alice.say(room, "!jeux calcul")
    await bruno.expect(_from_game("Jeux de ce salon : !calcul"), type_="message")
    # Audited under the owner's nickname, as a person (not staff); the room object follows.
    [chosen] = [
        row
        for row in await world.running.node.store.audit_rows()
        if (row["action"], row["target"]) == ("room_games", f"room:{room}")
    ]
    assert (chosen["actor"], chosen["actor_kind"]) == ("Alice", "person")
    assert json.loads(chosen["details"]) == {"games": [[], ["calcul"]], "role": "owner"}
    async with asyncio.timeout(TIMEOUT_S * 3):  # every node watches the store every 2 s
        await bruno.expect(
            lambda f: (f["room"]["id"], f["room"]["games"]) == (room, ["calcul"]),
            type_="room_updated",
        )
    await bruno.say(room, "!jeux aucun")
    await bruno.expect(_from_game("Seuls le propriétaire"), type_="message")
    await bruno.say(room, "!calcul")
    await alice.expect(_from_game("Calcul 1"), type_="message")
    carla = await world.web("Carla", room=room)  # neither its starter nor an operator
    await carla.say(room, "!stop")
    await carla.expect(_from_game("Seuls la personne qui a lancé la partie"), type_="message")
    await alice.say(room, "!stop")  # the owner
    await bruno.expect(_from_game("Calcul arrêté"), type_="message")
    await alice.say(room, "!calcul")  # the room is free again
    await bruno.expect(_from_game("Calcul 1"), type_="message")
    await alice.say(room, "!stop")
    await bruno.expect(_from_game("Calcul arrêté"), type_="message")
    await bruno.say(room, "!calcul")
    await carla.expect(_from_game("Calcul 1"), type_="message")
    await bruno.say(room, "!stop")  # who started it may stop it
    await carla.expect(_from_game("Calcul arrêté"), type_="message")


async def test_scores_survive_a_restart_and_a_game_not_allowed_is_not_started(
    tmp_path: Path,
) -> None:
    running, server, task = await start_server(tmp_path, games=TEST_GAMES, **OPTIONS)
    await running.node.store.set_room_games("general", ["calcul"])  # type: ignore[attr-defined]
    alice = await Client.connect(running)
    await alice.hello("Alice", age=30)
    await alice.join("general")
    await alice.say("general", "!calcul")
    first = await alice.expect(_from_game("Calcul 1"), type_="message")
    await alice.say("general", sum_of(first["text"]))
    await alice.expect(_from_game("Calcul 2"), type_="message")
    await alice.close()
    await stop_server(server, task)

    running, server, task = await start_server(tmp_path, games=TEST_GAMES, **OPTIONS)
    try:
        alice = await Client.connect(running)
        await alice.hello("Alice", age=30)
        await alice.join("musique")
        await alice.say("musique", "!calcul")
        await alice.expect(_from_game("n'est pas proposé ici"), type_="message")
        await alice.join("general")
        await alice.say("general", "!score")
        score = await alice.expect(_from_game("Alice :"), type_="message")
        assert score["text"] == "Alice : 1 pts aujourd'hui, 1 cette semaine, 1 au total."
        await alice.close()
    finally:
        await stop_server(server, task)


async def test_admin_api_sets_a_rooms_games_and_refuses_unknown_ones(world: World) -> None:
    running = world.running
    store = running.node.store
    await store.add_staff(StaffAccount("admin1", StaffRole.ADMIN, hash_password(PASSWORD)), 0)
    async with httpx.AsyncClient(base_url=running.url) as http:
        assert (await http.get("/api/admin/rooms/musique/games")).status_code == 403
        login = await http.post("/api/admin/login", json={"name": "admin1", "password": PASSWORD})
        bearer = {"authorization": f"Bearer {login.json()['token']}"}
        url = "/api/admin/rooms/musique/games"
        available = [{"name": "calcul", "title": "Calcul", "summary": CALCUL.summary}]
        assert (await http.get(url, headers=bearer)).json() == {
            "room": "musique",
            "games": [],
            "available": available,
        }
        refused = await http.put(url, json={"games": ["calcul", "belote"]}, headers=bearer)
        assert (refused.status_code, refused.json()["field"]) == (400, "games")
        assert "belote" in refused.json()["message"] and "calcul" in refused.json()["message"]
        done = await http.put(
            url, json={"games": ["calcul"], "reason": "soirée calcul"}, headers=bearer
        )
        assert done.json() == {"room": "musique", "games": ["calcul"], "available": available}
        missing = await http.get("/api/admin/rooms/nulle-part/games", headers=bearer)
        assert missing.status_code == 404
    [entry] = [row for row in await store.audit_rows() if row["action"] == "room_games"]
    assert (entry["actor"], entry["actor_kind"], entry["target"], entry["reason"]) == (
        "admin1",
        "human",
        "room:musique",
        "soirée calcul",
    )
    assert json.loads(entry["details"]) == {"games": [[], ["calcul"]]}
    alice = await world.web("Alice", room="musique")
    await alice.say("musique", "!calcul")
    await alice.expect(_from_game("Calcul 1"), type_="message")


async def test_room_objects_carry_their_games_and_follow_a_put_at_once(world: World) -> None:
    running = world.running
    await running.node.store.add_staff(
        StaffAccount("admin1", StaffRole.ADMIN, hash_password(PASSWORD)), 0
    )
    alice = await Client.connect(running)
    world.ws.append(alice)
    welcome = await alice.hello("Alice", age=30)
    games_of = {room["id"]: room["games"] for room in welcome["rooms"]}
    assert games_of["jeux"] == ["calcul"] and games_of["musique"] == []

    def musique(frame: dict[str, Any]) -> bool:
        return bool(frame["room"]["id"] == "musique")

    async with httpx.AsyncClient(base_url=running.url) as http:
        login = await http.post("/api/admin/login", json={"name": "admin1", "password": PASSWORD})
        bearer = {"authorization": f"Bearer {login.json()['token']}"}
        url = "/api/admin/rooms/musique/games"
        assert (await http.put(url, json={"games": ["calcul"]}, headers=bearer)).is_success
        updated = await alice.expect(musique, type_="room_updated")
        assert updated["room"]["games"] == ["calcul"]
        listed = await alice.request("rooms")
        assert {room["id"]: room["games"] for room in listed["rooms"]}["musique"] == ["calcul"]
        assert (await http.put(url, json={"games": []}, headers=bearer)).is_success
        cleared = await alice.expect(musique, type_="room_updated")
        assert cleared["room"]["games"] == []


async def test_quiz_played_by_two_web_players_and_one_irc_player_scores_stored(
    tmp_path: Path,
) -> None:
    """The shipped quiz in the seeded games room: each question answered by another of the
    three (the IRC player by PRIVMSG), each winner's points stored and shown by `!top`."""
    from causerie.games.library import PackagedLibrary

    answers = {q.text: q.answers[0] for q in PackagedLibrary().questions()}
    running, server, task = await start_server(tmp_path, **OPTIONS)
    here = World(running, irc_port(server))
    try:
        alice, bruno = await here.web("Alice", room="jeux"), await here.web("Bruno", room="jeux")
        carla = await IrcClient.connect(here.port, "Carla", "30 f 13001")
        here.irc.append(carla)
        carla.send("JOIN #jeux")
        await carla.expect("endofnames")
        await alice.say("jeux", "!quiz 3")
        for number, winner in enumerate(("Alice", "Carla", "Bruno"), start=1):
            question = await _open_question(bruno, number)
            answer = answers[question["game"]["view"]["question"]]
            if winner == "Carla":
                await carla.expect_text("pubmsg", question["text"][:30])  # IRC reads it too
                carla.send(f"PRIVMSG #jeux :{answer}")
            else:
                await (alice if winner == "Alice" else bruno).say("jeux", answer)
            verdict = await alice.expect(_from_game(f"Bravo {winner} "), type_="message")
            assert "point" in verdict["text"]
        await bruno.say("jeux", "!top")
        top = await alice.expect(_from_game("Classement"), type_="message")
        assert all(nick in top["text"] for nick in ("Alice", "Bruno", "Carla"))
        scores = await alice.request("scores", room="jeux", period="jour")
        rows = {row["nick"]: row["points"] for row in scores["rows"]}
        assert set(rows) == {"Alice", "Bruno", "Carla"} and min(rows.values()) > 0
    finally:
        for irc in here.irc:
            irc.close()
        for ws in here.ws:
            await ws.close()
        await stop_server(server, task)
