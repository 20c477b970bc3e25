"""Where each command goes (node/router.py), with fakes for every part: hello and the rooms a
resume rejoins, the staff's commands and lookups before hello, an appeal before hello,
everything else refused until hello, safety commands to moderation, chat to the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from causerie.broker.base import BrokerUnavailable
from causerie.core.commands import (
    Appeal,
    AssureAge,
    Command,
    CreateRoom,
    Hello,
    Join,
    KickFromRoom,
    ListQueue,
    LookUp,
    Report,
    Resume,
    Say,
    StaffLogin,
    VerifyAge,
)
from causerie.core.events import PeopleFound
from causerie.errors import CauserieError, ErrorCode
from causerie.node.metrics import NodeMetrics
from causerie.node.router import CommandRouter

HELLO = Hello("Alice", "woman", 30, "75011")


@dataclass
class FakeConnection:
    session: str | None = None
    lang: str = "fr"


@dataclass
class Parts:
    """Every part the router hands to, noting (part, command type, extra) in `seen`."""

    seen: list[tuple[str, str, Any]] = field(default_factory=list)
    refused: list[tuple[CauserieError, Any]] = field(default_factory=list)
    sent: list[Any] = field(default_factory=list)
    resume: Resume | None = None
    failure: BaseException | None = None
    staff: dict[Any, Any] = field(default_factory=dict)

    def _note(self, part: str, command: Any, extra: Any = None) -> None:
        self.seen.append((part, type(command).__name__, extra))
        if self.failure is not None:
            raise self.failure

    # sessions
    async def hello(self, connection: Any, request_id: Any, command: Hello) -> Resume | None:
        self._note("sessions", command)
        connection.session = "s-alice"
        return self.resume

    # pipeline
    async def handle(
        self, connection: Any, request_id: Any, command: Command, *, is_rejoin: bool = False
    ) -> None:
        self._note("pipeline", command, (request_id, is_rejoin))

    # desk
    async def login(self, connection: Any, request_id: Any, command: Any) -> None:
        self._note("desk", command)

    async def send_queue(self, connection: Any, request_id: Any) -> None:
        self._note("desk", ListQueue())

    async def show_media(self, connection: Any, request_id: Any, command: Any) -> None:
        self._note("desk", command)

    # actions, reports, appeals
    async def moderate(self, connection: Any, request_id: Any, command: Any) -> None:
        self._note("actions", command)

    async def report(self, connection: Any, request_id: Any, command: Any) -> None:
        self._note("reports", command)

    async def appeal(self, connection: Any, request_id: Any, command: Any) -> None:
        self._note("appeals", command)

    # age proofs and assurance
    async def verify_age(self, connection: Any, command: Any) -> list[Any]:
        self._note("proofs", command)
        return ["verified"]

    async def assure(self, connection: Any, command: Any) -> list[Any]:
        self._note("assurance", command)
        return ["assured"]

    # lookups
    async def look_up(self, session: str | None, command: LookUp) -> PeopleFound:
        self._note("lookups", command)
        return PeopleFound(())

    # replies
    def send(self, connection: Any, request_id: Any, events: Any) -> None:
        self.sent.extend(events)

    def refuse(self, connection: Any, error: CauserieError, request_id: Any = None) -> None:
        self.refused.append((error, request_id))


@dataclass
class MemberRoomsPart:
    parts: Parts

    async def handle(self, connection: Any, request_id: Any, command: Any) -> None:
        self.parts._note("member_rooms", command)

    async def show_scores(self, connection: Any, request_id: Any, command: Any) -> None:
        self.parts._note("games", command)


def router(parts: Parts, metrics: NodeMetrics | None = None) -> CommandRouter:
    desk = parts
    return CommandRouter(
        sessions=parts,  # type: ignore[arg-type]
        member_rooms=MemberRoomsPart(parts),  # type: ignore[arg-type]
        pipeline=parts,  # type: ignore[arg-type]
        desk=desk,  # type: ignore[arg-type]
        actions=parts,  # type: ignore[arg-type]
        reports=parts,  # type: ignore[arg-type]
        appeals=parts,  # type: ignore[arg-type]
        proofs=parts,  # type: ignore[arg-type]
        assurance=parts,  # type: ignore[arg-type]
        lookups=parts,  # type: ignore[arg-type]
        replies=parts,  # type: ignore[arg-type]
        metrics=metrics or NodeMetrics(),
        games=MemberRoomsPart(parts),  # type: ignore[arg-type]
    )


async def test_router_chat_before_hello_is_refused_and_goes_nowhere() -> None:
    parts = Parts()

    await router(parts).dispatch(FakeConnection(), "1", Say("general", "x"))  # type: ignore[arg-type]

    assert parts.seen == []
    [(error, request_id)] = parts.refused
    assert (error.code, error.key, request_id) == (ErrorCode.FORBIDDEN, "hello_first", "1")


@pytest.mark.parametrize(
    ("command", "part"),
    [
        (StaffLogin("Sophie", "secret"), "desk"),
        (ListQueue(), "desk"),
        (LookUp(("Bob",)), "lookups"),
        (Appeal("st-1", "je conteste"), "appeals"),  # a move-out, from the device it bars
    ],
)
async def test_router_before_hello_only_staff_lookups_and_appeals(
    command: Command, part: str
) -> None:
    parts = Parts()

    await router(parts).dispatch(FakeConnection(), "1", command)  # type: ignore[arg-type]

    assert [seen[0] for seen in parts.seen] == [part]
    assert parts.refused == []


@pytest.mark.parametrize(
    ("command", "part"),
    [
        (Say("general", "x"), "pipeline"),
        (Join("general"), "pipeline"),
        (Report("spam", nick="Bob"), "reports"),
        (Appeal("st-1", "je conteste"), "appeals"),
        (VerifyAge("token"), "proofs"),
        (AssureAge("token"), "assurance"),
        (StaffLogin("Sophie", "secret"), "desk"),
        (LookUp(("Bob",)), "lookups"),
        (CreateRoom("Fans de jazz"), "member_rooms"),
        (KickFromRoom("fans-de-jazz", "Bob"), "member_rooms"),
    ],
)
async def test_router_after_hello_each_command_to_its_part(command: Command, part: str) -> None:
    parts = Parts()

    await router(parts).dispatch(FakeConnection("s-alice"), "1", command)  # type: ignore[arg-type]

    assert [seen[0] for seen in parts.seen] == [part]


async def test_router_age_proofs_answer_the_requester() -> None:
    parts = Parts()

    await router(parts).dispatch(FakeConnection("s-alice"), "1", VerifyAge("t"))  # type: ignore[arg-type]

    assert parts.sent == ["verified"]


async def test_router_resume_rejoins_each_room_since_the_last_message_uncharged() -> None:
    parts = Parts(resume=Resume("s-old", 41, ("general", "musique")))

    await router(parts).dispatch(FakeConnection(), "1", Hello("Alice", "woman", 30, "75011"))  # type: ignore[arg-type]

    assert parts.seen == [
        ("sessions", "Hello", None),
        ("pipeline", "Join", (None, True)),
        ("pipeline", "Join", (None, True)),
    ]


async def test_router_refusal_and_broker_outage_become_the_requesters_errors() -> None:
    refused = Parts(failure=CauserieError(ErrorCode.NOT_FOUND, "not_found"))
    outage = Parts(failure=BrokerUnavailable("down"))

    await router(refused).dispatch(FakeConnection("s-alice"), "7", Report("spam", nick="B"))  # type: ignore[arg-type]
    await router(outage).dispatch(FakeConnection(), "8", HELLO)  # type: ignore[arg-type]

    assert [(e.code, r) for e, r in refused.refused] == [(ErrorCode.NOT_FOUND, "7")]
    assert [(e.code, r) for e, r in outage.refused] == [(ErrorCode.UNAVAILABLE, "8")]


async def test_router_counts_every_command_by_type() -> None:
    metrics = NodeMetrics()
    route = router(Parts(), metrics)

    await route.dispatch(FakeConnection("s-alice"), None, Say("general", "x"))  # type: ignore[arg-type]
    await route.dispatch(FakeConnection(), None, Say("general", "x"))  # type: ignore[arg-type]

    assert metrics.commands.value("Say") == 2
