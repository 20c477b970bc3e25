"""`Replies`: what a node says to the connection that asked — its events, or a refusal counted
in the metrics by code. The one way every part answers a client, whatever its protocol."""

from __future__ import annotations

from collections.abc import Sequence

from causerie.core.events import Event
from causerie.errors import CauserieError
from causerie.node.connections import Connection
from causerie.node.envelope import Envelope
from causerie.node.metrics import NodeMetrics
from causerie.wire.commands import RequestId


class Replies:
    __slots__ = ("_errors",)

    def __init__(self, metrics: NodeMetrics) -> None:
        self._errors = metrics.errors

    def send(self, connection: Connection, request_id: RequestId, events: Sequence[Event]) -> None:
        for event in events:
            connection.send(Envelope.reply(event, request_id, connection.lang))

    def refuse(
        self, connection: Connection, error: CauserieError, request_id: RequestId = None
    ) -> None:
        self._errors.labels(error.code.value).inc()
        connection.send(Envelope.refusal(error, request_id, connection.lang))
