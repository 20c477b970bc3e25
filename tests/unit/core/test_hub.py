"""Product rules as hub scenarios (DESIGN.md rules 1-3, docs/protocol.md): each builds a hub,
greets people, applies one command and asserts the exact events or the exact refusal."""

from __future__ import annotations

import dataclasses

import pytest

from causerie.core.commands import (
    Block,
    Command,
    FetchHistory,
    Hello,
    Join,
    ListRooms,
    Part,
    Ping,
    Say,
    SendDm,
    Unblock,
)
from causerie.core.events import (
    BlocksListed,
    DmSent,
    HistoryLoaded,
    HistoryQuery,
    Joined,
    MessagePosted,
    Parted,
    Ponged,
    PresenceChanged,
    PresenceState,
    RoomsListed,
    RoomView,
    ToRoom,
    ToSession,
    Welcomed,
)
from causerie.core.hub import Hub, HubConfig
from causerie.core.messages import ID_EPOCH_MS, NODE_BITS, SEQ_BITS, DirectMessage, Message
from causerie.core.policy.assurance import AssuranceGate, AssuranceStatus
from causerie.core.policy.ratelimits import RateLimit
from causerie.core.rooms import DEFAULT_ROOMS, Audience, Room, RoomKind
from causerie.core.users import AgeBand, Gender, PublicUser
from causerie.errors import CauserieError, ErrorCode
from tests.unit.core.builders import (
    ADULT_ROOM_IDS,
    ROOMS_BY_ID,
    START_MS,
    TEEN_ROOM_IDS,
    Clock,
    hello,
    hello_refusal,
    is_empty,
    join,
    make_hub,
    public,
    refusal,
    say,
)

GENERAL = ROOMS_BY_ID["general"]


def _views(
    room_ids: tuple[str, ...], members: dict[str, int] | None = None
) -> tuple[RoomView, ...]:
    counts = members or {}
    return tuple(RoomView(ROOMS_BY_ID[r], counts.get(r, 0)) for r in room_ids)


def _assert_refused(
    error: CauserieError, code: ErrorCode, field: str | None, key: str | None = None
) -> None:
    assert (error.code, error.field) == (code, field)
    if key is not None:
        assert error.key == key


# -- hello ----------------------------------------------------------------------------------


def test_hello_adult_welcomed_with_public_profile_and_adult_rooms_only() -> None:
    hub = make_hub()

    outcome = hub.hello("s-alice", Hello("Alice", "woman", 25, "75011"), START_MS)

    alice = PublicUser("Alice", Gender.WOMAN, 25, "75", "Île-de-France")
    assert outcome.replies == [Welcomed("s-alice", alice, AgeBand.ADULT, _views(ADULT_ROOM_IDS))]
    assert (outcome.deliveries, outcome.records, outcome.query) == ([], [], None)


def test_hello_adult_rooms_exclude_every_teen_room() -> None:
    hub = make_hub()

    [welcome] = hub.hello("s1", Hello("Alice", "woman", 18, "75011"), START_MS).replies

    assert isinstance(welcome, Welcomed)
    audiences = {view.room.audience for view in welcome.rooms}
    assert audiences == {Audience.ADULT}
    assert not {view.room.id for view in welcome.rooms} & set(TEEN_ROOM_IDS)


@pytest.mark.parametrize("age", [13, 15, 17])
def test_hello_teen_welcomed_with_exactly_the_teen_rooms(age: int) -> None:
    hub = make_hub()

    [welcome] = hub.hello("s-teen", Hello("Lucas", "man", age, "33000"), START_MS).replies

    teen = PublicUser("Lucas", Gender.MAN, age, "33", "Nouvelle-Aquitaine")
    # A minor's welcome says what age assurance gates: nothing by default.
    status = AssuranceStatus(AssuranceGate.OFF, is_assured=False)
    assert welcome == Welcomed("s-teen", teen, AgeBand.TEEN, _views(TEEN_ROOM_IDS), "", status)
    assert TEEN_ROOM_IDS == (
        "ados-general",
        "ados-college-lycee",
        "ados-jeux-video",
        "ados-musique",
        "ados-series",
        "ados-jeux",
    )


@pytest.mark.parametrize(
    ("postcode", "dept", "region"),
    [
        ("75011", "75", "Île-de-France"),
        ("33000", "33", "Nouvelle-Aquitaine"),
        ("20000", "2A", "Corse"),
        ("97400", "974", "Outre-mer"),
        (" 75011 ", "75", "Île-de-France"),
    ],
)
def test_hello_postcode_shown_only_as_department_and_region(
    postcode: str, dept: str, region: str
) -> None:
    hub = make_hub()

    session = hello(hub, "Alice", postcode=postcode)

    assert public(hub, session) == PublicUser("Alice", Gender.WOMAN, 25, dept, region)
    assert hub.profile_of(session).postcode == postcode.strip()


def test_hello_welcome_room_counts_current_members() -> None:
    hub = make_hub()
    bob = hello(hub, "Bob", gender="man")
    join(hub, bob, "general", "musique")

    [welcome] = hub.hello("s2", Hello("Alice", "woman", 30, "75011"), START_MS).replies

    assert isinstance(welcome, Welcomed)
    assert welcome.rooms == _views(ADULT_ROOM_IDS, {"general": 1, "musique": 1})


def test_hello_adult_verified_room_hidden_from_unverified_adult() -> None:
    verified_room = Room("intime", "Intime", RoomKind.THEMATIC, Audience.ADULT_VERIFIED, 50)
    hub = make_hub(rooms=(*DEFAULT_ROOMS, verified_room))

    [welcome] = hub.hello("s1", Hello("Alice", "woman", 40, "75011"), START_MS).replies

    assert isinstance(welcome, Welcomed)
    assert "intime" not in {view.room.id for view in welcome.rooms}
    _assert_refused(refusal(hub, "s1", Join("intime")), ErrorCode.NOT_FOUND, "room")


@pytest.mark.parametrize("taken", ["alice", "ALICE", "Alïce", "Àlice", "A\u0300lice"])
def test_hello_nick_taken_ignoring_case_and_accents_refused(taken: str) -> None:
    hub = make_hub()
    hello(hub, "Alice")

    error = hello_refusal(hub, Hello(taken, "woman", 30, "33000"))

    _assert_refused(error, ErrorCode.NICK_TAKEN, "nick", "nick_taken")
    assert hub.session("refused") is None


def test_hello_nick_taken_by_accented_nick_refused_plain_spelling() -> None:
    hub = make_hub()
    hello(hub, "Élodie")

    _assert_refused(
        hello_refusal(hub, Hello("elodie", "woman", 30, "33000")), ErrorCode.NICK_TAKEN, "nick"
    )


def test_hello_nick_freed_after_leave_accepted() -> None:
    hub = make_hub()
    alice = hello(hub, "Alice")
    hub.leave(alice)

    again = hello(hub, "ALICE")

    assert public(hub, again).nick == "ALICE"


@pytest.mark.parametrize(
    ("nick", "key"),
    [
        ("a", "nick_length"),
        ("", "nick_length"),
        ("x" * 21, "nick_length"),
        ("bob smith", "nick_chars"),
        ("_bob", "nick_chars"),
        ("bob!", "nick_chars"),
    ],
)
def test_hello_invalid_nick_refused_invalid_on_nick(nick: str, key: str) -> None:
    hub = make_hub()

    error = hello_refusal(hub, Hello(nick, "man", 30, "75011"))

    _assert_refused(error, ErrorCode.INVALID, "nick", key)


@pytest.mark.parametrize("nick", ["Admin", "Modérateur", "MODO", "causerie_officiel"])
def test_hello_reserved_nick_refused_nick_taken(nick: str) -> None:
    hub = make_hub()

    error = hello_refusal(hub, Hello(nick, "man", 30, "75011"))

    _assert_refused(error, ErrorCode.NICK_TAKEN, "nick", "nick_reserved")


def test_hello_age_12_with_default_minimum_refused_too_young() -> None:
    hub = make_hub()

    error = hello_refusal(hub, Hello("Lucas", "man", 12, "75011"))

    _assert_refused(error, ErrorCode.TOO_YOUNG, "age", "too_young")
    assert error.params == {"min": 13}
    assert hub.session("refused") is None
    hello(hub, "Lucas", age=13)  # the nick was not taken by the refusal


def test_hello_age_14_with_minimum_15_refused_too_young() -> None:
    hub = make_hub(HubConfig(dm_wait_s=0, min_age=15))

    error = hello_refusal(hub, Hello("Lucas", "man", 14, "75011"))

    _assert_refused(error, ErrorCode.TOO_YOUNG, "age")
    assert error.params == {"min": 15}
    assert hub.profile_of(hello(hub, "Lucas", age=15)).age == 15


@pytest.mark.parametrize("age", [121, 200, 10_000])
def test_hello_age_over_120_refused_invalid(age: int) -> None:
    hub = make_hub()

    _assert_refused(
        hello_refusal(hub, Hello("Papi", "man", age, "75011")), ErrorCode.INVALID, "age"
    )
    assert hub.profile_of(hello(hub, "Papi", age=120)).age == 120


@pytest.mark.parametrize("postcode", ["00000", "99999", "7501", "750111", "ABCDE", "", "75 011"])
def test_hello_unknown_postcode_refused_invalid(postcode: str) -> None:
    hub = make_hub()

    error = hello_refusal(hub, Hello("Alice", "woman", 30, postcode))

    _assert_refused(error, ErrorCode.INVALID, "postcode", "postcode")


@pytest.mark.parametrize("gender", ["female", "MAN", "", "homme"])
def test_hello_bad_gender_refused_invalid(gender: str) -> None:
    hub = make_hub()

    _assert_refused(
        hello_refusal(hub, Hello("Alice", gender, 30, "75011")), ErrorCode.INVALID, "gender"
    )


@pytest.mark.parametrize(("lang", "kept"), [("en", "en"), ("fr", "fr"), ("de", "fr")])
def test_hello_language_unknown_falls_back_to_french(lang: str, kept: str) -> None:
    hub = make_hub()

    assert hub.profile_of(hello(hub, "Alice", lang=lang)).lang == kept


def test_hello_second_time_same_session_refused_invalid() -> None:
    hub = make_hub()
    alice = hello(hub, "Alice")

    with pytest.raises(CauserieError) as caught:
        hub.hello(alice, Hello("Alicia", "woman", 30, "75011"), START_MS)

    _assert_refused(caught.value, ErrorCode.INVALID, None, "already_joined")
    assert public(hub, alice).nick == "Alice"


@pytest.mark.parametrize(
    "command",
    [
        ListRooms(),
        Join("general"),
        Part("general"),
        Say("general", "salut"),
        SendDm("Alice", "salut"),
        FetchHistory("general"),
        Block("Alice"),
        Unblock("Alice"),
        Ping(),
    ],
)
def test_apply_before_hello_refused_forbidden(command: Command) -> None:
    hub = make_hub()
    hello(hub, "Alice")

    error = refusal(hub, "never-said-hello", command)

    _assert_refused(error, ErrorCode.FORBIDDEN, None, "hello_first")


def test_ping_after_hello_answers_pong() -> None:
    hub = make_hub()
    alice = hello(hub, "Alice")

    outcome = hub.apply(alice, Ping(), START_MS)

    assert outcome.replies == [Ponged()]
    assert outcome.deliveries == []


def test_list_rooms_adult_lists_adult_rooms_with_counts() -> None:
    hub = make_hub()
    alice = hello(hub, "Alice")
    join(hub, alice, "sport")

    outcome = hub.apply(alice, ListRooms(), START_MS)

    assert outcome.replies == [RoomsListed(_views(ADULT_ROOM_IDS, {"sport": 1}))]


# -- rooms ----------------------------------------------------------------------------------


def test_join_visible_room_replies_joined_and_delivers_presence_to_room() -> None:
    hub = make_hub()
    bob = hello(hub, "Bob", gender="man")
    join(hub, bob, "general")
    message = say(hub, bob, "general", "coucou")
    alice = hello(hub, "Alice")

    outcome = hub.apply(alice, Join("general"), START_MS)

    members = (public(hub, bob), public(hub, alice))
    assert outcome.replies == [Joined(RoomView(GENERAL, 2), members, (message,))]
    assert outcome.deliveries == [
        (ToRoom("general"), PresenceChanged("general", public(hub, alice), PresenceState.JOINED))
    ]
    assert (outcome.records, outcome.query) == ([], None)
    assert list(hub.members_of("general")) == [bob, alice]


def test_join_room_already_joined_answers_joined_without_presence() -> None:
    hub = make_hub()
    alice = hello(hub, "Alice")
    join(hub, alice, "general")

    outcome = hub.apply(alice, Join("general"), START_MS)

    assert outcome.replies == [Joined(RoomView(GENERAL, 1), (public(hub, alice),), ())]
    assert outcome.deliveries == []


@pytest.mark.parametrize("room", ["general", "region-ile-de-france", "18-25", "lgbt"])
def test_join_adult_room_as_teen_refused_as_no_such_room(room: str) -> None:
    hub = make_hub()
    teen = hello(hub, "Lucas", age=16, gender="man")

    error = refusal(hub, teen, Join(room))

    _assert_refused(error, ErrorCode.NOT_FOUND, "room", "room_not_found")
    assert list(hub.members_of(room)) == []
    session = hub.session(teen)
    assert session is not None
    assert session.rooms == set()


@pytest.mark.parametrize("room", TEEN_ROOM_IDS)
def test_join_teen_room_as_adult_refused_as_no_such_room(room: str) -> None:
    hub = make_hub()
    adult = hello(hub, "Marc", age=18, gender="man")

    error = refusal(hub, adult, Join(room))

    _assert_refused(error, ErrorCode.NOT_FOUND, "room", "room_not_found")
    assert list(hub.members_of(room)) == []


def test_join_teen_room_as_teen_accepted() -> None:
    hub = make_hub()
    teen = hello(hub, "Lucas", age=13, gender="man")

    outcome = hub.apply(teen, Join("ados-general"), START_MS)

    room = ROOMS_BY_ID["ados-general"]
    assert outcome.replies == [Joined(RoomView(room, 1), (public(hub, teen),), ())]


def test_join_unknown_room_refused_not_found() -> None:
    hub = make_hub()
    alice = hello(hub, "Alice")

    _assert_refused(
        refusal(hub, alice, Join("nowhere")), ErrorCode.NOT_FOUND, "room", "room_not_found"
    )


def test_join_beyond_max_rooms_refused_invalid() -> None:
    hub = make_hub(HubConfig(dm_wait_s=0, max_rooms_per_session=2))
    alice = hello(hub, "Alice")
    join(hub, alice, "general", "musique")

    error = refusal(hub, alice, Join("sport"))

    _assert_refused(error, ErrorCode.INVALID, "room", "too_many_rooms")
    assert error.params == {"max": 2}
    assert list(hub.members_of("sport")) == []
    assert hub.apply(alice, Join("general"), START_MS).replies  # rejoining is not a new room


def test_join_default_max_rooms_is_twenty() -> None:
    hub = make_hub()
    alice = hello(hub, "Alice")
    join(hub, alice, *ADULT_ROOM_IDS[:20])

    _assert_refused(refusal(hub, alice, Join(ADULT_ROOM_IDS[20])), ErrorCode.INVALID, "room")


def test_part_joined_room_replies_parted_and_delivers_presence_left() -> None:
    hub = make_hub()
    alice = hello(hub, "Alice")
    bob = hello(hub, "Bob", gender="man")
    join(hub, alice, "general")
    join(hub, bob, "general")

    outcome = hub.apply(alice, Part("general"), START_MS)

    assert outcome.replies == [Parted("general")]
    assert outcome.deliveries == [
        (ToRoom("general"), PresenceChanged("general", public(hub, alice), PresenceState.LEFT))
    ]
    assert list(hub.members_of("general")) == [bob]
    _assert_refused(refusal(hub, alice, Say("general", "encore là ?")), ErrorCode.FORBIDDEN, "room")


def test_part_room_not_joined_refused_forbidden() -> None:
    hub = make_hub()
    alice = hello(hub, "Alice")

    _assert_refused(
        refusal(hub, alice, Part("general")), ErrorCode.FORBIDDEN, "room", "not_in_room"
    )


# -- messages -------------------------------------------------------------------------------


def test_say_without_join_refused_forbidden() -> None:
    hub = make_hub()
    alice = hello(hub, "Alice")

    _assert_refused(refusal(hub, alice, Say("general", "salut")), ErrorCode.FORBIDDEN, "room")


def test_say_unknown_room_refused_not_found() -> None:
    hub = make_hub()
    alice = hello(hub, "Alice")

    _assert_refused(refusal(hub, alice, Say("nowhere", "salut")), ErrorCode.NOT_FOUND, "room")


def test_say_joined_room_delivers_message_to_room_and_records_it() -> None:
    hub = make_hub()
    alice = hello(hub, "Alice")
    join(hub, alice, "general")

    outcome = hub.apply(alice, Say("general", "Bonjour à tous"), START_MS + 5)

    [record] = outcome.records
    assert isinstance(record, Message)
    assert record == Message(
        record.id, "general", public(hub, alice), "Bonjour à tous", START_MS + 5, alice
    )
    assert 0 < record.id < 2**53
    assert outcome.deliveries == [(ToRoom("general"), MessagePosted(record))]
    assert (outcome.replies, outcome.query) == ([], None)


def test_say_public_sender_carries_no_postcode() -> None:
    hub = make_hub()
    alice = hello(hub, "Alice", postcode="97400")
    join(hub, alice, "general")

    message = say(hub, alice, "general", "salut")

    assert not hasattr(message.sender, "postcode")
    assert {f.name for f in dataclasses.fields(PublicUser)} == {
        "nick",
        "gender",
        "age",
        "dept",
        "region",
    }
    assert "97400" not in repr(message.sender)
    assert message.sender == PublicUser("Alice", Gender.WOMAN, 25, "974", "Outre-mer")


def test_say_ids_increase_within_room() -> None:
    hub = make_hub()
    alice = hello(hub, "Alice")
    join(hub, alice, "general")

    ids = [say(hub, alice, "general", f"n°{i}", START_MS + i // 3).id for i in range(8)]

    assert ids == sorted(set(ids))


def test_say_control_characters_stripped() -> None:
    hub = make_hub()
    alice = hello(hub, "Alice")
    join(hub, alice, "general")

    message = say(hub, alice, "general", "  bon\x00jour\x1b\tà\x7f tous\r\n  ")

    assert message.text == "bonjour\tà tous"


def test_say_newlines_inside_text_kept() -> None:
    hub = make_hub()
    alice = hello(hub, "Alice")
    join(hub, alice, "general")

    assert say(hub, alice, "general", "ligne 1\nligne 2").text == "ligne 1\nligne 2"


@pytest.mark.parametrize("text", ["", "   ", "\x00\x01\x02", " \n\t "])
def test_say_empty_after_cleaning_refused_invalid(text: str) -> None:
    hub = make_hub()
    alice = hello(hub, "Alice")
    join(hub, alice, "general")

    error = refusal(hub, alice, Say("general", text))

    _assert_refused(error, ErrorCode.INVALID, "text", "text_empty")
    assert hub.apply(alice, FetchHistory("general"), START_MS).replies == [
        HistoryLoaded("general", (), False)
    ]


def test_say_over_max_chars_refused_too_large() -> None:
    hub = make_hub()
    alice = hello(hub, "Alice")
    join(hub, alice, "general")

    error = refusal(hub, alice, Say("general", "a" * 2001))

    _assert_refused(error, ErrorCode.TOO_LARGE, "text", "text_too_long")
    assert say(hub, alice, "general", "é" * 2000).text == "é" * 2000


def test_say_configured_max_chars_applies() -> None:
    hub = make_hub(HubConfig(dm_wait_s=0, max_text_chars=10))
    alice = hello(hub, "Alice")
    join(hub, alice, "general")

    _assert_refused(refusal(hub, alice, Say("general", "x" * 11)), ErrorCode.TOO_LARGE, "text")
    assert say(hub, alice, "general", "x" * 10).text == "x" * 10


def test_join_history_limited_to_history_on_join_oldest_first() -> None:
    hub = make_hub(HubConfig(dm_wait_s=0, history_on_join=3))
    alice = hello(hub, "Alice")
    join(hub, alice, "general")
    posted = [say(hub, alice, "general", f"message {i}", START_MS + i) for i in range(5)]
    bob = hello(hub, "Bob", gender="man")

    [joined] = hub.apply(bob, Join("general"), START_MS + 10).replies

    assert isinstance(joined, Joined)
    assert joined.history == tuple(posted[2:])


def test_join_history_default_is_last_fifty() -> None:
    hub = make_hub(HubConfig(dm_wait_s=0, say_limit=None))
    alice = hello(hub, "Alice")
    join(hub, alice, "general")
    posted = [say(hub, alice, "general", f"m{i}", START_MS + i) for i in range(60)]
    bob = hello(hub, "Bob", gender="man")

    [joined] = hub.apply(bob, Join("general"), START_MS + 100).replies

    assert isinstance(joined, Joined)
    assert joined.history == tuple(posted[10:])


# -- history --------------------------------------------------------------------------------


def _room_with_messages(count: int, history_on_join: int = 50) -> tuple[Hub, str, list[Message]]:
    hub = make_hub(HubConfig(dm_wait_s=0, history_on_join=history_on_join, say_limit=None))
    alice = hello(hub, "Alice")
    join(hub, alice, "general")
    posted = [say(hub, alice, "general", f"m{i}", START_MS + i) for i in range(count)]
    return hub, alice, posted


def test_history_whole_room_in_memory_served_from_memory() -> None:
    hub, alice, posted = _room_with_messages(3)

    outcome = hub.apply(alice, FetchHistory("general"), START_MS)

    assert outcome.replies == [HistoryLoaded("general", tuple(posted), False)]
    assert outcome.query is None


def test_history_page_smaller_than_memory_served_with_more() -> None:
    hub, alice, posted = _room_with_messages(5, history_on_join=5)

    outcome = hub.apply(alice, FetchHistory("general", limit=3), START_MS)

    assert outcome.replies == [HistoryLoaded("general", tuple(posted[2:]), True)]
    assert outcome.query is None


def test_history_before_inside_memory_served_oldest_first() -> None:
    hub, alice, posted = _room_with_messages(10, history_on_join=10)

    outcome = hub.apply(alice, FetchHistory("general", before=posted[8].id, limit=3), START_MS)

    assert outcome.replies == [HistoryLoaded("general", tuple(posted[5:8]), True)]


def test_history_beyond_memory_asks_store_with_query() -> None:
    hub, alice, _posted = _room_with_messages(7, history_on_join=5)

    outcome = hub.apply(alice, FetchHistory("general", limit=5), START_MS)

    assert outcome.replies == []
    assert outcome.query == HistoryQuery("general", None, 5)


def test_history_before_oldest_in_memory_asks_store() -> None:
    hub, alice, posted = _room_with_messages(7, history_on_join=5)

    outcome = hub.apply(alice, FetchHistory("general", before=posted[3].id, limit=10), START_MS)

    assert outcome.replies == []
    assert outcome.query == HistoryQuery("general", posted[3].id, 10)


@pytest.mark.parametrize("limit", [0, -1, 101, 10**9])
def test_history_limit_out_of_bounds_refused_invalid(limit: int) -> None:
    hub, alice, _posted = _room_with_messages(1)

    error = refusal(hub, alice, FetchHistory("general", limit=limit))

    _assert_refused(error, ErrorCode.INVALID, "limit", "history_limit")
    assert error.params == {"max": 100}


@pytest.mark.parametrize("limit", [1, 100])
def test_history_limit_bounds_accepted(limit: int) -> None:
    hub, alice, posted = _room_with_messages(2)

    outcome = hub.apply(alice, FetchHistory("general", limit=limit), START_MS)

    assert outcome.replies == [HistoryLoaded("general", tuple(posted[-limit:]), limit == 1)]


def test_history_room_not_joined_refused_forbidden() -> None:
    hub = make_hub()
    alice = hello(hub, "Alice")

    _assert_refused(refusal(hub, alice, FetchHistory("general")), ErrorCode.FORBIDDEN, "room")


def test_history_empty_room_with_no_memory_asks_store() -> None:
    hub = make_hub(HubConfig(dm_wait_s=0, history_on_join=0))
    alice = hello(hub, "Alice")
    join(hub, alice, "general")

    outcome = hub.apply(alice, FetchHistory("general", limit=20), START_MS)

    assert outcome.query == HistoryQuery("general", None, 20)


def test_preload_history_feeds_join_and_later_ids() -> None:
    hub = make_hub()
    old_sender = PublicUser("Ancien", Gender.MAN, 40, "33", "Nouvelle-Aquitaine")
    old_id = (START_MS + 60_000 - ID_EPOCH_MS) << (NODE_BITS + SEQ_BITS)  # a minute ahead
    stored = Message(old_id, "general", old_sender, "d'avant", START_MS, "old")
    hub.preload_history("general", [stored])
    alice = hello(hub, "Alice")

    [joined] = hub.apply(alice, Join("general"), START_MS).replies
    message = say(hub, alice, "general", "après", START_MS)

    assert isinstance(joined, Joined)
    assert joined.history == (stored,)
    assert message.id > old_id


# -- private messages -----------------------------------------------------------------------


def test_dm_same_band_delivered_to_recipient_and_sender() -> None:
    hub = make_hub()
    alice = hello(hub, "Alice")
    bob = hello(hub, "Bob", gender="man", postcode="33000")

    outcome = hub.apply(alice, SendDm("bob", " coucou "), START_MS + 7)

    [dm] = outcome.records
    assert isinstance(dm, DirectMessage)
    assert dm == DirectMessage(
        dm.id, public(hub, alice), public(hub, bob), "coucou", START_MS + 7, alice, bob
    )
    assert outcome.deliveries == [(ToSession(bob), DmSent(dm)), (ToSession(alice), DmSent(dm))]
    assert outcome.replies == []


def test_dm_between_teens_delivered() -> None:
    hub = make_hub()
    lea = hello(hub, "Léa", age=14)
    tom = hello(hub, "Tom", age=17, gender="man")

    outcome = hub.apply(lea, SendDm("Tom", "salut"), START_MS)

    assert [target for target, _ in outcome.deliveries] == [ToSession(tom), ToSession(lea)]


@pytest.mark.parametrize(
    ("sender_age", "recipient_age"), [(35, 15), (15, 35), (18, 17), (17, 18), (120, 13)]
)
def test_dm_across_age_bands_refused_as_nobody(sender_age: int, recipient_age: int) -> None:
    hub = make_hub()
    sender = hello(hub, "Sender", age=sender_age, gender="man")
    hello(hub, "Recipient", age=recipient_age)

    error = refusal(hub, sender, SendDm("Recipient", "salut"))

    _assert_refused(error, ErrorCode.NOT_FOUND, "to", "user_not_found")


def test_dm_to_self_refused_invalid() -> None:
    hub = make_hub()
    alice = hello(hub, "Alice")

    _assert_refused(refusal(hub, alice, SendDm("ALICE", "moi")), ErrorCode.INVALID, "to", "dm_self")


@pytest.mark.parametrize("to", ["Nobody", "", "   "])
def test_dm_unknown_nick_refused_not_found(to: str) -> None:
    hub = make_hub()
    alice = hello(hub, "Alice")

    _assert_refused(
        refusal(hub, alice, SendDm(to, "allô")), ErrorCode.NOT_FOUND, "to", "user_not_found"
    )


def test_dm_to_someone_who_left_refused_not_found() -> None:
    hub = make_hub()
    alice = hello(hub, "Alice")
    bob = hello(hub, "Bob", gender="man")
    hub.leave(bob)

    _assert_refused(refusal(hub, alice, SendDm("Bob", "allô")), ErrorCode.NOT_FOUND, "to")


def test_dm_empty_text_refused_invalid() -> None:
    hub = make_hub()
    alice = hello(hub, "Alice")
    hello(hub, "Bob", gender="man")

    _assert_refused(refusal(hub, alice, SendDm("Bob", "\x00 ")), ErrorCode.INVALID, "text")


def test_block_replies_whole_block_list() -> None:
    hub = make_hub()
    alice = hello(hub, "Alice")

    hub.apply(alice, Block("Bob"), START_MS)
    outcome = hub.apply(alice, Block(" Carla "), START_MS)

    assert outcome.replies == [BlocksListed(("Bob", "Carla"))]


def test_block_self_refused_invalid() -> None:
    hub = make_hub()
    alice = hello(hub, "Alice")

    _assert_refused(refusal(hub, alice, Block("alice")), ErrorCode.INVALID, "nick", "block_self")


def test_dm_to_blocked_person_refused_dm_blocked() -> None:
    hub = make_hub()
    alice = hello(hub, "Alice")
    hello(hub, "Bob", gender="man")
    hub.apply(alice, Block("bob"), START_MS)

    _assert_refused(
        refusal(hub, alice, SendDm("Bob", "salut")), ErrorCode.DM_BLOCKED, "to", "dm_blocked"
    )


def test_dm_from_blocked_person_refused_dm_blocked() -> None:
    hub = make_hub()
    alice = hello(hub, "Alice")
    bob = hello(hub, "Bob", gender="man")
    hub.apply(alice, Block("BOB"), START_MS)

    _assert_refused(refusal(hub, bob, SendDm("Alice", "salut")), ErrorCode.DM_BLOCKED, "to")


def test_unblock_restores_dm_both_ways() -> None:
    hub = make_hub()
    alice = hello(hub, "Alice")
    bob = hello(hub, "Bob", gender="man")
    hub.apply(alice, Block("Bob"), START_MS)

    outcome = hub.apply(alice, Unblock("bob"), START_MS)

    assert outcome.replies == [BlocksListed(())]
    assert hub.apply(alice, SendDm("Bob", "pardon"), START_MS).records
    assert hub.apply(bob, SendDm("Alice", "ok"), START_MS).records


# -- rate limits ----------------------------------------------------------------------------


def test_say_burst_of_eight_then_rate_limited_then_recovers() -> None:
    hub = make_hub()
    clock = Clock()
    alice = hello(hub, "Alice", now_ms=clock.ms)
    join(hub, alice, "general", now_ms=clock.ms)
    for i in range(8):
        say(hub, alice, "general", f"flood {i}", clock.ms)

    error = refusal(hub, alice, Say("general", "un de trop"), clock.ms)

    _assert_refused(error, ErrorCode.RATE_LIMITED, None, "rate_limited")
    assert error.retry_after_s == pytest.approx(1.0)
    later = refusal(hub, alice, Say("general", "toujours trop"), clock.advance(500))
    assert later.retry_after_s == pytest.approx(0.5)
    assert later.retry_after_s is not None and later.retry_after_s > 0
    assert say(hub, alice, "general", "enfin", clock.advance(500)).text == "enfin"
    _assert_refused(
        refusal(hub, alice, Say("general", "encore"), clock.ms), ErrorCode.RATE_LIMITED, None
    )


def test_say_rate_limited_message_not_kept() -> None:
    hub = make_hub(HubConfig(dm_wait_s=0, say_limit=RateLimit(capacity=1, refill_per_s=1.0)))
    alice = hello(hub, "Alice")
    join(hub, alice, "general")
    first = say(hub, alice, "general", "un")

    refusal(hub, alice, Say("general", "deux"))

    history = hub.apply(alice, FetchHistory("general"), START_MS).replies
    assert history == [HistoryLoaded("general", (first,), False)]


def test_say_without_limit_never_rate_limited() -> None:
    hub = make_hub(HubConfig(dm_wait_s=0, say_limit=None, room_limit=None, repeat_max=None))
    alice = hello(hub, "Alice")
    join(hub, alice, "general")

    ids = {say(hub, alice, "general", f"n°{i}").id for i in range(100)}

    assert len(ids) == 100


def test_dm_burst_of_eight_then_rate_limited() -> None:
    hub = make_hub()
    alice = hello(hub, "Alice")
    hello(hub, "Bob", gender="man")
    for i in range(8):
        hub.apply(alice, SendDm("Bob", f"dm {i}"), START_MS)

    error = refusal(hub, alice, SendDm("Bob", "encore"))

    assert error.code is ErrorCode.RATE_LIMITED
    assert error.retry_after_s is not None and error.retry_after_s > 0


def test_say_and_dm_limits_counted_apart() -> None:
    hub = make_hub()
    alice = hello(hub, "Alice")
    hello(hub, "Bob", gender="man")
    join(hub, alice, "general")
    for i in range(8):
        say(hub, alice, "general", f"room {i}")

    outcome = hub.apply(alice, SendDm("Bob", "privé"), START_MS)

    assert len(outcome.records) == 1


# -- leaving --------------------------------------------------------------------------------


def test_leave_delivers_presence_left_to_each_room_and_frees_nick() -> None:
    hub = make_hub()
    alice = hello(hub, "Alice")
    bob = hello(hub, "Bob", gender="man")
    join(hub, alice, "musique", "general")
    join(hub, bob, "general")
    alice_public = public(hub, alice)

    outcome = hub.leave(alice)

    assert outcome.deliveries == [
        (ToRoom("general"), PresenceChanged("general", alice_public, PresenceState.LEFT)),
        (ToRoom("musique"), PresenceChanged("musique", alice_public, PresenceState.LEFT)),
    ]
    assert (outcome.replies, outcome.records) == ([], [])
    assert list(hub.members_of("general")) == [bob]
    assert list(hub.members_of("musique")) == []
    assert hub.session(alice) is None
    _assert_refused(refusal(hub, alice, Ping()), ErrorCode.FORBIDDEN, None)
    hello(hub, "alice")


def test_leave_unknown_session_changes_nothing() -> None:
    hub = make_hub()
    hello(hub, "Alice")

    assert is_empty(hub.leave("ghost"))


def test_members_version_changes_with_every_change_of_members_only() -> None:
    hub = make_hub()
    alice, bob = hello(hub, "Alice"), hello(hub, "Bob")
    seen = [hub.members_version("general")]

    join(hub, alice, "general")
    seen.append(hub.members_version("general"))
    join(hub, alice, "general")  # already there
    seen.append(hub.members_version("general"))
    say(hub, alice, "general", "salut")
    seen.append(hub.members_version("general"))
    join(hub, bob, "general")
    seen.append(hub.members_version("general"))
    hub.apply(bob, Part("general"), START_MS)
    seen.append(hub.members_version("general"))
    hub.leave(alice)
    seen.append(hub.members_version("general"))

    assert seen == [0, 1, 1, 1, 2, 3, 4]
    assert hub.members_version("no-such-room") == -1
