"""Which games a room offers (docs/games.md, "Which games run where"): the catalogue the node
was given, filtered by the room's setting (`room_games`) and its audience; and the games the
rooms of a new installation allow."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from causerie.core.rooms import Audience, Room
from causerie.games.interface import GameKind, GameSpec


class RoomGames(Protocol):
    async def room_games(self, room_id: str) -> tuple[str, ...]: ...


class Offer:
    def __init__(self, catalogue: Sequence[GameSpec], store: RoomGames) -> None:
        self._catalogue = tuple(catalogue)
        self._store = store

    def find(self, word: str) -> GameSpec | None:
        """The game `!word` names (its name or an alias), room game or duel."""
        for spec in self._catalogue:
            if word == spec.name or word in spec.aliases:
                return spec
        return None

    async def allowed(self, room: Room) -> list[GameSpec]:
        """The room games this room allows, as its setting names them."""
        names = set(await self._store.room_games(room.id))
        is_teen = room.audience is Audience.TEEN
        return [
            spec
            for spec in self._catalogue
            if spec.name in names and spec.kind is GameKind.ROOM and (spec.for_teens or not is_teen)
        ]

    async def listing(self, room: Room) -> str:
        """`!jeux`'s answer."""
        specs = await self.allowed(room)
        if not specs:
            return "Aucun jeu dans ce salon."
        return "Jeux de ce salon : " + " · ".join(f"!{s.name} : {s.summary}" for s in specs)


def seeded_games(catalogue: Sequence[GameSpec]) -> dict[str, list[str]]:
    """The games rooms made on a new installation allow: every room game in `jeux`, every
    room game fit for teens in `ados-jeux`."""
    games = [spec for spec in catalogue if spec.kind is GameKind.ROOM]
    return {
        "jeux": [spec.name for spec in games],
        "ados-jeux": [spec.name for spec in games if spec.for_teens],
    }
