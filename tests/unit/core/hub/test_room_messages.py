"""`RoomMessages` with the parts it is given: which refusal a message gets when several apply
(the order of the checks), the room's own flood bucket, what a held message leaves behind,
history requests, and the grooming detector in teen rooms."""

from __future__ import annotations

from typing import Any

import pytest

from causerie.core.commands import FetchHistory, Say
from causerie.core.events import HistoryLoaded, MessagePosted, ToRoom
from causerie.core.hub.config import HubConfig
from causerie.core.hub.sessions import Session
from causerie.core.messages import MediaRef
from causerie.core.policy.nicknames import nick_key
from causerie.core.policy.ratelimits import RateLimit
from causerie.core.policy.review import Review, ReviewAction
from causerie.core.policy.trust import TrustRule
from causerie.core.policy.watch import WatchVerdict
from causerie.core.rooms import DEFAULT_ROOMS, Audience, Room, RoomKind
from causerie.errors import CauserieError, ErrorCode
from tests.unit.core.builders import START_MS, TEEN_ROOM_IDS
from tests.unit.core.hub.parts import FakeWatch, Parts, admit, in_room, make_parts

NO_PICTURES = Room("sans-images", "Sans images", RoomKind.THEMATIC, Audience.ADULT, 5, "", False)
BLOCK = Review(ReviewAction.BLOCK, message_key="automod_blocked")


def _parts(**config: Any) -> tuple[Parts, Session]:
    parts = make_parts(HubConfig(dm_wait_s=0, **config), (*DEFAULT_ROOMS, NO_PICTURES))
    alice = admit(parts.sessions, "Alice")
    in_room(parts, alice, "general")
    in_room(parts, alice, NO_PICTURES.id)
    return parts, alice


def _refused(parts: Parts, session: Session, command: Say, now_ms: int = START_MS) -> str:
    with pytest.raises(CauserieError) as caught:
        parts.messages.say(session, command, now_ms)
    return caught.value.key


def test_say_posts_keeps_the_message_and_counts_it_towards_trust() -> None:
    parts, alice = _parts()
    outcome = parts.messages.say(alice, Say("general", " bonjour "), START_MS)
    [message] = outcome.records
    assert message.text == "bonjour" and message.sender == alice.user
    assert outcome.deliveries == [(ToRoom("general"), MessagePosted(message))]
    assert parts.history.since("general", None) == (message,)
    assert alice.trust.delivered == 1


def test_membership_comes_before_the_text() -> None:
    parts, _alice = _parts()
    bruno = admit(parts.sessions, "Bruno")
    assert _refused(parts, bruno, Say("general", "   ")) == "not_in_room"


def test_pictures_of_the_room_come_before_the_text() -> None:
    parts, alice = _parts(max_text_chars=3)
    command = Say(NO_PICTURES.id, "bien trop long", MediaRef("p1"))
    assert _refused(parts, alice, command) == "pictures_not_allowed"


def test_the_text_comes_before_a_mute() -> None:
    parts, alice = _parts()
    parts.restrictions.mute(alice.id, None, None)
    assert _refused(parts, alice, Say("general", " \x00 ")) == "text_empty"
    assert _refused(parts, alice, Say("general", "ok")) == "muted"


def test_a_mute_comes_before_trust_and_trust_before_automatic_moderation() -> None:
    parts, alice = _parts(trust=TrustRule(messages=1, span_s=0))
    parts.reviewer.verdict = BLOCK
    parts.restrictions.mute(alice.id, "general", None)
    assert _refused(parts, alice, Say("general", "https://x.fr")) == "muted"
    parts.restrictions.unmute(alice.id, "general")
    assert _refused(parts, alice, Say("general", "https://x.fr")) == "trust_links"
    assert parts.reviewer.texts == []  # refused before anyone reviewed it


def test_the_repeat_comes_before_the_bucket_and_the_bucket_before_automatic_moderation() -> None:
    limit = RateLimit(capacity=3, refill_per_s=0.001)
    parts, alice = _parts(say_limit=limit, repeat_max=2)
    for _ in range(2):
        parts.messages.say(alice, Say("general", "pareil"), START_MS)
    parts.reviewer.verdict = BLOCK
    assert _refused(parts, alice, Say("general", "PAREIL")) == "repeated_message"
    assert _refused(parts, alice, Say("general", "autre")) == "automod_blocked"  # last token
    assert _refused(parts, alice, Say("general", "encore")) == "rate_limited"
    assert parts.reviewer.texts[-3:] == ["PAREIL", "autre", "encore"]  # asked every time


def test_a_line_refused_by_the_flood_limit_is_not_counted_as_a_repeat() -> None:
    limit = RateLimit(capacity=1, refill_per_s=1.0)
    parts, alice = _parts(say_limit=limit, repeat_max=2)
    parts.messages.say(alice, Say("general", "bonjour"), START_MS)
    for _ in range(3):  # told to wait, three times
        assert _refused(parts, alice, Say("general", "bonjour")) == "rate_limited"
    assert parts.messages.say(alice, Say("general", "bonjour"), START_MS + 1_000).records
    assert _refused(parts, alice, Say("general", "bonjour"), START_MS + 2_000) == (
        "repeated_message"  # said twice now: the third is the repeat
    )


def test_the_room_bucket_is_shared_by_its_senders_and_its_own() -> None:
    parts, alice = _parts(room_limit=RateLimit(capacity=1, refill_per_s=0.001))
    bruno = admit(parts.sessions, "Bruno")
    in_room(parts, bruno, "general")
    in_room(parts, bruno, "musique")
    parts.messages.say(alice, Say("general", "un"), START_MS)
    assert _refused(parts, bruno, Say("general", "deux")) == "rate_limited"
    assert parts.messages.say(bruno, Say("musique", "trois"), START_MS).records


def test_an_untrusted_identity_has_its_own_tighter_bucket() -> None:
    untrusted = RateLimit(capacity=1, refill_per_s=0.001)
    parts, alice = _parts(untrusted_limit=untrusted, trust=TrustRule(messages=5, span_s=0))
    parts.messages.say(alice, Say("general", "un"), START_MS)
    assert _refused(parts, alice, Say("general", "deux")) == "rate_limited"
    assert alice.untrusted_bucket is not None


def test_a_refused_message_leaves_nothing_behind() -> None:
    parts, alice = _parts()
    parts.restrictions.room("general").set_slow_mode(60)
    parts.reviewer.verdict = BLOCK
    _refused(parts, alice, Say("general", "non"))
    parts.reviewer.verdict = Review()
    parts.messages.say(alice, Say("general", "oui"), START_MS)  # slow mode had not started
    assert [m.text for m in parts.history.since("general", None)] == ["oui"]
    assert alice.trust.delivered == 1


def test_a_held_message_is_neither_kept_nor_delivered_nor_counted() -> None:
    parts, alice = _parts()
    parts.reviewer.verdict = Review(ReviewAction.HOLD, "contact", "contact", 3)
    outcome = parts.messages.say(alice, Say("general", "06 12 34 56 78"), START_MS)
    assert outcome.error is not None and outcome.error.code is ErrorCode.HELD_FOR_REVIEW
    assert outcome.records == [] and outcome.deliveries == []
    assert [flag.is_held for flag in outcome.flags] == [True]
    assert parts.history.since("general", None) == ()
    assert alice.trust.delivered == 0


def test_fetch_history_is_for_members_and_answers_from_memory() -> None:
    parts, alice = _parts()
    bruno = admit(parts.sessions, "Bruno")
    [message] = parts.messages.say(alice, Say("general", "salut"), START_MS).records
    with pytest.raises(CauserieError) as caught:
        parts.messages.fetch_history(bruno, FetchHistory("general"), START_MS)
    assert caught.value.key == "not_in_room"
    outcome = parts.messages.fetch_history(alice, FetchHistory("general", limit=5), START_MS)
    assert outcome.replies == [HistoryLoaded("general", (message,), False)]


def test_a_teen_room_message_is_weighed_for_members_it_names_only() -> None:
    watch = FakeWatch([WatchVerdict(("flattery",), None, 9.0, True)])
    parts = make_parts(watch=watch)
    room = TEEN_ROOM_IDS[0]
    writer, nina = admit(parts.sessions, "Teo", age=16), admit(parts.sessions, "Nina", age=14)
    admit(parts.sessions, "Lea", age=14)  # connected, not in the room
    in_room(parts, writer, room)
    in_room(parts, nina, room)
    outcome = parts.messages.say(writer, Say(room, "Lea et Nina vous êtes où"), START_MS)
    assert watch.seen == [(nick_key("Teo"), nick_key("Nina"))]
    assert [alert.recipient_session for alert in outcome.alerts] == [nina.id]
    assert writer.is_paused_with_minors


def test_an_adult_room_message_is_not_weighed() -> None:
    parts, alice = _parts()
    parts.messages.say(alice, Say("general", "Bruno tu es là"), START_MS)
    assert parts.watch.seen == []
