"""`Screening` alone: the text of a message, trust and links, what each verdict of automatic
moderation adds to the outcome, and the flood buckets' refusal."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from causerie.core.events import Flag, Noticed, NoticeKind, ToSession
from causerie.core.hub.config import HubConfig
from causerie.core.hub.screening import Screening, take_token
from causerie.core.hub.sessions import Session
from causerie.core.messages import DirectMessage, MediaRef, Message
from causerie.core.policy.ratelimits import RateLimit, TokenBucket
from causerie.core.policy.review import Review, ReviewAction
from causerie.core.policy.trust import TrustRule
from causerie.errors import CauserieError, ErrorCode
from tests.unit.core.builders import START_MS
from tests.unit.core.hub.parts import FakeReviewer, admit, make_parts


def _screening(config: HubConfig | None = None) -> Screening:
    return Screening(FakeReviewer(), config or HubConfig())


def _refusal(call: object) -> CauserieError:
    assert callable(call)
    with pytest.raises(CauserieError) as caught:
        call()
    return caught.value


def test_text_of_a_picture_may_be_empty_and_a_text_is_cleaned() -> None:
    screening = _screening(HubConfig(max_text_chars=5))
    assert screening.text_of("  ", MediaRef("p1")) == ""
    assert screening.text_of(" a\x00b ", None) == "ab"
    assert _refusal(lambda: screening.text_of(" \x01 ", None)).key == "text_empty"
    error = _refusal(lambda: screening.text_of("abcdef", None))
    assert (error.code, error.params) == (ErrorCode.TOO_LARGE, {"max": 5})


def test_an_identity_not_yet_trusted_sends_no_link() -> None:
    parts = make_parts()
    alice = admit(parts.sessions, "Alice")
    screening = _screening(HubConfig(trust=TrustRule(messages=1, span_s=0)))
    error = _refusal(lambda: screening.check_trust(alice, "https://x.fr", START_MS))
    assert (error.code, error.key, error.field) == (ErrorCode.FORBIDDEN, "trust_links", "text")
    screening.check_trust(alice, "pas de lien", START_MS)
    alice.trust.record_delivered(START_MS)
    screening.check_trust(alice, "https://x.fr", START_MS)
    _screening(HubConfig(trust=None)).check_trust(admit(parts.sessions, "Bruno"), "https://x", 0)


@dataclass
class Scene:
    screening: Screening
    sender: Session
    message: Message  # in a room
    dm: DirectMessage  # to Bruno


@pytest.fixture
def scene() -> Scene:
    parts = make_parts()
    alice, bruno = admit(parts.sessions, "Alice"), admit(parts.sessions, "Bruno")
    message = Message(1, "general", alice.user, "x", START_MS, alice.id)
    dm = DirectMessage(2, alice.user, bruno.user, "x", START_MS, alice.id, bruno.id)
    return Scene(_screening(), alice, message, dm)


def test_deliver_adds_nothing(scene: Scene) -> None:
    outcome = scene.screening.outcome_of(scene.sender, scene.message, Review())
    assert (outcome.replies, outcome.deliveries, outcome.flags, outcome.error) == ([], [], [], None)


def test_block_refuses_with_the_rules_message(scene: Scene) -> None:
    review = Review(ReviewAction.BLOCK, message_key="automod_insult")
    error = _refusal(lambda: scene.screening.outcome_of(scene.sender, scene.message, review))
    assert (error.code, error.key, error.field) == (ErrorCode.FORBIDDEN, "automod_insult", "text")


def test_hold_flags_and_withholds_without_any_notice(scene: Scene) -> None:
    review = Review(ReviewAction.HOLD, "contact", "contact", 3, also_notice=True)
    outcome = scene.screening.outcome_of(scene.sender, scene.dm, review)
    assert outcome.flags == [Flag("contact", "contact", 3, scene.dm, True)]
    assert outcome.error is not None and outcome.error.code is ErrorCode.HELD_FOR_REVIEW
    assert outcome.deliveries == [] and outcome.replies == []


def test_flag_delivers_and_flags_unheld(scene: Scene) -> None:
    review = Review(ReviewAction.FLAG, "insult")
    outcome = scene.screening.outcome_of(scene.sender, scene.message, review)
    assert outcome.flags == [Flag("insult", "other", 1, scene.message, False)]
    assert outcome.error is None


def test_warn_tells_the_sender_and_its_notice_falls_back_to_meeting_safety(scene: Scene) -> None:
    review = Review(ReviewAction.WARN, message_key="automod_warning_x", also_notice=True)
    outcome = scene.screening.outcome_of(scene.sender, scene.message, review)
    assert outcome.replies == [Noticed(NoticeKind.MODERATION, "automod_warning_x")]
    safety = Noticed(NoticeKind.SAFETY, "meeting_safety")
    assert outcome.deliveries == [(ToSession(scene.sender.id), safety)]


def test_notice_shows_both_sides_of_a_private_message_and_the_sender_alone_in_a_room(
    scene: Scene,
) -> None:
    review = Review(ReviewAction.NOTICE, message_key="automod_meeting")
    notice = Noticed(NoticeKind.SAFETY, "automod_meeting")
    room = scene.screening.outcome_of(scene.sender, scene.message, review)
    private = scene.screening.outcome_of(scene.sender, scene.dm, review)
    assert room.deliveries == [(ToSession(scene.sender.id), notice)]
    assert private.deliveries == [
        (ToSession(scene.sender.id), notice),
        (ToSession(scene.dm.recipient_session), notice),
    ]


def test_take_token_refuses_an_empty_bucket_with_the_wait() -> None:
    take_token(None, START_MS)  # no limit
    bucket = TokenBucket(RateLimit(capacity=1, refill_per_s=0.5), START_MS / 1000)
    take_token(bucket, START_MS)
    error = _refusal(lambda: take_token(bucket, START_MS))
    assert (error.code, error.key, error.retry_after_s) == (
        ErrorCode.RATE_LIMITED,
        "rate_limited",
        2.0,
    )
