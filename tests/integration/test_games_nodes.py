"""A room's game across two real `causerie serve` processes sharing PostgreSQL and Redis: one
node runs it (the lease); killed with SIGKILL, the other takes it over within the lease by
replaying its log, asks nothing again, and the winner's points are stored."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest

from causerie.core.messages import NODE_BITS, SEQ_BITS
from tests.integration import test_multinode
from tests.integration.test_multinode import Cluster
from tests.support.chat import TIMEOUT_S, Client

pytestmark = pytest.mark.integration
cluster = test_multinode.cluster  # two nodes on PostgreSQL and Redis (the same fixture)
OPENING = "J'ai choisi un nombre"
TAKEOVER_S = 10 + 2 + 6 * TIMEOUT_S  # the lease, a sweep, and room for a loaded machine


def node_number(message_id: int) -> int:
    return (message_id >> SEQ_BITS) & ((1 << NODE_BITS) - 1)


def from_game(text: str) -> Any:
    return lambda f: f["from"]["nick"] == "Jeux" and text in f["text"]


async def answer_to(client: Client, guess: int, wait_s: float) -> dict[str, Any] | None:
    """The game's answer to a guess, or None if nobody runs the game yet (or the room's
    flood limit asked to wait)."""
    sent = await client.request_outcome("say", room="jeux", text=str(guess))
    if sent["type"] == "error":
        assert sent["code"] == "rate_limited", sent
        await asyncio.sleep(float(sent.get("retry_after", 1)))
        return None
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


@pytest.mark.xfail(
    strict=False,
    reason="known flaky (about 1 run in 3): after the takeover the surviving node's answers to "
    "later guesses sometimes never reach the client; under investigation (docs/games.md)",
)
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

    low, high = 1, 100
    guess = 50
    said = await answer_to(survivor, guess, TIMEOUT_S)
    assert said is not None
    low, high = (guess + 1, high) if "plus grand" in said["text"] else (low, guess - 1)

    cluster.nodes[holder].kill()  # kill -9: no lease released, nothing said on the way out
    won = None
    loop = asyncio.get_running_loop()
    deadline = loop.time() + TAKEOVER_S
    unanswered = 0
    while won is None:
        if loop.time() >= deadline:
            survivor_node = cluster.nodes[1 - holder]
            out = survivor_node._output
            lines = []
            while out is not None and not out.lines.empty():
                lines.append(str(out.lines.get()))
            tail = "".join(lines[-60:])
            raise AssertionError(f"nobody took the game over; the survivor said:\n{tail}")
        # Each try a number not tried since the last answer (the room refuses repeats).
        guess = low + ((high - low) // 2 + unanswered) % (high - low + 1)
        said = await answer_to(survivor, guess, 2.0)
        if said is None:  # nobody runs it yet: try again
            unanswered += 1
            continue
        unanswered = 0
        if "Bravo" in said["text"]:
            won = said
        elif "plus grand" in said["text"]:
            low = guess + 1
        else:
            high = guess - 1
    winner = "Alice" if survivor is alice else "Bruno"
    assert re.search(rf"Bravo {winner} : c'était {guess} ! \+\d+ points", won["text"])

    history = await survivor.request("history", room="jeux", limit=100)
    openings = [m for m in history["messages"] if OPENING in m["text"]]
    assert len(openings) == 1  # the question was not asked again
    scores = await survivor.request("scores", room="jeux", period="tout")
    assert [row["nick"] for row in scores["rows"]] == [winner]
    assert scores["rows"][0]["points"] > 0
