"""The pipeline's steps from the hub on (node/pipeline.py puts them in order): apply the command,
complete what other nodes know, publish the deliveries, answer the requester and acknowledge
what is stored. Each is one object with one method, `run(request)`, which returns what to
await when the step needs I/O and None when it is done (requests.py `Step`).

Once `Publish` has run the command happened: the steps after it never refuse.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Awaitable, Sequence
from typing import Protocol, get_args

from causerie.core.commands import Command, FetchHistory, Join, SendDm
from causerie.core.events import (
    Acked,
    Event,
    Flag,
    GroomingAlert,
    HistoryLoaded,
    Joined,
    Outcome,
    Record,
)
from causerie.core.hub import Peer
from causerie.core.messages import Message
from causerie.errors import CauserieError, ErrorCode
from causerie.node.connections import Connection
from causerie.node.envelope import Envelope
from causerie.node.metrics import NodeMetrics
from causerie.node.ports import Clock, Spawn
from causerie.node.requests import Request
from causerie.node.writer import BatchWriter
from causerie.store.base import Origin
from causerie.wire.commands import RequestId

log = logging.getLogger(__name__)
RESUME_LIMIT = 1000  # messages a rejoin after a reconnection may bring back
ALL: tuple[type[Command], ...] = get_args(Command)  # every command


class Applying(Protocol):
    """The hub's command entry points (core/hub)."""

    def apply(self, session_id: str, command: Command, now_ms: int) -> Outcome: ...

    def send_dm_to_peer(
        self, session_id: str, command: SendDm, peer: Peer, now_ms: int
    ) -> Outcome: ...


class PeersElsewhere(Protocol):
    async def peer_elsewhere(self, session: str, command: SendDm) -> Peer | None: ...


class Sharing(Protocol):
    """What the cluster tells other nodes and completes from them (node/cluster.py)."""

    async def share(self, session: str, command: Command) -> None: ...

    async def view(self, event: Event) -> Event: ...


class StoredSince(Protocol):
    async def since(self, room: str, after: int, limit: int) -> tuple[list[Message], bool]: ...


class StoredHistory(Protocol):
    async def history(
        self, room: str, before: int | None, limit: int
    ) -> tuple[list[Message], bool]: ...


class Delivering(Protocol):
    async def deliver(self, outcome: Outcome) -> None: ...


class Answering(Protocol):
    def send(self, connection: Connection, request_id: RequestId, events: Sequence[Event]) -> None:
        """The events to the requester."""

    def refuse(
        self, connection: Connection, error: CauserieError, request_id: RequestId = None
    ) -> None: ...


class MessageFlags(Protocol):
    async def flag_message(self, flag: Flag) -> None: ...


class GroomingAlerting(Protocol):
    async def alert(self, alert: GroomingAlert) -> None: ...


class DmSignals(Protocol):
    def after_dm(self, connection: Connection, outcome: Outcome, *, opened: bool) -> None: ...


class PostedPictures(Protocol):
    def note_posted(self, records: list[Record]) -> None: ...


class ApplyToHub:
    """The hub's answer; a private message to someone on another node goes there with what
    the hub must check of them (their band, their blocks)."""

    kinds = ALL

    def __init__(self, hub: Applying, clock: Clock, peers: PeersElsewhere | None) -> None:
        self._hub = hub
        self._now_s = clock.now_s
        self._peers = peers

    def run(self, request: Request) -> Awaitable[None] | None:
        command = request.command
        if self._peers is not None and isinstance(command, SendDm):
            return self._to_peer_or_here(request, command)
        # `Clock.now_ms`, one call fewer for every command.
        request.outcome = self._hub.apply(request.session, command, int(self._now_s() * 1000))
        return None

    async def _to_peer_or_here(self, request: Request, command: SendDm) -> None:
        assert self._peers is not None
        session = request.session
        peer = await self._peers.peer_elsewhere(session, command)
        now_ms = int(self._now_s() * 1000)
        if peer is not None:
            request.outcome = self._hub.send_dm_to_peer(session, command, peer, now_ms)
        else:
            request.outcome = self._hub.apply(session, command, now_ms)


class ShareWithCluster:
    """Tell the other nodes what changed (joins, parts, blocks) and show members and counts
    of every node."""

    kinds = ALL

    def __init__(self, cluster: Sharing) -> None:
        self._cluster = cluster

    async def run(self, request: Request) -> None:
        cluster, outcome = self._cluster, request.outcome
        await cluster.share(request.session, request.command)
        outcome.replies = [await cluster.view(event) for event in outcome.replies]


class MissedMessages:
    """A rejoin after a reconnection (`join {since}`): every message after `since`, from the
    store and from memory (the newest may not be committed yet), once each, in id order."""

    kinds = (Join,)

    def __init__(self, store: StoredSince) -> None:
        self._store = store

    def run(self, request: Request) -> Awaitable[None] | None:
        command = request.command
        assert isinstance(command, Join)
        return None if command.since is None else self._add_missed(request, command.since)

    async def _add_missed(self, request: Request, since: int) -> None:
        outcome = request.outcome
        outcome.replies = [await self._with_missed(e, since) for e in outcome.replies]

    async def _with_missed(self, event: Event, since: int) -> Event:
        if not isinstance(event, Joined):
            return event
        stored, _more = await self._store.since(event.room.room.id, since, RESUME_LIMIT)
        merged = {m.id: m for m in stored}
        merged.update((m.id, m) for m in event.history)
        history = tuple(merged[i] for i in sorted(merged))[:RESUME_LIMIT]
        return dataclasses.replace(event, history=history)


class Publish:
    """The deliveries on the broker, each event encoded once (node/publisher.py)."""

    kinds = ALL

    def __init__(self, publisher: Delivering) -> None:
        self._publisher = publisher

    def run(self, request: Request) -> Awaitable[None]:
        return self._publisher.deliver(request.outcome)


class Acknowledge:
    """The replies to the requester; flags and alerts to the moderators; a first private
    message weighed (node/signals.py); then the refusal the hub chose to send after all, or
    the `ack` once the group commit stored what was said."""

    kinds = ALL

    def __init__(
        self,
        *,
        answers: Answering,
        flags: MessageFlags,
        grooming: GroomingAlerting,
        signals: DmSignals,
        pictures: PostedPictures,
        writer: BatchWriter[tuple[Record, Origin]],
        metrics: NodeMetrics,
        spawn: Spawn,
    ) -> None:
        self._answers = answers
        self._flags = flags
        self._grooming = grooming
        self._signals = signals
        self._pictures = pictures
        self._writer = writer
        self._messages_in = metrics.messages_in
        self._spawn = spawn

    def run(self, request: Request) -> None:
        connection, request_id, outcome = request.connection, request.request_id, request.outcome
        if outcome.replies:
            self._answers.send(connection, request_id, outcome.replies)
        for flag in outcome.flags:
            self._spawn(self._flags.flag_message(flag))
        for alert in outcome.alerts:
            self._spawn(self._grooming.alert(alert))
        if request.opens_conversation:
            self._signals.after_dm(connection, outcome, opened=True)
        if outcome.error is not None:
            self._answers.refuse(connection, outcome.error, request_id)
            return
        records = outcome.records
        if not records:
            return
        # Stored by the group commit; the `ack` once its batch is committed.
        origin = connection.peer.origin
        for record in records:
            self._messages_in.inc(label="room" if hasattr(record, "room") else "dm")
        stored = self._writer.submit([(record, origin) for record in records])
        last = records[-1]
        answers = self._answers

        def acknowledge(future: asyncio.Future[None]) -> None:
            if future.cancelled() or future.exception() is not None:
                answers.refuse(connection, CauserieError(ErrorCode.UNAVAILABLE), request_id)
            else:
                connection.send(Envelope.reply(Acked(last.id, last.ts_ms), request_id))

        stored.add_done_callback(acknowledge)
        self._pictures.note_posted(records)


class AnswerHistory:
    """An older page of a room's history, read from the store in the background."""

    kinds = (FetchHistory,)

    def __init__(self, store: StoredHistory, answers: Answering, spawn: Spawn) -> None:
        self._store = store
        self._answers = answers
        self._spawn = spawn

    def run(self, request: Request) -> None:
        command = request.command
        assert isinstance(command, FetchHistory)
        if request.outcome.query is not None:
            self._spawn(self._answer(request.connection, request.request_id, command))

    async def _answer(
        self, connection: Connection, request_id: RequestId, command: FetchHistory
    ) -> None:
        try:
            messages, more = await self._store.history(command.room, command.before, command.limit)
        except Exception as exc:
            log.warning("history of %s not read: %s", command.room, exc)
            self._answers.refuse(connection, CauserieError(ErrorCode.UNAVAILABLE), request_id)
            return
        event = HistoryLoaded(command.room, tuple(messages), more)
        self._answers.send(connection, request_id, [event])
