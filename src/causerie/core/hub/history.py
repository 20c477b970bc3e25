"""Each room's recent messages, kept in memory: what a member sees on joining, and what answers
a history request while it covers it.

`RecentHistory` holds the last `history_on_join` messages of every room (filled from the store
at startup, then by each message posted here or delivered by the broker from another node) and
removes a message a moderator deleted. The rules it keeps: a message is kept once, however many
times the broker delivers it; a request the memory cannot answer in full becomes a
`HistoryQuery` for the store, never a short page; and no message id is issued at or below one
it has seen (it tells the node's `MessageIds`). Pure.
"""

from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import Iterable

from causerie.core.events import HistoryLoaded, HistoryQuery, MessageDeleted, Outcome, ToRoom
from causerie.core.hub.config import MAX_HISTORY_LIMIT
from causerie.core.messages import Message, MessageIds, Quote
from causerie.errors import CauserieError, ErrorCode


class RecentHistory:
    """The recent messages of the node's rooms."""

    def __init__(self, room_ids: Iterable[str], size: int, ids: MessageIds) -> None:
        self._ids = ids
        self._size = size
        self._recent: dict[str, deque[Message]] = {
            room_id: deque(maxlen=size) for room_id in room_ids
        }

    def open(self, room_id: str) -> None:
        """A room made while the node runs: an empty history (kept if it has one)."""
        self._recent.setdefault(room_id, deque(maxlen=self._size))

    def close(self, room_id: str) -> None:
        """An archived room: nothing of it in memory (the store keeps its messages)."""
        self._recent.pop(room_id, None)

    def add(self, message: Message) -> None:
        """A message just posted on this node (its room is one of ours)."""
        self._recent[message.room].append(message)

    def since(self, room_id: str, since: int | None) -> tuple[Message, ...]:
        """The recent messages of a room after the id `since` (all of them for None)."""
        recent = self._recent.get(room_id, ())
        return tuple(m for m in recent if since is None or m.id > since)

    def page(self, room_id: str, before: int | None, limit: int) -> Outcome:
        """The `limit` messages before `before`: from memory while it covers the request, a
        query for the store otherwise.

        Raises:
            CauserieError: `invalid` (`history_limit`) for a limit outside 1..100.
        """
        if not 1 <= limit <= MAX_HISTORY_LIMIT:
            raise CauserieError(
                ErrorCode.INVALID, "history_limit", field="limit", max=MAX_HISTORY_LIMIT
            )
        kept = self._recent[room_id]
        recent = list(kept)
        if before is not None:
            recent = [m for m in recent if m.id < before]
        # Recent messages answer from memory while they cover the request, the store otherwise.
        covered = len(recent) > limit or (
            len(recent) == len(kept) and len(recent) < (kept.maxlen or 0)
        )
        if covered:
            page = recent[-limit:]
            more = len(recent) > limit
            return Outcome(replies=[HistoryLoaded(room_id, tuple(page), more)])
        return Outcome(query=HistoryQuery(room_id, before, limit))

    def find(self, message_id: int) -> Message | None:
        """A room message still in memory (the store may not have committed it yet)."""
        for recent in self._recent.values():
            for message in recent:
                if message.id == message_id:
                    return message
        return None

    def preload(self, room_id: str, messages: Iterable[Message]) -> None:
        """Fill a room's recent messages from the store at startup (oldest first)."""
        recent = self._recent.get(room_id)
        if recent is None:
            return
        for message in messages:
            recent.append(message)
            self._ids.observe(message.id)

    def remember(self, message: Message) -> None:
        """A message posted on another node, as the broker delivered it: keep it in the room's
        recent history (once) and never issue a smaller id after it."""
        recent = self._recent.get(message.room)
        if recent is None:
            return
        self._ids.observe(message.id)
        for known in reversed(recent):
            if known.id == message.id:
                return
        recent.append(message)

    def delete(self, message_id: int) -> Outcome:
        """Remove a room message from what people see, and what replies quote of it; the
        store keeps it for its report."""
        for room_id, recent in self._recent.items():
            kept = [_unquoted(m, message_id) for m in recent if m.id != message_id]
            if len(kept) != len(recent):
                recent.clear()
                recent.extend(kept)
                return Outcome(deliveries=[(ToRoom(room_id), MessageDeleted(room_id, message_id))])
        return Outcome()


def _unquoted(message: Message, deleted_id: int) -> Message:
    """A reply to a deleted message keeps only the id it answered (the client shows that the
    original is gone), never its text."""
    quote = message.reply_to
    if quote is None or quote.id != deleted_id:
        return message
    return dataclasses.replace(message, reply_to=Quote(deleted_id))
