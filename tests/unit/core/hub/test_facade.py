"""The `Hub` facade: one command table sends each command to its part, collaborators come
through the constructor only (and each hub has its own defaults), `leave` reaches every part,
and `reserve` is the one setting that changes while a node runs."""

from __future__ import annotations

import pytest

from causerie.core.commands import (
    AcceptDm,
    AssureAge,
    Block,
    ChangeSettings,
    Command,
    DeclineDm,
    FetchHistory,
    Hello,
    Join,
    ListQueue,
    ListRooms,
    Part,
    Ping,
    Report,
    Say,
    SendDm,
    Unblock,
    VerifyAge,
)
from causerie.core.events import (
    BlocksListed,
    DmAccepted,
    DmDeclined,
    DmSent,
    Event,
    HistoryLoaded,
    Joined,
    MessagePosted,
    Parted,
    Ponged,
    PresenceChanged,
    PresenceState,
    RoomsListed,
    SettingsChanged,
    ToRoom,
)
from causerie.core.hub import Hub, HubConfig
from causerie.core.messages import MessageIds
from causerie.core.policy.nicknames import nick_key, staff_skeletons
from causerie.core.policy.review import NoReview, Review, ReviewAction
from causerie.core.policy.watch import NoWatch, WatchVerdict
from causerie.core.restrictions import Restrictions
from causerie.core.rooms import DEFAULT_ROOMS
from causerie.errors import CauserieError, ErrorCode
from tests.unit.core.builders import START_MS, hello, join, make_hub, refusal
from tests.unit.core.hub.parts import FakeReviewer, FakeWatch, locate


def _pair(hub: Hub) -> tuple[str, str]:
    """Alice and Bruno, both in `general`."""
    alice, bruno = hello(hub, "Alice"), hello(hub, "Bruno", gender="man")
    join(hub, alice, "general")
    join(hub, bruno, "general")
    return alice, bruno


# Each command the table knows, and the event that shows which part answered it.
ROUTES: list[tuple[Command, type[Event], bool]] = [  # (command, event, delivered to others)
    (ListRooms(), RoomsListed, False),
    (Join("musique"), Joined, False),
    (Part("general"), Parted, False),
    (Say("general", "bonjour"), MessagePosted, True),
    (FetchHistory("general", limit=10), HistoryLoaded, False),
    (SendDm("Bruno", "salut"), DmSent, True),
    (Block("Bruno"), BlocksListed, False),
    (Unblock("Bruno"), BlocksListed, False),
    (ChangeSettings("shared_room"), SettingsChanged, False),
    (AcceptDm("Bruno"), DmAccepted, False),
    (DeclineDm("Bruno"), DmDeclined, False),
    (Ping(), Ponged, False),
]


@pytest.mark.parametrize(("command", "event", "is_delivered"), ROUTES)
def test_apply_sends_each_command_to_its_part(
    command: Command, event: type[Event], is_delivered: bool
) -> None:
    hub = make_hub()
    alice, _bruno = _pair(hub)
    outcome = hub.apply(alice, command, START_MS)
    shown = [e for _t, e in outcome.deliveries] if is_delivered else outcome.replies
    assert event in {type(e) for e in shown}


@pytest.mark.parametrize(
    "command",
    [
        Report("Bruno", "spam"),
        VerifyAge("token"),
        AssureAge("token"),
        ListQueue(),
        Hello("Alice", "woman", 30, "75011"),
    ],
    ids=lambda c: type(c).__name__,
)
def test_commands_the_node_handles_are_unknown_to_the_hub(command: Command) -> None:
    hub = make_hub()
    alice, _bruno = _pair(hub)
    error = refusal(hub, alice, command)
    assert (error.code, error.key) == (ErrorCode.INVALID, "unknown_type")


def test_apply_before_hello_is_refused_whatever_the_command() -> None:
    hub = make_hub()
    for command in (Ping(), Join("general"), Say("nowhere", "")):
        error = refusal(hub, "s-stranger", command)
        assert (error.code, error.key) == (ErrorCode.FORBIDDEN, "hello_first")


def test_collaborators_given_to_the_constructor_are_the_ones_used() -> None:
    reviewer = FakeReviewer(Review(ReviewAction.BLOCK, message_key="automod_blocked"))
    watch = FakeWatch([WatchVerdict(("secrecy",), "secrecy", 5.0)])
    restrictions = Restrictions()
    hub = Hub(
        DEFAULT_ROOMS,
        locate,
        HubConfig(dm_wait_s=0),
        MessageIds(),
        reviewer=reviewer,
        watch=watch,
        restrictions=restrictions,
    )
    assert (hub.reviewer, hub.watch, hub.restrictions) == (reviewer, watch, restrictions)
    alice = hello(hub, "Alice")
    teo = hello(hub, "Teo", age=15, gender="man")
    hello(hub, "Nina", age=14)
    join(hub, alice, "general")
    assert refusal(hub, alice, Say("general", "x")).key == "automod_blocked"
    reviewer.verdict = Review()
    assert hub.apply(teo, SendDm("Nina", "notre secret"), START_MS).error is not None
    assert watch.seen == [(nick_key("Teo"), nick_key("Nina"))]
    restrictions.mute(alice, None, None)
    assert refusal(hub, alice, Say("general", "y")).key == "muted"


def test_collaborators_are_read_only() -> None:
    hub = make_hub()
    for name, value in (
        ("reviewer", NoReview()),
        ("watch", NoWatch()),
        ("restrictions", Restrictions()),
        ("config", HubConfig()),
    ):
        with pytest.raises(AttributeError):
            setattr(hub, name, value)


def test_each_hub_has_its_own_default_collaborators() -> None:
    first, second = make_hub(), make_hub()
    assert isinstance(first.reviewer, NoReview) and isinstance(first.watch, NoWatch)
    assert first.restrictions is not second.restrictions
    alice = hello(first, "Alice")
    join(first, alice, "general")
    first.mute(alice, None, None)
    second.restrictions.check_post(alice, "general", START_MS)  # not muted there


def test_leave_reaches_every_part() -> None:
    hub = make_hub()
    alice, bruno = _pair(hub)
    hub.apply(alice, Block("Bruno"), START_MS)
    hub.mute(alice, None, None)
    user = hub.profile_of(alice).public()
    outcome = hub.leave(alice)
    assert outcome.deliveries == [
        (ToRoom("general"), PresenceChanged("general", user, PresenceState.LEFT))
    ]
    assert hub.session(alice) is None and not hub.is_connected_here("Alice")
    assert list(hub.members_of("general")) == [bruno]
    assert not hub.has_blocks
    hub.restrictions.check_post(alice, "general", START_MS)  # the mute went with the session
    assert hub.leave(alice).deliveries == []
    assert hello(hub, "alice", session=alice) == alice  # the nickname and id are free again


def test_reserve_replaces_only_the_staff_names() -> None:
    hub = make_hub(HubConfig(dm_wait_s=0, min_age=15))
    config = hub.config
    hub.reserve(frozenset())
    assert hub.config is config
    hub.reserve(staff_skeletons(["Gaspard"]))
    assert hub.config.reserved_skeletons == staff_skeletons(["Gaspard"])
    assert hub.config.min_age == 15
    with pytest.raises(CauserieError) as caught:
        hub.hello("s-1", Hello("Gaspard", "man", 30, "75011"), START_MS)
    assert caught.value.key == "nick_reserved"
