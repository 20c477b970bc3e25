"""`RecentHistory` alone: what is kept, pages from memory or a query for the store, messages
from other nodes kept once, deletions, and message ids never going back."""

from __future__ import annotations

import pytest

from causerie.core.events import HistoryLoaded, HistoryQuery, MessageDeleted, ToRoom
from causerie.core.hub.history import RecentHistory
from causerie.core.messages import Message, MessageIds
from causerie.core.users import Gender, PublicUser
from causerie.errors import CauserieError, ErrorCode
from tests.unit.core.builders import START_MS

ALICE = PublicUser("Alice", Gender.WOMAN, 30, "75", "Île-de-France")


def _history(size: int = 5, ids: MessageIds | None = None) -> RecentHistory:
    return RecentHistory(["general", "musique"], size, ids or MessageIds())


def _message(message_id: int, room: str = "general") -> Message:
    return Message(message_id, room, ALICE, f"message {message_id}", START_MS)


def test_since_returns_the_messages_after_an_id_and_all_for_none() -> None:
    history = _history()
    for message_id in (1, 2, 3):
        history.add(_message(message_id))
    assert [m.id for m in history.since("general", 1)] == [2, 3]
    assert [m.id for m in history.since("general", None)] == [1, 2, 3]
    assert history.since("musique", None) == ()
    assert history.since("nowhere", None) == ()


def test_only_the_last_messages_are_kept() -> None:
    history = _history(size=2)
    for message_id in (1, 2, 3):
        history.add(_message(message_id))
    assert [m.id for m in history.since("general", None)] == [2, 3]
    assert history.find(1) is None


def test_page_answers_from_memory_while_it_covers_the_request() -> None:
    history = _history(size=5)
    for message_id in (1, 2, 3):
        history.add(_message(message_id))
    [page] = history.page("general", None, 2).replies
    assert page == HistoryLoaded("general", (_message(2), _message(3)), True)
    [whole] = history.page("general", None, 10).replies  # room for more: nothing older exists
    assert whole == HistoryLoaded("general", (_message(1), _message(2), _message(3)), False)
    [before] = history.page("general", 3, 1).replies
    assert before == HistoryLoaded("general", (_message(2),), True)


def test_page_asks_the_store_when_memory_is_full_and_the_request_goes_further() -> None:
    history = _history(size=2)
    for message_id in (1, 2, 3):
        history.add(_message(message_id))
    outcome = history.page("general", None, 5)
    assert outcome.replies == []
    assert outcome.query == HistoryQuery("general", None, 5)


@pytest.mark.parametrize("limit", [0, 101, -1])
def test_page_limit_outside_1_to_100_is_invalid(limit: int) -> None:
    with pytest.raises(CauserieError) as caught:
        _history().page("general", None, limit)
    error = caught.value
    assert (error.code, error.key, error.field, error.params) == (
        ErrorCode.INVALID,
        "history_limit",
        "limit",
        {"max": 100},
    )


def test_remember_keeps_a_message_once_and_ids_never_go_back() -> None:
    ids = MessageIds()
    history = _history(ids=ids)
    later = ids.next_id(START_MS + 60_000)  # another node's id, a minute ahead of our clock
    history.remember(_message(later))
    history.remember(_message(later))
    assert [m.id for m in history.since("general", None)] == [later]
    assert ids.next_id(START_MS) > later


def test_remember_for_a_room_not_here_keeps_nothing_and_moves_no_id() -> None:
    ids = MessageIds()
    history = _history(ids=ids)
    history.remember(_message(MessageIds().next_id(START_MS + 60_000), room="nowhere"))
    assert ids.next_id(START_MS) < MessageIds().next_id(START_MS + 60_000)


def test_preload_keeps_stored_messages_in_order_and_moves_ids_past_them() -> None:
    ids, stored = MessageIds(), MessageIds()
    history = _history(ids=ids)
    messages = [_message(stored.next_id(START_MS + 60_000)) for _ in range(3)]
    history.preload("general", messages)
    history.preload("nowhere", [_message(10**15)])
    assert list(history.since("general", None)) == messages
    assert ids.next_id(START_MS) > messages[-1].id


def test_delete_removes_the_message_and_tells_its_room() -> None:
    history = _history()
    history.add(_message(1))
    history.add(_message(2, room="musique"))
    outcome = history.delete(2)
    assert outcome.deliveries == [(ToRoom("musique"), MessageDeleted("musique", 2))]
    assert history.find(2) is None
    assert history.find(1) == _message(1)
    assert history.delete(2).deliveries == []
