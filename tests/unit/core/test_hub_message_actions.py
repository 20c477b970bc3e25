"""Replies, taking back one's own message, and the typing indicator, driven through the hub
(issue 19). The node looks a named message up and hands it to the hub (`quoted`, `found`):
these tests do the same with the message the hub recorded."""

from __future__ import annotations

from causerie.core.commands import (
    AcceptDm,
    Block,
    DeleteMessage,
    Join,
    Say,
    SendDm,
    Typing,
)
from causerie.core.events import (
    DmDeleted,
    MessageDeleted,
    Outcome,
    ToRoom,
    ToSession,
    TypingShown,
)
from causerie.core.hub import Hub
from causerie.core.hub.typing import TYPING_INTERVAL_MS
from causerie.core.messages import DirectMessage, Message, Quote
from causerie.errors import ErrorCode
from tests.unit.core.builders import START_MS, hello, join, make_hub, public, refusal, say


def _three_in_general(hub: Hub) -> tuple[str, str, str]:
    alice = hello(hub, "Alice")
    bruno = hello(hub, "Bruno", gender="man")
    chloe = hello(hub, "Chloe")
    for session in (alice, bruno, chloe):
        join(hub, session, "general")
    return alice, bruno, chloe


def _dm(hub: Hub, sender: str, to: str, text: str, **fields: object) -> DirectMessage:
    outcome = hub.apply(sender, SendDm(to, text, **fields), START_MS)  # type: ignore[arg-type]
    [record] = outcome.records
    assert isinstance(record, DirectMessage)
    return record


def _posted(outcome: Outcome) -> Message:
    [record] = outcome.records
    assert isinstance(record, Message)
    return record


# -- replies ---------------------------------------------------------------------------------


def test_say_reply_to_a_message_of_the_room_carries_its_quote() -> None:
    hub = make_hub()
    alice, bruno, _chloe = _three_in_general(hub)
    original = say(hub, alice, "general", "Qui vient au concert   samedi ?")

    reply = _posted(
        hub.apply(bruno, Say("general", "moi !", reply_to=original.id, quoted=original), START_MS)
    )

    assert reply.reply_to == Quote(original.id, "Alice", "Qui vient au concert samedi ?")


def test_say_reply_quote_is_a_short_excerpt() -> None:
    hub = make_hub()
    alice, bruno, _chloe = _three_in_general(hub)
    original = say(hub, alice, "general", "a" * 500)

    reply = _posted(
        hub.apply(bruno, Say("general", "ok", reply_to=original.id, quoted=original), START_MS)
    )

    assert reply.reply_to is not None
    assert len(reply.reply_to.text) == 120 and reply.reply_to.text.endswith("…")


def test_say_reply_to_nothing_found_refused_not_found() -> None:
    hub = make_hub()
    _alice, bruno, _chloe = _three_in_general(hub)

    error = refusal(hub, bruno, Say("general", "hein ?", reply_to=12345))

    assert (error.code, error.key, error.field) == (
        ErrorCode.NOT_FOUND,
        "reply_not_found",
        "reply_to",
    )


def test_say_reply_to_a_message_of_another_room_refused_not_found() -> None:
    hub = make_hub()
    alice, bruno, _chloe = _three_in_general(hub)
    join(hub, alice, "musique")
    elsewhere = say(hub, alice, "musique", "du jazz ?")

    error = refusal(hub, bruno, Say("general", "oui", reply_to=elsewhere.id, quoted=elsewhere))

    assert (error.code, error.field) == (ErrorCode.NOT_FOUND, "reply_to")


def test_say_reply_to_someone_who_blocks_you_refused_not_found() -> None:
    hub = make_hub()
    alice, bruno, _chloe = _three_in_general(hub)
    original = say(hub, alice, "general", "bonjour")
    hub.apply(alice, Block("Bruno"), START_MS)

    error = refusal(hub, bruno, Say("general", "re", reply_to=original.id, quoted=original))

    assert (error.code, error.field) == (ErrorCode.NOT_FOUND, "reply_to")


def test_say_reply_to_a_private_message_in_a_room_refused_not_found() -> None:
    hub = make_hub()
    alice, bruno, _chloe = _three_in_general(hub)
    private = _dm(hub, alice, "Bruno", "secret")

    error = refusal(hub, bruno, Say("general", "!", reply_to=private.id, quoted=private))

    assert (error.code, error.field) == (ErrorCode.NOT_FOUND, "reply_to")


def test_dm_reply_within_the_conversation_carries_its_quote() -> None:
    hub = make_hub()
    alice, bruno, _chloe = _three_in_general(hub)
    question = _dm(hub, alice, "Bruno", "ça va ?")

    answer = _dm(hub, bruno, "Alice", "oui et toi ?", reply_to=question.id, quoted=question)

    assert answer.reply_to == Quote(question.id, "Alice", "ça va ?")


def test_dm_reply_to_another_conversation_refused_not_found() -> None:
    hub = make_hub()
    alice, bruno, chloe = _three_in_general(hub)
    to_chloe = _dm(hub, alice, "Chloe", "entre nous")
    hub.apply(chloe, AcceptDm("Alice"), START_MS)

    error = refusal(hub, bruno, SendDm("Alice", "?", reply_to=to_chloe.id, quoted=to_chloe))

    assert (error.code, error.field) == (ErrorCode.NOT_FOUND, "reply_to")


# -- taking back one's own message ------------------------------------------------------------


def test_delete_own_room_message_leaves_history_and_tells_the_room() -> None:
    hub = make_hub()
    alice, _bruno, _chloe = _three_in_general(hub)
    message = say(hub, alice, "general", "oups")

    outcome = hub.apply(alice, DeleteMessage(message.id, message), START_MS)

    assert outcome.deliveries == [
        (ToRoom("general"), MessageDeleted("general", message.id, by_author=True))
    ]
    assert hub.find_recent(message.id) is None


def test_delete_someone_elses_room_message_refused_forbidden_and_kept() -> None:
    hub = make_hub()
    alice, bruno, _chloe = _three_in_general(hub)
    message = say(hub, alice, "general", "à moi")

    error = refusal(hub, bruno, DeleteMessage(message.id, message))

    assert (error.code, error.key, error.field) == (
        ErrorCode.FORBIDDEN,
        "delete_not_yours",
        "message_id",
    )
    assert hub.find_recent(message.id) == message


def test_delete_message_of_a_room_not_joined_refused_not_found() -> None:
    hub = make_hub()
    alice, _bruno, _chloe = _three_in_general(hub)
    outsider = hello(hub, "Denis", gender="man")
    message = say(hub, alice, "general", "ici")

    error = refusal(hub, outsider, DeleteMessage(message.id, message))

    assert (error.code, error.field) == (ErrorCode.NOT_FOUND, "message_id")


def test_delete_unknown_message_refused_not_found() -> None:
    hub = make_hub()
    alice, _bruno, _chloe = _three_in_general(hub)

    error = refusal(hub, alice, DeleteMessage(999))

    assert (error.code, error.field) == (ErrorCode.NOT_FOUND, "message_id")


def test_delete_by_the_same_nickname_in_another_session_refused() -> None:
    hub = make_hub()
    alice = hello(hub, "Alice")
    join(hub, alice, "general")
    message = say(hub, alice, "general", "première vie")
    hub.leave(alice)
    newcomer = hello(hub, "Alice")
    join(hub, newcomer, "general")

    error = refusal(hub, newcomer, DeleteMessage(message.id, message))

    assert error.code is ErrorCode.FORBIDDEN


def test_delete_message_sent_before_a_resume_allowed() -> None:
    hub = make_hub()
    alice, bruno, _chloe = _three_in_general(hub)
    message = say(hub, alice, "general", "avant le rechargement")
    dm = _dm(hub, alice, "Bruno", "privé, avant")
    hub.rekey(alice, "alice-resumed", START_MS)

    outcome = hub.apply("alice-resumed", DeleteMessage(message.id, message), START_MS)
    private = hub.apply("alice-resumed", DeleteMessage(dm.id, dm), START_MS)

    assert len(outcome.deliveries) == 1
    assert private.deliveries[0] == (ToSession(bruno), DmDeleted(dm.id))


def test_dm_reply_to_a_message_from_before_a_resume_quotes_it() -> None:
    hub = make_hub()
    alice, _bruno, _chloe = _three_in_general(hub)
    question = _dm(hub, alice, "Bruno", "tu es là ?")
    bruno_id = hub.session_of_nick("Bruno")
    assert bruno_id is not None
    hub.rekey(bruno_id, "bruno-resumed", START_MS)

    answer = _dm(hub, "bruno-resumed", "Alice", "oui", reply_to=question.id, quoted=question)

    assert answer.reply_to is not None and answer.reply_to.id == question.id


def test_delete_own_private_message_tells_both_sides() -> None:
    hub = make_hub()
    alice, bruno, _chloe = _three_in_general(hub)
    dm = _dm(hub, alice, "Bruno", "pas envoyé à la bonne personne")

    outcome = hub.apply(alice, DeleteMessage(dm.id, dm), START_MS)

    assert outcome.deliveries == [
        (ToSession(bruno), DmDeleted(dm.id)),
        (ToSession(alice), DmDeleted(dm.id)),
    ]


def test_delete_private_message_received_refused_forbidden() -> None:
    hub = make_hub()
    alice, bruno, _chloe = _three_in_general(hub)
    dm = _dm(hub, alice, "Bruno", "coucou")

    error = refusal(hub, bruno, DeleteMessage(dm.id, dm))

    assert error.code is ErrorCode.FORBIDDEN


def test_delete_private_message_of_others_refused_not_found() -> None:
    hub = make_hub()
    alice, _bruno, chloe = _three_in_general(hub)
    dm = _dm(hub, alice, "Bruno", "entre nous")

    error = refusal(hub, chloe, DeleteMessage(dm.id, dm))

    assert error.code is ErrorCode.NOT_FOUND


def test_delete_original_empties_the_quote_of_replies_in_memory() -> None:
    hub = make_hub()
    alice, bruno, _chloe = _three_in_general(hub)
    original = say(hub, alice, "general", "phrase regrettée")
    reply = _posted(
        hub.apply(bruno, Say("general", "hein", reply_to=original.id, quoted=original), START_MS)
    )

    hub.apply(alice, DeleteMessage(original.id, original), START_MS)

    kept = hub.find_recent(reply.id)
    assert kept is not None and kept.reply_to == Quote(original.id)


# -- typing ----------------------------------------------------------------------------------


def test_typing_in_a_room_goes_to_the_room() -> None:
    hub = make_hub()
    alice, _bruno, _chloe = _three_in_general(hub)

    outcome = hub.apply(alice, Typing(room="general"), START_MS)

    assert outcome.deliveries == [(ToRoom("general"), TypingShown(public(hub, alice), "general"))]


def test_typing_again_within_the_interval_dropped_then_sent_after() -> None:
    hub = make_hub()
    alice, _bruno, _chloe = _three_in_general(hub)
    hub.apply(alice, Typing(room="general"), START_MS)

    soon = hub.apply(alice, Typing(room="general"), START_MS + TYPING_INTERVAL_MS - 1)
    later = hub.apply(alice, Typing(room="general"), START_MS + TYPING_INTERVAL_MS)

    assert soon.deliveries == [] and len(later.deliveries) == 1


def test_typing_interval_is_per_target() -> None:
    hub = make_hub()
    alice, _bruno, _chloe = _three_in_general(hub)
    join(hub, alice, "musique")
    hub.apply(alice, Typing(room="general"), START_MS)

    other = hub.apply(alice, Typing(room="musique"), START_MS + 1)

    assert len(other.deliveries) == 1


def test_typing_in_a_room_not_joined_dropped() -> None:
    hub = make_hub()
    alice, _bruno, _chloe = _three_in_general(hub)

    assert hub.apply(alice, Typing(room="musique"), START_MS).deliveries == []


def test_typing_to_an_accepted_contact_goes_to_them() -> None:
    hub = make_hub()
    alice, bruno, _chloe = _three_in_general(hub)
    _dm(hub, bruno, "Alice", "salut")  # Bruno wrote to Alice: he knows her

    outcome = hub.apply(alice, Typing(to="Bruno"), START_MS)

    assert outcome.deliveries == [(ToSession(bruno), TypingShown(public(hub, alice)))]


def test_typing_to_someone_who_has_not_accepted_dropped() -> None:
    hub = make_hub()
    alice, _bruno, _chloe = _three_in_general(hub)
    _dm(hub, alice, "Bruno", "salut")  # a request Bruno has not answered

    assert hub.apply(alice, Typing(to="Bruno"), START_MS).deliveries == []


def test_typing_to_a_blocker_dropped() -> None:
    hub = make_hub()
    alice, bruno, _chloe = _three_in_general(hub)
    _dm(hub, bruno, "Alice", "salut")
    hub.apply(bruno, Block("Alice"), START_MS)

    assert hub.apply(alice, Typing(to="Bruno"), START_MS).deliveries == []


def test_typing_to_someone_blocked_dropped() -> None:
    hub = make_hub()
    alice, bruno, _chloe = _three_in_general(hub)
    _dm(hub, bruno, "Alice", "salut")
    hub.apply(alice, Block("Bruno"), START_MS)

    assert hub.apply(alice, Typing(to="Bruno"), START_MS).deliveries == []


def test_typing_across_age_bands_dropped() -> None:
    hub = make_hub()
    adult = hello(hub, "Adulte", age=30)
    minor = hello(hub, "Ado", age=15)
    hub.apply(minor, AcceptDm("Adulte"), START_MS)  # whatever the contacts say

    assert hub.apply(adult, Typing(to="Ado"), START_MS).deliveries == []
    assert hub.apply(minor, Typing(to="Adulte"), START_MS).deliveries == []


def test_typing_without_target_refused_invalid() -> None:
    hub = make_hub()
    alice = hello(hub, "Alice")
    hub.apply(alice, Join("general"), START_MS)

    error = refusal(hub, alice, Typing())

    assert (error.code, error.field) == (ErrorCode.INVALID, "room")
