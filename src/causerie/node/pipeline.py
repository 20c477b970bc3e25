"""The command pipeline: what a chat command (join, part, say, dm, history, block…) passes
through, from a connection to every recipient, as one ordered list of steps.

How this works: `command_pipeline` lists the steps in their order, which is the product's
(it decides which refusal a command gets when several apply):

    1. assurance      a minor not assured may not write privately          (dm)
    2. ready          the store and the broker answer                      (say, dm)
    3. bans           banned from the room joined; muted                   (join, say, dm)
    4. join limit     joins and parts per device and address               (join, part)
    5. flood          messages per device and address, across reconnections (say, dm, delete)
    6. new conversation   per device and address an hour; mass messaging flagged  (dm)
    7. picture        the picture named is the sender's and still shown    (say, dm)
    8. find message   the message a reply answers or a deletion names      (say, dm, delete)
    9. member door    a member room's ban, invitation, key; the store read again first (join)
   10. room full      a room's member limit, counted on every node (several nodes)  (join)
   11. hub            the pure rules and state (core/hub); a recipient on another node
   12. cluster        what other nodes must know; members and counts of every node
   13. take back      one's own message hidden in the store, audited       (delete)
   14. missed         a rejoin's messages since the last one seen          (join)
   15. publish        the deliveries on the broker, each encoded once
   16. acknowledge    replies, flags and alerts, then the `ack` once stored
   17. history        an older page, read from the store                   (history)

Each step names the commands it looks at (`kinds`); the pipeline keeps, per command type, the
steps that apply, so a `say` runs only its own. A step refuses by raising `CauserieError`: the
requester gets the error frame and nothing after that step happens. Steps whose setting is off
(flood limits, several nodes) are left out when the pipeline is built.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Protocol, get_args

from causerie.broker.base import BrokerUnavailable
from causerie.core.commands import Command
from causerie.core.events import Record
from causerie.core.policy.ratelimits import RateLimit
from causerie.core.policy.visibility import Unreachable
from causerie.errors import CauserieError, ErrorCode
from causerie.node.checks import (
    AssuranceCheck,
    BanCheck,
    Bans,
    Buckets,
    Conversations,
    FloodLimit,
    JoinPartCharge,
    JoinPartLimit,
    MemberCounts,
    NewConversationLimit,
    PersonFlagger,
    PictureCheck,
    PictureOwners,
    ReadyCheck,
    RoomLimitAcrossNodes,
    RoomsHere,
    WriteGate,
)
from causerie.node.connections import Connection
from causerie.node.message_steps import FindMessage, MessageStore, RecentMessages, TakeBack
from causerie.node.metrics import NodeMetrics
from causerie.node.ports import Clock, Health, Spawn
from causerie.node.requests import Request, Step
from causerie.node.steps import (
    Acknowledge,
    AnswerHistory,
    Answering,
    Applying,
    ApplyToHub,
    Delivering,
    DmSignals,
    GroomingAlerting,
    MessageFlags,
    MissedMessages,
    PeersElsewhere,
    PostedPictures,
    Publish,
    ShareWithCluster,
    Sharing,
    StoredHistory,
    StoredSince,
)
from causerie.node.writer import BatchWriter
from causerie.store.base import Origin
from causerie.wire.commands import RequestId

log = logging.getLogger(__name__)


class SeekingNotes(Protocol):
    """Where a private message refused as to nobody is noted (node/seeking.py)."""

    def note(self, error: Unreachable, connection: Connection, now_ms: int) -> None: ...


class Pipeline:
    def __init__(
        self, steps: Sequence[Step], answers: Answering, seeking: SeekingNotes, clock: Clock
    ) -> None:
        self.steps = tuple(steps)
        self._answers = answers
        self._seeking = seeking
        self._clock = clock
        self._by_kind: dict[type[Command], tuple[Step, ...]] = {}
        for kind in get_args(Command):  # made now, not on a command's way
            self.steps_for(kind)

    def steps_for(self, kind: type[Command]) -> tuple[Step, ...]:
        """The steps a command of this type passes, in order."""
        steps = self._by_kind.get(kind)
        if steps is None:
            steps = self._by_kind[kind] = tuple(s for s in self.steps if issubclass(kind, s.kinds))
        return steps

    async def run(self, request: Request) -> None:
        """Every step in order.

        Raises:
            CauserieError: the refusal of the step that refused.
            BrokerUnavailable: the broker (or the shared presence, or the shared flood gate)
                did not answer.
        """
        for step in self.steps_for(type(request.command)):
            pending = step.run(request)
            if pending is not None:
                await pending

    async def handle(
        self,
        connection: Connection,
        request_id: RequestId,
        command: Command,
        *,
        is_rejoin: bool = False,
    ) -> None:
        """Run one command of a connection that said hello; a refusal becomes its error
        frame. `is_rejoin`: a room a `resume` rejoins, not charged again."""
        session = connection.session
        assert session is not None
        request = Request(connection, request_id, command, session, is_rejoin=is_rejoin)
        kind = type(command)
        # `run`, inlined: one call fewer for every message, the hot path of a chat server.
        steps = self._by_kind.get(kind) or self.steps_for(kind)
        try:
            for step in steps:
                pending = step.run(request)
                if pending is not None:
                    await pending
        except CauserieError as error:
            self._answers.refuse(connection, error, request_id)
            if isinstance(error, Unreachable):  # an adult naming a minor? (node/seeking.py)
                self._seeking.note(error, connection, self._clock.now_ms())
        except BrokerUnavailable as exc:
            log.warning("fan-out failed, command refused: %s", exc)
            self._answers.refuse(connection, CauserieError(ErrorCode.UNAVAILABLE), request_id)


class Stores(StoredSince, StoredHistory, MessageStore, Protocol):
    """What the pipeline reads of the store: a rejoin's missed messages, history pages, the
    message a reply or a deletion names; and where a deletion is kept."""


class PipelineHub(Applying, Conversations, RoomsHere, RecentMessages, Protocol):
    """What the pipeline asks of the hub (core/hub)."""


def command_pipeline(
    *,
    hub: PipelineHub,
    nick_of: Callable[[str], str],
    clock: Clock,
    spawn: Spawn,
    answers: Answering,
    health: Health,
    assurance: WriteGate,
    bans: Bans,
    admission: JoinPartCharge,
    buckets: Buckets,
    flood_limit: RateLimit | None,
    new_conversation_limit: RateLimit | None,
    new_conversations_per_hour: int,
    flagger: PersonFlagger,
    pictures: PictureOwners,
    cluster: Sharing | None,
    peers: PeersElsewhere | None,
    store: Stores,
    publisher: Delivering,
    flags: MessageFlags,
    grooming: GroomingAlerting,
    signals: DmSignals,
    posted: PostedPictures,
    writer: BatchWriter[tuple[Record, Origin]],
    metrics: NodeMetrics,
    seeking: SeekingNotes,
    member_counts: MemberCounts | None = None,
    member_door: Step | None = None,
) -> Pipeline:
    """The pipeline in the product's order (see the module); `None` leaves a step out."""
    steps: list[Step] = [
        AssuranceCheck(assurance),
        ReadyCheck(health),
        BanCheck(bans, clock),
        JoinPartLimit(admission),
    ]
    if flood_limit is not None:
        steps.append(FloodLimit(buckets, flood_limit, clock))
    steps += [
        NewConversationLimit(
            hub,
            buckets,
            new_conversation_limit,
            flagger,
            nick_of,
            spawn,
            clock,
            new_conversations_per_hour,
        ),
        PictureCheck(pictures),
        FindMessage(hub, store, writer),
    ]
    if member_door is not None:
        steps.append(member_door)
    if member_counts is not None:
        steps.append(RoomLimitAcrossNodes(hub, member_counts, clock))
    steps += [
        ApplyToHub(hub, clock, peers),
    ]
    if cluster is not None:
        steps.append(ShareWithCluster(cluster))
    steps += [
        TakeBack(store, writer, clock),
        MissedMessages(store),
        Publish(publisher),
        Acknowledge(
            answers=answers,
            flags=flags,
            grooming=grooming,
            signals=signals,
            pictures=posted,
            writer=writer,
            metrics=metrics,
            spawn=spawn,
        ),
        AnswerHistory(store, answers, spawn),
    ]
    return Pipeline(steps, answers, seeking, clock)
