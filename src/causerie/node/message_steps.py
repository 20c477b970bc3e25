"""Pipeline steps for messages that name another message: a reply (`say`/`dm` with
`reply_to`) and taking back one's own message (`delete`).

`FindMessage` looks the named message up before the hub decides: the room's recent messages
in memory first (the newest may not be committed yet), then the store once what was submitted
before is committed, never a deleted message. The hub's rules then say whether the requester
may quote it or delete it (core/hub/replies.py, core/hub/deletions.py). `TakeBack` stores the
deletion and audits it before the deletion is published: the store keeps the message itself
for the moderators (reports, evidence, `find_message`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable
from typing import Any, Protocol

from causerie.core.commands import DeleteMessage, Say, SendDm
from causerie.core.messages import DirectMessage, Message
from causerie.node.ports import Clock
from causerie.node.requests import Request
from causerie.safety import audit

NAMING = (Say, SendDm, DeleteMessage)


class RecentMessages(Protocol):
    def find_recent(self, message_id: int) -> Message | None: ...


class MessageStore(Protocol):
    async def visible_message(self, message_id: int) -> Message | DirectMessage | None: ...

    async def mark_deleted(self, message_id: int, at_ms: int) -> None: ...

    async def append_audit(self, **fields: Any) -> Any: ...


class Committed(Protocol):
    async def settled(self) -> None: ...


class FindMessage:
    """The message a reply answers or a deletion names, as the hub's rules need it."""

    kinds = NAMING

    def __init__(self, recent: RecentMessages, store: MessageStore, writer: Committed) -> None:
        self._recent = recent
        self._store = store
        self._writer = writer

    def run(self, request: Request) -> Awaitable[None] | None:
        command = request.command
        if isinstance(command, DeleteMessage):
            return self._find_for_deletion(request, command)
        assert isinstance(command, Say | SendDm)
        if command.reply_to is None:
            return None
        return self._find_quoted(request, command, command.reply_to)

    async def _find(self, message_id: int) -> Message | DirectMessage | None:
        found = self._recent.find_recent(message_id)
        if found is not None:
            return found
        await self._writer.settled()
        return await self._store.visible_message(message_id)

    async def _find_quoted(self, request: Request, command: Say | SendDm, reply_to: int) -> None:
        request.command = dataclasses.replace(command, quoted=await self._find(reply_to))

    async def _find_for_deletion(self, request: Request, command: DeleteMessage) -> None:
        found = await self._find(command.message_id)
        request.command = dataclasses.replace(command, found=found)


class TakeBack:
    """A message its author deleted: hidden in the store (kept there for the moderators) and
    audited, before everyone is told."""

    kinds = (DeleteMessage,)

    def __init__(self, store: MessageStore, writer: Committed, clock: Clock) -> None:
        self._store = store
        self._writer = writer
        self._clock = clock

    def run(self, request: Request) -> Awaitable[None]:
        return self._take_back(request)

    async def _take_back(self, request: Request) -> None:
        command = request.command
        assert isinstance(command, DeleteMessage) and command.found is not None
        message = command.found
        now_ms = self._clock.now_ms()
        await self._writer.settled()  # a message just sent is stored before it is hidden
        await self._store.mark_deleted(message.id, now_ms)
        room = message.room if isinstance(message, Message) else None
        await self._store.append_audit(
            at_ms=now_ms,
            actor=message.sender.nick,
            actor_kind=audit.ActorKind.PERSON,
            action=audit.AuditAction.DELETE_OWN_MESSAGE,
            target=f"message:{message.id}",
            reason="",
            details={"room": room, "session": request.session},
        )
