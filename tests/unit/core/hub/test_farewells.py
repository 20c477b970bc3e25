"""Leaving words (IRC `PART #room :text`, `QUIT :text`): shown to a room only when a message
of the same text would be delivered there as it is (core/hub/farewells.py)."""

from __future__ import annotations

from causerie.core.commands import Part
from causerie.core.events import Parted, PresenceChanged, PresenceState, ToRoom
from causerie.core.hub.facade import Hub
from causerie.safety.automod import Automod
from causerie.safety.automod.rules import load_default_rules
from causerie.safety.review import RulesReviewer
from tests.unit.core.builders import START_MS, hello, join, make_hub, public


def _hub() -> Hub:
    """A hub with the shipped automatic-moderation rules, as a node runs it."""
    return make_hub(reviewer=RulesReviewer(Automod(load_default_rules())))


def _left(outcome_deliveries: list[tuple[object, object]]) -> list[PresenceChanged]:
    return [event for _, event in outcome_deliveries if isinstance(event, PresenceChanged)]


def test_part_words_that_pass_automatic_moderation_reach_the_room_and_the_one_leaving() -> None:
    hub = _hub()
    alice = hello(hub, "Alice")
    join(hub, alice, "general")

    outcome = hub.apply(alice, Part("general", "  bye   everyone "), START_MS)

    left = PresenceChanged("general", public(hub, alice), PresenceState.LEFT, reason="bye everyone")
    assert outcome.deliveries == [(ToRoom("general"), left)]
    assert outcome.replies == [Parted("general", reason="bye everyone")]


def test_part_words_automatic_moderation_would_flag_are_dropped_and_the_part_stays() -> None:
    hub = _hub()
    alice = hello(hub, "Alice")
    join(hub, alice, "general")

    outcome = hub.apply(alice, Part("general", "salut connard"), START_MS)

    left = PresenceChanged("general", public(hub, alice), PresenceState.LEFT)
    assert outcome.deliveries == [(ToRoom("general"), left)]
    assert outcome.replies == [Parted("general")]
    assert not outcome.flags and not outcome.records


def test_part_words_with_a_link_from_an_untrusted_identity_are_dropped() -> None:
    hub = _hub()  # the default trust rule: a new identity sends no links
    alice = hello(hub, "Alice")
    join(hub, alice, "general")

    outcome = hub.apply(alice, Part("general", "venez sur https://example.org"), START_MS)

    assert _left(outcome.deliveries) == [
        PresenceChanged("general", public(hub, alice), PresenceState.LEFT)
    ]


def test_part_words_of_a_muted_person_are_dropped() -> None:
    hub = _hub()
    alice = hello(hub, "Alice")
    join(hub, alice, "general")
    hub.restrictions.mute(alice, None, None)

    outcome = hub.apply(alice, Part("general", "bye everyone"), START_MS)

    assert outcome.replies == [Parted("general")]
    assert _left(outcome.deliveries)[0].reason == ""


def test_quit_tells_every_room_as_a_quit_with_the_words_where_they_pass() -> None:
    hub = _hub()
    alice = hello(hub, "Alice")
    join(hub, alice, "general", "musique")
    hub.restrictions.mute(alice, "musique", None)
    user = public(hub, alice)

    outcome = hub.end_person(alice, is_quit=True, farewell="à demain", now_ms=START_MS)

    assert outcome.deliveries == [
        (
            ToRoom("general"),
            PresenceChanged("general", user, PresenceState.LEFT, reason="à demain", is_quit=True),
        ),
        (
            ToRoom("musique"),
            PresenceChanged("musique", user, PresenceState.LEFT, is_quit=True),
        ),
    ]


def test_quit_words_automatic_moderation_would_flag_are_dropped() -> None:
    hub = _hub()
    alice = hello(hub, "Alice")
    join(hub, alice, "general")

    user = public(hub, alice)

    outcome = hub.end_person(alice, is_quit=True, farewell="connard", now_ms=START_MS)

    assert _left(outcome.deliveries) == [
        PresenceChanged("general", user, PresenceState.LEFT, is_quit=True)
    ]


def test_a_lost_connection_is_no_quit_and_carries_no_words() -> None:
    hub = _hub()
    alice = hello(hub, "Alice")
    join(hub, alice, "general")

    user = public(hub, alice)

    outcome = hub.leave(alice)

    assert _left(outcome.deliveries) == [PresenceChanged("general", user, PresenceState.LEFT)]
