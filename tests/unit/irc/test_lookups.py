"""Lookups show a person only to whom the web would show them: same age band, and a channel
shared with the asker or a private conversation. Anyone else answers, byte for byte but for the
nickname, like a nickname nobody uses; a channel the asker is not in is never named.

The listener keeps no roster: each lookup is a `LookUp` or `ListMembers` asked of the node. Here
the node's answers come from `node/lookups.py` over a real hub, where a 14-year-old sits in a
teen room with a teen IRC client, and an adult IRC client asks about her."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from causerie.core import commands as cmd
from causerie.core import events as ev
from causerie.core.hub import Hub
from causerie.core.users import AgeBand
from causerie.errors import CauserieError
from causerie.irc.directory import Directory
from causerie.irc.session import IrcSession, SessionConfig
from causerie.node.lookups import Lookups
from tests.unit.core.builders import START_MS, hello, join, make_hub
from tests.unit.irc.helpers import Driver, codes

NOBODY = "Personne"
LOOKUPS = (
    "WHOIS {nick}",
    "WHOIS irc.causerie {nick}",
    "WHO {nick}",
    "WHO {nick} %tcuihsnfdlaor,42",
    "ISON {nick}",
    "ISON Marc {nick}",
    "USERHOST {nick}",
    "MODE {nick}",
    "MODE {nick} +i",
    "KICK #general {nick}",
    "KICK #ados-general {nick}",
    "INVITE {nick} #general",
    "WHOWAS {nick}",
    "CHATHISTORY LATEST {nick} * 10",
)
CHANNEL_LOOKUPS = (
    "NAMES {channel}",
    "WHO {channel}",
    "WHO {channel} %cnr",
    "TOPIC {channel}",
    "MODE {channel}",
    "MODE {channel} b",
    "KICK {channel} Ninateen",
    "CHATHISTORY LATEST {channel} * 10",
    "PART {channel}",
    "PRIVMSG {channel} :coucou",
)


class World:
    """A hub, the node's lookups over it, and IRC clients whose lookups it answers."""

    def __init__(self) -> None:
        self.hub: Hub = make_hub()
        self.lookups = Lookups(self.hub, None, lambda: START_MS)
        self.directory = Directory()
        self.sessions: dict[Driver, str] = {}

    def web(self, nick: str, age: int, *rooms: str) -> str:
        session = hello(self.hub, nick, age=age)
        join(self.hub, session, *rooms)
        return session

    def irc(self, nick: str, age: int, room: str | None) -> Driver:
        """A registered IRC client with a profile, in `room` when given."""
        session = self.web(nick, age)
        driver = Driver(IrcSession(SessionConfig(), self.directory))
        self.sessions[driver] = session
        driver.feed(f"NICK {nick}", f"USER u 0 * :{age} x 75011")
        profile = self.hub.profile_of(session)
        band = AgeBand.TEEN if profile.is_minor else AgeBand.ADULT
        driver.reply(ev.Welcomed(session, profile.public(), band, self.hub.room_views(profile)))
        if room is not None:
            driver.feed(f"JOIN #{room}")
            [joined] = self.hub.apply(session, cmd.Join(room), START_MS).replies
            driver.reply(joined)
        return driver

    def ask(self, driver: Driver, line: str) -> list[str]:
        """The lines `line` gets, the node answering its lookups as it would."""
        asked = len(driver.requests)
        out = driver.feed(line)
        for request_id, command in driver.requests[asked:]:
            if isinstance(command, cmd.LookUp | cmd.ListMembers):
                out += driver.event(self._answer(driver, command), re=request_id)
        return out

    def _answer(self, driver: Driver, command: cmd.LookUp | cmd.ListMembers) -> ev.Event:
        session = self.sessions[driver]
        if isinstance(command, cmd.LookUp):
            return asyncio.run(self.lookups.look_up(session, command))
        try:
            return asyncio.run(self.lookups.list_members(session, False, command))
        except CauserieError as error:
            return ev.Refused(error)


def _world() -> tuple[World, Driver, Driver]:
    world = World()
    world.web("Ninateen", 14, "ados-general")
    world.web("Bob", 30, "general")
    teen = world.irc("Lea", 15, "ados-general")
    adult = world.irc("Marc", 40, "general")
    return world, teen, adult


def _answer(world: World, driver: Driver, line: str, name: str) -> list[str]:
    return [text.replace(name, "<X>") for text in world.ask(driver, line)]


@pytest.mark.parametrize("lookup", LOOKUPS)
def test_adult_asking_about_a_teen_gets_the_answer_for_nobody(lookup: str) -> None:
    world, _teen, adult = _world()

    about_teen = _answer(world, adult, lookup.format(nick="Ninateen"), "Ninateen")
    about_nobody = _answer(world, adult, lookup.format(nick=NOBODY), NOBODY)

    assert about_teen == about_nobody
    assert not any("14 woman" in line or "14 other" in line for line in about_teen)


@pytest.mark.parametrize("lookup", CHANNEL_LOOKUPS)
def test_adult_asking_about_the_teen_room_gets_the_answer_for_no_room(lookup: str) -> None:
    world, _teen, adult = _world()

    about_room = _answer(world, adult, lookup.format(channel="#ados-general"), "#ados-general")
    about_nothing = _answer(world, adult, lookup.format(channel="#nowhere"), "#nowhere")

    assert about_room == about_nothing
    assert not any("Ninateen" in line or "Lea" in line for line in about_room)


def test_adult_ison_of_many_guessed_nicks_names_only_who_it_may_see() -> None:
    world, _teen, adult = _world()

    [line] = world.ask(adult, "ISON Ninateen Lea Bob Personne Marc bob")

    assert line.endswith(" 303 Marc :Bob Marc bob")


def test_people_sharing_a_channel_see_each_other() -> None:
    world, teen, adult = _world()

    seen_by_teen = world.ask(teen, "WHOIS Ninateen")
    seen_by_adult = world.ask(adult, "WHOIS bob")

    assert codes(seen_by_teen)[:2] == ["311", "319"] and "14 woman 75" in seen_by_teen[0]
    assert seen_by_teen[1].endswith(" 319 Lea Ninateen #ados-general")
    assert codes(seen_by_adult)[:2] == ["311", "319"] and seen_by_adult[1].endswith(" #general")
    assert world.ask(teen, "USERHOST Ninateen")[0].endswith(" 302 Lea Ninateen=+u@75.causerie")
    assert "Ninateen" in " ".join(world.ask(teen, "NAMES #ados-general"))
    who = world.ask(teen, "WHO #ados-general")
    assert {line.split(" ")[7] for line in who if " 352 " in line} == {"Ninateen", "Lea"}


def test_whois_names_only_the_channels_shared_with_the_asker() -> None:
    world = World()
    world.web("Zoe", 30, "general", "musique")
    asker = world.irc("Marc", 40, "general")

    [user, channels, *_] = world.ask(asker, "WHOIS Zoe")

    assert " 311 " in user and channels.endswith(" 319 Marc Zoe #general")


def test_same_band_person_in_no_shared_channel_is_nobody_until_a_private_message() -> None:
    world = World()
    bob = world.web("Bob", 30, "musique")
    asker = world.irc("Marc", 40, "general")
    nobody = _answer(world, asker, "WHOIS Personne", "Personne")

    assert _answer(world, asker, "WHOIS Bob", "Bob") == nobody
    world.hub.apply(bob, cmd.SendDm("Marc", "salut"), START_MS)
    world.hub.arrival(world.sessions[asker], "Bob")  # as the node does when it arrives
    assert codes(world.ask(asker, "WHOIS Bob"))[:2] == ["311", "312"]  # no channel is named


def test_a_look_alike_nickname_is_nobody() -> None:
    world, _teen, adult = _world()

    assert _answer(world, adult, "WHOIS B0b", "B0b") == _answer(world, adult, "WHOIS Zed", "Zed")


def test_a_client_without_a_profile_sees_nobody() -> None:
    world, _teen, _adult = _world()
    driver = Driver(IrcSession(SessionConfig(), world.directory))
    world.sessions[driver] = "no-such-session"
    driver.feed("NICK Zed", "USER u 0 * :Zed")

    assert _answer(world, driver, "WHOIS Bob", "Bob") == _answer(
        world, driver, "WHOIS Zorg", "Zorg"
    )


def test_away_shows_in_whois_and_who_of_this_listener() -> None:
    world = World()
    away = world.irc("Zoe", 30, "general")
    asker = world.irc("Marc", 40, "general")
    away.feed("AWAY :au cinéma")

    whois = world.ask(asker, "WHOIS Zoe")
    who = world.ask(asker, "WHO Zoe")

    assert any(" 301 Marc Zoe :au cinéma" in line for line in whois)
    assert " Zoe G :0 " in who[0]


def test_whox_answers_the_fields_asked_in_their_order_with_the_token() -> None:
    world, _teen, adult = _world()

    reply, end = world.ask(adult, "WHO bob %nt,321")
    [full, _end] = world.ask(adult, "WHO Bob %rolaodfnshiuct,7")

    assert reply.endswith(" 354 Marc 321 Bob") and " 315 Marc bob " in end
    assert full.split(" ")[2:14] == [
        "Marc", "7", "#general", "u", "255.255.255.255", "75.causerie", "irc.causerie",
        "Bob", "H", "0", "0", "0",
    ]  # fmt: skip
    assert full.endswith(" n/a :30 woman 75 Île-de-France")


def test_who_with_a_flag_that_is_not_whox_answers_352() -> None:
    world, _teen, adult = _world()

    assert codes(world.ask(adult, "WHO bob o")) == ["352", "315"]


# -- the rule, for any ages ----------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    asker_age=st.integers(13, 120),
    person_age=st.integers(13, 120),
    shares_room=st.booleans(),
    in_conversation=st.booleans(),
    lookup=st.sampled_from(LOOKUPS[:9]),
)
def test_invisible_answers_exactly_as_nonexistent_and_only_then(
    asker_age: int, person_age: int, shares_room: bool, in_conversation: bool, lookup: str
) -> None:
    world = World()
    # Rooms of each band, so that a person of the other band can be "in the same room".
    mine = "general" if asker_age >= 18 else "ados-general"
    theirs = "general" if person_age >= 18 else "ados-general"
    elsewhere = "musique" if person_age >= 18 else "ados-musique"
    shared = shares_room and mine == theirs
    person = world.web("Cible", person_age, theirs if shared else elsewhere)
    asker = world.irc("Asker", asker_age, mine)
    if in_conversation:
        world.hub.arrival(world.sessions[asker], "Cible")  # Cible wrote to the asker
    visible = (asker_age >= 18) == (person_age >= 18) and (shared or in_conversation)

    about_person = _answer(world, asker, lookup.format(nick="Cible"), "Cible")
    about_nobody = _answer(world, asker, lookup.format(nick="Absent"), "Absent")

    assert (about_person == about_nobody) is (not visible)
    assert not any(f"#{elsewhere}" in line for line in about_person)
    assert person
