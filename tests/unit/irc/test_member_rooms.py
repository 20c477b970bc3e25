"""Rooms people make, through an IRC session in memory: JOIN #new makes one, TOPIC, MODE,
INVITE and KICK become the core's member-room commands, and their answers read as IRC lines
(RFC 2812 3.2, Modern IRC)."""

from __future__ import annotations

import dataclasses

from causerie.core import commands as cmd
from causerie.core import events as ev
from causerie.core.rooms import Audience, Room, RoomAccess, RoomKind, RoomModes
from tests.unit.irc.helpers import ALICE, BOB, Driver, codes, dm_sent, refusal, room_view

CLUB = Room("club", "club", RoomKind.THEMATIC, Audience.ADULT, owner="Alice")


def _owner_in_club(room: Room = CLUB) -> Driver:
    driver = Driver()
    driver.register()
    driver.feed("JOIN #club")
    driver.reply(refusal("not_found", "room_not_found"))
    driver.reply(ev.RoomCreated(room_view(room, 0)))
    arrival = ev.PresenceChanged("club", ALICE, ev.PresenceState.JOINED)
    assert driver.event(arrival) == []
    driver.reply(ev.Joined(room_view(room), (ALICE,), ()))
    return driver


def _shown(room: Room, role: str = "owner") -> ev.RoomSettingsShown:
    return ev.RoomSettingsShown(
        room_view(room),
        role,
        room.modes.key,
        tuple(room.access.operators),
        tuple(room.access.banned),
        tuple(room.access.invited),
        tuple(room.access.voiced),
    )


def test_join_of_a_channel_nobody_made_makes_the_room_then_joins_it_with_its_key() -> None:
    driver = Driver()
    driver.register()

    driver.feed("JOIN #club sesame")
    assert driver.last_request() == cmd.Join("club", key="sesame")
    assert driver.reply(refusal("not_found", "room_not_found")) == []
    assert driver.last_request() == cmd.CreateRoom("club")

    assert driver.reply(ev.RoomCreated(room_view(CLUB, 0))) == []
    assert driver.last_request() == cmd.Join("club", key="sesame")
    arrival = ev.PresenceChanged("club", ALICE, ev.PresenceState.JOINED)
    assert driver.event(arrival) == []
    lines = driver.reply(ev.Joined(room_view(CLUB), (ALICE,), ()))

    assert codes(lines) == ["JOIN", "353", "366"]  # no topic yet: no 332, no 331
    assert lines[1].endswith(" 353 Alice = #club @Alice")


def test_a_room_made_elsewhere_a_moment_before_is_joined_and_a_bad_name_is_479() -> None:
    driver = Driver()
    driver.register()
    driver.feed("JOIN #club")
    driver.reply(refusal("not_found", "room_not_found"))

    assert driver.reply(refusal("invalid", "room_name_taken")) == []
    assert driver.last_request() == cmd.Join("club")

    driver.feed("JOIN #admin")
    driver.reply(refusal("not_found", "room_not_found"))
    lines = driver.reply(refusal("invalid", "room_name_reserved"))
    assert codes(lines) == ["479"] and " 479 Alice #admin " in lines[0]


def test_creation_refused_for_a_new_identity_is_403_with_the_reason_as_notice() -> None:
    driver = Driver()
    driver.register()
    driver.feed("JOIN #club")
    driver.reply(refusal("not_found", "room_not_found"))

    lines = driver.reply(refusal("forbidden", "room_trust_needed"))

    assert codes(lines) == ["403", "NOTICE"]


def test_topic_of_a_member_room_is_set_by_its_owner_and_told_from_them() -> None:
    driver = _owner_in_club()

    driver.feed("TOPIC #club :On parle échecs")
    assert driver.last_request() == cmd.SetTopic("club", "On parle échecs")
    after = dataclasses.replace(CLUB, topic="On parle échecs")
    lines = driver.reply(_shown(after))

    assert lines == [":Alice!u@75.causerie TOPIC #club :On parle échecs"]


def test_topic_refused_to_a_member_is_482_and_to_an_outsider_442() -> None:
    driver = _owner_in_club()
    driver.feed("TOPIC #club :x")
    assert codes(driver.reply(refusal("forbidden", "room_operator_only"))) == ["482"]

    driver.feed("PART #club")
    driver.reply(ev.Parted("club"))
    assert codes(driver.feed("TOPIC #club :x")) == ["442"]


def test_official_room_topic_and_modes_stay_the_operators_482() -> None:
    driver = Driver()
    driver.register()
    driver.join()

    assert codes(driver.feed("TOPIC #general :x")) == ["482"]
    assert codes(driver.feed("MODE #general +i")) == ["482"]


def test_mode_flags_key_and_limit_become_one_request_and_the_answer_one_mode_line() -> None:
    driver = _owner_in_club()

    driver.feed("MODE #club +imk-t sesame")
    assert driver.last_request() == cmd.SetRoomModes(
        "club", moderated=True, invite_only=True, key="sesame", topic_locked=False
    )
    after = dataclasses.replace(
        CLUB,
        modes=RoomModes(moderated=True, invite_only=True, key="sesame", topic_locked=False),
    )
    lines = driver.reply(_shown(after))

    assert lines == [":Alice!u@75.causerie MODE #club +im-t+k sesame"]


def test_mode_bad_limit_is_696_and_bad_key_525_nothing_asked() -> None:
    driver = _owner_in_club()
    count = len(driver.requests)

    for value in ("0", "-1", "abc"):
        lines = driver.feed(f"MODE #club +l {value}")
        assert codes(lines) == ["696"], value
    assert codes(driver.feed("MODE #club +k :a b")) == ["525"]
    assert len(driver.requests) == count


def test_mode_unknown_letter_is_472_and_plus_n_changes_nothing() -> None:
    driver = _owner_in_club()
    count = len(driver.requests)

    assert codes(driver.feed("MODE #club +Zn")) == ["472"]
    assert len(driver.requests) == count


def test_mode_plus_o_and_plus_b_name_people_and_are_told_as_modes() -> None:
    driver = _owner_in_club()

    driver.feed("MODE #club +o Bob")
    assert driver.last_request() == cmd.SetRoomOperator("club", "Bob", True)
    with_bob = dataclasses.replace(CLUB, access=RoomAccess(operators=frozenset({"Bob"})))
    assert driver.reply(_shown(with_bob)) == [":Alice!u@75.causerie MODE #club +o Bob"]

    driver.feed("MODE #club +b eve!*@*")
    assert driver.last_request() == cmd.BanFromRoom("club", "eve", True)
    banned = dataclasses.replace(
        with_bob, access=RoomAccess(operators=frozenset({"Bob"}), banned=frozenset({"eve"}))
    )
    assert driver.reply(_shown(banned)) == [":Alice!u@75.causerie MODE #club +b eve!*@*"]

    driver.feed("MODE #club +b")
    assert driver.last_request() == cmd.ShowRoomSettings("club")
    lines = driver.reply(_shown(banned))
    assert codes(lines) == ["367", "368"] and lines[0].endswith(" 367 Alice #club eve!*@*")


def test_mode_plus_v_gives_a_voice_told_as_a_mode_and_shown_as_plus() -> None:
    driver = _owner_in_club()

    driver.feed("MODE #club +v Bob")
    assert driver.last_request() == cmd.SetRoomVoice("club", "Bob", True)
    with_bob = dataclasses.replace(CLUB, access=RoomAccess(voiced=frozenset({"Bob"})))
    assert driver.reply(_shown(with_bob)) == [":Alice!u@75.causerie MODE #club +v Bob"]

    driver.feed("NAMES #club")
    assert driver.reply(ev.Members("club", (ALICE, BOB)))[0].endswith(" #club :@Alice +Bob")
    driver.feed("WHO #club")
    flags = [line.split(" ")[8] for line in driver.reply(ev.Members("club", (ALICE, BOB)))[:2]]
    assert flags == ["H@", "H+"]

    driver.feed("MODE #club -v Bob")
    assert driver.last_request() == cmd.SetRoomVoice("club", "Bob", False)
    assert driver.reply(_shown(CLUB)) == [":Alice!u@75.causerie MODE #club -v Bob"]


def test_an_operator_with_a_voice_shows_both_prefixes_only_with_multi_prefix() -> None:
    both = RoomAccess(operators=frozenset({"Bob"}), voiced=frozenset({"Bob"}))
    room = dataclasses.replace(CLUB, access=both)
    plain = _owner_in_club(room)
    multi = Driver()
    multi.feed("CAP LS 302", "CAP REQ :multi-prefix", "CAP END")
    multi.register()
    multi.feed("JOIN #club")
    assert multi.event(ev.PresenceChanged("club", ALICE, ev.PresenceState.JOINED)) == []
    multi.reply(ev.Joined(room_view(room), (ALICE,), ()))

    for driver, shown in ((plain, "@Bob"), (multi, "@+Bob")):
        driver.feed("NAMES #club")
        assert driver.reply(ev.Members("club", (ALICE, BOB)))[0].endswith(f"@Alice {shown}")


def test_mode_o_of_someone_not_in_the_room_is_441_and_of_nobody_401() -> None:
    driver = _owner_in_club()

    driver.feed("MODE #club +o Bob")
    assert codes(driver.reply(refusal("not_found", "room_target_absent"))) == ["441"]
    driver.feed("MODE #club +o Personne")
    assert codes(driver.reply(refusal("not_found", "user_not_found"))) == ["401"]


def test_whox_of_a_member_room_marks_its_operators_and_shows_no_address() -> None:
    driver = _owner_in_club()

    driver.feed("WHO #club %cnfi")
    assert driver.last_request() == cmd.ListMembers("club")
    lines = driver.reply(ev.Members("club", (ALICE, BOB)))

    assert lines == [
        ":irc.causerie 354 Alice #club 255.255.255.255 Alice H@",
        ":irc.causerie 354 Alice #club 255.255.255.255 Bob H",
        ":irc.causerie 315 Alice #club :End of WHO list",
    ]


def test_invite_asks_the_core_answers_341_and_the_invitee_gets_invite() -> None:
    driver = _owner_in_club()

    driver.feed("INVITE Bob #club")
    assert driver.last_request() == cmd.InviteToRoom("club", "Bob")
    invited = dataclasses.replace(CLUB, access=RoomAccess(invited=frozenset({"Bob"})))
    lines = driver.reply(_shown(invited))
    assert lines == [":irc.causerie 341 Alice Bob #club"]

    bob = Driver()
    bob.register(nick="Bob")
    assert bob.event(ev.RoomInvited(room_view(invited), "Alice")) == [
        ":Alice!u@causerie INVITE Bob #club"
    ]


def test_invite_of_someone_already_in_the_room_is_443() -> None:
    driver = _owner_in_club()

    driver.feed("INVITE Bob #club")
    lines = driver.reply(refusal("invalid", "room_target_in_room"))

    assert lines == [":irc.causerie 443 Alice Bob #club :is already on channel"]


def test_invite_to_an_unknown_channel_is_403_and_to_one_not_joined_442() -> None:
    driver = Driver()
    driver.register()

    assert codes(driver.feed("INVITE Bob #nowhere")) == ["403"]
    assert codes(driver.feed("INVITE Bob #general")) == ["442"]
    assert codes(driver.feed("INVITE Bob")) == ["461"]


def test_kick_by_the_owner_asks_the_core_and_is_told_as_their_kick() -> None:
    driver = _owner_in_club()

    driver.feed("KICK #club Bob :dehors")
    assert driver.last_request() == cmd.KickFromRoom("club", "Bob", "dehors")
    lines = driver.reply(_shown(CLUB))
    # Every member, the kicker too, sees it as the room's presence: Bob taken out by Alice.
    kicked = ev.PresenceChanged("club", BOB, ev.PresenceState.LEFT, "Alice", "dehors")
    left = ev.PresenceChanged("club", BOB, ev.PresenceState.LEFT)

    assert lines == []
    assert driver.event(kicked) == [":Alice!u@causerie KICK #club Bob :dehors"]
    assert driver.event(left) == [":Bob!u@69.causerie PART #club"]


def test_a_change_by_someone_else_reaches_members_as_mode_from_the_server() -> None:
    driver = _owner_in_club(dataclasses.replace(CLUB, owner="Bob"))
    after = dataclasses.replace(CLUB, owner="Bob", member_limit=10, modes=RoomModes(key="k"))

    lines = driver.event(ev.RoomUpdated(room_view(after)))

    assert lines == [":irc.causerie MODE #club +kl k 10"]
    assert BOB.nick not in lines[0]


def test_taken_out_by_the_owner_reads_as_their_kick_then_the_statement() -> None:
    bob = Driver()
    bob.register(nick="Bob")
    bob.session.rooms = {**bob.session.rooms, "club": CLUB}
    bob.feed("JOIN #club")
    bob.event(ev.PresenceChanged("club", BOB, ev.PresenceState.JOINED))
    bob.reply(ev.Joined(room_view(CLUB), (ALICE, BOB), ()))
    params = (("name", "club"), ("by", "Alice"), ("reason", " : dehors"))

    assert bob.event(ev.Noticed(ev.NoticeKind.INFO, "room_kicked", params)) == []
    lines = bob.event(ev.Parted("club"))

    assert lines[0] == ":Alice KICK #club Bob :dehors"
    assert codes(lines) == ["KICK", "NOTICE"] and "Alice" in lines[1]


def test_a_kick_notice_for_a_room_one_is_not_in_is_told_at_once() -> None:
    driver = Driver()
    driver.register()
    params = (("name", "ailleurs"), ("by", "Bob"), ("reason", ""))

    assert codes(driver.event(ev.Noticed(ev.NoticeKind.INFO, "room_kicked", params))) == ["NOTICE"]


def test_taken_out_from_another_node_reads_as_a_kick_carrying_the_statement() -> None:
    bob = Driver()
    bob.register(nick="Bob")
    bob.session.rooms = {**bob.session.rooms, "club": CLUB}
    bob.feed("JOIN #club")
    bob.event(ev.PresenceChanged("club", BOB, ev.PresenceState.JOINED))
    bob.reply(ev.Joined(room_view(CLUB), (ALICE, BOB), ()))
    text = "Alice t'a fait sortir du salon « club » : dehors."

    assert bob.event(ev.NoticeText(ev.NoticeKind.INFO, text, "room_kicked")) == []
    assert bob.event(ev.Parted("club")) == [f":irc.causerie KICK #club Bob :{text}"]

    # Without the Parted after it, the statement is told as a notice before the next event.
    bob.event(ev.NoticeText(ev.NoticeKind.INFO, text, "room_kicked"))
    assert codes(bob.event(dm_sent(ALICE, BOB, "coucou"))) == ["NOTICE", "PRIVMSG"]


def test_kick_without_a_reason_gives_the_kickers_nickname_as_its_comment() -> None:
    driver = _owner_in_club()

    driver.feed("KICK #club Bob")
    assert driver.last_request() == cmd.KickFromRoom("club", "Bob", "")
    kicked = ev.PresenceChanged("club", BOB, ev.PresenceState.LEFT, by="Alice")

    assert driver.reply(_shown(CLUB)) == []
    assert driver.event(kicked) == [":Alice!u@causerie KICK #club Bob :Alice"]


def test_kick_of_several_nicknames_is_one_kick_each_and_mismatched_lists_461() -> None:
    driver = _owner_in_club()

    driver.feed("KICK #club Bob,Carla :dehors")
    both = [command for _id, command in driver.requests[-2:]]
    driver.feed("KICK #club,#club Bob,Carla")
    paired = [command for _id, command in driver.requests[-2:]]

    assert both == [
        cmd.KickFromRoom("club", "Bob", "dehors"),
        cmd.KickFromRoom("club", "Carla", "dehors"),
    ]
    assert paired == [cmd.KickFromRoom("club", "Bob", ""), cmd.KickFromRoom("club", "Carla", "")]
    assert codes(driver.feed("KICK #club,#general Bob,Carla,Dan")) == ["461"]


def test_taken_out_with_who_and_why_reads_as_their_kick_then_the_statement() -> None:
    bob = Driver()
    bob.register(nick="Bob")
    bob.reply(ev.Joined(room_view(CLUB), (ALICE, BOB), ()))
    told = ev.NoticeText(ev.NoticeKind.MODERATION, "Alice t'a fait sortir : dehors.", "room_kicked")

    assert bob.event(told) == []
    lines = bob.event(ev.Parted("club", "Alice", "dehors"))

    assert lines[0] == ":Alice!u@causerie KICK #club Bob :dehors"
    assert "Alice t'a fait sortir : dehors." in lines[1] and " NOTICE Bob " in lines[1]
