"""The command pipeline (node/pipeline.py) built with fakes: the order of its steps for each
command, what each check refuses and that nothing after a refusal happens, and what follows an
accepted command (publish, reply, flags, ack once stored). No node, no store, no socket."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any

import pytest

from causerie.broker.base import BrokerUnavailable
from causerie.core.commands import (
    Block,
    Command,
    DeleteMessage,
    FetchHistory,
    Join,
    Part,
    Say,
    SendDm,
    Typing,
)
from causerie.core.events import (
    Acked,
    HistoryQuery,
    Joined,
    Outcome,
    Ponged,
    Refused,
    RoomView,
)
from causerie.core.messages import MediaRef, Message
from causerie.core.policy.ratelimits import RateLimit
from causerie.core.policy.visibility import Unreachable
from causerie.core.rooms import DEFAULT_ROOMS
from causerie.core.users import Gender, PublicUser
from causerie.errors import CauserieError, ErrorCode
from causerie.node.metrics import NodeMetrics
from causerie.node.pipeline import Pipeline, command_pipeline
from causerie.node.ports import Clock
from causerie.store.base import Origin

ALICE = PublicUser("Alice", Gender.WOMAN, 30, "75", "Île-de-France")
PICTURE = MediaRef("pic-1", 0, 0)
LIMIT = RateLimit(10, 1.0)
ALL_STEPS = [
    "AssuranceCheck",
    "ReadyCheck",
    "BanCheck",
    "JoinPartLimit",
    "FloodLimit",
    "NewConversationLimit",
    "PictureCheck",
    "FindMessage",
    "ApplyToHub",
    "ShareWithCluster",
    "TakeBack",
    "MissedMessages",
    "Publish",
    "Acknowledge",
    "AnswerHistory",
]


@dataclass
class World:
    """Every collaborator the pipeline is given, each noting its calls in `calls` and refusing
    when its name is in `refusing`."""

    calls: list[str] = field(default_factory=list)
    refusing: dict[str, CauserieError | BaseException] = field(default_factory=dict)
    ready: bool = True
    opens: bool = True
    peer_elsewhere: bool = False
    outcome: Outcome = field(default_factory=Outcome)
    sent: list[Any] = field(default_factory=list)  # (kind, payload) to the requester
    spawned: list[Coroutine[Any, Any, None]] = field(default_factory=list)
    stored: list[Any] = field(default_factory=list)

    def note(self, name: str) -> None:
        self.calls.append(name)
        refusal = self.refusing.get(name)
        if refusal is not None:
            raise refusal

    # the node's health
    @property
    def is_ready(self) -> bool:
        self.note("ready")
        return self.ready

    # assurance
    def refuse_unless_may_write(self, session: str) -> None:
        self.note("assurance")

    # bans: one in force when refused
    def find(self, **where: Any) -> Any:
        return self._ban_if("banned")

    def find_mute(self, **where: Any) -> Any:
        return self._ban_if("muted")

    def _ban_if(self, name: str) -> Any:
        self.calls.append(name)
        if name not in self.refusing:
            return None
        return type("Ban", (), {"retry_after_s": lambda _self, _now_ms: 60.0})()

    # admission
    async def charge_join_part(self, peer: Any) -> None:
        self.note("join_limit")

    # the flood gate: "flood" or "new_conversation" by the keys charged
    async def take_all(self, charges: list[tuple[str, RateLimit]], now_s: float) -> float:
        name = "new_conversation" if charges[0][0].startswith("newconv:") else "flood"
        self.calls.append(name)
        return 30.0 if name in self.refusing else 0.0

    # hub
    def is_new_conversation(self, session_id: str, nick: str) -> bool:
        return self.opens

    def apply(self, session_id: str, command: Command, now_ms: int) -> Outcome:
        self.note("hub")
        return self.outcome

    def send_dm_to_peer(self, session_id: str, command: SendDm, peer: Any, now_ms: int) -> Outcome:
        self.note("hub_to_peer")
        return self.outcome

    # flags, grooming, signals, seeking
    async def flag_person(self, *args: Any) -> None:
        self.calls.append("flag_person")

    async def flag_message(self, flag: Any) -> None:
        self.calls.append("flag_message")

    async def alert(self, alert: Any) -> None:
        self.calls.append("grooming_alert")

    def after_dm(self, connection: Any, outcome: Outcome, *, opened: bool) -> None:
        self.calls.append("signals")

    def note_seeking(self, error: Unreachable, connection: Any, now_ms: int) -> None:
        self.calls.append("seeking")

    # pictures
    async def resolve(self, session: str, media: MediaRef) -> MediaRef:
        self.note("picture")
        return media

    def note_posted(self, records: list[Any]) -> None:
        self.calls.append("posted")

    # cluster
    async def share(self, session: str, command: Command) -> None:
        self.note("cluster")

    async def view(self, event: Any) -> Any:
        return event

    async def find_peer(self, session: str, command: SendDm) -> Any:
        self.note("peer")
        return object() if self.peer_elsewhere else None

    # store
    async def since(self, room: str, after: int, limit: int) -> tuple[list[Message], bool]:
        self.note("missed")
        return [_message(11), _message(12)], False

    async def history(
        self, room: str, before: int | None, limit: int
    ) -> tuple[list[Message], bool]:
        self.note("history")
        return [], False

    # publisher
    async def deliver(self, outcome: Outcome) -> None:
        self.note("publish")

    # answers
    def send(self, connection: Any, request_id: Any, events: Any) -> None:
        self.calls.append("reply")
        self.sent.extend(("reply", event) for event in events)

    def refuse(self, connection: Any, error: CauserieError, request_id: Any = None) -> None:
        self.calls.append("refuse")
        self.sent.append(("refuse", error))

    # the group commit
    def submit(self, items: list[Any]) -> asyncio.Future[None]:
        self.calls.append("store")
        self.stored.extend(items)
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        done.set_result(None)
        return done

    def spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        self.spawned.append(coroutine)

    async def run_spawned(self) -> None:
        while self.spawned:
            await self.spawned.pop(0)


class Seeking:
    def __init__(self, world: World) -> None:
        self._world = world

    def note(self, error: Unreachable, connection: Any, now_ms: int) -> None:
        self._world.note_seeking(error, connection, now_ms)


class Peers:
    def __init__(self, world: World) -> None:
        self.peer_elsewhere = world.find_peer


@dataclass
class FakeConnection:
    session: str = "s-alice"
    lang: str = "fr"
    peer: Any = None
    frames: list[Any] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.peer = type("Peer", (), {"device": "dev-1", "origin": Origin("192.0.2.1", 5000)})()

    def send(self, envelope: Any) -> None:
        self.frames.append(envelope.event)


def build(world: World, *, limits: bool = True, cluster: bool = True) -> Pipeline:
    return command_pipeline(
        hub=world,
        nick_of=lambda session: "Alice",
        clock=Clock(lambda: 1000.0),
        spawn=world.spawn,
        answers=world,
        health=world,
        assurance=world,
        bans=world,
        admission=world,
        buckets=world,
        flood_limit=LIMIT if limits else None,
        new_conversation_limit=LIMIT if limits else None,
        new_conversations_per_hour=10,
        flagger=world,
        pictures=world,
        cluster=world if cluster else None,
        peers=Peers(world) if cluster else None,
        store=world,
        publisher=world,
        flags=world,
        grooming=world,
        signals=world,
        posted=world,
        writer=world,  # type: ignore[arg-type]
        metrics=NodeMetrics(),
        seeking=Seeking(world),
    )


async def run(
    world: World, command: Command, *, is_rejoin: bool = False, **options: bool
) -> FakeConnection:
    connection = FakeConnection()
    await build(world, **options).handle(connection, "7", command, is_rejoin=is_rejoin)  # type: ignore[arg-type]
    await asyncio.sleep(0)  # the ack's callback
    await world.run_spawned()
    return connection


def _message(message_id: int = 42) -> Message:
    return Message(message_id, "general", ALICE, "salut", 1_000_000, "s-alice")


# -- the order --------------------------------------------------------------------------------


def test_pipeline_steps_are_in_the_product_order() -> None:
    assert [type(step).__name__ for step in build(World()).steps] == ALL_STEPS


def test_pipeline_limits_off_and_one_node_leave_their_steps_out() -> None:
    steps = [type(step).__name__ for step in build(World(), limits=False, cluster=False).steps]

    assert steps == [s for s in ALL_STEPS if s not in ("FloodLimit", "ShareWithCluster")]


def test_pipeline_each_command_gets_only_its_own_steps() -> None:
    pipeline = build(World())

    def names(kind: type[Command]) -> list[str]:
        return [type(step).__name__ for step in pipeline.steps_for(kind)]

    after_hub = ["ApplyToHub", "ShareWithCluster", "Publish", "Acknowledge"]
    message_steps = ["PictureCheck", "FindMessage"]
    assert names(Say) == ["ReadyCheck", "BanCheck", "FloodLimit", *message_steps, *after_hub]
    assert names(SendDm) == [
        "AssuranceCheck",
        "ReadyCheck",
        "BanCheck",
        "FloodLimit",
        "NewConversationLimit",
        *message_steps,
        *after_hub,
    ]
    assert names(DeleteMessage) == [
        "FloodLimit",
        "FindMessage",
        "ApplyToHub",
        "ShareWithCluster",
        "TakeBack",
        "Publish",
        "Acknowledge",
    ]
    assert names(Typing) == after_hub
    assert names(Join) == [
        "BanCheck",
        "JoinPartLimit",
        "ApplyToHub",
        "ShareWithCluster",
        "MissedMessages",
        "Publish",
        "Acknowledge",
    ]
    assert names(Part) == ["JoinPartLimit", *after_hub]
    assert names(FetchHistory) == [*after_hub, "AnswerHistory"]
    assert names(Block) == after_hub


async def test_pipeline_say_calls_each_part_in_order_then_acks_once_stored() -> None:
    echo = Ponged()  # any reply: it goes before the ack
    world = World(outcome=Outcome(replies=[echo], records=[_message()]))

    connection = await run(world, Say("general", "salut", PICTURE))

    assert world.calls == [
        "ready",
        "muted",
        "flood",
        "picture",
        "hub",
        "cluster",
        "publish",
        "reply",
        "store",
        "posted",
    ]
    assert [item[0].id for item in world.stored] == [42]
    assert connection.frames == [Acked(42, 1_000_000)]


async def test_pipeline_dm_opening_a_conversation_charges_it_and_is_weighed() -> None:
    world = World(opens=True)

    await run(world, SendDm("Bob", "salut"))

    assert world.calls == [
        "assurance",
        "ready",
        "muted",
        "flood",
        "new_conversation",
        "peer",
        "hub",
        "cluster",
        "publish",
        "signals",
    ]


async def test_pipeline_dm_in_a_conversation_already_open_is_not_charged_as_new() -> None:
    world = World(opens=False)

    await run(world, SendDm("Bob", "encore"))

    assert "new_conversation" not in world.calls and "signals" not in world.calls


async def test_pipeline_dm_to_another_node_goes_to_the_peer() -> None:
    world = World(peer_elsewhere=True)

    await run(world, SendDm("Bob", "salut"))

    assert "hub_to_peer" in world.calls and "hub" not in world.calls


async def test_pipeline_join_checks_the_ban_before_charging_and_fetches_what_was_missed() -> None:
    general = RoomView(DEFAULT_ROOMS[0], 1)
    in_memory = (_message(12), _message(13))  # the newest, maybe not committed yet
    world = World(outcome=Outcome(replies=[Joined(general, (ALICE,), in_memory)]))

    await run(world, Join(general.room.id, since=10))

    assert world.calls == [
        "banned",
        "join_limit",
        "hub",
        "cluster",
        "missed",
        "publish",
        "reply",
    ]
    [(_, joined)] = world.sent
    assert [m.id for m in joined.history] == [11, 12, 13]  # once each, in id order


async def test_pipeline_rejoin_after_resume_is_not_charged_again() -> None:
    world = World()

    await run(world, Join("general", since=10), is_rejoin=True)

    assert "join_limit" not in world.calls and "banned" in world.calls


async def test_pipeline_history_page_is_read_in_the_background() -> None:
    world = World(outcome=Outcome(query=HistoryQuery("general", None, 50)))

    await run(world, FetchHistory("general"))
    await world.run_spawned()

    assert world.calls[-2:] == ["history", "reply"]  # the page
    assert [kind for kind, _ in world.sent] == ["reply"]


# -- each check's refusal --------------------------------------------------------------------


REFUSALS = [
    ("assurance", SendDm("Bob", "x"), CauserieError(ErrorCode.AGE_RESTRICTED, "a"), "a"),
    ("ready", Say("general", "x"), None, "unavailable"),
    ("muted", Say("general", "x"), None, "muted"),
    ("banned", Join("general"), None, "banned"),
    ("join_limit", Part("general"), CauserieError(ErrorCode.RATE_LIMITED, "j"), "j"),
    ("flood", Say("general", "x"), None, "rate_limited"),
    ("new_conversation", SendDm("Bob", "x"), None, "new_conversations"),
    ("picture", Say("general", "x", PICTURE), CauserieError(ErrorCode.NOT_FOUND, "m"), "m"),
    ("hub", Say("general", "x"), CauserieError(ErrorCode.INVALID, "h"), "h"),
]


@pytest.mark.parametrize(
    ("check", "command", "error", "key"), REFUSALS, ids=[r[0] for r in REFUSALS]
)
async def test_pipeline_refusal_is_the_requesters_and_stops_the_command(
    check: str, command: Command, error: CauserieError | None, key: str
) -> None:
    world = World(ready=check != "ready")
    if check != "ready":
        world.refusing[check] = error or CauserieError(ErrorCode.INTERNAL)

    await run(world, command)

    refusals = [payload for kind, payload in world.sent if kind == "refuse"]
    assert [r.key or r.code.value for r in refusals] == [key]
    after = world.calls[world.calls.index(check) + 1 :]
    # Nothing after it: not applied, published nor stored (a flag may follow a refusal).
    assert after[0] == "refuse" and set(after) <= {"refuse", "flag_person"}


async def test_pipeline_new_conversation_refusals_flag_the_account_once() -> None:
    world = World()
    world.refusing["new_conversation"] = CauserieError(ErrorCode.INTERNAL)
    pipeline = build(world)
    connection = FakeConnection()

    for _ in range(3):
        await pipeline.handle(connection, None, SendDm("Bob", "x"))  # type: ignore[arg-type]
    await world.run_spawned()

    assert world.calls.count("flag_person") == 1
    assert world.calls.count("refuse") == 3


async def test_pipeline_naming_someone_out_of_reach_is_noted_for_the_seeking_watch() -> None:
    world = World()
    world.refusing["hub"] = Unreachable("to", target="Lou", seeks_minor=True)

    await run(world, SendDm("Lou", "x"))

    assert world.calls[-2:] == ["refuse", "seeking"]
    [(_, error)] = world.sent
    assert (error.code, error.key) == (ErrorCode.NOT_FOUND, "user_not_found")


async def test_pipeline_broker_down_is_unavailable_and_nothing_is_acknowledged() -> None:
    world = World(outcome=Outcome(records=[_message()]))
    world.refusing["publish"] = BrokerUnavailable("down")

    connection = await run(world, Say("general", "x"))

    assert [p.code for k, p in world.sent if k == "refuse"] == [ErrorCode.UNAVAILABLE]
    assert "store" not in world.calls and connection.frames == []


async def test_pipeline_outcome_refused_by_the_hub_still_flags_but_is_not_stored() -> None:
    error = CauserieError(ErrorCode.HELD_FOR_REVIEW, "held")
    flag = object()
    world = World(outcome=Outcome(records=[_message()], flags=[flag], error=error))  # type: ignore[list-item]

    await run(world, Say("general", "x"))
    await world.run_spawned()

    assert "store" not in world.calls and "flag_message" in world.calls
    assert [kind for kind, _ in world.sent] == ["refuse"]
    assert isinstance(world.sent[0][1], CauserieError)


def test_refused_event_is_what_a_refusal_travels_as() -> None:
    """The refusal the pipeline sends is a `Refused` event (node/replies.py), as every part's."""
    assert Refused(CauserieError(ErrorCode.MUTED, "muted")).error.code is ErrorCode.MUTED
