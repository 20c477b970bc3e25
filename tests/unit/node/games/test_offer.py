"""Which games a room offers (node/games/offer.py): the games fit for a room's audience, and a
member room's owner or operators choosing them, each change audited under their nickname as a
person (never staff)."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterable
from typing import Any

from causerie.core.rooms import Audience, Room, RoomAccess, RoomKind
from causerie.games.interface import GameKind
from causerie.node.games.offer import Offer, fit_games
from causerie.safety.audit import ActorKind, AuditAction
from tests.support.games import CALCUL

ADULTS_ONLY = dataclasses.replace(CALCUL, name="belote", title="Belote", for_teens=False)
DUEL = dataclasses.replace(CALCUL, name="morpion", title="Morpion", kind=GameKind.DUEL)
CATALOGUE = (CALCUL, ADULTS_ONLY, DUEL)
NOW_MS = 1_700_000_000_000


class FakeStore:
    def __init__(self) -> None:
        self.games: dict[str, tuple[str, ...]] = {}
        self.audit: list[dict[str, Any]] = []

    async def room_games(self, room_id: str) -> tuple[str, ...]:
        return self.games.get(room_id, ())

    async def set_room_games(self, room_id: str, games: Iterable[str]) -> None:
        self.games[room_id] = tuple(sorted(set(games)))

    async def append_audit(self, **fields: Any) -> Any:
        self.audit.append(fields)


def _room(audience: Audience = Audience.ADULT, owner: str | None = "Alice") -> Room:
    access = RoomAccess(operators=frozenset({"bruno"}))
    kind = RoomKind.TEEN if audience is Audience.TEEN else RoomKind.THEMATIC
    return Room("salle", "Salle", kind, audience, 1000, owner=owner, access=access)


def _choose(store: FakeStore, room: Room, nick: str, *names: str) -> str:
    offer = Offer(CATALOGUE, store, now_ms=lambda: NOW_MS)
    return asyncio.run(offer.choose(room, nick, names))


def test_fit_games_room_games_only_and_teen_rooms_only_games_for_teens() -> None:
    assert fit_games(CATALOGUE, _room()) == [CALCUL, ADULTS_ONLY]
    assert fit_games(CATALOGUE, _room(Audience.TEEN)) == [CALCUL]


def test_choose_by_owner_stores_and_audits_as_the_owner_a_person() -> None:
    store = FakeStore()
    answer = _choose(store, _room(), "Alice", "calcul", "belote")
    assert answer.startswith("Jeux de ce salon : !calcul")
    assert store.games["salle"] == ("belote", "calcul")
    assert store.audit == [
        {
            "at_ms": NOW_MS,
            "actor": "Alice",
            "actor_kind": ActorKind.PERSON,
            "action": AuditAction.ROOM_GAMES,
            "target": "room:salle",
            "reason": "!jeux",
            "details": {"games": [[], ["belote", "calcul"]], "role": "owner"},
        }
    ]


def test_choose_by_operator_none_clears_and_names_the_operator_role() -> None:
    store = FakeStore()
    store.games["salle"] = ("calcul",)
    _choose(store, _room(), "Bruno", "aucun")
    assert store.games["salle"] == ()
    [entry] = store.audit
    assert (entry["actor"], entry["details"]) == (
        "Bruno",
        {"games": [["calcul"], []], "role": "operator"},
    )


def test_choose_refused_or_unchanged_writes_nothing_to_the_audit_log() -> None:
    store = FakeStore()
    store.games["salle"] = ("calcul",)
    assert _choose(store, _room(), "Carla", "aucun").startswith("Seuls le propriétaire")
    assert _choose(store, _room(owner=None), "Alice", "calcul").startswith("Seuls")  # official
    teen = _choose(store, _room(Audience.TEEN), "Alice", "belote")
    assert teen == "Jeu non proposé : belote. Possibles : calcul."
    _choose(store, _room(), "Alice", "calcul")  # what it already allows
    assert store.games["salle"] == ("calcul",) and store.audit == []
