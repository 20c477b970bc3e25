"""Private-message safety (DESIGN.md rule 3): how a private message arrives (delivered, as a
stranger's request, or dropped), accepting and declining, and who the recipient's setting lets
write to them."""

from __future__ import annotations

import pytest

from causerie.core.conversations import Arrival, Contacts, DmPolicy, check_policy
from causerie.errors import CauserieError, ErrorCode

STRANGER = "bruno"
FRIEND = "chloe"


# -- arrival --------------------------------------------------------------------------------


def test_contacts_new_knows_nobody_and_lets_everyone_write() -> None:
    contacts = Contacts()

    assert contacts.policy is DmPolicy.EVERYONE
    assert not contacts.knows(STRANGER)
    assert (contacts.accepted, contacts.declined, contacts.pending) == (set(), set(), set())


def test_arrival_from_stranger_is_request_and_pending() -> None:
    contacts = Contacts()

    arrival = contacts.arrival_from(STRANGER)

    assert arrival is Arrival.REQUEST
    assert contacts.pending == {STRANGER}
    assert not contacts.knows(STRANGER)


def test_arrival_from_stranger_again_stays_a_request() -> None:
    contacts = Contacts()
    contacts.arrival_from(STRANGER)

    arrival = contacts.arrival_from(STRANGER)

    assert arrival is Arrival.REQUEST
    assert contacts.pending == {STRANGER}


def test_arrival_from_accepted_is_delivered_and_not_pending() -> None:
    contacts = Contacts()
    contacts.accept(FRIEND)

    arrival = contacts.arrival_from(FRIEND)

    assert arrival is Arrival.DELIVER
    assert contacts.pending == set()


def test_arrival_from_declined_is_dropped_and_not_pending() -> None:
    contacts = Contacts()
    contacts.decline(STRANGER)

    arrival = contacts.arrival_from(STRANGER)

    assert arrival is Arrival.DROP
    assert contacts.pending == set()


# -- accept and decline ---------------------------------------------------------------------


def test_accept_pending_moves_it_to_accepted() -> None:
    contacts = Contacts()
    contacts.arrival_from(STRANGER)

    contacts.accept(STRANGER)

    assert contacts.knows(STRANGER)
    assert (contacts.accepted, contacts.pending) == ({STRANGER}, set())


def test_decline_pending_moves_it_to_declined() -> None:
    contacts = Contacts()
    contacts.arrival_from(STRANGER)

    contacts.decline(STRANGER)

    assert not contacts.knows(STRANGER)
    assert (contacts.declined, contacts.pending) == ({STRANGER}, set())


def test_decline_accepted_stops_delivery() -> None:
    contacts = Contacts()
    contacts.accept(FRIEND)

    contacts.decline(FRIEND)

    assert contacts.arrival_from(FRIEND) is Arrival.DROP
    assert contacts.accepted == set()


def test_accept_declined_delivers_again() -> None:
    contacts = Contacts()
    contacts.decline(STRANGER)

    contacts.accept(STRANGER)

    assert contacts.arrival_from(STRANGER) is Arrival.DELIVER
    assert contacts.declined == set()


def test_two_sessions_contacts_start_empty_and_stay_apart() -> None:
    """They start from one shared empty set each and replace it on change."""
    alice, bruno = Contacts(), Contacts()

    alice.arrival_from(STRANGER)
    alice.accept(STRANGER)
    bruno.arrival_from("marc")
    bruno.decline("marc")

    assert (alice.accepted, alice.declined, alice.pending) == ({STRANGER}, set(), set())
    assert (bruno.accepted, bruno.declined, bruno.pending) == (set(), {"marc"}, set())
    assert Contacts().accepted == Contacts().declined == Contacts().pending == set()


def test_accept_one_leaves_other_requests_pending() -> None:
    contacts = Contacts()
    contacts.arrival_from(STRANGER)
    contacts.arrival_from(FRIEND)

    contacts.accept(FRIEND)

    assert contacts.pending == {STRANGER}
    assert contacts.arrival_from(STRANGER) is Arrival.REQUEST


# -- check_policy ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "shares_room"),
    [
        (DmPolicy.EVERYONE, False),
        (DmPolicy.EVERYONE, True),
        (DmPolicy.SHARED_ROOM, True),
    ],
)
def test_check_policy_stranger_allowed_passes(policy: DmPolicy, shares_room: bool) -> None:
    check_policy(policy, shares_room=shares_room, is_known=False)


@pytest.mark.parametrize(
    ("policy", "shares_room"),
    [
        (DmPolicy.SHARED_ROOM, False),
        (DmPolicy.NOBODY, False),
        (DmPolicy.NOBODY, True),
    ],
)
def test_check_policy_stranger_not_allowed_refused_dm_blocked(
    policy: DmPolicy, shares_room: bool
) -> None:
    with pytest.raises(CauserieError) as caught:
        check_policy(policy, shares_room=shares_room, is_known=False)

    assert (caught.value.code, caught.value.key, caught.value.field) == (
        ErrorCode.DM_BLOCKED,
        "dm_blocked",
        "to",
    )


@pytest.mark.parametrize("policy", list(DmPolicy))
@pytest.mark.parametrize("shares_room", [False, True])
def test_check_policy_known_contact_always_passes(policy: DmPolicy, shares_room: bool) -> None:
    check_policy(policy, shares_room=shares_room, is_known=True)


def test_dm_policy_values_are_the_wire_strings() -> None:
    assert [p.value for p in DmPolicy] == ["everyone", "shared_room", "nobody"]
