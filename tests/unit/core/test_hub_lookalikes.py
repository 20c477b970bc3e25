"""Look-alike nicknames among everyone connected (issue 17, finding 9): a nickname that reads
like a connected person's (UTS #39 confusables, case, accents) is taken, and everything keyed by
nickname (blocks, private messages) treats the two spellings as one person."""

from __future__ import annotations

import pytest

from causerie.core.commands import Block, Hello, SendDm
from causerie.core.events import ToSession
from causerie.errors import ErrorCode
from tests.unit.core.builders import START_MS, hello, hello_refusal, make_hub, public, refusal


@pytest.mark.parametrize(
    "look_alike",
    ["Nіnateen", "Ninаteen", "ΝINATEEN", "Ｎｉｎａｔｅｅｎ", "N1nateen", "Nlnateen", "nínatéén"],
)
def test_hello_look_alike_of_connected_nick_refused_nick_taken(look_alike: str) -> None:
    hub = make_hub()
    hello(hub, "Ninateen", age=14)

    error = hello_refusal(hub, Hello(look_alike, "woman", 14, "63000"))

    assert (error.code, error.key, error.field) == (ErrorCode.NICK_TAKEN, "nick_taken", "nick")
    assert hub.session("refused") is None


@pytest.mark.parametrize("hidden", ["\u200b", "\u202e", "\u3164", "\u0338"])
def test_hello_invisible_character_in_a_connected_nick_refused_invalid(hidden: str) -> None:
    hub = make_hub()
    hello(hub, "Ninateen")

    error = hello_refusal(hub, Hello("Nina" + hidden + "teen", "woman", 25, "75011"))

    assert (error.code, error.key, error.field) == (ErrorCode.INVALID, "nick_chars", "nick")


def test_hello_issue_example_cyrillic_i_refused_with_nick_taken_key() -> None:
    hub = make_hub()
    hello(hub, "Ninateen", age=14)

    error = hello_refusal(hub, Hello("Nіnateen", "woman", 15, "69001"))

    assert (error.code, error.key, error.field) == (ErrorCode.NICK_TAKEN, "nick_taken", "nick")


def test_hello_original_refused_while_the_look_alike_is_connected() -> None:
    hub = make_hub()
    hello(hub, "Nіnateen")

    error = hello_refusal(hub, Hello("Ninateen", "woman", 25, "75011"))

    assert (error.code, error.key) == (ErrorCode.NICK_TAKEN, "nick_taken")


def test_hello_look_alike_accepted_once_the_original_left() -> None:
    hub = make_hub()
    hub.leave(hello(hub, "Ninateen"))

    session = hello(hub, "Nіnateen")

    assert public(hub, session).nick == "Nіnateen"


def test_dm_to_a_look_alike_spelling_reaches_the_one_connected_person() -> None:
    hub = make_hub()
    alice = hello(hub, "Alice")
    sophie = hello(hub, "Sophie")

    outcome = hub.apply(alice, SendDm("S0PHIE", "coucou"), START_MS)

    assert [target for target, _event in outcome.deliveries] == [
        ToSession(sophie),
        ToSession(alice),
    ]


def test_block_by_a_look_alike_spelling_blocks_the_person() -> None:
    hub = make_hub()
    alice = hello(hub, "Alice")
    hello(hub, "Sophie")
    hub.apply(alice, Block("Ѕорhіе"), START_MS)  # Cyrillic Ѕ, о, р, і

    error = refusal(hub, alice, SendDm("Sophie", "salut"))

    assert (error.code, error.field) == (ErrorCode.DM_BLOCKED, "to")
