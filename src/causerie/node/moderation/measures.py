"""`Measures`: what moderators change for everyone, on every node — a message taken down (the
store keeps it for its report; a picture it carries is no longer served and its bytes are
refused from then on), a room locked or slowed down (stored, so that it outlives a restart).
Each node applies the published event to its own state (node/fanout.py).
"""

from __future__ import annotations

from causerie.core.events import MessageDeleted, RoomStateChanged
from causerie.core.hub import Hub
from causerie.core.messages import Message
from causerie.core.restrictions import clamped_slow_mode_s
from causerie.errors import CauserieError, ErrorCode
from causerie.node.pictures import Pictures
from causerie.node.ports import Clock
from causerie.node.publisher import Publisher
from causerie.store.base import Store


class Measures:
    def __init__(
        self, hub: Hub, store: Store, pictures: Pictures, publisher: Publisher, clock: Clock
    ) -> None:
        self._hub = hub
        self._store = store
        self._pictures = pictures
        self._publisher = publisher
        self._clock = clock

    async def delete_message(
        self, message_id: int, actor: str = "moderator", reason: str = ""
    ) -> None:
        """Gone for users on every node (the store keeps it for its report); a picture it
        carries is no longer served and its exact bytes are refused from then on."""
        message = self._hub.find_recent(message_id)
        room = message.room if message else None
        if room is None:
            stored = await self._store.find_message(message_id)
            room = stored.room if isinstance(stored, Message) else None
        await self._store.mark_deleted(message_id, self._clock.now_ms())
        media_id = await self._store.media_of_message(message_id)
        if media_id is not None:
            await self._pictures.remove(media_id, actor, reason)
        if room is not None:
            await self._publisher.to_room(room, MessageDeleted(room, message_id))

    async def restrict_room(
        self, room: str, *, locked: bool | None = None, slow_mode_s: float | None = None
    ) -> None:
        """Lock or unlock a room, or set its slow mode (None: unchanged).

        Raises:
            CauserieError: `not_found` for no such room.
        """
        if self._hub.room(room) is None:
            raise CauserieError(ErrorCode.NOT_FOUND, "room_not_found", field="room")
        current = self._hub.restrictions.room(room)
        event = RoomStateChanged(
            room,
            current.locked if locked is None else locked,
            current.slow_mode_s if slow_mode_s is None else clamped_slow_mode_s(slow_mode_s),
        )
        await self._store.set_room_restrictions(room, event.locked, event.slow_mode_s)
        await self._publisher.to_room(room, event)
