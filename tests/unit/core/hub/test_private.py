"""`PrivateConversations` with the parts it is given: private messages here and to another
node's `Peer`, each person's contacts and requests, blocks (and what they hide in rooms), and
the pause on new conversations with minors."""

from __future__ import annotations

import pytest

from causerie.core.commands import AcceptDm, Block, ChangeSettings, DeclineDm, SendDm, Unblock
from causerie.core.conversations import Arrival, DmPolicy
from causerie.core.events import BlocksListed, DmSent, SettingsChanged, ToSession
from causerie.core.hub.private import Peer
from causerie.core.hub.sessions import Session
from causerie.core.users import Gender, PublicUser
from causerie.errors import CauserieError, ErrorCode
from tests.unit.core.builders import START_MS
from tests.unit.core.hub.parts import Parts, admit, make_parts

NINA = PublicUser("Nina", Gender.WOMAN, 14, "33", "Nouvelle-Aquitaine")


def _people() -> tuple[Parts, Session, Session]:
    parts = make_parts()
    return parts, admit(parts.sessions, "Alice"), admit(parts.sessions, "Bruno")


def _refusal(parts: Parts, session: Session, command: SendDm) -> CauserieError:
    with pytest.raises(CauserieError) as caught:
        parts.private.send_dm(session, command, START_MS)
    return caught.value


def test_a_private_message_goes_to_both_sides_and_opens_the_way_back() -> None:
    parts, alice, bruno = _people()
    outcome = parts.private.send_dm(alice, SendDm(" bruno ", "salut"), START_MS)
    [dm] = outcome.records
    assert outcome.deliveries == [
        (ToSession(bruno.id), DmSent(dm)),
        (ToSession(alice.id), DmSent(dm)),
    ]
    assert parts.private.arrival(alice.id, "Bruno") is Arrival.DELIVER  # she wrote: his replies
    assert parts.private.arrival(bruno.id, "Alice") is Arrival.REQUEST  # he never accepted her
    assert alice.trust.delivered == 1


def test_a_private_message_to_nobody_or_to_oneself_is_refused() -> None:
    parts, alice, _bruno = _people()
    nobody = _refusal(parts, alice, SendDm("Zoe", "salut"))
    assert (nobody.code, nobody.key, nobody.field) == (ErrorCode.NOT_FOUND, "user_not_found", "to")
    self_ = _refusal(parts, alice, SendDm("alice", "salut"))
    assert (self_.code, self_.key) == (ErrorCode.INVALID, "dm_self")


def test_to_a_peer_from_an_unknown_session_is_hello_first() -> None:
    parts, _alice, _bruno = _people()
    with pytest.raises(CauserieError) as caught:
        parts.private.send_dm_to_peer("s-gone", SendDm("Nina", "x"), Peer("s-far", NINA), START_MS)
    assert (caught.value.code, caught.value.key) == (ErrorCode.FORBIDDEN, "hello_first")


def test_to_a_peer_of_the_other_band_is_nobody() -> None:
    parts, alice, _bruno = _people()
    with pytest.raises(CauserieError) as caught:
        parts.private.send_dm_to_peer(alice.id, SendDm("Nina", "x"), Peer("s-far", NINA), START_MS)
    assert (caught.value.code, caught.value.key) == (ErrorCode.NOT_FOUND, "user_not_found")


def test_a_peer_that_blocks_the_sender_or_allows_nobody_is_dm_blocked() -> None:
    parts, alice, _bruno = _people()
    far = PublicUser("Chloe", Gender.WOMAN, 30, "69", "Auvergne-Rhône-Alpes")
    for peer in (
        Peer("s-far", far, blocks_sender=True),
        Peer("s-far", far, dm_policy=DmPolicy.NOBODY),
    ):
        with pytest.raises(CauserieError) as caught:
            parts.private.send_dm_to_peer(alice.id, SendDm("Chloe", "x"), peer, START_MS)
        assert caught.value.code is ErrorCode.DM_BLOCKED
    delivered = parts.private.send_dm_to_peer(
        alice.id, SendDm("Chloe", "x"), Peer("s-far", far), START_MS
    )
    assert [target for target, _e in delivered.deliveries] == [
        ToSession("s-far"),
        ToSession(alice.id),
    ]


def test_arrival_follows_accept_and_decline() -> None:
    parts, alice, bruno = _people()
    assert parts.private.arrival("s-gone", "Alice") is Arrival.DROP
    assert parts.private.arrival(bruno.id, "Alice") is Arrival.REQUEST
    parts.private.accept_dm(bruno, AcceptDm(" Alice "), START_MS)
    assert parts.private.arrival(bruno.id, "alice") is Arrival.DELIVER
    parts.private.decline_dm(bruno, DeclineDm("Alice"), START_MS)
    assert parts.private.arrival(bruno.id, "Alice") is Arrival.DROP
    assert _refusal(parts, alice, SendDm("Bruno", "encore")).code is ErrorCode.DM_BLOCKED


def test_is_new_conversation_until_either_side_knows_the_other() -> None:
    parts, alice, bruno = _people()
    assert not parts.private.is_new_conversation("s-gone", "Bruno")
    assert parts.private.is_new_conversation(alice.id, "Bruno")
    assert parts.private.is_new_conversation(alice.id, "Zoe")  # nobody here: still new
    parts.private.accept_dm(bruno, AcceptDm("Alice"), START_MS)
    assert not parts.private.is_new_conversation(alice.id, " bruno ")


def test_change_settings_takes_a_known_policy_only() -> None:
    parts, alice, bruno = _people()
    outcome = parts.private.change_settings(bruno, ChangeSettings("nobody"), START_MS)
    assert outcome.replies == [SettingsChanged("nobody")]
    assert _refusal(parts, alice, SendDm("Bruno", "x")).key == "dm_blocked"
    with pytest.raises(CauserieError) as caught:
        parts.private.change_settings(bruno, ChangeSettings("friends"), START_MS)
    assert (caught.value.key, caught.value.field) == ("dm_policy", "dm_policy")
    assert bruno.contacts.policy is DmPolicy.NOBODY


def test_has_blocks_counts_each_block_once_until_unblocked_or_gone() -> None:
    parts, alice, bruno = _people()
    assert parts.private.blocking == 0
    parts.private.block(alice, Block("Bruno"), START_MS)
    outcome = parts.private.block(alice, Block(" bruno "), START_MS)
    assert outcome.replies == [BlocksListed(("bruno",))]
    assert parts.private.blocking == 1  # the same person twice is one block
    parts.private.unblock(alice, Unblock("BRUNO"), START_MS)
    assert parts.private.blocking == 0
    parts.private.unblock(alice, Unblock("Bruno"), START_MS)  # not blocked: nothing to undo
    parts.private.block(bruno, Block("Alice"), START_MS)
    assert parts.private.blocking == 1
    parts.private.forget(bruno)
    assert parts.private.blocking == 0


def test_blocking_oneself_or_nobody_is_invalid() -> None:
    parts, alice, _bruno = _people()
    for nick in ("alice", "  "):
        with pytest.raises(CauserieError) as caught:
            parts.private.block(alice, Block(nick), START_MS)
        assert (caught.value.code, caught.value.key) == (ErrorCode.INVALID, "block_self")
    assert parts.private.blocking == 0


def test_readers_of_hide_each_side_from_the_other_whoever_blocked() -> None:
    parts, alice, bruno = _people()
    chloe = admit(parts.sessions, "Chloe")
    members = [alice.id, bruno.id, chloe.id]
    parts.private.block(bruno, Block("Alice"), START_MS)
    assert list(parts.private.readers_of(members, "Alice")) == [alice.id, chloe.id]
    assert list(parts.private.readers_of(members, "Bruno")) == [bruno.id, chloe.id]
    assert list(parts.private.readers_of(members, "Gone")) == members


def test_a_paused_sender_opens_no_new_conversation_with_a_minor_until_let_go() -> None:
    parts = make_parts()
    teo, _nina, lea = (admit(parts.sessions, n, age=15) for n in ("Teo", "Nina", "Lea"))
    parts.private.send_dm(teo, SendDm("Nina", "salut"), START_MS)  # open before the pause
    parts.private.pause_with_minors(teo.id, True)
    parts.private.pause_with_minors("s-gone", True)  # gone: nothing to pause
    assert _refusal(parts, teo, SendDm("Lea", "salut")).key == "minor_contacts_paused"
    assert parts.private.send_dm(teo, SendDm("Nina", "ça va"), START_MS).error is None
    parts.private.pause_with_minors(teo.id, False)
    assert parts.private.send_dm(teo, SendDm("Lea", "salut"), START_MS).error is None
    assert lea.contacts.pending == frozenset()  # requests are the receiving node's business
