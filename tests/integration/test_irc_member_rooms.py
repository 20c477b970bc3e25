"""Rooms people make, through the IRC door (the `irc` library from PyPI, over TCP): JOIN #new
makes one owned by its maker, and TOPIC, MODE +k +l +i +m +o +b, INVITE and KICK run it,
each refusal with its RFC 2812 numeric; a web member sees the same room."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.irc import Doors, IrcClient, serve_doors

pytestmark = pytest.mark.integration


World = Doors


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    async with serve_doors(tmp_path, "30 h 69001", trust_messages=0, trust_span_s=0) as doors:
        yield doors


async def _joined(client: IrcClient, channel: str, key: str = "") -> list[str]:
    client.send(f"JOIN {channel} {key}".rstrip())
    join = await client.expect("join", lambda e: e.target == channel)
    assert join.source.nick == client.connection.get_nickname()
    names = await client.expect("namreply", lambda e: e.arguments[1] == channel)
    await client.expect("endofnames")
    return names.arguments[2].split()


async def test_join_of_a_new_channel_makes_a_room_its_maker_owns_and_runs(world: World) -> None:
    alice = await world.irc_client("Alice")
    bruno = await world.irc_client("Bruno")

    assert await _joined(alice, "#club") == ["@Alice"]
    assert sorted(await _joined(bruno, "#club")) == ["@Alice", "Bruno"]

    alice.send("TOPIC #club :On parle échecs")
    topic = await bruno.expect("topic")
    assert (topic.source, topic.target, topic.arguments) == (
        "irc.causerie",  # another's change: from the server (the core names no author)
        "#club",
        ["On parle échecs"],
    )
    bruno.send("TOPIC #club :pas moi")
    assert (await bruno.expect("chanoprivsneeded")).arguments[0] == "#club"

    alice.send("MODE #club +o Bruno")
    mode = await bruno.expect("mode", lambda e: e.target == "#club")
    assert mode.arguments == ["+o", "Bruno"]
    bruno.send("MODE #club +m")
    assert (await alice.expect("mode", lambda e: e.arguments == ["+m"])).target == "#club"

    alice.send("MODE #club")
    modes = await alice.expect("channelmodeis")
    assert modes.arguments[:2] == ["#club", "+mnt"]


async def test_two_joins_of_the_same_new_channel_at_once_both_get_in_one_owner(
    world: World,
) -> None:
    """Both JOINs arrive before the room exists: one makes it, the other joins it (its own
    making refused as a name taken a moment ago), never a 403."""
    alice = await world.irc_client("Alice")
    bruno = await world.irc_client("Bruno")
    for _ in range(3):  # the race is the node's to win or lose (3: the rooms one may own)
        channel = f"#duo{_}"
        alice.send(f"JOIN {channel}")
        bruno.send(f"JOIN {channel}")
        for client in (alice, bruno):
            await client.expect("join", lambda e, c=channel: e.target == c)
            await client.expect("endofnames", lambda e, c=channel: e.arguments[0] == c)
        refused = [e for e in alice.events + bruno.events if e.type == "nosuchchannel"]
        assert not refused
        alice.events.clear()  # the NAMES of her own JOIN is not the answer sought
        alice.send(f"NAMES {channel}")
        names = await alice.expect("namreply", lambda e, c=channel: e.arguments[1] == c)
        members = names.arguments[2].split()
        assert sorted(m.lstrip("@") for m in members) == ["Alice", "Bruno"], members
        assert sum(m.startswith("@") for m in members) == 1, members


async def test_a_voice_lets_a_member_speak_in_a_moderated_room_and_shows_as_plus(
    world: World,
) -> None:
    alice = await world.irc_client("Alice")
    bruno = await world.irc_client("Bruno")
    carla = await world.irc_client("Carla")
    await _joined(alice, "#club")
    await _joined(bruno, "#club")
    alice.send("MODE #club +m")
    await bruno.expect("mode", lambda e: e.arguments == ["+m"])

    bruno.send("PRIVMSG #club :on m'entend ?")
    assert (await bruno.expect("cannotsendtochan")).arguments[0] == "#club"
    carla.send("MODE #club +v Bruno")  # not in it, nor an operator
    await carla.expect("notonchannel")
    await _joined(carla, "#club")
    carla.send("MODE #club +v Bruno")
    assert (await carla.expect("chanoprivsneeded")).arguments[0] == "#club"

    alice.send("MODE #club +v Bruno")
    told = await carla.expect("mode", lambda e: e.arguments[:1] == ["+v"])
    assert told.arguments == ["+v", "Bruno"]
    bruno.send("PRIVMSG #club :merci")
    assert (await carla.expect("pubmsg")).arguments == ["merci"]
    assert sorted(await _joined(await world.irc_client("Dan"), "#club")) == [
        "+Bruno",
        "@Alice",
        "Carla",
        "Dan",
    ]

    alice.send("MODE #club -v Bruno")
    await bruno.expect("mode", lambda e: e.arguments == ["-v", "Bruno"])
    bruno.send("PRIVMSG #club :encore ?")
    assert (await bruno.expect("cannotsendtochan")).arguments[0] == "#club"


async def test_key_limit_and_invitations_refuse_with_475_471_473(world: World) -> None:
    alice = await world.irc_client("Alice")
    bruno = await world.irc_client("Bruno")
    carla = await world.irc_client("Carla")
    await _joined(alice, "#club")

    alice.send("MODE #club +k sesame")
    assert (await alice.expect("mode")).arguments == ["+k", "sesame"]
    bruno.send("JOIN #club")
    assert (await bruno.expect("badchannelkey")).arguments[0] == "#club"
    await _joined(bruno, "#club", "sesame")

    alice.send("MODE #club -k+l * 2")
    await alice.expect("mode", lambda e: "+l" in e.arguments[0])
    carla.send("JOIN #club")
    assert (await carla.expect("channelisfull")).arguments[0] == "#club"

    alice.send("MODE #club -l+i")
    await alice.expect("mode", lambda e: "+i" in e.arguments[0])
    carla.send("JOIN #club")
    assert (await carla.expect("inviteonlychan")).arguments[0] == "#club"

    alice.send("INVITE Carla #club")
    inviting = await alice.expect("inviting")
    assert inviting.arguments[:2] == ["Carla", "#club"]
    invite = await carla.expect("invite")
    assert (invite.source.nick, invite.arguments) == ("Alice", ["#club"])
    await _joined(carla, "#club")


async def test_invite_of_a_member_is_443_and_op_of_nobody_401_as_of_a_teen(world: World) -> None:
    alice = await world.irc_client("Alice")
    bruno = await world.irc_client("Bruno")
    await world.irc_client("Carla")  # an adult elsewhere
    await world.irc_client("Lea", "15 f 75011")  # a teen: nobody to adults
    await _joined(alice, "#club")
    await _joined(bruno, "#club")

    alice.send("INVITE Bruno #club")
    on_channel = await alice.expect("useronchannel")
    alice.send("MODE #club +o Carla")
    not_in = await alice.expect("usernotinchannel")
    alice.send("MODE #club +o Personne")
    no_one = await alice.expect("nosuchnick")
    alice.send("MODE #club +o Lea")
    teen = await alice.expect("nosuchnick")

    assert on_channel.arguments[:2] == ["Bruno", "#club"]
    assert not_in.arguments[:2] == ["Carla", "#club"]
    assert (no_one.arguments[1:], teen.arguments[1:]) == (["No such nick/channel"],) * 2
    assert [no_one.arguments[0], teen.arguments[0]] == ["Personne", "Lea"]


async def test_ban_and_kick_take_people_out_and_keep_the_banned_out(world: World) -> None:
    alice = await world.irc_client("Alice")
    bruno = await world.irc_client("Bruno")
    carla = await world.irc_client("Carla")
    await _joined(alice, "#club")
    await _joined(bruno, "#club")
    await _joined(carla, "#club")

    alice.send("KICK #club Carla :dehors")
    kicked = await carla.expect("kick")
    assert (kicked.source.nick, kicked.target, kicked.arguments) == (
        "Alice",
        "#club",
        ["Carla", "dehors"],
    )
    statement = await carla.expect("privnotice", lambda e: "dehors" in e.arguments[0])
    assert "Alice" in statement.arguments[0]  # the statement of who and why
    told = await alice.expect("kick")
    assert told.arguments == ["Carla", "dehors"]
    seen = await bruno.expect("kick")  # the other members see a KICK, not a PART
    assert (seen.source.nick, seen.target, seen.arguments) == (
        "Alice",
        "#club",
        ["Carla", "dehors"],
    )
    assert not [e for e in bruno.events if e.type == "part"]
    await _joined(carla, "#club")  # a kick is not a ban

    alice.send("MODE #club +b carla!*@*")
    await alice.expect("mode", lambda e: e.arguments[0] == "+b")
    assert (await carla.expect("kick")).target == "#club"
    carla.send("JOIN #club")
    assert (await carla.expect("bannedfromchan")).arguments[0] == "#club"
    alice.send("MODE #club +b")
    ban = await alice.expect("banlist")
    assert ban.arguments[:2] == ["#club", "Carla!*@*"]
    await alice.expect("endofbanlist")

    bruno.send("KICK #club Alice")
    assert (await bruno.expect("chanoprivsneeded")).arguments[0] == "#club"
    bruno.send("MODE #club +o Bruno")
    assert (await bruno.expect("chanoprivsneeded")).arguments[0] == "#club"


async def test_bad_mode_parameters_are_696_and_525_and_official_rooms_stay_482(
    world: World,
) -> None:
    alice = await world.irc_client("Alice")
    await _joined(alice, "#club")
    await _joined(alice, "#general")

    alice.send("MODE #club +l zero")
    assert (await alice.expect("696")).arguments[:2] == ["#club", "l"]
    alice.send("MODE #club +k :a b")
    assert (await alice.expect("525")).arguments[0] == "#club"
    alice.send("MODE #general +i")
    assert (await alice.expect("chanoprivsneeded")).arguments[0] == "#general"
    alice.send("TOPIC #general :à moi")
    assert (await alice.expect("chanoprivsneeded")).arguments[0] == "#general"


async def test_a_web_member_sees_the_room_an_irc_owner_runs(world: World) -> None:
    alice = await world.irc_client("Alice")
    await _joined(alice, "#club")
    bob = await world.web("Bob")
    assert (await bob.join("club"))["type"] == "joined"

    alice.send("MODE #club +m")
    updated = await bob.expect(
        lambda f: f["type"] == "room_updated" and f["room"]["modes"]["moderated"]
    )
    assert updated["room"]["owner"] == "Alice"
    refused = await bob.request_outcome("say", room="club", text="je peux parler ?")
    assert refused["type"] == "error" and refused["code"] == "forbidden"


async def test_a_teen_makes_a_teen_room_that_stays_open(world: World) -> None:
    lea = await world.irc_client("Lea", realname="15 f 75011")
    marc = await world.irc_client("Marc", realname="40 h 69001")

    lea.send("JOIN #club")
    join = await lea.expect("join")
    assert join.target.startswith("#ados-")  # the teen space's own name
    teen_room = join.target

    lea.send(f"MODE {teen_room} +i")
    await lea.expect_text("privnotice", teen_room)
    lea.send(f"MODE {teen_room}")
    assert "i" not in (await lea.expect("channelmodeis")).arguments[1]

    # An adult gets for the teen room exactly what a teen name nobody used gets: a name the
    # server will not make for them (479), nothing joined.
    marc.send(f"JOIN {teen_room}")
    existing = await marc.expect("479")
    marc.send("JOIN #ados-personne")
    never_made = await marc.expect("479")
    assert existing.arguments[0] == teen_room and never_made.arguments[0] == "#ados-personne"
    assert existing.arguments[1:] == never_made.arguments[1:]
    await asyncio.sleep(0.1)
    assert not [e for e in marc.events if e.type == "join"]


async def test_a_change_reaches_each_irc_client_as_its_own_channels_make_it(
    world: World,
) -> None:
    alice = await world.irc_client("Alice")
    bruno = await world.irc_client("Bruno")
    carla = await world.irc_client("Carla")
    dora = await world.irc_client("Dora")
    await _joined(alice, "#club")
    await _joined(bruno, "#club")
    await _joined(dora, "#club")

    alice.send("MODE #club +m")
    for member in (bruno, dora):  # each told from the server, not with Alice's own bytes
        told = await member.expect("mode", lambda e: e.target == "#club")
        assert (told.source, told.arguments) == ("irc.causerie", ["+m"])
    await asyncio.sleep(0.2)
    assert not [e for e in carla.events if e.type == "mode"]  # not in it: no MODE line

    carla.send("JOIN #club")
    await carla.expect("join")
    carla.send("MODE #club")
    assert (await carla.expect("channelmodeis")).arguments[1] == "+mnt"


async def test_kick_of_two_nicknames_and_names_of_two_channels(world: World) -> None:
    alice = await world.irc_client("Alice")
    bruno = await world.irc_client("Bruno")
    carla = await world.irc_client("Carla")
    dan = await world.irc_client("Dan")
    for client in (alice, bruno, carla, dan):
        await _joined(client, "#club")
    await _joined(alice, "#general")

    alice.send("KICK #club Bruno,Carla :dehors")
    first, second = await dan.expect("kick"), await dan.expect("kick")
    alice.send("NAMES #club,#general")
    club = await alice.expect("namreply", lambda e: e.arguments[1] == "#club")
    general = await alice.expect("namreply", lambda e: e.arguments[1] == "#general")
    end = await alice.expect("endofnames", lambda e: "," in e.arguments[0])

    assert {first.arguments[0], second.arguments[0]} == {"Bruno", "Carla"}
    assert first.arguments[1] == second.arguments[1] == "dehors"
    assert sorted(club.arguments[2].split()) == ["@Alice", "Dan"]
    assert "Alice" in general.arguments[2].split() and end.arguments[0] == "#club,#general"
