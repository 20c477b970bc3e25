"""Which games a room offers (docs/games.md, "Which games run where"): the catalogue the node
was given, filtered by the room's setting (`room_games`) and its audience; a member room's
owner or operators choosing its games (`!jeux quiz pendu`, audited under their nickname); and
the games the rooms of a new installation allow.

The operator's own changes (CLI, `/admin`) go through `RoomEditor.set_games`
(node/room_admin.py) with the games `fit_games` names.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Iterable, Sequence
from typing import Any, Protocol

from causerie.core.policy.member_rooms import RoomRole, role_of
from causerie.core.rooms import Audience, Room
from causerie.games.interface import GameKind, GameSpec
from causerie.node.ports import Clock
from causerie.safety.audit import ActorKind, AuditAction, AuditEntry


class RoomGames(Protocol):
    async def room_games(self, room_id: str) -> tuple[str, ...]: ...

    async def set_room_games(self, room_id: str, games: Iterable[str]) -> None: ...

    async def append_audit(self, **fields: Any) -> AuditEntry: ...


def fit_games(catalogue: Sequence[GameSpec], room: Room) -> list[GameSpec]:
    """The room games this room may allow: every one, but in a teen room only those whose
    spec says `for_teens`."""
    is_teen = room.audience is Audience.TEEN
    return [
        spec for spec in catalogue if spec.kind is GameKind.ROOM and (spec.for_teens or not is_teen)
    ]


NONE_WORDS = frozenset({"aucun", "none", "rien"})
WALL_CLOCK = Clock()  # the audit log's, unless a test gives another


class Offer:
    def __init__(
        self,
        catalogue: Sequence[GameSpec],
        store: RoomGames,
        member_room_games: Collection[str] | None = None,
        now_ms: Callable[[], int] = WALL_CLOCK.now_ms,
        rooms_changed: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        """`member_room_games`: the games owners may choose for their rooms (None: every
        room game). `now_ms`: the audit log's clock. `rooms_changed`: tells every node to read
        the rooms again (so the room objects people see list the new games at once)."""
        self._catalogue = tuple(catalogue)
        self._store = store
        self._for_member_rooms = member_room_games
        self._now_ms = now_ms
        self._rooms_changed = rooms_changed

    def find(self, word: str) -> GameSpec | None:
        """The game `!word` names (its name or an alias), room game or duel."""
        for spec in self._catalogue:
            if word == spec.name or word in spec.aliases:
                return spec
        return None

    def fit(self, room: Room) -> list[GameSpec]:
        """The room games this room may allow (`fit_games` of this node's catalogue)."""
        return fit_games(self._catalogue, room)

    async def allowed(self, room: Room) -> list[GameSpec]:
        """The room games this room allows, as its setting names them."""
        names = set(await self._store.room_games(room.id))
        return [spec for spec in fit_games(self._catalogue, room) if spec.name in names]

    async def listing(self, room: Room) -> str:
        """`!jeux`'s answer."""
        specs = await self.allowed(room)
        if not specs:
            return "Aucun jeu dans ce salon."
        return "Jeux de ce salon : " + " · ".join(f"!{s.name} : {s.summary}" for s in specs)

    async def choose(self, room: Room, nick: str, names: Sequence[str]) -> str:
        """A member room's owner or operators choose its games among those the operator
        allows member rooms; the answer to say in the room. A change is written to the audit
        log under `nick` (actor kind `person`, its `role` in the details: never staff); every
        node follows it from the store (`rooms_fingerprint`) and tells its people the room's
        new `games` (`room_updated`)."""
        role = role_of(room, nick)
        if not room.is_member_room or role is RoomRole.MEMBER:
            return "Seuls le propriétaire et les opérateurs de ce salon choisissent ses jeux."
        wanted = [] if set(names) & NONE_WORDS else list(dict.fromkeys(names))
        allowed = {
            spec.name
            for spec in fit_games(self._catalogue, room)
            if self._for_member_rooms is None or spec.name in self._for_member_rooms
        }
        refused = [name for name in wanted if name not in allowed]
        if refused:
            return (
                f"Jeu non proposé : {', '.join(refused)}. Possibles : {', '.join(sorted(allowed))}."
            )
        before = await self._store.room_games(room.id)
        await self._store.set_room_games(room.id, wanted)
        after = await self._store.room_games(room.id)
        if after != before:
            await self._store.append_audit(
                at_ms=self._now_ms(),
                actor=nick,
                actor_kind=ActorKind.PERSON,
                action=AuditAction.ROOM_GAMES,
                target=f"room:{room.id}",
                reason="!jeux",
                details={"games": [list(before), list(after)], "role": role.value},
            )
            if self._rooms_changed is not None:
                await self._rooms_changed()
        return await self.listing(room)


def seeded_games(catalogue: Sequence[GameSpec]) -> dict[str, list[str]]:
    """The games rooms made on a new installation allow: every room game in `jeux`, every
    room game fit for teens in `ados-jeux`."""
    games = [spec for spec in catalogue if spec.kind is GameKind.ROOM]
    return {
        "jeux": [spec.name for spec in games],
        "ados-jeux": [spec.name for spec in games if spec.for_teens],
    }
