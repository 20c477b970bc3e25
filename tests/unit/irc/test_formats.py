"""Replies in the shape IRC clients and parsers expect (RFC 2812, Modern IRC, IRCv3), the ones a
conformance run showed wrong: LUSERS, an empty USER, `userhost-in-names`, a stranger's first
private message and RPL_AWAY."""

from __future__ import annotations

import dataclasses
import re

from causerie.core import commands as cmd
from causerie.core import events as ev
from causerie.core.messages import DirectMessage
from causerie.core.policy.nicknames import nick_key
from causerie.core.rooms import RoomAccess, RoomModes
from causerie.irc.directory import Census, Directory
from causerie.irc.session import IrcSession, SessionConfig
from tests.unit.irc.helpers import (
    ALICE,
    BOB,
    GENERAL,
    Driver,
    codes,
    dm_sent,
    refusal,
    room_view,
)

# What irctest and client libraries read from 251 and 255 (three numbers, then two).
LUSERCLIENT = re.compile(r"^There are (\d+) users and (\d+) services on (\d+) servers$")
LUSERME = re.compile(r"^I have (\d+) clients and (\d+) servers$")


def _registered(census: Census | None = None) -> Driver:
    directory = Directory(lambda: census) if census is not None else Directory()
    driver = Driver(IrcSession(SessionConfig(), directory))
    driver.register()
    return driver


def _trailing(line: str) -> str:
    return line.split(" :", 1)[1]


def test_lusers_counts_in_rfc_2812_shape_with_unknown_connections() -> None:
    driver = _registered(Census(people=3, unregistered=2))

    lines = driver.feed("LUSERS")

    assert codes(lines) == ["251", "253", "254", "255", "265", "266"]
    assert LUSERCLIENT.match(_trailing(lines[0])).groups() == ("3", "0", "1")  # type: ignore[union-attr]
    assert lines[1].endswith(" 253 Alice 2 :unknown connection(s)")
    assert lines[2].endswith(" 254 Alice 1 :channels formed")  # the rooms Alice may see
    assert LUSERME.match(_trailing(lines[3])).groups() == ("3", "0")  # type: ignore[union-attr]
    assert lines[4].endswith(" 265 Alice :Current local users: 3")
    assert all(line.split(" ")[2] == "Alice" for line in lines)


def test_lusers_without_unknown_connections_has_no_253() -> None:
    driver = _registered(Census(people=1, unregistered=0))

    assert "253" not in codes(driver.feed("LUSERS"))


def test_user_with_an_empty_realname_or_username_is_461_and_does_not_register() -> None:
    for line in ("USER username * * :", "USER '' * * :25 f 75011"):
        driver = Driver()
        lines = driver.feed("NICK Alice", line.replace("''", ""))
        assert codes(lines) == ["461"], line
        assert lines[0].endswith(" 461 Alice USER :Not enough parameters")
        assert driver.requests == []
    driver.feed("USER u 0 * :25 f 75011")
    assert [type(command).__name__ for _id, command in driver.requests] == ["Hello"]


def test_userhost_in_names_is_offered_and_names_become_hostmasks() -> None:
    driver = Driver()
    assert "userhost-in-names" in driver.feed("CAP LS 302")[0]
    assert driver.feed("CAP REQ :multi-prefix userhost-in-names")[0].endswith(
        "ACK :multi-prefix userhost-in-names"
    )
    driver.feed("CAP END")
    driver.register()

    lines = driver.join(members=[ALICE, BOB])

    assert lines[2].endswith("= #general :Alice!u@75.causerie Bob!u@69.causerie")


def test_names_are_plain_nicknames_without_userhost_in_names() -> None:
    driver = _registered()

    lines = driver.join(members=[ALICE, BOB])

    assert lines[2].endswith("= #general :Alice Bob")


def test_a_strangers_first_message_is_its_privmsg_unchanged_then_the_service_notice() -> None:
    driver = _registered()
    dm = DirectMessage(7, BOB, ALICE, "salut, ça va ?", 0)

    lines = driver.event(ev.DmRequested(dm))

    assert lines[0] == ":Bob!u@69.causerie PRIVMSG Alice :salut, ça va ?"
    assert codes(lines) == ["PRIVMSG", "NOTICE", "NOTICE"]
    assert "/msg Causerie ACCEPT Bob" in lines[1] and "DECLINE Bob" in lines[1]
    assert "/msg Causerie ACCEPT Bob" in lines[2] and "DECLINE Bob" in lines[2]
    assert all(line.startswith(":Causerie!service@") for line in lines[1:])


def test_own_private_message_to_someone_away_here_gets_301_and_only_then() -> None:
    directory = Directory()
    driver = Driver(IrcSession(SessionConfig(), directory))
    driver.register()
    driver.feed("PRIVMSG Bob :tu es là ?")

    assert driver.event(dm_sent(ALICE, BOB, "tu es là ?")) == []  # Bob is not away

    directory.set_away("Bob", "Bob!u@69.causerie", "parti manger", frozenset())
    assert driver.event(dm_sent(ALICE, BOB, "tu es là ?")) == [
        ":irc.causerie 301 Alice Bob :parti manger"
    ]
    # Bob's own message to Alice says nothing of Alice's or Bob's absence to Alice.
    assert codes(driver.event(dm_sent(BOB, ALICE, "oui"))) == ["PRIVMSG"]


def test_a_private_message_refused_gets_no_301_even_if_the_nick_is_away_here() -> None:
    directory = Directory()
    directory.set_away("Bob", "Bob!u@69.causerie", "parti", frozenset())
    driver = Driver(IrcSession(SessionConfig(), directory))
    driver.register()
    driver.feed("PRIVMSG Bob :coucou")

    lines = driver.reply(refusal("not_found"))

    assert codes(lines) == ["401"]


def test_join_with_keys_gives_each_channel_its_key_in_order() -> None:
    driver = _registered()

    driver.feed("JOIN #club,#general,#autre secret,,")

    assert [command for _id, command in driver.requests[-3:]] == [
        cmd.Join("club", key="secret"),
        cmd.Join("general"),
        cmd.Join("autre"),
    ]


def test_join_refused_by_a_member_rooms_modes_reads_473_and_475() -> None:
    driver = _registered()
    for code, numeric in (("invite_only", "473"), ("bad_key", "475")):
        driver.feed("JOIN #club")
        lines = driver.reply(refusal(code))
        assert codes(lines) == [numeric], code
        assert lines[0].split(" ")[2:4] == ["Alice", "#club"]


def test_join_of_a_room_without_name_or_topic_sends_no_331_but_topic_does() -> None:
    driver = _registered()
    bare = dataclasses.replace(GENERAL, id="club", name="", topic="")
    driver.session.rooms = {**driver.session.rooms, "club": bare}
    driver.feed("JOIN #club")
    arrival = ev.PresenceChanged("club", ALICE, ev.PresenceState.JOINED)
    assert driver.event(arrival) == []

    lines = driver.reply(ev.Joined(room_view(bare), (ALICE,), ()))

    assert codes(lines) == ["JOIN", "353", "366"]
    assert codes(driver.feed("TOPIC #club")) == ["331"]


CAROL = dataclasses.replace(BOB, nick="Carol")
CLUB = dataclasses.replace(
    GENERAL,
    id="club",
    name="Club",
    topic="",
    member_limit=5,
    owner="Alice",
    modes=RoomModes(invite_only=True, key="sesame", unlisted=True),
    access=RoomAccess(operators=frozenset({nick_key("Bob")})),
)


def _in_club(driver: Driver) -> list[str]:
    driver.session.rooms = {**driver.session.rooms, "club": CLUB}
    driver.feed("JOIN #club sesame")
    arrival = ev.PresenceChanged("club", ALICE, ev.PresenceState.JOINED)
    assert driver.event(arrival) == []
    return driver.reply(ev.Joined(room_view(CLUB, 3), (ALICE, BOB, CAROL), ()))


def test_names_of_a_member_room_mark_its_owner_and_operators_and_its_secrecy() -> None:
    driver = _registered()

    lines = _in_club(driver)

    names = next(line for line in lines if " 353 " in line)
    assert names.endswith(" 353 Alice @ #club :@Alice @Bob Carol")


def test_names_of_an_official_room_have_no_operators_and_are_public() -> None:
    driver = _registered()

    lines = driver.join(members=[ALICE, BOB])

    assert lines[2].endswith(" 353 Alice = #general :Alice Bob")


def test_mode_of_a_member_room_gives_its_modes_key_and_limit_in_324() -> None:
    driver = _registered()
    _in_club(driver)

    driver.feed("MODE #club")
    lines = driver.reply(ev.Members("club", (), locked=False))

    assert lines == [":irc.causerie 324 Alice #club +iklnst sesame 5"]


def test_mode_of_a_stored_room_gives_its_creation_time_in_329_after_324() -> None:
    driver = _registered()
    made = dataclasses.replace(CLUB, created_ms=1_761_609_600_500)
    driver.session.rooms = {**driver.session.rooms, "club": made}
    driver.feed("JOIN #club sesame")
    assert driver.event(ev.PresenceChanged("club", ALICE, ev.PresenceState.JOINED)) == []
    driver.reply(ev.Joined(room_view(made, 3), (ALICE, BOB, CAROL), ()))

    driver.feed("MODE #club")
    lines = driver.reply(ev.Members("club", (), locked=False))

    assert lines == [
        ":irc.causerie 324 Alice #club +iklnst sesame 5",
        ":irc.causerie 329 Alice #club 1761609600",
    ]


def test_topic_on_join_and_asked_comes_with_when_it_was_set_in_333() -> None:
    driver = _registered()
    room = dataclasses.replace(
        CLUB, topic="échecs", created_ms=1_761_609_600_000, topic_set_ms=1_761_609_700_000
    )
    driver.session.rooms = {**driver.session.rooms, "club": room}
    driver.feed("JOIN #club sesame")
    assert driver.event(ev.PresenceChanged("club", ALICE, ev.PresenceState.JOINED)) == []
    joined = driver.reply(ev.Joined(room_view(room, 3), (ALICE, BOB, CAROL), ()))

    asked = driver.feed("TOPIC #club")

    for lines in (joined, asked):
        topic = [line for line in lines if " 332 " in line or " 333 " in line]
        assert topic == [
            ":irc.causerie 332 Alice #club échecs",
            ":irc.causerie 333 Alice #club irc.causerie 1761609700",
        ]


def test_mode_of_an_official_room_is_nt_and_mnt_while_locked() -> None:
    driver = _registered()
    driver.join()
    for locked, modes in ((False, "+nt"), (True, "+mnt")):
        driver.feed("MODE #general")
        assert driver.reply(ev.Members("general", (), locked=locked)) == [
            f":irc.causerie 324 Alice #general {modes}"
        ]
