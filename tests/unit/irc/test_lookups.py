"""Lookups show a person only to whom the web would show them: same age band, and a channel
shared with the asker or a private conversation. Anyone else answers, byte for byte but for the
nickname, like a nickname nobody uses; a channel the asker is not in is never named.

The listener's directory is shared by all its clients: here a teen client sits in a teen room
with a 14-year-old web user, and an adult client on the same listener asks about her."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from causerie.irc.directory import Directory
from causerie.irc.session import Hello, IrcSession, SessionConfig
from tests.unit.irc.helpers import BOB, GENERAL, Driver, codes

NINA = {"nick": "Ninateen", "gender": "woman", "age": 14, "dept": "69", "region": "Auvergne"}
LEA = {"nick": "Lea", "gender": "woman", "age": 15, "dept": "75", "region": "Île-de-France"}
MARC = {"nick": "Marc", "gender": "man", "age": 40, "dept": "13", "region": "Provence"}
TEEN_ROOM = {**GENERAL, "id": "ados-general", "name": "Ados", "audience": "teen"}
NOBODY = "Personne"
LOOKUPS = (
    "WHOIS {nick}",
    "WHOIS irc.causerie {nick}",
    "WHO {nick}",
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
    "TOPIC {channel}",
    "MODE {channel}",
    "MODE {channel} b",
    "KICK {channel} Ninateen",
    "CHATHISTORY LATEST {channel} * 10",
    "PART {channel}",
    "PRIVMSG {channel} :coucou",
)


def _person(
    directory: Directory, me: dict[str, Any], rooms: list[dict[str, Any]], members: list[Any]
) -> Driver:
    """A registered IRC client with a profile, in the first of its rooms with `members`."""
    driver = Driver(IrcSession(SessionConfig(), directory))
    driver.feed(f"NICK {me['nick']}", f"USER u 0 * :{me['age']} x 75011")
    driver.reply(type="welcome", session="s", token="t", user=me, rooms=rooms)
    room = str(rooms[0]["id"])
    driver.feed(f"JOIN #{room}")
    driver.reply(type="joined", room=rooms[0], members=members, history=[])
    return driver


def _world() -> tuple[Driver, Driver]:
    directory = Directory()
    teen = _person(directory, LEA, [TEEN_ROOM], [NINA, LEA])
    adult = _person(directory, MARC, [GENERAL], [MARC, BOB])
    return teen, adult


def _answer(driver: Driver, line: str, name: str) -> list[str]:
    return [text.replace(name, "<X>") for text in driver.feed(line)]


@pytest.mark.parametrize("lookup", LOOKUPS)
def test_adult_asking_about_a_teen_gets_the_answer_for_nobody(lookup: str) -> None:
    _teen, adult = _world()

    about_teen = _answer(adult, lookup.format(nick="Ninateen"), "Ninateen")
    about_nobody = _answer(adult, lookup.format(nick=NOBODY), NOBODY)

    assert about_teen == about_nobody
    assert not any("14 woman" in line for line in about_teen)


@pytest.mark.parametrize("lookup", CHANNEL_LOOKUPS)
def test_adult_asking_about_the_teen_room_gets_the_answer_for_no_room(lookup: str) -> None:
    _teen, adult = _world()

    about_room = _answer(adult, lookup.format(channel="#ados-general"), "#ados-general")
    about_nothing = _answer(adult, lookup.format(channel="#nowhere"), "#nowhere")

    assert about_room == about_nothing
    assert not any("Ninateen" in line or "Lea" in line for line in about_room)


def test_adult_ison_of_many_guessed_nicks_names_only_who_it_may_see() -> None:
    _teen, adult = _world()

    [line] = adult.feed("ISON Ninateen Lea Bob Personne Marc")

    assert line.endswith(" 303 Marc :Bob Marc")


def test_people_sharing_a_channel_see_each_other() -> None:
    teen, adult = _world()

    seen_by_teen = teen.feed("WHOIS Ninateen")
    seen_by_adult = adult.feed("WHOIS bob")

    assert codes(seen_by_teen)[:2] == ["311", "319"] and "14 woman 69" in seen_by_teen[0]
    assert seen_by_teen[1].endswith(" 319 Lea Ninateen #ados-general")
    assert codes(seen_by_adult)[:2] == ["311", "319"] and seen_by_adult[1].endswith(" #general")
    assert teen.feed("USERHOST Ninateen")[0].endswith(" 302 Lea Ninateen=+u@69.causerie")
    assert "Ninateen" in " ".join(teen.feed("NAMES #ados-general"))


def test_whois_names_only_the_channels_shared_with_the_asker() -> None:
    directory = Directory()
    both = {**BOB, "nick": "Zoe"}
    _person(directory, {**BOB, "nick": "Yann"}, [{**GENERAL, "id": "musique"}], [both])
    asker = _person(directory, MARC, [GENERAL], [MARC, both])

    [user, channels, *_] = asker.feed("WHOIS Zoe")

    assert " 311 " in user and channels.endswith(" 319 Marc Zoe #general")


def test_same_band_person_in_no_shared_channel_is_nobody_until_a_private_message() -> None:
    directory = Directory()
    _person(directory, {**BOB, "nick": "Yann"}, [{**GENERAL, "id": "musique"}], [BOB])
    asker = _person(directory, MARC, [GENERAL], [MARC])
    nobody = _answer(asker, "WHOIS Personne", "Personne")

    assert _answer(asker, "WHOIS Bob", "Bob") == nobody
    asker.frame(type="dm", id=1, **{"from": BOB}, to=MARC, text="salut", ts=0)
    assert codes(asker.feed("WHOIS Bob"))[:2] == ["311", "312"]  # no channel is named


def test_a_client_without_a_profile_sees_nobody() -> None:
    directory = Directory()
    _person(directory, MARC, [GENERAL], [MARC, BOB])
    driver = Driver(IrcSession(SessionConfig(), directory))
    driver.feed("NICK Zed", "USER u 0 * :Zed")

    assert _answer(driver, "WHOIS Bob", "Bob") == _answer(driver, "WHOIS Nope", "Nope")


# -- the rule, for any ages ----------------------------------------------------------------------


def _session(
    directory: Directory, nick: str, age: int, channels: frozenset[str], contacts: list[Any]
) -> Driver:
    session = IrcSession(SessionConfig(), directory)
    session.nick, session.registered, session.hello = nick, True, Hello.DONE
    session.user = {**MARC, "nick": nick, "age": age}
    session.channels = channels
    session.contacts = {str(c["nick"]).casefold(): c for c in contacts}
    return Driver(session)


@given(
    asker_age=st.integers(13, 120),
    person_age=st.integers(13, 120),
    shares_room=st.booleans(),
    in_conversation=st.booleans(),
    lookup=st.sampled_from(LOOKUPS[:8]),
)
def test_invisible_answers_exactly_as_nonexistent_and_only_then(
    asker_age: int, person_age: int, shares_room: bool, in_conversation: bool, lookup: str
) -> None:
    directory = Directory()
    person = {**NINA, "nick": "Cible", "age": person_age}
    directory.seat("shared", [person])
    directory.seat("elsewhere", [person])
    channels = frozenset({"shared"} if shares_room else {"mine"})
    asker = _session(directory, "Asker", asker_age, channels, [person] if in_conversation else [])
    visible = (asker_age >= 18) == (person_age >= 18) and (shares_room or in_conversation)

    about_person = _answer(asker, lookup.format(nick="Cible"), "Cible")
    about_nobody = _answer(asker, lookup.format(nick="Absent"), "Absent")

    assert (about_person == about_nobody) is (not visible or lookup.startswith("KICK"))
    assert not any("#elsewhere" in line for line in about_person)
