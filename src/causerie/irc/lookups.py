"""Looking people up: WHO, WHOIS, ISON, USERHOST, MODE <nick>, and the member lists of NAMES,
WHO #room and MODE #room. The listener keeps no roster: each asks the node (`LookUp`,
`ListMembers`), whose answer (`PeopleFound`, `Members`) is rendered here.

The node shows a person only to whom the web would show them (`core/policy/visibility.py`, in
`node/lookups.py`): same age band, and a room the asker is in with them or a private
conversation between them. A person it does not return gets, word for word and through the same
lines of code, what a nickname nobody uses gets (401 ERR_NOSUCHNICK, an empty 303 or 302, an
empty WHO). A channel is named only if the asker is in it; a channel the asker may not see
answers as one that does not exist.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from causerie.core import commands as cmd
from causerie.core import events as ev
from causerie.core.users import PublicUser
from causerie.irc import numerics as n
from causerie.irc.channels import prefixes_of, send_names
from causerie.irc.directory import fold
from causerie.irc.modes import modes_of
from causerie.irc.parser import Line
from causerie.irc.render import channel_of, host_of, realname_of, room_of
from causerie.irc.state import Pending, SessionState

# WHOX (https://ircv3.net/specs/extensions/whox): the fields a 354 may carry, in the order it
# carries them whatever order they were asked in; the address field shows no address.
WHOX_ORDER = "tcuihsnfdlaor"
HIDDEN_ADDRESS = "255.255.255.255"


@dataclass(frozen=True, slots=True)
class Whox:
    """The fields a WHOX asked for, and its token (`%tn,42`: "42")."""

    fields: frozenset[str]
    token: str = "0"


def whox_of(param: str) -> Whox | None:
    """`%<fields>[,<token>]` read; None for anything else (RFC 2812's `o`, ignored)."""
    if not param.startswith("%"):
        return None
    fields, _, token = param[1:].partition(",")
    wanted = frozenset(fields) & frozenset(WHOX_ORDER)
    if not token.isdigit() or len(token) > 3:
        token = "0"
    return Whox(wanted, token)


# The pending commands of lookups: a refusal of one is answered as an empty answer.
LOOKUPS = frozenset({"WHOIS", "WHO", "ISON", "USERHOST", "UMODE", "CMODE", "NAMES"})
_NOBODY = ev.PeopleFound(())


def _look_up(session: SessionState, command: str, target: str, nicks: Iterable[str]) -> None:
    session.request(Pending(command, target), cmd.LookUp(tuple(nicks)))


def list_members(session: SessionState, command: str, room: str, end: str | None = "") -> None:
    """Ask for a room's members (NAMES, WHO #room) or its modes (MODE #room). `end`, for a
    NAMES of several channels: the target of its one 366 (None: not after this one)."""
    extra: dict[str, object] = {"room": room}
    if end != "":
        extra["end"] = end
    session.request(Pending(command, channel_of(room), extra), cmd.ListMembers(room))


def who(session: SessionState, line: Line) -> None:
    """WHO <mask> [%<fields>[,<token>]]: 352 lines, or WHOX's 354 when fields are asked."""
    mask = line.params[0] if line.params else "*"
    room = room_of(mask)
    asked = whox_of(line.params[1]) if len(line.params) > 1 else None
    extra: dict[str, object] = {"whox": asked} if asked is not None else {}
    if room is None:
        session.request(Pending("WHO", mask, extra), cmd.LookUp((mask,)))
    elif room in session.channels:
        session.request(Pending("WHO", mask, {**extra, "room": room}), cmd.ListMembers(room))
    else:
        session.numeric(n.RPL_ENDOFWHO, mask, "End of WHO list")


def whois(session: SessionState, line: Line) -> None:
    nick = line.params[-1].split(",")[0]
    _look_up(session, "WHOIS", nick, (nick,))


def ison(session: SessionState, line: Line) -> None:
    nicks = " ".join(line.params).split()
    session.request(Pending("ISON", extra={"nicks": nicks}), cmd.LookUp(tuple(nicks)))


def userhost(session: SessionState, line: Line) -> None:
    wanted = line.params[:5]
    session.request(Pending("USERHOST", extra={"nicks": wanted}), cmd.LookUp(tuple(wanted)))


def user_mode_of(session: SessionState, target: str) -> None:
    """MODE <someone else>: 502 if the asker may see them, 401 as for nobody otherwise."""
    _look_up(session, "UMODE", target, (target,))


# -- answers -----------------------------------------------------------------------------------


def on_people_found(
    session: SessionState, pending: Pending | None, event: ev.PeopleFound, _lang: str
) -> None:
    if pending is None:
        return
    found = {fold(user.nick): (user, shared) for user, shared in event.users}
    command, target = pending.command, pending.target
    if command == "WHOIS":
        _whois_lines(session, target, found.get(fold(target)))
    elif command == "WHO":
        person = found.get(fold(target))
        if person is not None:
            user, shared = person
            room = shared[0] if shared else None
            _who_reply(session, room, user, pending.extra.get("whox"))
        session.numeric(n.RPL_ENDOFWHO, target, "End of WHO list")
    elif command == "ISON":
        present = [nick for nick in pending.extra["nicks"] if fold(nick) in found]
        session.numeric("303", " ".join(present))
    elif command == "USERHOST":
        replies = []
        for wanted in pending.extra["nicks"]:
            person = found.get(fold(wanted))
            if person is not None:
                replies.append(f"{person[0].nick}=+u@{host_of(person[0])}")
        session.numeric("302", " ".join(replies))
    elif command == "UMODE":
        if fold(target) in found:
            session.numeric(n.ERR_USERSDONTMATCH, "Cant change mode for other users")
        else:
            session.numeric(n.ERR_NOSUCHNICK, target, "No such nick/channel")


def on_members(
    session: SessionState, pending: Pending | None, event: ev.Members, _lang: str
) -> None:
    if pending is None:
        return
    command, room = pending.command, str(pending.extra.get("room", event.room))
    if command == "NAMES":
        send_names(session, room, event.users, end=pending.extra.get("end", ""))
    elif command == "WHO":
        for member in event.users:
            _who_reply(session, room, member, pending.extra.get("whox"))
        session.numeric(n.RPL_ENDOFWHO, pending.target, "End of WHO list")
    elif command == "CMODE":
        modes = modes_of(
            session.rooms.get(room), locked=event.locked, shows_key=room in session.channels
        )
        session.numeric(n.RPL_CHANNELMODEIS, channel_of(room), *modes)
        described = session.rooms.get(room)
        if described is not None and described.created_ms:  # Modern IRC: 329 follows 324
            created_s = str(described.created_ms // 1000)
            session.numeric(n.RPL_CREATIONTIME, channel_of(room), created_s)


def on_lookup_refused(session: SessionState, pending: Pending) -> None:
    """The node would not answer (a room the asker may not see): as for nothing there."""
    command = pending.command
    if command == "CMODE":
        session.numeric(n.ERR_NOSUCHCHANNEL, pending.target, "No such channel")
    elif command in ("NAMES", "WHO") and "room" in pending.extra:
        on_members(session, pending, ev.Members(str(pending.extra["room"]), ()), session.lang)
    else:
        on_people_found(session, pending, _NOBODY, session.lang)


# -- lines -------------------------------------------------------------------------------------


def _whois_lines(
    session: SessionState, nick: str, person: tuple[PublicUser, tuple[str, ...]] | None
) -> None:
    if person is None:
        session.numeric(n.ERR_NOSUCHNICK, nick, "No such nick/channel")
        session.numeric(n.RPL_ENDOFWHOIS, nick, "End of /WHOIS list")
        return
    user, shared = person
    shown = user.nick
    session.numeric(n.RPL_WHOISUSER, shown, "u", host_of(user), "*", realname_of(user))
    if shared:
        session.numeric(n.RPL_WHOISCHANNELS, shown, " ".join(map(channel_of, shared)))
    session.numeric(n.RPL_WHOISSERVER, shown, session.config.server_name, "Causerie")
    away = session.directory.away.get(fold(shown))
    if away:
        session.numeric(n.RPL_AWAY, shown, away)
    session.numeric(n.RPL_ENDOFWHOIS, shown, "End of /WHOIS list")


def _who_reply(
    session: SessionState, room: str | None, user: PublicUser, asked: Whox | None
) -> None:
    """One person of a WHO answer: RFC 2812's 352, or the WHOX fields asked (354)."""
    channel = channel_of(room) if room is not None else "*"
    flags = "G" if fold(user.nick) in session.directory.away else "H"
    described = session.rooms.get(room) if room is not None else None
    flags += prefixes_of(described, user.nick, multi=session.has("multi-prefix"))
    if asked is None:
        session.numeric(
            n.RPL_WHOREPLY,
            channel,
            "u",
            host_of(user),
            session.config.server_name,
            user.nick,
            flags,
            f"0 {realname_of(user)}",
        )
        return
    values = {
        "t": asked.token,
        "c": channel,
        "u": "u",
        "i": HIDDEN_ADDRESS,  # never a person's address
        "h": host_of(user),
        "s": session.config.server_name,
        "n": user.nick,
        "f": flags,
        "d": "0",
        "l": "0",  # idle time is not told
        "a": "0",  # people have no accounts
        "o": "n/a",
        "r": realname_of(user),
    }
    session.numeric(
        n.RPL_WHOSPCRPL, *(values[field] for field in WHOX_ORDER if field in asked.fields)
    )
