"""A duel's invitation keeps its conversation's lease while it waits (node/games/duels.py):
renewed by the runner's sweep, so no other node takes an invitation there meanwhile; one whose
lease was lost is forgotten."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Coroutine
from typing import Any

from causerie.core.events import DmSent
from causerie.core.messages import DirectMessage
from causerie.core.users import Gender, PublicUser
from causerie.games.interface import GameEvent, GameKind, GameSpec
from causerie.node.games.duels import Duels, duel_place
from causerie.node.games.leases import MemoryLeases
from causerie.node.ports import Clock
from causerie.wire.events import encode_event
from tests.support.games import CALCUL

MORPION = dataclasses.replace(CALCUL, name="morpion", kind=GameKind.DUEL)
TTL_MS = 10_000


class Tables:
    """The runner as duels see it: no game runs; what is whispered is kept."""

    def __init__(self) -> None:
        self.whispers: list[tuple[str, str]] = []

    def find(self, word: str) -> GameSpec | None:
        return MORPION if word == "morpion" else None

    def runs(self, place: str) -> bool:
        return False

    def has_duels(self) -> bool:
        return False

    async def start_run(self, *_args: Any) -> None:
        raise AssertionError("not asked here")

    async def feed(self, place: str, event: GameEvent) -> bool:
        return False

    async def whisper(self, nick: str, text: str) -> None:
        self.whispers.append((nick, text))

    async def serially(self, work: Awaitable[None]) -> None:
        await work


def invitation_frame() -> str:
    alice = PublicUser("Alice", Gender.WOMAN, 30, "75", "Île-de-France")
    bruno = PublicUser("Bruno", Gender.MAN, 31, "69", "Auvergne-Rhône-Alpes")
    return encode_event(DmSent(DirectMessage(7, alice, bruno, "!morpion", 1)))


def test_an_invitation_keeps_its_lease_while_it_waits_and_is_dropped_once_lost() -> None:
    now = [1_000_000]
    leases = MemoryLeases(lambda: now[0])
    clock = Clock(lambda: now[0] / 1000)
    place = duel_place("Alice", "Bruno")

    async def scenario() -> list[bool]:
        tasks: list[asyncio.Task[None]] = []

        def spawn(work: Coroutine[Any, Any, None]) -> None:
            tasks.append(asyncio.ensure_future(work))

        tables = Tables()
        duels = Duels(tables, leases, "node-a", TTL_MS, clock, spawn)
        duels.on_dm_frame(invitation_frame())
        await asyncio.gather(*tasks)
        assert tables.whispers and "Invitation" in tables.whispers[0][1]
        steps = []
        for _ in range(3):  # thirty seconds of sweeps: still this node's
            now[0] += 9_000
            await duels.renew()
            steps.append(await leases.acquire("game:" + place, "node-b", TTL_MS))
        now[0] += TTL_MS + 1  # this node missed its sweeps: another took the conversation
        steps.append(await leases.acquire("game:" + place, "node-b", TTL_MS))
        await duels.renew()
        steps.append(bool(duels._invitations))
        return steps

    assert asyncio.run(scenario()) == [False, False, False, True, False]
