"""Age assurance in the teen space, through the hub: with `dm` a minor not assured may not send
private messages, with `space` nor join teen rooms; adults never notice; the welcome tells a
minor what is gated; `assure_age` opens it (core/policy/assurance.py)."""

from __future__ import annotations

import pytest

from causerie.core.commands import Hello, Join, Say, SendDm
from causerie.core.events import AgeAssured, DmSent, Joined, Welcomed
from causerie.core.hub import Hub, HubConfig, Peer
from causerie.core.policy.assurance import NEEDED, AssuranceGate, AssuranceStatus
from causerie.core.users import Gender, PublicUser
from causerie.errors import CauserieError, ErrorCode
from tests.unit.core.builders import (
    ADULT_ROOM_IDS,
    START_MS,
    TEEN_ROOM_IDS,
    hello,
    join,
    make_hub,
    refusal,
)


def _hub(gate: AssuranceGate) -> Hub:
    return make_hub(HubConfig(dm_wait_s=0, teen_assurance=gate))


def _teens(hub: Hub) -> tuple[str, str]:
    return hello(hub, "Lea", age=14), hello(hub, "Tom", age=15, gender="man")


def _welcome_of(hub: Hub, nick: str, age: int) -> Welcomed:
    [welcome] = hub.hello(f"s-{nick}", Hello(nick, "woman", age, "75011"), START_MS).replies
    assert isinstance(welcome, Welcomed)
    return welcome


# -- dm ---------------------------------------------------------------------------------------


def test_assurance_dm_unassured_teen_dm_refused_age_assurance_needed() -> None:
    hub = _hub(AssuranceGate.DM)
    _lea, tom = _teens(hub)

    error = refusal(hub, tom, SendDm("Lea", "salut"))

    assert (error.code, error.key, error.params["reason"]) == (
        ErrorCode.AGE_RESTRICTED,
        NEEDED,
        NEEDED,
    )
    assert hub.is_new_conversation(tom, "Lea")  # the refused message opened no conversation


def test_assurance_dm_refusal_same_for_any_nickname() -> None:
    """Refused before the recipient is looked up: nobody learns who is connected."""
    hub = _hub(AssuranceGate.DM)
    _lea, tom = _teens(hub)
    hello(hub, "Adulte", age=30)

    answers = {
        (e.code, e.key)
        for e in (
            refusal(hub, tom, SendDm(nick, "salut")) for nick in ("Lea", "Adulte", "Personne")
        )
    }

    assert answers == {(ErrorCode.AGE_RESTRICTED, NEEDED)}


def test_assurance_dm_unassured_teen_still_joins_and_talks_in_rooms() -> None:
    hub = _hub(AssuranceGate.DM)
    _lea, tom = _teens(hub)

    join(hub, tom, TEEN_ROOM_IDS[0])
    outcome = hub.apply(tom, Say(TEEN_ROOM_IDS[0], "salut tout le monde"), START_MS)

    assert outcome.records


def test_assurance_dm_assured_teen_dm_delivered() -> None:
    hub = _hub(AssuranceGate.DM)
    lea, tom = _teens(hub)

    [assured] = hub.assure_age(tom).replies
    outcome = hub.apply(tom, SendDm("Lea", "salut"), START_MS)

    assert isinstance(assured, AgeAssured)
    assert {view.room.id for view in assured.rooms} == set(TEEN_ROOM_IDS)
    assert hub.profile_of(tom).is_age_assured
    [dm] = outcome.records
    assert [event for _, event in outcome.deliveries] == [DmSent(dm), DmSent(dm)]
    assert dm.recipient_session == lea


def test_assurance_dm_unassured_teen_may_still_receive() -> None:
    """Only sending is gated: an assured teen may write to one who is not (yet)."""
    hub = _hub(AssuranceGate.DM)
    lea, tom = _teens(hub)
    hub.assure_age(tom)

    outcome = hub.apply(tom, SendDm("Lea", "coucou"), START_MS)

    assert outcome.records
    assert not hub.profile_of(lea).is_age_assured


def test_assurance_dm_peer_on_another_node_refused_too() -> None:
    hub = _hub(AssuranceGate.DM)
    _lea, tom = _teens(hub)
    elsewhere = Peer("s-far", PublicUser("Zoe", Gender.WOMAN, 15, "33", "Nouvelle-Aquitaine"))

    with pytest.raises(CauserieError) as caught:
        hub.send_dm_to_peer(tom, SendDm("Zoe", "salut"), elsewhere, START_MS)

    assert caught.value.key == NEEDED


# -- space ------------------------------------------------------------------------------------


@pytest.mark.parametrize("room", TEEN_ROOM_IDS)
def test_assurance_space_unassured_teen_join_refused(room: str) -> None:
    hub = _hub(AssuranceGate.SPACE)
    _lea, tom = _teens(hub)

    error = refusal(hub, tom, Join(room))

    assert (error.code, error.key) == (ErrorCode.AGE_RESTRICTED, NEEDED)
    assert hub.rooms_of(tom) == set()
    assert list(hub.members_of(room)) == []


def test_assurance_space_unassured_teen_dm_refused() -> None:
    hub = _hub(AssuranceGate.SPACE)
    _lea, tom = _teens(hub)

    assert refusal(hub, tom, SendDm("Lea", "salut")).key == NEEDED


def test_assurance_space_assured_teen_joins() -> None:
    hub = _hub(AssuranceGate.SPACE)
    _lea, tom = _teens(hub)
    hub.assure_age(tom)

    [joined] = hub.apply(tom, Join(TEEN_ROOM_IDS[0]), START_MS).replies

    assert isinstance(joined, Joined)
    assert hub.rooms_of(tom) == {TEEN_ROOM_IDS[0]}


def test_assurance_space_other_band_room_still_not_found() -> None:
    """An adult room stays invisible to a minor: `not_found`, never a hint to get assured."""
    hub = _hub(AssuranceGate.SPACE)
    _lea, tom = _teens(hub)

    error = refusal(hub, tom, Join(ADULT_ROOM_IDS[0]))

    assert (error.code, error.key) == (ErrorCode.NOT_FOUND, "room_not_found")


# -- adults and the welcome -------------------------------------------------------------------


@pytest.mark.parametrize("gate", list(AssuranceGate))
def test_assurance_adults_never_affected(gate: AssuranceGate) -> None:
    hub = _hub(gate)
    alice = hello(hub, "Alice", age=25)
    hello(hub, "Bruno", age=40, gender="man")

    join(hub, alice, ADULT_ROOM_IDS[0])
    outcome = hub.apply(alice, SendDm("Bruno", "bonjour"), START_MS)

    assert outcome.records
    assert _welcome_of(hub, "Carla", 33).assurance is None


@pytest.mark.parametrize("gate", list(AssuranceGate))
def test_assurance_welcome_tells_minor_what_is_gated(gate: AssuranceGate) -> None:
    hub = _hub(gate)

    welcome = _welcome_of(hub, "Lou", 16)

    assert welcome.assurance == AssuranceStatus(gate, is_assured=False)


def test_assurance_adult_assure_refused_age_restricted() -> None:
    hub = _hub(AssuranceGate.DM)
    alice = hello(hub, "Alice", age=25)

    with pytest.raises(CauserieError) as caught:
        hub.assure_age(alice)

    assert (caught.value.code, caught.value.key) == (
        ErrorCode.AGE_RESTRICTED,
        "age_assurance_adult",
    )
    assert not hub.profile_of(alice).is_age_assured


def test_assurance_off_changes_nothing_for_teens() -> None:
    hub = _hub(AssuranceGate.OFF)
    lea, tom = _teens(hub)

    join(hub, tom, TEEN_ROOM_IDS[0])
    outcome = hub.apply(tom, SendDm("Lea", "salut"), START_MS)

    assert outcome.records
    assert hub.rooms_of(tom) == {TEEN_ROOM_IDS[0]}
    assert not hub.profile_of(lea).is_age_assured
