"""A room's game across two real `causerie serve` processes sharing PostgreSQL and Redis: one
node runs it (the lease); killed with SIGKILL, the other takes it over within the lease by
replaying its log, asks nothing again, and the winner's points are stored. A moderator logged
in on the other node stops it; one limited to other rooms may not."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from typing import Any

import pytest
import websockets

from causerie.core.messages import NODE_BITS, SEQ_BITS
from tests.integration import test_multinode
from tests.integration.test_multinode import Cluster
from tests.support.chat import TIMEOUT_S, Client
from tests.support.process import REPO_ROOT

pytestmark = pytest.mark.integration
cluster = test_multinode.cluster  # two nodes on PostgreSQL and Redis (the same fixture)
OPENING = "J'ai choisi un nombre"
TAKEOVER_S = 10 + 2 + 6 * TIMEOUT_S  # the lease, a sweep, and room for a loaded machine


def node_number(message_id: int) -> int:
    return (message_id >> SEQ_BITS) & ((1 << NODE_BITS) - 1)


def from_game(text: str) -> Any:
    return lambda f: f["from"]["nick"] == "Jeux" and text in f["text"]


async def answer_to(client: Client, guess: int, wait_s: float) -> dict[str, Any] | None:
    """The game's answer to a guess, or None if nobody answered within `wait_s` (nobody runs
    the game yet). A guess the flood limits refuse is sent again once they allow it: a new
    identity may say about one line every two seconds."""
    while True:
        sent = await client.request_outcome("say", room="jeux", text=str(guess))
        if sent["type"] != "error":
            break
        assert sent["code"] == "rate_limited" and sent.get("key") != "repeated_message", sent
        await asyncio.sleep(float(sent.get("retry_after", 1)))
    try:
        async with asyncio.timeout(wait_s):
            return await client.expect(
                lambda f: (
                    f["from"]["nick"] == "Jeux"
                    and (f["text"].startswith(f"{guess} ?") or f"c'était {guess} !" in f["text"])
                ),
                type_="message",
            )
    except TimeoutError:
        return None


def narrowed(said: dict[str, Any], guess: int, low: int, high: int) -> tuple[int, int]:
    return (guess + 1, high) if "plus grand" in said["text"] else (low, guess - 1)


async def test_game_node_killed_another_takes_it_over_without_asking_again(
    cluster: Cluster,
) -> None:
    alice = await cluster.client(0, "Alice")
    bruno = await cluster.client(1, "Bruno", gender="man")
    numbers = []
    for client in (alice, bruno):
        await client.join("jeux")
        _message, ack = await client.say("jeux", "salut")
        numbers.append(node_number(ack["message_id"]))
    await alice.say("jeux", "!devine")
    opening = await bruno.expect(from_game(OPENING), type_="message")
    await alice.expect(from_game(OPENING), type_="message")
    holder = numbers.index(node_number(opening["id"]))
    survivor = [alice, bruno][1 - holder]

    guess = 50
    said = await answer_to(survivor, guess, TIMEOUT_S)
    assert said is not None
    low, high = narrowed(said, guess, 1, 100)

    cluster.nodes[holder].kill()  # kill -9: no lease released, nothing said on the way out
    # Until the survivor takes the game over, guesses go unanswered: each one a number not
    # sent before (the room refuses a line repeated), a new one every two seconds.
    loop = asyncio.get_running_loop()
    deadline = loop.time() + TAKEOVER_S
    tried: set[int] = {guess}
    said = None
    while said is None:
        if loop.time() >= deadline:
            raise AssertionError(f"nobody took the game over\n{survivor_log(cluster, holder)}")
        middle = (low + high) // 2
        order = [*range(middle, high + 1), *range(low, middle)]
        guess = next(n for n in order if n not in tried)
        tried.add(guess)
        said = await answer_to(survivor, guess, 2.0)
    # Then the game answers every guess: a binary search over what is left ends it.
    for _ in range(8):
        if "Bravo" in said["text"]:
            break
        low, high = narrowed(said, guess, low, high)
        guess = (low + high) // 2
        said = await answer_to(survivor, guess, TIMEOUT_S)
        assert said is not None, f"{guess} unanswered\n{survivor_log(cluster, holder)}"
    won = said
    winner = "Alice" if survivor is alice else "Bruno"
    assert re.search(rf"Bravo {winner} : c'était {guess} ! \+\d+ points", won["text"])

    history = await survivor.request("history", room="jeux", limit=100)
    openings = [m for m in history["messages"] if OPENING in m["text"]]
    assert len(openings) == 1  # the question was not asked again
    scores = await survivor.request("scores", room="jeux", period="tout")
    assert [row["nick"] for row in scores["rows"]] == [winner]
    assert scores["rows"][0]["points"] > 0


def survivor_log(cluster: Cluster, holder: int) -> str:
    out = cluster.nodes[1 - holder]._output
    lines = []
    while out is not None and not out.lines.empty():
        lines.append(str(out.lines.get()))
    return "the survivor said:\n" + "".join(lines[-60:])


async def moderator(cluster: Cluster, node: int, name: str, *rooms: str) -> Client:
    """A moderator added with the operator's CLI, logged in on `node`."""
    scope = ["--rooms", ",".join(rooms)] if rooms else []
    added = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "causerie", "--data-dir", str(cluster.nodes[0].data_dir),
         "staff", "add", name, "--password-stdin", *scope],
        input="un-mot-de-passe-long\n",
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **cluster.env, "PYTHONPATH": str(REPO_ROOT / "src")},
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    client = Client(await websockets.connect(cluster.nodes[node].ws_url))
    cluster.clients.append(client)
    login = await client.request("login", name=name, password="un-mot-de-passe-long")
    assert login["type"] == "staff", login
    await client.expect_type("queue")
    return client


async def test_moderator_on_the_other_node_stops_the_game_one_of_other_rooms_may_not(
    cluster: Cluster,
) -> None:
    alice = await cluster.client(0, "Alice")
    await alice.join("jeux")
    _message, ack = await alice.say("jeux", "salut")
    await alice.say("jeux", "!devine")
    opening = await alice.expect(from_game(OPENING), type_="message")
    runs_on_0 = node_number(opening["id"]) == node_number(ack["message_id"])
    other = 1 if runs_on_0 else 0
    elsewhere = await moderator(cluster, other, "Modo_Ailleurs", "general")
    refused = await elsewhere.request(
        "mod", action="stop_game", room="jeux", reason="Partie trop bruyante."
    )
    assert refused["type"] == "error" and refused["code"] == "forbidden", refused

    staff = await moderator(cluster, other, "Modo_Jeux")
    done = await staff.request("mod", action="stop_game", room="jeux", reason="Trop bruyant.")
    assert done["type"] == "mod_done", done
    stopped = await alice.expect(from_game("Partie arrêtée"), type_="message")
    assert "C'était" in stopped["text"]
    again = await staff.request("mod", action="stop_game", room="jeux", reason="Encore ?")
    assert again["type"] == "error" and again["code"] == "not_found", again
    assert again["message"] == "Aucun jeu ne tourne dans ce salon."
