"""Pictures in the hub (DESIGN.md rule 4): which rooms take them, and that minors receive none
from people they have not exchanged messages with. The files themselves never reach the hub:
a message only names its picture."""

from __future__ import annotations

import dataclasses

from causerie.core.commands import AcceptDm, Say, SendDm
from causerie.core.events import DmSent, MessagePosted
from causerie.core.hub import HubConfig
from causerie.core.messages import MediaRef
from causerie.core.rooms import DEFAULT_ROOMS, Audience
from causerie.errors import ErrorCode
from tests.unit.core.builders import START_MS, hello, join, make_hub, refusal

PICTURE = MediaRef("Ab3_x-9Zk2Lq", 640, 480)


def test_default_rooms_pictures_only_outside_teen_space() -> None:
    allowed = {room.id for room in DEFAULT_ROOMS if room.pictures}

    assert allowed == {r.id for r in DEFAULT_ROOMS if r.audience is not Audience.TEEN}
    assert "charme" in allowed and "ados-general" not in allowed


def test_say_picture_without_text_delivered_with_its_media() -> None:
    hub = make_hub()
    alice = hello(hub, "Alice")
    join(hub, alice, "general")

    outcome = hub.apply(alice, Say("general", "  ", PICTURE), START_MS)

    [(_, event)] = outcome.deliveries
    assert isinstance(event, MessagePosted)
    assert (event.message.text, event.message.media) == ("", PICTURE)
    assert outcome.records == [event.message]


def test_say_neither_text_nor_picture_refused_invalid() -> None:
    hub = make_hub()
    alice = hello(hub, "Alice")
    join(hub, alice, "general")

    error = refusal(hub, alice, Say("general", "   "))

    assert (error.code, error.field) == (ErrorCode.INVALID, "text")


def test_say_picture_in_teen_room_refused_forbidden() -> None:
    hub = make_hub()
    lea = hello(hub, "Lea", age=15)
    join(hub, lea, "ados-general")

    error = refusal(hub, lea, Say("ados-general", "", PICTURE))

    assert (error.code, error.key, error.field) == (
        ErrorCode.FORBIDDEN,
        "pictures_not_allowed",
        "media",
    )


def test_say_picture_in_room_whose_setting_allows_it_delivered() -> None:
    rooms = [
        dataclasses.replace(r, pictures=True) if r.id == "ados-general" else r
        for r in DEFAULT_ROOMS
    ]
    hub = make_hub(rooms=rooms)
    lea = hello(hub, "Lea", age=15)
    join(hub, lea, "ados-general")

    outcome = hub.apply(lea, Say("ados-general", "mon chat", PICTURE), START_MS)

    assert [e.message.media for _, e in outcome.deliveries if isinstance(e, MessagePosted)] == [
        PICTURE
    ]


def test_dm_picture_to_minor_from_stranger_refused_forbidden() -> None:
    hub = make_hub()
    lea = hello(hub, "Lea", age=15)
    tom = hello(hub, "Tom", age=16)

    error = refusal(hub, tom, SendDm("Lea", "", PICTURE))

    assert (error.code, error.key) == (ErrorCode.FORBIDDEN, "pictures_from_strangers")
    assert lea != tom


def test_dm_picture_to_minor_after_they_accepted_delivered() -> None:
    hub = make_hub()
    lea = hello(hub, "Lea", age=15)
    tom = hello(hub, "Tom", age=16)
    hub.apply(tom, SendDm("Lea", "salut"), START_MS)
    hub.apply(lea, AcceptDm("Tom"), START_MS)

    outcome = hub.apply(tom, SendDm("Lea", "", PICTURE), START_MS)

    sent = [event for _, event in outcome.deliveries if isinstance(event, DmSent)]
    assert sent and all(event.dm.media == PICTURE for event in sent)


def test_dm_picture_to_minor_from_stranger_allowed_when_operator_says_so() -> None:
    hub = make_hub(HubConfig(dm_wait_s=0, minors_get_pictures_from_strangers=True))
    hello(hub, "Lea", age=15)
    tom = hello(hub, "Tom", age=16)

    outcome = hub.apply(tom, SendDm("Lea", "", PICTURE), START_MS)

    assert any(isinstance(event, DmSent) for _, event in outcome.deliveries)


def test_dm_picture_between_adult_strangers_delivered() -> None:
    hub = make_hub()
    hello(hub, "Alice")
    bob = hello(hub, "Bob", gender="man")

    outcome = hub.apply(bob, SendDm("Alice", "", PICTURE), START_MS)

    assert outcome.records and outcome.records[0].media == PICTURE


def test_dm_picture_from_adult_to_minor_refused_as_nobody_first() -> None:
    hub = make_hub()
    hello(hub, "Lea", age=15)
    bob = hello(hub, "Bob", gender="man")

    error = refusal(hub, bob, SendDm("Lea", "", PICTURE))

    assert (error.code, error.key) == (ErrorCode.NOT_FOUND, "user_not_found")


def test_say_several_pictures_without_text_not_taken_for_repetition() -> None:
    hub = make_hub()
    alice = hello(hub, "Alice")
    join(hub, alice, "general")

    outcomes = [
        hub.apply(alice, Say("general", "", PICTURE), START_MS + second * 5_000)
        for second in range(4)
    ]

    assert [len(outcome.records) for outcome in outcomes] == [1, 1, 1, 1]
