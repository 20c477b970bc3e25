"""The hub's side of coming back after a loss: a session handed over under a new id keeps
its nickname, rooms and conversations silently; what it carries survives JSON; a person gone
for good leaves no acceptance behind for a newcomer with the same nickname."""

from __future__ import annotations

from causerie.core.carried import Carried
from causerie.core.commands import AcceptDm, Block, Hello, SendDm
from causerie.core.conversations import Arrival
from causerie.core.events import PresenceChanged, Welcomed
from causerie.core.policy.nicknames import nick_key
from tests.unit.core.builders import START_MS, hello, join, make_hub


def test_rekey_keeps_nickname_rooms_and_contacts_without_presence() -> None:
    hub = make_hub()
    alice = hello(hub, "Alice", session="old")
    bruno = hello(hub, "Bruno")
    join(hub, alice, "general")
    join(hub, bruno, "general")
    hub.apply(alice, SendDm("Bruno", "salut"), START_MS)

    outcome = hub.rekey("old", "new", START_MS)

    [welcome] = outcome.replies
    assert isinstance(welcome, Welcomed) and welcome.session == "new"
    assert not outcome.deliveries, "nobody sees a departure or an arrival"
    assert hub.session_of_nick("alice") == "new"
    assert hub.session("old") is None
    assert "new" in set(hub.members_of("general")) and "old" not in set(hub.members_of("general"))
    assert hub.session("new").contacts.knows("bruno")  # type: ignore[union-attr]


def test_carried_snapshot_round_trips_through_json() -> None:
    hub = make_hub()
    alice = hello(hub, "Alice")
    hello(hub, "Bruno")
    join(hub, alice, "general")
    hub.apply(alice, AcceptDm("Bruno"), START_MS)
    hub.apply(alice, Block("Carla"), START_MS)

    carried = Carried.from_json(hub.carried(alice).to_json())

    assert carried == hub.carried(alice)
    assert carried.rooms == ("general",)
    assert carried.accepted == ("bruno",)
    assert carried.blocked == {"carla": "Carla"}


def test_unreadable_carried_text_is_an_empty_snapshot() -> None:
    assert Carried.from_json("{not json") == Carried()
    assert Carried.from_json('{"rooms": 3}') == Carried()


def test_carry_gives_a_new_session_the_old_one_s_conversations_and_place() -> None:
    hub = make_hub()
    carried = Carried(rooms=("general",), accepted=("bruno",), blocked={"carla": "Carla"})
    hub.hello("back", Hello("Alice", "woman", 25, "75011"), START_MS)

    hub.carry("back", carried, place=True)

    assert "back" in set(hub.members_of("general"))
    assert hub.arrival("back", "Bruno") is Arrival.DELIVER
    assert hub.session("back").blocked == {"carla": "Carla"}  # type: ignore[union-attr]


def test_person_gone_for_good_leaves_no_acceptance_to_a_newcomer() -> None:
    hub = make_hub()
    alice = hello(hub, "Alice")
    bruno = hello(hub, "Bruno")
    hub.apply(alice, SendDm("Bruno", "salut"), START_MS)
    hub.apply(bruno, SendDm("Alice", "salut toi"), START_MS)
    assert hub.arrival(bruno, "Alice") is Arrival.DELIVER

    outcome = hub.end_person(alice)
    hello(hub, "Alice")  # a newcomer takes the nickname

    assert not [e for _t, e in outcome.deliveries if not isinstance(e, PresenceChanged)]
    assert hub.arrival(bruno, "Alice") is Arrival.REQUEST, "a stranger again"


def test_person_gone_on_another_node_is_forgotten_here() -> None:
    hub = make_hub()
    bruno = hello(hub, "Bruno")
    hub.apply(bruno, AcceptDm("Alice"), START_MS)  # Alice was on another node
    assert hub.arrival(bruno, "Alice") is Arrival.DELIVER

    hub.forget_contact(nick_key("Alice"))

    assert hub.arrival(bruno, "Alice") is Arrival.REQUEST
