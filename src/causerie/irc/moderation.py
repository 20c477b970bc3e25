"""Channel modes and KICK: what is true of a room, told as modes; staff changes as `Moderate`.

Rooms are `+nt` (+m while locked): no key, no limit, no invite list — nobody sees a room outside
their age band at all, so there is nothing to mark secret. Setting modes and kicking are for
staff signed in with SASL: `+m`/`-m` lock and unlock the room, `+b nick` bans from it, KICK
removes someone from it. Anyone else gets 482 ERR_CHANOPRIVSNEEDED.
"""

from __future__ import annotations

from causerie.core.commands import Moderate
from causerie.irc import numerics as n
from causerie.irc.lookups import list_members
from causerie.irc.member_rooms import kick as member_kick
from causerie.irc.member_rooms import set_modes
from causerie.irc.parser import Line
from causerie.irc.render import channel_of, room_of
from causerie.irc.state import Pending, SessionState


def channel_mode(session: SessionState, line: Line) -> None:
    channel = line.params[0]
    room = room_of(channel)
    if room is None or (room not in session.rooms and session.staff is None):
        session.numeric(n.ERR_NOSUCHCHANNEL, channel, "No such channel")
        return
    if len(line.params) == 1:  # whether it is locked is the node's to say
        list_members(session, "CMODE", room)
        return
    changes = line.params[1]
    described = session.rooms.get(room)
    if session.staff is None and described is not None and described.is_member_room:
        set_modes(session, described, line)  # the owner's and operators' (member_rooms.py)
        return
    if changes.lstrip("+") in ("b", ""):  # asking for the ban list: not shown to anyone here
        if len(line.params) == 2:
            session.numeric(n.RPL_ENDOFBANLIST, channel_of(room), "End of channel ban list")
            return
    if session.staff is None:
        session.numeric(n.ERR_CHANOPRIVSNEEDED, channel_of(room), "You're not channel operator")
        return
    sign, mode = (changes[0], changes[1:2]) if changes[:1] in "+-" else ("+", changes[:1])
    reason = "IRC"
    if mode == "m":
        session.request(
            Pending("MODE", channel_of(room)),
            Moderate("lock_room", reason, room=room, locked=sign == "+"),
        )
    elif mode == "b" and sign == "+" and len(line.params) > 2:
        nick = line.params[2].split("!")[0]
        session.request(
            Pending("MODE", channel_of(room)), Moderate("ban", reason, nick=nick, room=room)
        )
    else:
        session.numeric(n.ERR_UNKNOWNMODE, mode or changes, "is unknown mode char to me")


MAX_KICK_TARGETS = 4  # ISUPPORT TARGMAX KICK


def kick(session: SessionState, line: Line) -> None:
    """KICK <channel>[,<channel>…] <nick>[,<nick>…] [:reason] (RFC 2812 3.2.8): one channel
    for every nickname, or as many channels as nicknames, paired in order; each pair is one
    kick, answered on its own."""
    channels = line.params[0].split(",")
    nicks = line.params[1].split(",")[:MAX_KICK_TARGETS]
    if len(channels) != 1 and len(channels) != len(nicks):
        session.numeric(n.ERR_NEEDMOREPARAMS, "KICK", "Not enough parameters")
        return
    reason = line.params[2:]
    for index, nick in enumerate(nicks):
        channel = channels[0] if len(channels) == 1 else channels[index]
        _kick_one(session, Line("KICK", (channel, nick, *reason), line.source, line.tags))


def _kick_one(session: SessionState, line: Line) -> None:
    channel, nick = line.params[0], line.params[1]
    room = room_of(channel)
    if room is None:
        session.numeric(n.ERR_NOSUCHCHANNEL, channel, "No such channel")
        return
    described = session.rooms.get(room)
    if session.staff is None and described is not None and room in session.channels:
        if described.is_member_room:
            reason = line.params[2] if len(line.params) > 2 else ""
            member_kick(session, described, nick, reason[:300])
            return
    if session.staff is None:
        if room not in session.rooms:
            session.numeric(n.ERR_NOSUCHCHANNEL, channel, "No such channel")
        elif room not in session.channels:
            session.numeric(n.ERR_NOTONCHANNEL, channel, "You're not on that channel")
        else:
            session.numeric(n.ERR_CHANOPRIVSNEEDED, channel, "You're not channel operator")
        return
    reason = line.params[2] if len(line.params) > 2 and line.params[2] else "IRC"
    session.request(
        Pending("KICK", channel_of(room)), Moderate("kick", reason[:300], nick=nick, room=room)
    )
