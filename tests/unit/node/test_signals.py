"""The node's adult signals: under which keys a person is counted, and which message of an
outcome a private message is (docs/moderation.md §12)."""

from __future__ import annotations

from causerie.core.events import Flag, Outcome
from causerie.core.messages import DirectMessage, Message
from causerie.core.policy.nicknames import nick_key
from causerie.core.users import Gender, PublicUser
from causerie.node.signals import _direct_message, person_keys

TOM = PublicUser("Tom15", Gender.MAN, 15, "75", "Île-de-France")
LEA = PublicUser("Lea", Gender.WOMAN, 14, "69", "Auvergne-Rhône-Alpes")
DM = DirectMessage(1, TOM, LEA, "salut", 1_000, "s-tom", "s-lea")


def test_person_keys_use_the_cookie_when_there_is_one() -> None:
    keys = person_keys("tel-1", "Tom15", "s1", "203.0.113.7", "Firefox")
    assert keys == [f"nick:{nick_key('Tom15')}", "session:s1", "device:tel-1"]
    # The nickname as it looks: a look-alike is the same person's key.
    assert person_keys("tel-1", "T0m15", "s1", "x", "y")[0] == keys[0]


def test_person_keys_without_cookie_use_address_and_browser() -> None:
    keys = person_keys("new-abc", "Tom15", "s1", "203.0.113.7", "Firefox")
    assert keys[-1] == "browser:203.0.113.7|Firefox"
    assert not any(key.startswith("device:") for key in keys)


def test_direct_message_is_found_delivered_or_held() -> None:
    assert _direct_message(Outcome(records=[DM])) is DM
    held = Outcome(flags=[Flag("grooming:secrecy", "child_safety", 4, DM, True)])
    assert _direct_message(held) is DM


def test_room_messages_are_no_private_message() -> None:
    message = Message(2, "ados-general", TOM, "coucou", 1_000, "s-tom")
    assert _direct_message(Outcome(records=[message])) is None
    assert _direct_message(Outcome()) is None
