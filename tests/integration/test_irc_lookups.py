"""Over real IRC (the `irc` library from PyPI): a 14-year-old web user sits in a teen room that a
teen IRC client has joined, so the listener knows her; an adult IRC client on the same listener
asks about her every way IRC allows, and every answer is byte for byte the answer about a
nickname nobody uses (but for that nickname). People of one band sharing a channel still see
each other. And a realname with digits of another script gets the profile NOTICE, not ERROR."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.chat import Client, RunningServer, stop_server
from tests.support.irc import IrcClient, irc_port, start_irc_server

pytestmark = pytest.mark.integration
NOBODY = "Zorglub"
_marks = itertools.count(1)

NICK_LOOKUPS = (
    "WHOIS {nick}",
    "WHOIS irc.causerie {nick}",
    "WHO {nick}",
    "WHO {nick} %tcuihsnfdlaor,7",
    "ISON {nick}",
    "ISON Bob {nick}",
    "USERHOST {nick}",
    "MODE {nick}",
    "KICK #general {nick} :dehors",
    "KICK #ados-general {nick}",
    "INVITE {nick} #general",
    "WHOWAS {nick}",
    "CHATHISTORY LATEST {nick} * 10",
    "PRIVMSG {nick} :t'as quel age ?",
    "NOTICE {nick} :coucou",
    "PRIVMSG Causerie :REPORT {nick} other",
    "PRIVMSG Causerie :BLOCK {nick}\nPRIVMSG Causerie :UNBLOCK {nick}",
)
CHANNEL_LOOKUPS = (
    "NAMES {channel}",
    "WHO {channel}",
    "WHO {channel} %cnr",
    "TOPIC {channel}",
    "MODE {channel}",
    "MODE {channel} +b",
    "LIST {channel}",
    "CHATHISTORY LATEST {channel} * 10",
    "PART {channel}",
    "PRIVMSG {channel} :coucou",
    "JOIN {channel}",
)


class Scene:
    def __init__(self, running: RunningServer, port: int) -> None:
        self.running, self.port = running, port
        self.irc: list[IrcClient] = []
        self.ws: list[Client] = []

    async def irc_client(self, nick: str, realname: str) -> IrcClient:
        client = await IrcClient.connect(self.port, nick, realname)
        self.irc.append(client)
        return client


@pytest.fixture
async def scene(tmp_path: Path) -> AsyncIterator[tuple[Scene, IrcClient, IrcClient]]:
    running, server, task = await start_irc_server(tmp_path, new_conversations_per_hour=1000)
    world = Scene(running, irc_port(server))
    nina = await Client.connect(running)
    bob = await Client.connect(running)
    world.ws += [nina, bob]
    assert (await nina.hello("Ninateen", age=14, postcode="69001"))["type"] == "welcome"
    assert (await nina.join("ados-general"))["type"] == "joined"
    assert (await bob.hello("Bob", age=30, gender="man"))["type"] == "welcome"
    assert (await bob.join("general"))["type"] == "joined"
    teen = await world.irc_client("Lea", "15 f 75011")
    teen.send("JOIN #ados-general")
    await teen.expect("endofnames")
    adult = await world.irc_client("Marc", "40 m 13001")
    adult.send("JOIN #general")
    await adult.expect("endofnames")
    yield world, teen, adult
    for client in world.irc:
        client.close()
    for ws in world.ws:
        await ws.close()
    await stop_server(server, task)


async def answer(client: IrcClient, line: str) -> list[str]:
    """Every raw line the server sends back for `line` (lines, separated by newlines), up to a
    PING sent right after it (the server answers a client's lines in the order sent)."""
    client.events.clear()
    mark = f"mark{next(_marks)}"
    for part in line.split("\n"):
        client.send(part)
    client.send(f"PING {mark}")
    await client.expect(
        "all_raw_messages", lambda e: " PONG " in e.arguments[0] and mark in e.arguments[0]
    )
    raw = [e.arguments[0] for e in client.events if e.type == "all_raw_messages"]
    client.events.clear()
    return raw


def _as_nobody(lines: list[str], name: str) -> list[str]:
    return [line.replace(name, "<X>") for line in lines]


@pytest.mark.parametrize("lookup", NICK_LOOKUPS)
async def test_adult_asking_irc_about_a_teen_gets_the_answer_for_nobody(
    scene: tuple[Scene, IrcClient, IrcClient], lookup: str
) -> None:
    _world, _teen, adult = scene

    about_teen = await answer(adult, lookup.format(nick="Ninateen"))
    about_nobody = await answer(adult, lookup.format(nick=NOBODY))

    assert _as_nobody(about_teen, "Ninateen") == _as_nobody(about_nobody, NOBODY)
    assert not any(
        "14 woman" in line or "ados" in line.replace("#ados-general", "") for line in about_teen
    )


@pytest.mark.parametrize("lookup", CHANNEL_LOOKUPS)
async def test_adult_asking_irc_about_the_teen_room_gets_the_answer_for_no_room(
    scene: tuple[Scene, IrcClient, IrcClient], lookup: str
) -> None:
    _world, _teen, adult = scene

    about_room = await answer(adult, lookup.format(channel="#ados-general"))
    about_nothing = await answer(adult, lookup.format(channel="#nulle-part"))

    assert _as_nobody(about_room, "#ados-general") == _as_nobody(about_nothing, "#nulle-part")
    assert not any("Ninateen" in line or "Lea" in line for line in about_room)


async def test_irc_ison_of_guessed_nicknames_confirms_only_visible_people(
    scene: tuple[Scene, IrcClient, IrcClient],
) -> None:
    _world, _teen, adult = scene

    [line] = await answer(adult, "ISON Ninateen Lea Bob Zorglub ninateen")

    assert line.endswith(" 303 Marc Bob")


async def test_irc_people_of_one_band_sharing_a_channel_see_each_other(
    scene: tuple[Scene, IrcClient, IrcClient],
) -> None:
    _world, teen, adult = scene

    nina = await answer(teen, "WHOIS Ninateen")
    bob = await answer(adult, "WHOIS Bob")
    who = await answer(teen, "WHO #ados-general")

    assert " 311 Lea Ninateen u 69.causerie * :14 woman 69 " in nina[0]
    assert nina[1].endswith(" 319 Lea Ninateen #ados-general")
    assert " 311 Marc Bob " in bob[0] and bob[1].endswith(" 319 Marc Bob #general")
    assert {line.split(" ")[7] for line in who if " 352 " in line} == {"Ninateen", "Lea"}


async def test_irc_whox_answers_the_fields_asked_and_whox_is_announced(
    scene: tuple[Scene, IrcClient, IrcClient],
) -> None:
    _world, teen, adult = scene

    version = await answer(adult, "VERSION")
    token = await answer(adult, "WHO bob %tn,321")
    fields = await answer(teen, "WHO #ados-general %nir")

    assert any(" 005 " in line and " WHOX " in line for line in version)
    assert token[0].endswith(" 354 Marc 321 Bob") and " 315 Marc bob " in token[1]
    assert " 354 Lea 255.255.255.255 Ninateen :14 woman 69 " in " ".join(fields)


async def test_irc_adult_who_keeps_messaging_minors_is_flagged_once(
    scene: tuple[Scene, IrcClient, IrcClient],
) -> None:
    world, _teen, adult = scene

    for _ in range(4):
        assert any(" 401 " in line for line in await answer(adult, "PRIVMSG Ninateen :salut"))
    await asyncio.sleep(0.3)

    store = world.running.node.store
    flags = [r for r in await store.open_reports() if r.rule == "seeking_minors"]
    assert len(flags) == 1 and flags[0].target_nick == "Marc"
    assert flags[0].category.value == "child_safety" and flags[0].severity == 4
    assert flags[0].evidence["details"]["minors"] == ["Ninateen"]


# -- finding: a realname with digits of another script ------------------------------------------


async def test_irc_realname_with_superscript_digits_gets_the_profile_notice_not_error(
    tmp_path: Path,
) -> None:
    running, server, task = await start_irc_server(tmp_path)
    client = await IrcClient.connect(irc_port(server), "Chiffres", "² h 75011")
    try:
        notice = await client.expect("privnotice", lambda e: "PROFILE" in e.arguments[0])
        assert notice.source.nick == "Causerie"
        client.send("JOIN #general")
        await client.expect("nochanmodes")  # 477: give a profile first
        lines = await answer(client, "CHATHISTORY LATEST #general * ²")
        assert lines and " FAIL CHATHISTORY " in lines[0]
        client.send("PROFILE 25 h 75011")
        await client.expect_text("privnotice", "Profile accepted")
        assert not [e for e in client.events if e.type in ("error", "disconnect")]
        assert running.node.sessions()  # the same connection, now with its profile
    finally:
        client.close()
        await stop_server(server, task)
