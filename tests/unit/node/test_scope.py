"""A moderator's scope (node/scope.py), judged by the object acted upon: a room-limited
moderator acts on a person only when that person is tied to the room, sees a picture only when
it was posted in their rooms, never acts on what has no room. Fakes stand in for the hub and
the store."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest

from causerie.core.messages import Message
from causerie.core.users import Gender, PublicUser
from causerie.errors import CauserieError, ErrorCode
from causerie.node import scope
from causerie.node.ports import Clock
from causerie.safety.reports import Category, Lane, Report, ReportKind, ReportState
from causerie.safety.staff import StaffAccount, StaffRole

ROOM_MOD = StaffAccount("Paul", StaffRole.MODERATOR, "h", rooms=("general",))
GLOBAL_MOD = StaffAccount("Sophie", StaffRole.MODERATOR, "h")
ADMIN_LISTED = StaffAccount("Ada", StaffRole.ADMIN, "h", rooms=("general",))
BRUNO = PublicUser("Bruno", Gender.MAN, 30, "75", "Île-de-France")


@dataclass
class FakeHub:
    rooms: dict[str, set[str]] = field(default_factory=dict)  # session -> rooms

    def session(self, session: str) -> object | None:
        return object() if session in self.rooms else None

    def rooms_of(self, session: str) -> set[str]:
        return self.rooms[session]


@dataclass
class FakeStore:
    room_messages: list[Message] = field(default_factory=list)
    own_messages: list[Message] = field(default_factory=list)
    pictures: dict[str, set[str]] = field(default_factory=dict)

    async def recent_messages(self, room: str, limit: int) -> list[Message]:
        return [m for m in self.room_messages if m.room == room][-limit:]

    async def recent_of(self, session: str, limit: int = 20) -> list[Message]:
        return self.own_messages

    async def media_rooms(self, media_id: str) -> set[str]:
        return self.pictures.get(media_id, set())


def _ties(hub: FakeHub | None = None, store: FakeStore | None = None) -> scope.RoomTies:
    """What `require_person` is given: the ties of people to rooms, on one node."""
    return scope.RoomTies(hub or FakeHub(), store or FakeStore(), None, Clock(lambda: 0.0))  # type: ignore[arg-type]


def _report(room: str | None, target: str = "Bruno") -> Report:
    return Report(
        1,
        ReportKind.REPORT,
        ReportState.RECEIVED,
        Category.SPAM,
        2,
        Lane.USER,
        target,
        "s-bruno",
        0,
        0,
        room_id=room,
    )


def _message(room: str) -> Message:
    return Message(1, room, BRUNO, "salut", 0, "s-bruno")


async def _tied(
    node: scope.RoomTies, report: Report | None = None, session: str | None = "s-bruno"
) -> bool:
    try:
        await scope.require_person(node, ROOM_MOD, "general", ("Bruno", session), report)  # type: ignore[arg-type]
    except CauserieError as refused:
        assert (refused.code, refused.key) == (ErrorCode.FORBIDDEN, "mod_scope")
        return False
    return True


@pytest.mark.parametrize(
    ("account", "room", "allowed"),
    [
        (ROOM_MOD, "general", True),
        (ROOM_MOD, "musique", False),
        (ROOM_MOD, None, False),  # a private message, a person, the whole site
        (GLOBAL_MOD, None, True),
        (ADMIN_LISTED, "musique", True),
    ],
)
def test_require_by_room(account: StaffAccount, room: str | None, allowed: bool) -> None:
    if allowed:
        scope.require(account, room)
    else:
        with pytest.raises(CauserieError) as refused:
            scope.require(account, room)
        assert refused.value.code is ErrorCode.FORBIDDEN


async def test_require_person_stranger_to_the_room_refused() -> None:
    node = _ties(FakeHub({"s-bruno": {"musique"}}))

    assert not await _tied(node)


async def test_require_person_member_now_allowed() -> None:
    assert await _tied(_ties(FakeHub({"s-bruno": {"general", "musique"}})))


async def test_require_person_target_of_a_report_in_that_room_allowed() -> None:
    node = _ties(FakeHub({"s-bruno": set()}))

    assert await _tied(node, _report("general"))
    assert not await _tied(node, _report("musique"))
    assert not await _tied(node, _report("general", target="Quelquun"))


async def test_require_person_recent_author_in_the_room_allowed_after_leaving() -> None:
    by_room = _ties(FakeHub({}), FakeStore(room_messages=[_message("general")]))
    by_session = _ties(FakeHub({}), FakeStore(own_messages=[_message("general")]))
    elsewhere = _ties(FakeHub({}), FakeStore(room_messages=[_message("musique")]))

    assert await _tied(by_room, session=None)
    assert await _tied(by_session)
    assert not await _tied(elsewhere)


async def test_require_person_site_wide_refused_to_a_room_moderator() -> None:
    node = _ties(FakeHub({"s-bruno": {"general"}}))

    with pytest.raises(CauserieError):
        await scope.require_person(node, ROOM_MOD, None, ("Bruno", "s-bruno"), None)  # type: ignore[arg-type]
    await scope.require_person(node, GLOBAL_MOD, None, ("Bruno", "s-bruno"), None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("rooms", "shown"),
    [({"general"}, True), ({"musique", "general"}, True), ({"musique"}, False), (set(), False)],
)
async def test_require_media_only_pictures_posted_in_their_rooms(
    rooms: set[str], shown: bool
) -> None:
    store = FakeStore(pictures={"pic": rooms})

    if shown:
        await scope.require_media(store, ROOM_MOD, "pic")
    else:
        with pytest.raises(CauserieError) as refused:
            await scope.require_media(store, ROOM_MOD, "pic")
        assert refused.value.code is ErrorCode.NOT_FOUND
    await scope.require_media(store, GLOBAL_MOD, "pic")


@pytest.mark.parametrize(
    ("body", "room"),
    [
        (json.dumps({"room": "general"}), "general"),
        (json.dumps({"room": None}), None),
        (json.dumps({"room": ""}), None),
        (json.dumps(["general"]), None),
        ("not json", None),
        (None, None),
    ],
)
def test_statement_room_read_from_its_body(body: str | None, room: str | None) -> None:
    assert scope.statement_room({"body": body}) == room
