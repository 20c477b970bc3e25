"""The runner takes a room's messages in arrival order (node/games/runner.py): the lines for the
game that arrive together are appended to its log in one write, handed to it in order, and a
command among them waits for the lines before it."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterable, Sequence
from typing import Any

from causerie.core.events import Event, MessagePosted
from causerie.core.messages import GameLine, Message
from causerie.core.rooms import DEFAULT_ROOMS, Room
from causerie.core.users import Gender, PublicUser
from causerie.node.games.leases import MemoryLeases
from causerie.node.games.runner import GameRunner
from causerie.node.ports import Clock
from causerie.store.games import EventTaken, StoredAward, StoredRun
from causerie.wire.events import encode_event
from tests.support.games import CALCUL, sum_of
from tests.unit.games.replay import SmallLibrary

NOW_S = 1_700_000_000.0
ROOM = next(room for room in DEFAULT_ROOMS if room.id == "general")


class MemoryStore:
    """The games' store in memory, counting the writes of the log."""

    def __init__(self) -> None:
        self.runs: dict[str, StoredRun] = {}
        self.ended: set[str] = set()
        self.events: dict[str, list[str]] = {}
        self.writes: list[int] = []  # events per append_events call
        self.awards: dict[tuple[str, int, int], StoredAward] = {}

    async def room_games(self, room_id: str) -> tuple[str, ...]:
        return ("calcul",)

    async def set_room_games(self, room_id: str, games: Iterable[str]) -> None:
        raise AssertionError("not asked here")

    async def append_audit(self, **fields: Any) -> Any:
        raise AssertionError("not asked here")

    async def start_run(self, run: StoredRun) -> None:
        self.runs[run.id] = run

    async def end_run(self, run_id: str, now_ms: int) -> None:
        self.ended.add(run_id)

    async def open_runs(self) -> list[StoredRun]:
        return [run for run in self.runs.values() if run.id not in self.ended]

    async def run_events(self, run_id: str) -> list[str]:
        return list(self.events.get(run_id, []))

    async def append_events(self, run_id: str, seq: int, events: Sequence[str]) -> None:
        log = self.events.setdefault(run_id, [])
        if len(log) != seq:
            raise EventTaken(f"{run_id}#{seq}")
        log.extend(events)
        self.writes.append(len(events))

    async def award(self, awards: Sequence[StoredAward]) -> None:
        for award in awards:
            self.awards[(award.run_id, award.seq, award.idx)] = award

    async def top_scores(self, place: str, since_ms: int, limit: int) -> list[tuple[str, int]]:
        return []

    async def score_of(self, place: str, nick_key: str, since_ms: int) -> int:
        return 0


class Room1:
    """The hub, the publisher and what else the runner is given: what the game says is kept."""

    def __init__(self) -> None:
        self.said: list[str] = []
        self.ids = iter(range(1_000, 10_000))

    def room(self, room_id: str) -> Room | None:
        return ROOM if room_id == ROOM.id else None

    def rooms_of(self, session_id: str) -> set[str]:
        return {ROOM.id}

    def post_as(
        self, room_id: str, sender: PublicUser, text: str, now_ms: int, game: GameLine
    ) -> Message:
        self.said.append(text)
        return Message(next(self.ids), room_id, sender, text, now_ms, game=game)

    async def to_room(self, room: str, event: Event) -> None:
        pass

    async def to_session(self, session: str, event: Event) -> None:
        pass

    async def stop_game(self, room: str, nick: str) -> None:
        raise AssertionError("not asked here")

    async def rooms_changed(self) -> None:
        pass

    def send(self, *_args: Any) -> None:
        pass


def frame(nick: str, text: str, message_id: int) -> str:
    sender = PublicUser(nick, Gender.WOMAN, 30, "75", "Île-de-France")
    return encode_event(MessagePosted(Message(message_id, ROOM.id, sender, text, 1)))


async def scenario() -> tuple[MemoryStore, Room1]:
    store, room = MemoryStore(), Room1()
    tasks: list[asyncio.Task[None]] = []

    def spawn(work: Coroutine[Any, Any, None]) -> None:
        tasks.append(asyncio.ensure_future(work))

    async def settle() -> None:
        while tasks:
            await tasks.pop(0)

    async def find_person(nick: str) -> tuple[str, PublicUser] | None:
        return None

    clock = Clock(lambda: NOW_S)
    runner = GameRunner(
        catalogue=(CALCUL,),
        library=SmallLibrary(),
        store=store,
        hub=room,
        publisher=room,
        store_message=lambda _records: None,
        find_person=find_person,
        orders=room,
        leases=MemoryLeases(clock.now_ms),
        replies=room,
        clock=clock,
        spawn=spawn,
    )
    runner.on_room_frame(ROOM.id, frame("Alice", "!calcul", 1))
    await settle()
    question = room.said[-1]
    # Forty wrong answers, the right one, then a command and two lines after it: all arrive
    # before the runner takes any (as a flood does, within one turn of the loop).
    for index in range(40):
        runner.on_room_frame(ROOM.id, frame(f"J{index}", "0", 10 + index))
    runner.on_room_frame(ROOM.id, frame("Bruno", sum_of(question), 60))
    runner.on_room_frame(ROOM.id, frame("Alice", "!score", 61))
    runner.on_room_frame(ROOM.id, frame("Carla", "bonjour", 62))
    runner.on_room_frame(ROOM.id, frame("Carla", "!stop", 63))  # neither starter nor operator
    await settle()
    runner.close()
    return store, room


def test_a_flood_of_answers_is_one_write_and_handed_in_arrival_order() -> None:
    store, room = asyncio.run(scenario())
    # Began; the 41 lines before `!score` in one write; the line after it (`!stop` by someone
    # who may not stop it is no event).
    assert store.writes == [1, 41, 1]
    [run_id] = store.runs
    [award] = store.awards.values()
    assert (award.nick, award.seq) == ("Bruno", 41)  # the 41st line of the log, after Began
    assert any(text.startswith("Calcul 2") for text in room.said)
    # `!stop` by Carla refused with the game still running.
    assert run_id not in store.ended
    assert room.said[-1].startswith("Seuls la personne qui a lancé la partie")
