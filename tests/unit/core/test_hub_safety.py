"""The hub's safety behaviour (DESIGN.md rules 3, 5 and 6; issue 3): strangers' private messages
as requests, the new-session wait, who may write to whom, what automatic moderation makes of a
message, graduated trust, and the moderators' actions the node carries out through the hub.

Automatic moderation is a fake `TextReviewer` here: each test says which `Review` it returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from causerie.core.commands import (
    AcceptDm,
    ChangeSettings,
    DeclineDm,
    Hello,
    Join,
    Say,
    SendDm,
)
from causerie.core.conversations import Arrival
from causerie.core.events import (
    AgeVerified,
    DmAccepted,
    DmDeclined,
    DmSent,
    Flag,
    Joined,
    MessageDeleted,
    MessagePosted,
    Noticed,
    NoticeKind,
    Outcome,
    Parted,
    PresenceChanged,
    PresenceState,
    RoomStateChanged,
    SettingsChanged,
    ToRoom,
    ToSession,
)
from causerie.core.hub import Hub, HubConfig
from causerie.core.messages import DirectMessage, Message
from causerie.core.policy.nicknames import staff_skeletons
from causerie.core.policy.review import PASS, Review, ReviewAction
from causerie.core.policy.trust import TrustRule
from causerie.errors import CauserieError, ErrorCode
from causerie.safety.automod import Automod, load_default_rules
from causerie.safety.review import RulesReviewer
from tests.unit.core.builders import (
    START_MS,
    hello,
    hello_refusal,
    is_empty,
    join,
    make_hub,
    public,
    refusal,
    say,
)

SECOND_MS = 1000


@dataclass
class FakeReviewer:
    """Returns `verdict` for every text; a text holding "://" has a link."""

    verdict: Review = PASS
    calls: list[tuple[bool, bool, bool]] = field(default_factory=list)

    def review(
        self, text: str, *, is_private: bool, sender_is_minor: bool, recipient_is_minor: bool
    ) -> Review:
        self.calls.append((is_private, sender_is_minor, recipient_is_minor))
        return self.verdict

    def mask(self, text: str) -> str:
        return text

    def has_link(self, text: str) -> bool:
        return "://" in text


def _hub(verdict: Review = PASS, config: HubConfig | None = None) -> tuple[Hub, FakeReviewer]:
    reviewer = FakeReviewer(verdict)
    return make_hub(config, reviewer=reviewer), reviewer


def _pair(hub: Hub, now_ms: int = START_MS) -> tuple[str, str]:
    """Alice and Bruno, two adults who never wrote to each other."""
    return hello(hub, "Alice", now_ms=now_ms), hello(hub, "Bruno", gender="man", now_ms=now_ms)


def _in_general(hub: Hub) -> tuple[str, str]:
    alice, bruno = _pair(hub)
    join(hub, alice, "general")
    join(hub, bruno, "general")
    return alice, bruno


def _dm(hub: Hub, sender: str, to: str, text: str = "salut", now_ms: int = START_MS) -> Outcome:
    return hub.apply(sender, SendDm(to, text), now_ms)


def _only_record(outcome: Outcome) -> Message | DirectMessage:
    [record] = outcome.records
    return record


def _assert_error(error: CauserieError, code: ErrorCode, key: str, field: str | None) -> None:
    assert (error.code, error.key, error.field) == (code, key, field)


# -- strangers' requests --------------------------------------------------------------------


def test_arrival_from_stranger_is_request() -> None:
    hub, _ = _hub()
    _alice, bruno = _pair(hub)

    assert hub.arrival(bruno, "Alice") is Arrival.REQUEST


def test_arrival_unknown_session_dropped() -> None:
    hub, _ = _hub()
    _pair(hub)

    assert hub.arrival("gone", "Alice") is Arrival.DROP


def test_arrival_after_writing_to_them_delivered() -> None:
    hub, _ = _hub()
    alice, bruno = _pair(hub)

    _dm(hub, alice, "Bruno")

    assert hub.arrival(alice, "Bruno") is Arrival.DELIVER  # writing accepts their replies
    assert hub.arrival(bruno, "Alice") is Arrival.REQUEST  # Bruno has not accepted yet


def test_accept_dm_replies_accepted_and_delivers_later_messages() -> None:
    hub, _ = _hub()
    _alice, bruno = _pair(hub)
    hub.arrival(bruno, "Alice")

    outcome = hub.apply(bruno, AcceptDm("  alice "), START_MS)

    assert outcome.replies == [DmAccepted("alice")]
    assert hub.arrival(bruno, "ALICE") is Arrival.DELIVER


def test_decline_dm_replies_declined_and_drops_later_messages() -> None:
    hub, _ = _hub()
    _alice, bruno = _pair(hub)
    hub.arrival(bruno, "Alice")

    outcome = hub.apply(bruno, DeclineDm("Alice"), START_MS)

    assert outcome.replies == [DmDeclined("Alice")]
    assert hub.arrival(bruno, "Alice") is Arrival.DROP


def test_send_dm_to_someone_who_declined_refused_dm_blocked() -> None:
    hub, _ = _hub()
    alice, bruno = _pair(hub)
    hub.apply(bruno, DeclineDm("Alice"), START_MS)

    error = refusal(hub, alice, SendDm("Bruno", "tu es là ?"))

    _assert_error(error, ErrorCode.DM_BLOCKED, "dm_blocked", "to")


# -- is_new_conversation --------------------------------------------------------------------


def test_is_new_conversation_stranger_true() -> None:
    hub, _ = _hub()
    alice, _bruno = _pair(hub)

    assert hub.is_new_conversation(alice, "Bruno")


def test_is_new_conversation_after_writing_false_both_ways() -> None:
    hub, _ = _hub()
    alice, bruno = _pair(hub)

    _dm(hub, alice, "Bruno")

    assert not hub.is_new_conversation(alice, " bruno ")
    assert not hub.is_new_conversation(bruno, "Alice")  # a reply opens nothing new


def test_is_new_conversation_after_accepting_false() -> None:
    hub, _ = _hub()
    alice, bruno = _pair(hub)

    hub.apply(bruno, AcceptDm("Alice"), START_MS)

    assert not hub.is_new_conversation(bruno, "Alice")
    assert not hub.is_new_conversation(alice, "Bruno")  # Bruno accepted her: not a stranger


def test_is_new_conversation_someone_else_accepted_stays_new() -> None:
    hub, _ = _hub()
    alice, bruno = _pair(hub)
    hello(hub, "Chloe")

    hub.apply(bruno, AcceptDm("Alice"), START_MS)

    assert hub.is_new_conversation(alice, "Chloe")


def test_is_new_conversation_unknown_session_false() -> None:
    hub, _ = _hub()
    _pair(hub)

    assert not hub.is_new_conversation("gone", "Bruno")


# -- the new-session wait -------------------------------------------------------------------


def test_send_dm_new_session_to_stranger_refused_with_retry_after() -> None:
    hub, _ = _hub(config=HubConfig(dm_wait_s=60))
    alice, _bruno = _pair(hub)

    error = refusal(hub, alice, SendDm("Bruno", "salut"), START_MS + 10 * SECOND_MS)

    _assert_error(error, ErrorCode.RATE_LIMITED, "dm_wait", None)
    assert error.retry_after_s == 50.0


def test_send_dm_after_the_wait_delivered() -> None:
    hub, _ = _hub(config=HubConfig(dm_wait_s=60))
    alice, bruno = _pair(hub)

    outcome = _dm(hub, alice, "Bruno", now_ms=START_MS + 60 * SECOND_MS)

    dm = _only_record(outcome)
    assert outcome.deliveries == [
        (ToSession(bruno), DmSent(dm)),
        (ToSession(alice), DmSent(dm)),
    ]


def test_send_dm_new_session_replying_to_who_wrote_first_not_delayed() -> None:
    hub, _ = _hub(config=HubConfig(dm_wait_s=60))
    alice = hello(hub, "Alice")
    late_ms = START_MS + 60 * SECOND_MS
    bruno = hello(hub, "Bruno", now_ms=late_ms)
    _dm(hub, alice, "Bruno", now_ms=late_ms)

    outcome = _dm(hub, bruno, "Alice", "bonjour !", now_ms=late_ms + SECOND_MS)

    assert len(outcome.records) == 1


def test_send_dm_new_session_to_accepted_person_not_delayed() -> None:
    hub, _ = _hub(config=HubConfig(dm_wait_s=60))
    alice, _bruno = _pair(hub)
    hub.apply(alice, AcceptDm("Bruno"), START_MS)

    outcome = _dm(hub, alice, "Bruno", now_ms=START_MS + SECOND_MS)

    assert len(outcome.records) == 1


def test_send_dm_wait_refusal_changes_nothing() -> None:
    hub, _ = _hub(config=HubConfig(dm_wait_s=60))
    alice, bruno = _pair(hub)

    refusal(hub, alice, SendDm("Bruno", "salut"), START_MS + SECOND_MS)

    assert hub.is_new_conversation(alice, "Bruno")
    assert hub.arrival(bruno, "Alice") is Arrival.REQUEST


# -- dm_policy via settings -----------------------------------------------------------------


@pytest.mark.parametrize("policy", ["everyone", "shared_room", "nobody"])
def test_change_settings_known_policy_replies_settings(policy: str) -> None:
    hub, _ = _hub()
    alice, _bruno = _pair(hub)

    outcome = hub.apply(alice, ChangeSettings(policy), START_MS)

    assert outcome.replies == [SettingsChanged(policy)]


def test_change_settings_unknown_policy_refused_invalid_and_unchanged() -> None:
    hub, _ = _hub()
    alice, bruno = _pair(hub)
    hub.apply(bruno, ChangeSettings("nobody"), START_MS)

    error = refusal(hub, bruno, ChangeSettings("friends"))

    _assert_error(error, ErrorCode.INVALID, "dm_policy", "dm_policy")
    _assert_error(
        refusal(hub, alice, SendDm("Bruno", "?")), ErrorCode.DM_BLOCKED, "dm_blocked", "to"
    )


def test_send_dm_recipient_accepts_nobody_refused_dm_blocked() -> None:
    hub, _ = _hub()
    alice, bruno = _pair(hub)
    hub.apply(bruno, ChangeSettings("nobody"), START_MS)

    error = refusal(hub, alice, SendDm("Bruno", "salut"))

    _assert_error(error, ErrorCode.DM_BLOCKED, "dm_blocked", "to")


def test_send_dm_shared_room_policy_without_shared_room_refused() -> None:
    hub, _ = _hub()
    alice, bruno = _pair(hub)
    join(hub, alice, "general")
    join(hub, bruno, "musique")
    hub.apply(bruno, ChangeSettings("shared_room"), START_MS)

    error = refusal(hub, alice, SendDm("Bruno", "salut"))

    _assert_error(error, ErrorCode.DM_BLOCKED, "dm_blocked", "to")


def test_send_dm_shared_room_policy_with_shared_room_delivered() -> None:
    hub, _ = _hub()
    alice, bruno = _in_general(hub)
    hub.apply(bruno, ChangeSettings("shared_room"), START_MS)

    outcome = _dm(hub, alice, "Bruno")

    assert len(outcome.records) == 1


def test_send_dm_nobody_policy_known_contact_still_delivered() -> None:
    hub, _ = _hub()
    alice, bruno = _pair(hub)
    _dm(hub, bruno, "Alice")  # Bruno wrote first: Alice is known to him
    hub.apply(bruno, ChangeSettings("nobody"), START_MS)

    outcome = _dm(hub, alice, "Bruno", "re")

    assert len(outcome.records) == 1


# -- automatic moderation: what each review action does -------------------------------------


def test_say_reviewer_blocks_refused_forbidden_nothing_kept() -> None:
    hub, _ = _hub(Review(ReviewAction.BLOCK, "bad-words", message_key="automod_hate"))
    alice, _bruno = _in_general(hub)

    error = refusal(hub, alice, Say("general", "texte bloqué"))

    _assert_error(error, ErrorCode.FORBIDDEN, "automod_hate", "text")
    joined = hub.apply(alice, Join("general"), START_MS).replies[0]
    assert isinstance(joined, Joined) and joined.history == ()


def test_say_reviewer_blocks_without_key_uses_automod_blocked() -> None:
    hub, _ = _hub(Review(ReviewAction.BLOCK, "x"))
    alice, _bruno = _in_general(hub)

    error = refusal(hub, alice, Say("general", "texte"))

    assert error.key == "automod_blocked"


def test_send_dm_reviewer_blocks_refused_and_conversation_not_opened() -> None:
    hub, _ = _hub(Review(ReviewAction.BLOCK, "x"))
    alice, _bruno = _pair(hub)

    error = refusal(hub, alice, SendDm("Bruno", "texte"))

    assert error.code is ErrorCode.FORBIDDEN
    assert hub.is_new_conversation(alice, "Bruno")


def test_say_reviewer_holds_error_and_held_flag_without_delivery() -> None:
    review = Review(ReviewAction.HOLD, "phone-minor", "contact_details", 4)
    hub, _ = _hub(review)
    alice, _bruno = _in_general(hub)

    outcome = hub.apply(alice, Say("general", "06 12 34 56 78"), START_MS)

    assert outcome.error is not None
    assert (outcome.error.code, outcome.error.key) == (ErrorCode.HELD_FOR_REVIEW, "held_for_review")
    [flag] = outcome.flags
    assert (flag.rule, flag.category, flag.severity, flag.is_held) == (
        "phone-minor",
        "contact_details",
        4,
        True,
    )
    assert isinstance(flag.message, Message) and flag.message.text == "06 12 34 56 78"
    assert (outcome.deliveries, outcome.records, outcome.replies) == ([], [], [])
    assert hub.find_recent(flag.message.id) is None


def test_send_dm_reviewer_holds_nothing_delivered_and_not_accepted() -> None:
    hub, _ = _hub(Review(ReviewAction.HOLD, "meeting-minor", "meeting", 5))
    alice, _bruno = _pair(hub)

    outcome = _dm(hub, alice, "Bruno", "viens chez moi")

    assert outcome.error is not None and outcome.error.code is ErrorCode.HELD_FOR_REVIEW
    [flag] = outcome.flags
    assert flag.is_held and isinstance(flag.message, DirectMessage)
    assert flag.message.recipient_session == hub.session_of_nick("Bruno")
    assert (outcome.deliveries, outcome.records) == ([], [])
    assert hub.is_new_conversation(alice, "Bruno")


def test_say_held_message_counts_neither_for_trust_nor_slow_mode() -> None:
    hub, reviewer = _hub(
        Review(ReviewAction.HOLD, "x"), HubConfig(dm_wait_s=0, trust=TrustRule(1, 0))
    )
    alice, _bruno = _in_general(hub)
    hub.restrict_room("general", slow_mode_s=30)
    hub.apply(alice, Say("general", "retenu"), START_MS)
    reviewer.verdict = PASS

    error = refusal(hub, alice, Say("general", "https://exemple.fr"), START_MS + 1)

    assert error.key == "trust_links"  # not "slow_mode": the held one did not count


def test_say_reviewer_warns_delivers_and_warns_sender() -> None:
    hub, _ = _hub(Review(ReviewAction.WARN, "shouting", "spam", 1, "automod_spam_caps"))
    alice, _bruno = _in_general(hub)

    outcome = hub.apply(alice, Say("general", "ARRÊTEZ DE CRIER"), START_MS)

    message = _only_record(outcome)
    assert outcome.replies == [Noticed(NoticeKind.MODERATION, "automod_spam_caps")]
    assert outcome.deliveries == [(ToRoom("general"), MessagePosted(message))]
    assert (outcome.flags, outcome.error) == ([], None)


def test_say_reviewer_warns_without_key_uses_automod_warning() -> None:
    hub, _ = _hub(Review(ReviewAction.WARN, "shouting"))
    alice, _bruno = _in_general(hub)

    outcome = hub.apply(alice, Say("general", "texte"), START_MS)

    assert outcome.replies == [Noticed(NoticeKind.MODERATION, "automod_warning")]


def test_say_reviewer_warns_and_also_flags_delivers_with_flag() -> None:
    hub, _ = _hub(Review(ReviewAction.WARN, "shouting", "spam", 2, also_flag=True))
    alice, _bruno = _in_general(hub)

    outcome = hub.apply(alice, Say("general", "texte"), START_MS)

    message = _only_record(outcome)
    assert outcome.flags == [Flag("shouting", "spam", 2, message, False)]
    assert outcome.error is None


def test_say_reviewer_flags_delivers_and_flags() -> None:
    hub, _ = _hub(Review(ReviewAction.FLAG, "insults", "words:insults", 2))
    alice, _bruno = _in_general(hub)

    outcome = hub.apply(alice, Say("general", "espèce de c0nnard"), START_MS)

    message = _only_record(outcome)
    assert outcome.flags == [Flag("insults", "words:insults", 2, message, False)]
    assert outcome.deliveries == [(ToRoom("general"), MessagePosted(message))]
    assert (outcome.replies, outcome.error) == ([], None)
    assert hub.find_recent(message.id) == message


def test_say_reviewer_flags_without_rule_names_automod() -> None:
    hub, _ = _hub(Review(ReviewAction.FLAG))
    alice, _bruno = _in_general(hub)

    outcome = hub.apply(alice, Say("general", "texte"), START_MS)

    assert [f.rule for f in outcome.flags] == ["automod"]


def test_say_reviewer_notices_delivers_and_notifies_sender_only() -> None:
    hub, _ = _hub(Review(ReviewAction.NOTICE, "meeting-adults", message_key="automod_meeting"))
    alice, _bruno = _in_general(hub)

    outcome = hub.apply(alice, Say("general", "on se voit au café ?"), START_MS)

    message = _only_record(outcome)
    assert outcome.deliveries == [
        (ToSession(alice), Noticed(NoticeKind.SAFETY, "automod_meeting")),
        (ToRoom("general"), MessagePosted(message)),
    ]
    assert outcome.flags == []


def test_send_dm_reviewer_notices_both_sides_and_delivers() -> None:
    hub, _ = _hub(Review(ReviewAction.NOTICE, "meeting-adults"))
    alice, bruno = _pair(hub)

    outcome = _dm(hub, alice, "Bruno", "on se voit samedi ?")

    dm = _only_record(outcome)
    notice = Noticed(NoticeKind.SAFETY, "meeting_safety")
    assert outcome.deliveries == [
        (ToSession(alice), notice),
        (ToSession(bruno), notice),
        (ToSession(bruno), DmSent(dm)),
        (ToSession(alice), DmSent(dm)),
    ]


def test_send_dm_reviewer_warns_and_also_notices_warns_sender_and_notifies_both() -> None:
    review = Review(ReviewAction.WARN, "shouting", "spam", 1, "automod_spam_caps", also_notice=True)
    hub, _ = _hub(review)
    alice, bruno = _pair(hub)

    outcome = _dm(hub, alice, "Bruno", "ON SE VOIT CE SOIR")

    notice = Noticed(NoticeKind.SAFETY, "meeting_safety")
    assert outcome.replies == [Noticed(NoticeKind.MODERATION, "automod_spam_caps")]
    assert [(t, e) for t, e in outcome.deliveries if isinstance(e, Noticed)] == [
        (ToSession(alice), notice),
        (ToSession(bruno), notice),
    ]
    assert len(outcome.records) == 1


def test_say_reviewer_holds_with_also_notice_sends_no_notice() -> None:
    hub, _ = _hub(Review(ReviewAction.HOLD, "meeting-minor", also_notice=True))
    alice, _bruno = _in_general(hub)

    outcome = hub.apply(alice, Say("general", "rdv ce soir"), START_MS)

    assert outcome.deliveries == []


def test_say_reviewer_told_room_facts() -> None:
    hub, reviewer = _hub()
    alice, _bruno = _in_general(hub)
    teen = hello(hub, "Lou", age=15)
    join(hub, teen, "ados-general")

    say(hub, alice, "general", "bonjour")
    say(hub, teen, "ados-general", "salut")

    # (is_private, sender_is_minor, recipient_is_minor): a teen room counts as minors
    assert reviewer.calls == [(False, False, False), (False, True, True)]


def test_send_dm_reviewer_told_who_is_a_minor() -> None:
    hub, reviewer = _hub()
    lou = hello(hub, "Lou", age=15)
    hello(hub, "Sacha", age=16)
    alice, _bruno = _pair(hub)

    _dm(hub, lou, "Sacha")
    _dm(hub, alice, "Bruno")

    assert reviewer.calls == [(True, True, True), (True, False, False)]


def test_send_dm_meeting_with_insult_still_shows_both_sides_the_safety_notice() -> None:
    # Regression: only the strongest action (the insult's flag) used to count, and the
    # meeting's safety notice was lost (DESIGN.md rule 5).
    hub = make_hub(reviewer=RulesReviewer(Automod(load_default_rules())))
    alice, bruno = _pair(hub)

    outcome = _dm(hub, alice, "Bruno", "on se voit ce soir connard")

    notified = {
        target.session
        for target, event in outcome.deliveries
        if isinstance(target, ToSession)
        and isinstance(event, Noticed)
        and event.kind is NoticeKind.SAFETY
    }
    assert len(outcome.records) == 1 and outcome.flags  # delivered, and flagged for the insult
    assert notified == {alice, bruno}


# -- graduated trust ------------------------------------------------------------------------


def test_say_link_from_new_identity_refused_trust_links() -> None:
    hub, _ = _hub(config=HubConfig(dm_wait_s=0, trust=TrustRule(2, 60)))
    alice, _bruno = _in_general(hub)

    error = refusal(hub, alice, Say("general", "va voir https://exemple.fr"))

    _assert_error(error, ErrorCode.FORBIDDEN, "trust_links", "text")


def test_send_dm_link_from_new_identity_refused_trust_links() -> None:
    hub, _ = _hub(config=HubConfig(dm_wait_s=0, trust=TrustRule(2, 60)))
    alice, _bruno = _pair(hub)

    error = refusal(hub, alice, SendDm("Bruno", "https://exemple.fr"))

    _assert_error(error, ErrorCode.FORBIDDEN, "trust_links", "text")


def test_say_new_identity_without_link_delivered() -> None:
    hub, _ = _hub(config=HubConfig(dm_wait_s=0, trust=TrustRule(2, 60)))
    alice, _bruno = _in_general(hub)

    assert say(hub, alice, "general", "bonjour tout le monde").text == "bonjour tout le monde"


def test_say_link_after_earning_trust_delivered() -> None:
    hub, _ = _hub(config=HubConfig(dm_wait_s=0, trust=TrustRule(2, 60)))
    alice, _bruno = _in_general(hub)
    say(hub, alice, "general", "bonjour", START_MS)
    say(hub, alice, "general", "ça va ?", START_MS + 30 * SECOND_MS)

    too_soon = refusal(hub, alice, Say("general", "https://a.fr"), START_MS + 59 * SECOND_MS)
    later = say(hub, alice, "general", "https://a.fr", START_MS + 60 * SECOND_MS)

    assert too_soon.key == "trust_links"
    assert later.text == "https://a.fr"


def test_send_dm_delivered_messages_earn_trust_for_rooms_too() -> None:
    hub, _ = _hub(config=HubConfig(dm_wait_s=0, trust=TrustRule(2, 0)))
    alice, _bruno = _in_general(hub)
    _dm(hub, alice, "Bruno", "un")
    _dm(hub, alice, "Bruno", "deux")

    assert say(hub, alice, "general", "https://a.fr").text == "https://a.fr"


def test_say_link_without_trust_rule_delivered() -> None:
    hub, _ = _hub(config=HubConfig(dm_wait_s=0, trust=None))
    alice, _bruno = _in_general(hub)

    assert say(hub, alice, "general", "https://a.fr").text == "https://a.fr"


# -- moderators' actions --------------------------------------------------------------------


def test_mute_in_room_refuses_say_there_with_retry_after() -> None:
    hub, _ = _hub()
    alice, _bruno = _in_general(hub)
    join(hub, alice, "musique")

    hub.mute(alice, "general", START_MS + 600 * SECOND_MS)

    error = refusal(hub, alice, Say("general", "coucou"), START_MS + 100 * SECOND_MS)
    assert (error.code, error.retry_after_s) == (ErrorCode.MUTED, 500.0)
    assert say(hub, alice, "musique", "coucou").room == "musique"
    assert len(_dm(hub, alice, "Bruno").records) == 1


def test_mute_site_wide_refuses_private_messages_too() -> None:
    hub, _ = _hub()
    alice, _bruno = _in_general(hub)

    hub.mute(alice, None, None)

    assert refusal(hub, alice, SendDm("Bruno", "psst")).code is ErrorCode.MUTED
    assert refusal(hub, alice, Say("general", "hé")).retry_after_s is None


def test_mute_ends_by_itself() -> None:
    hub, _ = _hub()
    alice, _bruno = _in_general(hub)
    hub.mute(alice, None, START_MS + 60 * SECOND_MS)

    message = say(hub, alice, "general", "me revoilà", START_MS + 60 * SECOND_MS)

    assert message.text == "me revoilà"


def test_leave_forgets_the_session_mute() -> None:
    hub, _ = _hub()
    alice, _bruno = _in_general(hub)
    hub.mute(alice, None, None)

    hub.leave(alice)

    hub.restrictions.check_post(alice, "general", START_MS)  # nothing left about that session


def test_restrict_room_lock_announces_state_and_refuses_posts() -> None:
    hub, _ = _hub()
    alice, _bruno = _in_general(hub)

    outcome = hub.restrict_room("general", locked=True)

    assert outcome.deliveries == [(ToRoom("general"), RoomStateChanged("general", True, 0.0))]
    error = refusal(hub, alice, Say("general", "allô"))
    _assert_error(error, ErrorCode.FORBIDDEN, "room_locked", "room")


def test_restrict_room_unlock_allows_posts_again() -> None:
    hub, _ = _hub()
    alice, _bruno = _in_general(hub)
    hub.restrict_room("general", locked=True)

    outcome = hub.restrict_room("general", locked=False)

    assert outcome.deliveries == [(ToRoom("general"), RoomStateChanged("general", False, 0.0))]
    assert say(hub, alice, "general", "enfin").text == "enfin"


def test_restrict_room_slow_mode_second_post_refused_then_allowed() -> None:
    hub, _ = _hub()
    alice, bruno = _in_general(hub)
    hub.restrict_room("general", slow_mode_s=30)
    say(hub, alice, "general", "un")

    error = refusal(hub, alice, Say("general", "deux"), START_MS + 10 * SECOND_MS)
    others = say(hub, bruno, "general", "moi aussi", START_MS + 10 * SECOND_MS)
    later = say(hub, alice, "general", "deux", START_MS + 30 * SECOND_MS)

    assert (error.code, error.key, error.retry_after_s) == (
        ErrorCode.RATE_LIMITED,
        "slow_mode",
        20.0,
    )
    assert (others.text, later.text) == ("moi aussi", "deux")


def test_restrict_room_slow_mode_keeps_lock_and_clamps_negative() -> None:
    hub, _ = _hub()
    hub.restrict_room("general", locked=True)

    outcome = hub.restrict_room("general", slow_mode_s=-5)

    assert outcome.deliveries == [(ToRoom("general"), RoomStateChanged("general", True, 0.0))]


def test_restrict_room_unknown_room_refused_not_found() -> None:
    hub, _ = _hub()

    with pytest.raises(CauserieError) as caught:
        hub.restrict_room("nulle-part", locked=True)

    _assert_error(caught.value, ErrorCode.NOT_FOUND, "room_not_found", "room")


def test_remove_from_room_member_parts_and_room_sees_it() -> None:
    hub, _ = _hub()
    alice, _bruno = _in_general(hub)

    outcome = hub.remove_from_room(alice, "general")

    assert outcome.replies == [Parted("general")]
    assert outcome.deliveries == [
        (ToRoom("general"), PresenceChanged("general", public(hub, alice), PresenceState.LEFT))
    ]
    assert hub.rooms_of(alice) == set()
    assert alice not in list(hub.members_of("general"))


@pytest.mark.parametrize(("session", "room"), [("gone", "general"), (None, "musique")])
def test_remove_from_room_not_a_member_changes_nothing(session: str | None, room: str) -> None:
    hub, _ = _hub()
    alice, _bruno = _in_general(hub)

    outcome = hub.remove_from_room(session or alice, room)

    assert is_empty(outcome)
    assert hub.rooms_of(alice) == {"general"}


def test_delete_message_gone_from_history_and_room_told() -> None:
    hub, _ = _hub()
    alice, bruno = _in_general(hub)
    kept = say(hub, alice, "general", "bonjour")
    removed = say(hub, bruno, "general", "message à supprimer")

    outcome = hub.delete_message(removed.id)

    assert outcome.deliveries == [(ToRoom("general"), MessageDeleted("general", removed.id))]
    assert hub.find_recent(removed.id) is None
    joined = hub.apply(alice, Join("general"), START_MS).replies[0]
    assert isinstance(joined, Joined) and joined.history == (kept,)


def test_delete_message_unknown_changes_nothing() -> None:
    hub, _ = _hub()
    alice, _bruno = _in_general(hub)
    kept = say(hub, alice, "general", "bonjour")

    outcome = hub.delete_message(kept.id + 1)

    assert is_empty(outcome)
    assert hub.find_recent(kept.id) == kept


def test_verify_age_adult_opens_adult_verified_rooms() -> None:
    hub, _ = _hub()
    alice, _bruno = _pair(hub)
    before = refusal(hub, alice, Join("charme"))

    outcome = hub.verify_age(alice)

    [verified] = outcome.replies
    assert isinstance(verified, AgeVerified)
    assert "charme" in {view.room.id for view in verified.rooms}
    assert (before.code, before.key) == (ErrorCode.NOT_FOUND, "room_not_found")
    assert hub.profile_of(alice).is_age_verified
    join(hub, alice, "charme")
    assert hub.rooms_of(alice) == {"charme"}


def test_verify_age_minor_refused_age_restricted() -> None:
    hub, _ = _hub()
    lou = hello(hub, "Lou", age=16)

    with pytest.raises(CauserieError) as caught:
        hub.verify_age(lou)

    assert (caught.value.code, caught.value.key) == (ErrorCode.AGE_RESTRICTED, "age_verify_minor")
    assert not hub.profile_of(lou).is_age_verified


def test_reserve_staff_name_refuses_look_alikes_from_then_on() -> None:
    hub, _ = _hub()
    hello(hub, "Gaspard")  # already connected: not affected

    hub.reserve(staff_skeletons(["Gaspard"]))

    error = hello_refusal(hub, Hello("G4spard", "man", 30, "75011"))
    assert (error.code, error.key, error.field) == (ErrorCode.NICK_TAKEN, "nick_reserved", "nick")
    assert hub.is_connected_here("Gaspard")


def test_reserve_same_names_keeps_the_config() -> None:
    hub, _ = _hub()
    hub.reserve(staff_skeletons(["Gaspard"]))
    config = hub.config

    hub.reserve(staff_skeletons(["Gaspard"]))

    assert hub.config is config
    assert hub.config.dm_wait_s == 0  # the rest of the configuration is kept


def test_session_of_nick_finds_connected_people_only() -> None:
    hub, _ = _hub()
    alice, _bruno = _pair(hub)

    assert (hub.session_of_nick(" alice "), hub.session_of_nick("Zoé")) == (alice, None)


def test_readers_of_room_message_exclude_both_sides_of_a_block() -> None:
    from causerie.core.commands import Block, Unblock

    hub = make_hub()
    alice, bruno, chloe = hello(hub, "Alice"), hello(hub, "Bruno"), hello(hub, "Chloe")
    for session in (alice, bruno, chloe):
        join(hub, session, "general")
    assert not hub.has_blocks
    hub.apply(alice, Block("bruno"), 0)
    assert hub.has_blocks
    assert set(hub.readers_of("general", "Bruno")) == {bruno, chloe}
    assert set(hub.readers_of("general", "Alice")) == {alice, chloe}
    hub.apply(alice, Unblock("Bruno"), 0)
    assert not hub.has_blocks
    assert set(hub.readers_of("general", "Bruno")) == {alice, bruno, chloe}
