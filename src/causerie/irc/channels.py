"""A channel's topic and member list as IRC numerics (332/333/331, 353/366), told on JOIN, TOPIC
and NAMES from the room the node described and the members it listed."""

from __future__ import annotations

from collections.abc import Iterable

from causerie.core.policy.member_rooms import RoomRole, is_voiced, role_of
from causerie.core.rooms import Room
from causerie.core.users import PublicUser
from causerie.irc import numerics as n
from causerie.irc.render import channel_of, mask_of
from causerie.irc.state import SessionState

TOPICLEN = 300


def send_topic(session: SessionState, room: str, *, is_join: bool = False) -> None:
    """332 with the room's name and topic, then 333 with when it was set (from the server: the
    core names no author of a topic); when it has none, 331 to TOPIC and nothing on JOIN (RFC
    2812 3.2.1, Modern IRC's JOIN)."""
    described = session.rooms.get(room)
    name, topic = (described.name, described.topic) if described is not None else ("", "")
    if described is not None and described.is_member_room:
        name = ""  # a member room's name is its channel's: its topic is the owner's text alone
    text = " — ".join(part for part in (name, topic) if part)
    if text:
        session.numeric(n.RPL_TOPIC, channel_of(room), text[:TOPICLEN])
        set_ms = described.topic_set_ms or described.created_ms if described is not None else 0
        if set_ms:
            setter = session.config.server_name
            session.numeric(n.RPL_TOPICWHOTIME, channel_of(room), setter, str(set_ms // 1000))
    elif not is_join:
        session.numeric(n.RPL_NOTOPIC, channel_of(room), "No topic is set")


def prefixes_of(room: Room | None, nick: str, *, multi: bool) -> str:
    """A member's channel prefixes (ISUPPORT `PREFIX=(ov)@+`): `@` for a member room's owner
    and operators, `+` for a voiced member; the highest only, unless the client asked for
    IRCv3 `multi-prefix`."""
    if room is None or not room.is_member_room:
        return ""
    prefixes = ("@" if role_of(room, nick) is not RoomRole.MEMBER else "") + (
        "+" if is_voiced(room, nick) else ""
    )
    return prefixes if multi else prefixes[:1]


def send_names(
    session: SessionState, room: str, members: Iterable[PublicUser], end: str | None = ""
) -> None:
    """353 and 366 for a channel, from the members the node listed for us (`Joined`,
    `Members`): the web's member list. `end`: the 366's target when not the channel (a NAMES
    of several), None for no 366."""
    channel = channel_of(room)
    if room in session.channels:
        described = session.rooms.get(room)
        # `userhost-in-names` (IRCv3): each name as its hostmask, the département as its host.
        full = session.has("userhost-in-names")
        names = {user.nick: mask_of(user) if full else user.nick for user in members}
        names.setdefault(session.nick, session.mask if full else session.nick)
        multi = session.has("multi-prefix")
        names = {
            nick: prefixes_of(described, nick, multi=multi) + name for nick, name in names.items()
        }
        # RFC 2812 3.2.5: "@" for a secret channel (an unlisted member room), "=" otherwise.
        symbol = "@" if described is not None and described.modes.unlisted else "="
        prefix = f"{session.nick} {symbol} {channel} :"
        chunk: list[str] = []
        for _nick, name in sorted(names.items(), key=lambda item: item[0].casefold()):
            if len(prefix) + len(" ".join([*chunk, name])) > 400:
                session.numeric(n.RPL_NAMREPLY, symbol, channel, " ".join(chunk))
                chunk = []
            chunk.append(name)
        if chunk:
            session.numeric(n.RPL_NAMREPLY, symbol, channel, " ".join(chunk))
    if end is not None:
        session.numeric(n.RPL_ENDOFNAMES, end or channel, "End of /NAMES list")
