"""`GameVoice`: how a game speaks. Its room lines are messages from `Jeux` (a nickname nobody
may take) by the path of a person's: the room's history, fan-out on every node, stored by the
group commit under the messages' retention, reportable. Its whispers are information notices
to one player, on whichever node hosts them."""

from __future__ import annotations

from causerie.core.events import MessagePosted, NoticeKind, NoticeText
from causerie.core.messages import GameLine
from causerie.core.users import Gender, PublicUser
from causerie.node.games.ports import FindPerson, GameHub, RoomPublisher, Submit
from causerie.node.ports import Clock
from causerie.store.base import Origin

VOICE = PublicUser("Jeux", Gender.UNSPECIFIED, 0, "", "")
GAME_ORIGIN = Origin("0.0.0.0", 0)  # a game's message came from no address


class GameVoice:
    """Args:
    hub: rooms, and the history a game's message joins.
    publisher: where a game's messages and whispers go.
    store_message: the group commit's `submit`.
    find_person: a nickname's session and profile on any node (whispers).
    clock: the time a message carries.
    """

    def __init__(
        self,
        hub: GameHub,
        publisher: RoomPublisher,
        store_message: Submit,
        find_person: FindPerson,
        clock: Clock,
    ) -> None:
        self._hub = hub
        self._publisher = publisher
        self._store_message = store_message
        self._find_person = find_person
        self._clock = clock

    async def say(self, room_id: str, text: str, game: GameLine | None = None) -> None:
        """A line to the room, as a message from `Jeux`."""
        now_ms = self._clock.now_ms()
        message = self._hub.post_as(room_id, VOICE, text, now_ms, game or GameLine(""))
        await self._publisher.to_room(room_id, MessagePosted(message))
        self._store_message([(message, GAME_ORIGIN)])

    async def whisper(
        self, nick: str, text: str, game: GameLine | None = None, about: str | None = None
    ) -> None:
        """A notice to one person; a game's carries its name and view, and in a duel `about`
        names the other player."""
        found = await self._find_person(nick)
        if found is not None:
            notice = NoticeText(NoticeKind.INFO, text, "game", about, game or GameLine(""))
            await self._publisher.to_session(found[0], notice)
