"""Rooms people make: who may make one, what it is made as, who may change what in it, who
may enter and speak. Pure."""

from __future__ import annotations

import dataclasses

import pytest

from causerie.core.policy import member_rooms as mr
from causerie.core.policy.member_rooms import MemberRoomLimits, ModeChange, RoomRole
from causerie.core.policy.nicknames import nick_key, staff_skeletons
from causerie.core.policy.review import Review, ReviewAction
from causerie.core.rooms import DEFAULT_ROOMS, Audience, Room, RoomKind, RoomModes
from causerie.core.users import AgeBand
from causerie.errors import CauserieError, ErrorCode
from tests.unit.core.builders import profile
from tests.unit.core.hub.parts import FakeReviewer

ALICE = profile(30, nick="Alice")
NINA = profile(15, nick="Nina")


def _make(name: str, maker=ALICE, topic: str = "", audience: str | None = None, **kw) -> Room:  # type: ignore[no-untyped-def]
    options = {
        "existing": list(DEFAULT_ROOMS),
        "taken_ids": {r.id for r in DEFAULT_ROOMS},
        "reviewer": FakeReviewer(),
        "reserved_skeletons": staff_skeletons(["Gardienne"]),
    }
    options.update(kw)
    return mr.new_member_room(name, topic, maker, audience=audience, **options)  # type: ignore[arg-type]


def _refusal(call, *args, **kw) -> CauserieError:  # type: ignore[no-untyped-def]
    with pytest.raises(CauserieError) as caught:
        call(*args, **kw)
    return caught.value


def _room(audience: Audience = Audience.ADULT, owner: str = "Alice") -> Room:
    kind = RoomKind.TEEN if audience is Audience.TEEN else RoomKind.THEMATIC
    return Room("fans-de-jazz", "Fans de jazz", kind, audience, 1000, "", owner=owner)


# -- making one ------------------------------------------------------------------------------


def test_room_id_for_folds_accents_and_spaces_to_an_irc_name() -> None:
    assert mr.room_id_for("Les Fans d'Orelsan !", AgeBand.ADULT) == "les-fans-d-orelsan"
    assert mr.room_id_for("Éléphants roses", AgeBand.ADULT) == "elephants-roses"


def test_room_id_for_a_teen_room_starts_with_ados_and_an_adult_one_never() -> None:
    assert mr.room_id_for("Fortnite", AgeBand.TEEN) == "ados-fortnite"
    assert mr.room_id_for("Ados Fortnite", AgeBand.TEEN) == "ados-fortnite"
    error = _refusal(mr.room_id_for, "Ados fortnite", AgeBand.ADULT)
    assert (error.key, error.field) == ("room_name_reserved", "name")


def test_room_id_for_a_name_without_latin_letters_is_refused_on_the_name() -> None:
    error = _refusal(mr.room_id_for, "Москва", AgeBand.ADULT)
    assert (error.code, error.key, error.field) == (ErrorCode.INVALID, "room_id_format", "name")


def test_new_member_room_is_owned_in_the_makers_band_after_the_official_rooms() -> None:
    room = _make("Fans de jazz", topic="Swing et bebop")
    assert (room.id, room.owner, room.audience, room.kind) == (
        "fans-de-jazz",
        "Alice",
        Audience.ADULT,
        RoomKind.THEMATIC,
    )
    assert room.position > max(r.position for r in DEFAULT_ROOMS)
    teen = _make("Fortnite", maker=NINA)
    assert (teen.id, teen.audience, teen.kind, teen.pictures) == (
        "ados-fortnite",
        Audience.TEEN,
        RoomKind.TEEN,
        False,
    )


def test_new_member_room_adult_verified_needs_a_verified_adult() -> None:
    error = _refusal(_make, "Coquin", audience="adult_verified")
    assert (error.code, error.key) == (ErrorCode.AGE_RESTRICTED, "room_needs_verified_age")
    verified = profile(30, nick="Vera", is_age_verified=True)
    assert _make("Coquin", maker=verified, audience="adult_verified").audience is (
        Audience.ADULT_VERIFIED
    )
    error = _refusal(_make, "Salle", maker=NINA, audience="adult")
    assert error.key == "room_audience_band"


def test_new_member_room_refuses_a_lookalike_of_an_official_name_and_a_staff_name() -> None:
    assert _refusal(_make, "Genéral").key == "room_name_taken"
    assert _refusal(_make, "Modération").key == "room_name_reserved"
    assert _refusal(_make, "Gardi3nne").key == "room_name_reserved"


def test_new_member_room_an_id_already_taken_is_name_taken_on_the_name() -> None:
    error = _refusal(_make, "Fans de jazz", taken_ids={"fans-de-jazz"})
    assert (error.key, error.field) == ("room_name_taken", "name")


def test_new_member_room_a_teen_name_is_not_compared_with_adult_rooms() -> None:
    adult = _make("Fans de jazz")
    teen = _make("Fans de jazz", maker=NINA, existing=[*DEFAULT_ROOMS, adult])
    assert teen.id == "ados-fans-de-jazz"


def test_new_member_room_a_name_the_word_lists_hold_is_refused() -> None:
    reviewer = FakeReviewer(Review(ReviewAction.HOLD, "words", "sexual", 3))
    assert _refusal(_make, "Vilain", reviewer=reviewer).key == "room_text_refused"


def test_refuse_unless_may_create_new_identities_and_each_limit() -> None:
    limits = MemberRoomLimits(owned_per_person=2, created_per_day_per_person=3, in_cluster=10)
    ok = {"is_trusted": True, "owned": 0, "created_today": 0, "in_cluster": 0, "limits": limits}
    mr.refuse_unless_may_create(ALICE, **ok)  # type: ignore[arg-type]
    for change, key in (
        ({"is_trusted": False}, "room_trust_needed"),
        ({"owned": 2}, "rooms_owned_limit"),
        ({"created_today": 3}, "rooms_created_limit"),
        ({"in_cluster": 10}, "rooms_cluster_limit"),
    ):
        error = _refusal(mr.refuse_unless_may_create, ALICE, **(ok | change))
        assert error.key == key


# -- running one -----------------------------------------------------------------------------


def test_role_of_owner_operator_member_by_nickname_key() -> None:
    room = mr.changed_operator(_room(), "alice", "Bob", True)
    assert mr.role_of(room, "ALICE") is RoomRole.OWNER
    assert mr.role_of(room, "bob") is RoomRole.OPERATOR
    assert mr.role_of(room, "Carla") is RoomRole.MEMBER


def test_changed_operator_only_the_owner_names_operators() -> None:
    room = mr.changed_operator(_room(), "Alice", "Bob", True)
    assert _refusal(mr.changed_operator, room, "Bob", "Carla", True).key == "room_owner_only"
    assert mr.role_of(mr.changed_operator(room, "Alice", "Bob", False), "Bob") is RoomRole.MEMBER


def test_changed_modes_by_a_member_is_refused_operator_only() -> None:
    error = _refusal(mr.changed_modes, _room(), "Carla", ModeChange(moderated=True))
    assert (error.code, error.key) == (ErrorCode.FORBIDDEN, "room_operator_only")


def test_changed_modes_sets_each_mode_and_the_limit() -> None:
    change = ModeChange(True, True, "s3cret", True, False, 12)
    room = mr.changed_modes(_room(), "Alice", change)
    assert room.modes == RoomModes(True, True, "s3cret", True, False)
    assert room.member_limit == 12


def test_changed_modes_in_the_teen_space_never_closed_keyed_or_unlisted() -> None:
    teen = _room(Audience.TEEN, owner="Nina")
    for change, field in (
        (ModeChange(invite_only=True), "invite_only"),
        (ModeChange(key="abc"), "key"),
        (ModeChange(unlisted=True), "unlisted"),
    ):
        error = _refusal(mr.changed_modes, teen, "Nina", change)
        assert (error.key, error.field) == ("teen_room_open", field)
    assert mr.changed_modes(
        teen, "Nina", ModeChange(moderated=True, member_limit=5)
    ).modes.moderated


def test_changed_modes_a_key_with_a_space_or_too_long_is_refused() -> None:
    assert _refusal(mr.changed_modes, _room(), "Alice", ModeChange(key="a b")).key == (
        "room_key_format"
    )
    assert _refusal(mr.changed_modes, _room(), "Alice", ModeChange(key="k" * 24)).key == (
        "room_key_format"
    )
    error = _refusal(mr.changed_modes, _room(), "Alice", ModeChange(member_limit=-1))
    assert error.key == "out_of_range"


def test_changed_modes_an_official_room_is_the_teams() -> None:
    error = _refusal(mr.changed_modes, DEFAULT_ROOMS[0], "Alice", ModeChange(moderated=True))
    assert error.key == "room_official"


def test_changed_topic_locked_for_members_open_when_unlocked() -> None:
    room = _room()
    assert _refusal(mr.changed_topic, room, "Carla", "x", FakeReviewer()).key == (
        "room_operator_only"
    )
    assert mr.changed_topic(room, "Alice", "Du swing", FakeReviewer()).topic == "Du swing"
    unlocked = mr.changed_modes(room, "Alice", ModeChange(topic_locked=False))
    assert mr.changed_topic(unlocked, "Carla", "Bebop", FakeReviewer()).topic == "Bebop"


def test_changed_ban_protects_the_owner_and_operators_from_operators() -> None:
    room = mr.changed_operator(_room(), "Alice", "Bob", True)
    assert _refusal(mr.changed_ban, room, "Bob", "Alice", True).key == "room_target_protected"
    room = mr.changed_operator(room, "Alice", "Dan", True)
    assert _refusal(mr.changed_ban, room, "Bob", "Dan", True).key == "room_target_protected"
    banned = mr.changed_ban(room, "Alice", "Dan", True)
    assert "Dan" in banned.access.banned and "Dan" not in banned.access.operators


def test_changed_invitation_members_may_invite_unless_invite_only() -> None:
    room = mr.changed_invitation(_room(), "Carla", "Eve")
    assert "Eve" in room.access.invited
    closed = mr.changed_modes(_room(), "Alice", ModeChange(invite_only=True))
    assert _refusal(mr.changed_invitation, closed, "Carla", "Eve").key == "room_operator_only"
    banned = mr.changed_ban(_room(), "Alice", "Eve", True)
    assert _refusal(mr.changed_invitation, banned, "Alice", "Eve").key == "room_target_banned"


def test_without_person_drops_roles_and_ownership_keeps_bans() -> None:
    room = mr.changed_operator(_room(), "Alice", "Bob", True)
    room = mr.changed_ban(room, "Alice", "Eve", True)
    gone = mr.without_person(mr.without_person(room, nick_key("Bob")), nick_key("Alice"))
    assert gone.owner == "" and gone.is_member_room
    assert mr.role_of(gone, "Alice") is RoomRole.MEMBER and mr.role_of(gone, "Bob") is (
        RoomRole.MEMBER
    )
    assert gone.access.banned == frozenset({"Eve"})


# -- entering and speaking -------------------------------------------------------------------


def test_refuse_unless_may_enter_ban_then_invitation_then_key_in_ircs_order() -> None:
    change = ModeChange(invite_only=True, key="k1")
    room = mr.changed_ban(mr.changed_modes(_room(), "Alice", change), "Alice", "Eve", True)
    assert _refusal(mr.refuse_unless_may_enter, room, "Eve", "k1").code is ErrorCode.BANNED
    assert _refusal(mr.refuse_unless_may_enter, room, "Carla", "k1").code is (ErrorCode.INVITE_ONLY)
    keyed = mr.changed_modes(_room(), "Alice", ModeChange(key="k1"))
    assert _refusal(mr.refuse_unless_may_enter, keyed, "Carla", "nope").code is ErrorCode.BAD_KEY
    mr.refuse_unless_may_enter(keyed, "Carla", "k1")
    mr.refuse_unless_may_enter(room, "Alice", None)  # the owner always enters
    invited = mr.changed_invitation(room, "Alice", "Carla")
    mr.refuse_unless_may_enter(invited, "Carla", None)  # an invitation opens the door


def test_refuse_unless_may_speak_moderated_is_for_the_owner_and_operators() -> None:
    room = mr.changed_modes(
        mr.changed_operator(_room(), "Alice", "Bob", True), "Alice", ModeChange(moderated=True)
    )
    assert _refusal(mr.refuse_unless_may_speak, room, "Carla").key == "room_moderated"
    mr.refuse_unless_may_speak(room, "Bob")
    mr.refuse_unless_may_speak(room, "Alice")


def test_a_voiced_member_speaks_in_a_moderated_room_until_the_voice_is_taken_back() -> None:
    room = mr.changed_modes(_room(), "Alice", ModeChange(moderated=True))
    voiced = mr.changed_voice(room, "Alice", "Carla", True)

    mr.refuse_unless_may_speak(voiced, "carla")  # by nickname key
    assert mr.is_voiced(voiced, "CARLA") and mr.role_of(voiced, "Carla") is RoomRole.MEMBER
    assert _refusal(mr.refuse_unless_may_speak, voiced, "Dan").key == "room_moderated"
    silenced = mr.changed_voice(voiced, "Alice", "Carla", False)
    assert _refusal(mr.refuse_unless_may_speak, silenced, "Carla").key == "room_moderated"


def test_changed_voice_is_for_the_owner_and_operators_only() -> None:
    room = mr.changed_operator(_room(), "Alice", "Bob", True)

    by_operator = mr.changed_voice(room, "Bob", "Carla", True)
    assert mr.is_voiced(by_operator, "Carla")
    error = _refusal(mr.changed_voice, by_operator, "Carla", "Dan", True)
    assert (error.code, error.key) == (ErrorCode.FORBIDDEN, "room_operator_only")
    official = DEFAULT_ROOMS[0]
    assert _refusal(mr.changed_voice, official, "Alice", "Carla", True).key == "room_official"


def test_a_ban_and_a_person_gone_for_good_end_a_voice() -> None:
    room = mr.changed_voice(_room(), "Alice", "Carla", True)

    banned = mr.changed_ban(room, "Alice", "Carla", True)
    gone = mr.without_person(room, nick_key("Carla"))

    assert not mr.is_voiced(banned, "Carla") and not mr.is_voiced(gone, "Carla")


def test_is_listed_for_an_unlisted_room_only_for_members_roles_and_invited() -> None:
    room = mr.changed_modes(_room(), "Alice", ModeChange(unlisted=True))
    assert not mr.is_listed_for(room, "Carla", is_member=False)
    assert mr.is_listed_for(room, "Carla", is_member=True)
    assert mr.is_listed_for(room, "Alice", is_member=False)
    assert mr.is_listed_for(mr.changed_invitation(room, "Alice", "Carla"), "Carla", is_member=False)
    assert mr.is_listed_for(dataclasses.replace(room, modes=RoomModes()), "X", is_member=False)


def test_room_reason_passing_the_word_lists_is_read_and_a_held_one_is_dropped() -> None:
    held = FakeReviewer(Review(ReviewAction.HOLD, "words", "sexual", 3))

    assert mr.room_reason("trop de spam", FakeReviewer(), is_teen=False) == "trop de spam"
    assert mr.room_reason("vilain mot", held, is_teen=True) == ""
    assert mr.room_reason("", FakeReviewer(), is_teen=False) == ""
