"""Builders for hub scenarios: a hub seeded with the default rooms and the real postal-code
locator, people saying hello in one line, and a hand-driven millisecond clock.

Tests stay short: build a hub, greet two people, apply one command, assert the exact outcome.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

import pytest

from causerie.core.commands import Command, Hello, Join, Say
from causerie.core.events import Outcome
from causerie.core.hub import Hub, HubConfig
from causerie.core.messages import ID_EPOCH_MS, Message, MessageIds
from causerie.core.policy.review import TextReviewer
from causerie.core.policy.watch import ConversationWatch
from causerie.core.rooms import DEFAULT_ROOMS, Audience, Room
from causerie.core.users import Gender, Profile, PublicUser
from causerie.errors import CauserieError
from causerie.geo import load_directory

START_MS = ID_EPOCH_MS + 300 * 24 * 3600 * 1000  # a day in late 2025
ROOMS_BY_ID: dict[str, Room] = {room.id: room for room in DEFAULT_ROOMS}
ADULT_ROOM_IDS = tuple(r.id for r in DEFAULT_ROOMS if r.audience is Audience.ADULT)
TEEN_ROOM_IDS = tuple(r.id for r in DEFAULT_ROOMS if r.audience is Audience.TEEN)

_session_numbers = itertools.count(1)


class Clock:
    """Milliseconds since 1970, moved by hand: `clock.ms` now, `clock.advance(ms)` later."""

    def __init__(self, start_ms: int = START_MS) -> None:
        self.ms = start_ms

    def advance(self, ms: int) -> int:
        self.ms += ms
        return self.ms


def make_hub(
    config: HubConfig | None = None,
    rooms: Iterable[Room] = DEFAULT_ROOMS,
    node: int = 0,
    *,
    reviewer: TextReviewer | None = None,
    watch: ConversationWatch | None = None,
) -> Hub:
    """A hub with the default rooms (unless told otherwise) and the shipped geo directory;
    no automatic moderation nor grooming detector unless given.

    Unless a config says otherwise, new sessions may open private conversations at once: the
    waiting time has tests of its own (test_dm_safety.py).
    """
    config = config or HubConfig(dm_wait_s=0)
    locate = load_directory().locate
    return Hub(rooms, locate, config, MessageIds(node), reviewer=reviewer, watch=watch)


def hello(
    hub: Hub,
    nick: str,
    *,
    age: int = 25,
    gender: str = "woman",
    postcode: str = "75011",
    lang: str = "fr",
    now_ms: int = START_MS,
    session: str | None = None,
) -> str:
    """Admit someone; returns the session id."""
    session_id = session or f"session-{next(_session_numbers)}-{nick}"
    hub.hello(session_id, Hello(nick, gender, age, postcode, lang), now_ms)
    return session_id


def join(hub: Hub, session: str, *rooms: str, now_ms: int = START_MS) -> None:
    for room in rooms:
        hub.apply(session, Join(room), now_ms)


def say(hub: Hub, session: str, room: str, text: str, now_ms: int = START_MS) -> Message:
    """Post a message and return it as the hub recorded it."""
    outcome = hub.apply(session, Say(room, text), now_ms)
    [record] = outcome.records
    assert isinstance(record, Message)
    return record


def public(hub: Hub, session: str) -> PublicUser:
    return hub.profile_of(session).public()


def refusal(hub: Hub, session: str, command: Command, now_ms: int = START_MS) -> CauserieError:
    """Apply a command that must be refused; returns the error."""
    with pytest.raises(CauserieError) as caught:
        hub.apply(session, command, now_ms)
    return caught.value


def hello_refusal(hub: Hub, command: Hello, session: str = "refused") -> CauserieError:
    with pytest.raises(CauserieError) as caught:
        hub.hello(session, command, START_MS)
    return caught.value


def profile(age: int = 25, *, is_age_verified: bool = False, nick: str = "Camille") -> Profile:
    return Profile(
        nick, Gender.OTHER, age, "33000", "33", "Nouvelle-Aquitaine", "fr", is_age_verified
    )


def is_empty(outcome: Outcome) -> bool:
    return (
        not outcome.replies
        and not outcome.deliveries
        and not outcome.records
        and outcome.query is None
    )
