"""`Request`: one command from a connection on its way through the command pipeline
(node/pipeline.py), and `Step`, what each stage of the pipeline is."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Protocol

from causerie.core.commands import Command
from causerie.core.events import Outcome
from causerie.node.connections import Connection
from causerie.wire.commands import RequestId

NOTHING_YET = Outcome()  # shared, never changed: a request's outcome before the hub's


class Request:
    """What the steps share: the command (a check may replace it, e.g. a checked picture),
    whether it opens a private conversation, and the hub's outcome once applied."""

    __slots__ = (
        "command",
        "connection",
        "is_rejoin",
        "opens_conversation",
        "outcome",
        "request_id",
        "session",
    )

    def __init__(
        self,
        connection: Connection,
        request_id: RequestId,
        command: Command,
        session: str,
        *,
        is_rejoin: bool = False,
    ) -> None:
        self.connection = connection
        self.request_id = request_id
        self.command = command
        self.session = session
        self.is_rejoin = is_rejoin  # a room a `resume` rejoins (its `hello` was charged)
        self.opens_conversation = False
        self.outcome = NOTHING_YET  # the hub's answer, set by the step that applies it


class Step(Protocol):
    """One stage: looks at the commands of `kinds` (their subclasses too), refuses by raising
    `CauserieError`, or does its part and lets the request go on.

    `run` does its work at once and returns None, or returns what to await when it needs
    I/O (a store read, the broker): most steps of a message need none, and a coroutine made
    for nothing is most of what a step would cost."""

    @property
    def kinds(self) -> tuple[type[Command], ...]: ...

    def run(self, request: Request) -> Awaitable[None] | None: ...
