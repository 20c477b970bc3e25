"""The command table: each IRC command, its minimum parameters, whether it may come before
registration, and the handler that answers it or turns it into a core command for the node.

Like ergo's `irc/commands.go`: the table checks registration and parameter counts (451, 461)
in one place (`SessionState.receive`), so a handler only deals with its own meaning.
"""

from __future__ import annotations

from collections.abc import Callable

from causerie.core import commands as cmd
from causerie.irc import numerics as n
from causerie.irc.channels import send_names, send_topic
from causerie.irc.history import chathistory
from causerie.irc.lookups import ison, list_members, user_mode_of, userhost, who, whois
from causerie.irc.member_rooms import invite, set_topic
from causerie.irc.parser import Line
from causerie.irc.profile import PROFILE_HELP
from causerie.irc.registration import (
    authenticate,
    cap,
    nick,
    oper,
    pass_,
    ping,
    profile,
    quit_,
    user,
)
from causerie.irc.render import SERVICE_NICK, channel_of, room_of
from causerie.irc.service import service_message
from causerie.irc.state import Pending, SessionState
from causerie.irc.welcome import MAX_TARGETS, isupport_lines, motd

Handler = Callable[[SessionState, Line], None]


def _join(session: SessionState, line: Line) -> None:
    if line.params[0] == "0":
        for joined in sorted(session.channels):
            session.request(Pending("PART", channel_of(joined)), cmd.Part(joined))
        return
    keys = line.params[1].split(",") if len(line.params) > 1 else []
    for index, channel in enumerate(line.params[0].split(",")):
        room = room_of(channel)
        key = keys[index] if index < len(keys) and keys[index] else None
        if room is None:
            session.numeric(n.ERR_NOSUCHCHANNEL, channel or "*", "No such channel")
            continue
        if not session.has_profile:
            session.need_profile("JOIN", channel)
            continue
        if room in session.channels:
            continue
        session.expect_own_join(room)
        session.request(Pending("JOIN", channel_of(room), {"key": key}), cmd.Join(room, key=key))


def _part(session: SessionState, line: Line) -> None:
    words = line.params[1] if len(line.params) > 1 else ""
    for channel in line.params[0].split(","):
        room = room_of(channel)
        if room is None:
            session.numeric(n.ERR_NOSUCHCHANNEL, channel or "*", "No such channel")
        elif room not in session.channels and room in session.rooms:
            session.numeric(n.ERR_NOTONCHANNEL, channel, "You're not on that channel")
        else:  # a room made a moment ago may not have reached us yet: the node says (403/442)
            session.request(Pending("PART", channel), cmd.Part(room, words))


def _text_of(text: str) -> str | None:
    """A PRIVMSG text as the web shows it: /me becomes "* …"; other CTCP is not relayed."""
    if text.startswith("\x01"):
        body = text.strip("\x01")
        if body.upper().startswith("ACTION "):
            return "* " + body[7:]
        return None
    return text


def _privmsg(session: SessionState, line: Line) -> None:
    is_notice = line.command == "NOTICE"
    if not line.params or not line.params[0]:
        if not is_notice:
            session.numeric(n.ERR_NORECIPIENT, f"No recipient given ({line.command})")
        return
    if len(line.params) < 2 or not line.params[1]:
        if not is_notice:
            session.numeric(n.ERR_NOTEXTTOSEND, "No text to send")
        return
    text = _text_of(line.params[1])
    if text is None:
        return
    for target in line.params[0].split(",")[:MAX_TARGETS]:
        _send_to(session, line.command, target, text)


def _send_to(session: SessionState, command: str, target: str, text: str) -> None:
    if target.casefold() == SERVICE_NICK.casefold():
        service_message(session, text)
        return
    room = room_of(target)
    if not session.has_profile:
        if command == "PRIVMSG":
            session.need_profile(command, target)
        return
    if room is not None:
        if room not in session.channels:
            if command == "PRIVMSG":
                code = n.ERR_CANNOTSENDTOCHAN if room in session.rooms else n.ERR_NOSUCHCHANNEL
                session.numeric(code, target, "Cannot send to channel")
            return
        if not session.has("echo-message"):
            session.expect_own_echo()
        session.request(
            Pending(command, target, {"echo": not session.has("echo-message")}),
            cmd.Say(room, text, is_notice=command == "NOTICE"),
        )
        return
    session.request(Pending(command, target), cmd.SendDm(target, text))


def _topic(session: SessionState, line: Line) -> None:
    channel = line.params[0]
    room = room_of(channel)
    if room is None or room not in session.rooms:
        session.numeric(n.ERR_NOSUCHCHANNEL, channel, "No such channel")
        return
    if len(line.params) > 1:
        set_topic(session, session.rooms[room], line.params[1])
        return
    send_topic(session, room)


MAX_NAMES_TARGETS = 20  # ISUPPORT TARGMAX NAMES


def _names(session: SessionState, line: Line) -> None:
    if not line.params:
        session.numeric(n.RPL_ENDOFNAMES, "*", "End of /NAMES list")
        return
    wanted = line.params[0]
    channels = wanted.split(",")
    if len(channels) > 1:
        # Several channels (Modern IRC): the members of each one we are in, then one 366.
        rooms = [room for c in channels if (room := room_of(c)) in session.channels]
        for index, room in enumerate(rooms[:MAX_NAMES_TARGETS]):
            last = index == min(len(rooms), MAX_NAMES_TARGETS) - 1
            list_members(session, "NAMES", room, end=wanted if last else None)
        if not rooms:
            session.numeric(n.RPL_ENDOFNAMES, wanted, "End of /NAMES list")
        return
    for channel in channels:
        room = room_of(channel)
        if room is None or room not in session.rooms:
            session.numeric(n.RPL_ENDOFNAMES, channel, "End of /NAMES list")
        elif room not in session.channels:
            send_names(session, room, ())
        else:
            list_members(session, "NAMES", room)


def _list(session: SessionState, line: Line) -> None:
    wanted = line.params[0] if line.params else ""
    session.request(Pending("LIST", wanted), cmd.ListRooms())


def _away(session: SessionState, line: Line) -> None:
    text = line.params[0][:200] if line.params and line.params[0] else None
    session.away = text
    if text:
        session.numeric(n.RPL_NOWAWAY, "You have been marked as being away")
    else:
        session.numeric(n.RPL_UNAWAY, "You are no longer marked as being away")
    if session.has_profile:
        session.directory.set_away(session.nick, session.mask, text, session.channels)


def _mode(session: SessionState, line: Line) -> None:
    from causerie.irc.moderation import channel_mode

    target = line.params[0]
    if room_of(target) is not None:
        channel_mode(session, line)
        return
    if target.casefold() != session.nick.casefold():
        user_mode_of(session, target)
        return
    if len(line.params) == 1:
        session.numeric(n.RPL_UMODEIS, "+io" if session.staff else "+i")
        return
    changes = line.params[1]
    if any(char not in "+-iwo" for char in changes):
        session.numeric(n.ERR_UMODEUNKNOWNFLAG, "Unknown MODE flag")


def _kick(session: SessionState, line: Line) -> None:
    from causerie.irc.moderation import kick

    kick(session, line)


def _lusers(session: SessionState, _line: Line) -> None:
    """RFC 2812 3.4.2 in its shape (251, 253 when some, 254, 255, and Modern's 265/266 without
    their optional maxima). The counts are this node's: people on the web and on IRC, as
    "users" (there are no services and no other server in IRC's sense)."""
    census = session.directory.census()
    people = census.people
    session.numeric(n.RPL_LUSERCLIENT, f"There are {people} users and 0 services on 1 servers")
    if census.unregistered:
        session.numeric(n.RPL_LUSERUNKNOWN, str(census.unregistered), "unknown connection(s)")
    session.numeric(n.RPL_LUSERCHANNELS, str(len(session.rooms)), "channels formed")
    session.numeric(n.RPL_LUSERME, f"I have {people} clients and 0 servers")
    session.numeric(n.RPL_LOCALUSERS, f"Current local users: {people}")
    session.numeric(n.RPL_GLOBALUSERS, f"Current global users: {people}")


def _report(session: SessionState, line: Line) -> None:
    service_message(session, "REPORT " + " ".join(line.params))


def _profile_help(session: SessionState, _line: Line) -> None:
    session.notice("\n".join(PROFILE_HELP))


def _pong(_session: SessionState, _line: Line) -> None:
    """Activity is what counts; the transport saw this line."""


def _tagmsg(_session: SessionState, _line: Line) -> None:
    """Only client tags travel in TAGMSG, and none are relayed here (CLIENTTAGDENY=*)."""


def _version(session: SessionState, _line: Line) -> None:
    session.numeric("351", session.config.version, session.config.server_name, "Causerie")
    for tokens in isupport_lines(session):
        session.numeric(n.RPL_ISUPPORT, *tokens, "are supported by this server")


# name: (handler, minimum parameters, allowed before registration)
COMMANDS: dict[str, tuple[Handler, int, bool]] = {
    "CAP": (cap, 1, True),
    "AUTHENTICATE": (authenticate, 1, True),
    "PASS": (pass_, 1, True),
    "NICK": (nick, 0, True),
    "USER": (user, 4, True),
    "PING": (ping, 1, True),
    "PONG": (_pong, 0, True),
    "QUIT": (quit_, 0, True),
    "PROFILE": (profile, 0, True),
    "JOIN": (_join, 1, False),
    "PART": (_part, 1, False),
    "PRIVMSG": (_privmsg, 0, False),
    "NOTICE": (_privmsg, 0, False),
    "TOPIC": (_topic, 1, False),
    "NAMES": (_names, 0, False),
    "LIST": (_list, 0, False),
    "WHO": (who, 0, False),
    "WHOIS": (whois, 1, False),
    "ISON": (ison, 1, False),
    "USERHOST": (userhost, 1, False),
    "MODE": (_mode, 1, False),
    "KICK": (_kick, 2, False),
    "INVITE": (invite, 2, False),
    "AWAY": (_away, 0, False),
    "OPER": (oper, 2, False),
    "MOTD": (motd, 0, False),
    "LUSERS": (_lusers, 0, False),
    "VERSION": (_version, 0, False),
    "REPORT": (_report, 2, False),
    "HELP": (_profile_help, 0, False),
    "CHATHISTORY": (chathistory, 3, False),
    "TAGMSG": (_tagmsg, 1, False),
}
