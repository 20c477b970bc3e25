"""Which games a room offers (docs/games.md, "Which games run where"): the catalogue the node
was given, filtered by the room's setting (`room_games`) and its audience; and the games the
rooms of a new installation allow."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Protocol

from causerie.core.policy.member_rooms import RoomRole, role_of
from causerie.core.rooms import Audience, Room
from causerie.errors import CauserieError, ErrorCode
from causerie.games.interface import GameKind, GameSpec


class RoomGames(Protocol):
    async def room_games(self, room_id: str) -> tuple[str, ...]: ...

    async def set_room_games(self, room_id: str, games: Iterable[str]) -> None: ...


NONE_WORDS = frozenset({"aucun", "none", "rien"})


class Offer:
    def __init__(
        self,
        catalogue: Sequence[GameSpec],
        store: RoomGames,
        member_room_games: Collection[str] | None = None,
    ) -> None:
        """`member_room_games`: the games owners may choose for their rooms (None: every
        room game)."""
        self._catalogue = tuple(catalogue)
        self._store = store
        self._for_member_rooms = member_room_games

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

    async def choose(self, room: Room, nick: str, names: Sequence[str]) -> str:
        """A member room's owner or operators choose its games among those the operator
        allows member rooms; the answer to say in the room."""
        if not room.is_member_room or role_of(room, nick) is RoomRole.MEMBER:
            return "Seuls le propriétaire et les opérateurs de ce salon choisissent ses jeux."
        wanted = [] if set(names) & NONE_WORDS else list(dict.fromkeys(names))
        is_teen = room.audience is Audience.TEEN
        allowed = {
            spec.name
            for spec in self._catalogue
            if spec.kind is GameKind.ROOM
            and (spec.for_teens or not is_teen)
            and (self._for_member_rooms is None or spec.name in self._for_member_rooms)
        }
        refused = [name for name in wanted if name not in allowed]
        if refused:
            return (
                f"Jeu non proposé : {', '.join(refused)}. Possibles : {', '.join(sorted(allowed))}."
            )
        await self._store.set_room_games(room.id, wanted)
        return await self.listing(room)

    async def set_by_operator(self, room: Room, names: Sequence[str]) -> tuple[str, ...]:
        """The operator sets a room's games (`/admin`); returns them as stored.

        Raises:
            CauserieError: `invalid` (`games`) for a name that is not a room game fit here.
        """
        is_teen = room.audience is Audience.TEEN
        fit = {
            spec.name
            for spec in self._catalogue
            if spec.kind is GameKind.ROOM and (spec.for_teens or not is_teen)
        }
        if any(name not in fit for name in names):
            raise CauserieError(ErrorCode.INVALID, "invalid", field="games")
        await self._store.set_room_games(room.id, names)
        return await self._store.room_games(room.id)


def seeded_games(catalogue: Sequence[GameSpec]) -> dict[str, list[str]]:
    """The games rooms made on a new installation allow: every room game in `jeux`, every
    room game fit for teens in `ados-jeux`."""
    games = [spec for spec in catalogue if spec.kind is GameKind.ROOM]
    return {
        "jeux": [spec.name for spec in games],
        "ados-jeux": [spec.name for spec in games if spec.for_teens],
    }
