"""Looking people up: WHO, WHOIS, ISON, USERHOST, and the member lists of NAMES and WHO #room.

Every answer shows a person only to whom the web would show them (`core/policy/visibility.py`):
same age band, and a channel the asker is in with them or a private conversation between them.
`find` is the one lookup; a person it does not return gets, word for word and through the same
lines of code, what a nickname nobody uses gets (401 ERR_NOSUCHNICK, an empty 303 or 302, an
empty WHO). A channel is named only if the asker is in it.
"""

from __future__ import annotations

from typing import Any

from causerie.core.policy.visibility import may_see
from causerie.irc import numerics as n
from causerie.irc.directory import User, fold
from causerie.irc.parser import Line
from causerie.irc.render import channel_of, host_of, realname_of, room_of
from causerie.irc.session import IrcSession


def age_of(user: User) -> int | None:
    age = user.get("age")
    return age if isinstance(age, int) and not isinstance(age, bool) else None


def find(session: IrcSession, nick: str) -> tuple[User, list[str]] | None:
    """The person `nick` names, as this client may see them, with the rooms they share with
    it; None for someone invisible to it exactly as for a nickname nobody uses."""
    me = session.user
    if not me:  # no profile (yet, or a staff-only connection): sees nobody
        return None
    key = fold(nick)
    if key == fold(session.nick):
        return me, sorted(session.channels)
    found = session.directory.find(nick, session.channels)
    contact = session.contacts.get(key)
    person, shared = found if found is not None else (contact, [])
    if person is None or not may_see(
        age_of(me), age_of(person), shares_room=bool(shared), in_conversation=contact is not None
    ):
        return None
    return person, shared


def visible_members(session: IrcSession, room: str) -> list[User]:
    """The members of a channel the asker is in, as the web's `joined.members` shows them."""
    if room not in session.channels:
        return []
    viewer_age = age_of(session.user)
    return [
        member
        for member in session.directory.members(room)
        if may_see(viewer_age, age_of(member), shares_room=True, in_conversation=False)
    ]


def who(session: IrcSession, line: Line) -> None:
    mask = line.params[0] if line.params else "*"
    room = room_of(mask)
    if room is not None:
        for member in visible_members(session, room):
            _who_reply(session, channel_of(room), member)
    else:
        found = find(session, mask)
        if found is not None:
            person, shared = found
            _who_reply(session, channel_of(shared[0]) if shared else "*", person)
    session.numeric(n.RPL_ENDOFWHO, mask, "End of WHO list")


def _who_reply(session: IrcSession, channel: str, user: dict[str, Any]) -> None:
    away = "G" if str(user["nick"]).casefold() in session.directory.away else "H"
    session.numeric(
        n.RPL_WHOREPLY,
        channel,
        "u",
        host_of(user),
        session.config.server_name,
        str(user["nick"]),
        away,
        f"0 {realname_of(user)}",
    )


def whois(session: IrcSession, line: Line) -> None:
    nick = line.params[-1].split(",")[0]
    found = find(session, nick)
    if found is None:
        session.numeric(n.ERR_NOSUCHNICK, nick, "No such nick/channel")
        session.numeric(n.RPL_ENDOFWHOIS, nick, "End of /WHOIS list")
        return
    user, shared = found
    shown = str(user["nick"])
    session.numeric(n.RPL_WHOISUSER, shown, "u", host_of(user), "*", realname_of(user))
    if shared:
        session.numeric(n.RPL_WHOISCHANNELS, shown, " ".join(map(channel_of, shared)))
    session.numeric(n.RPL_WHOISSERVER, shown, session.config.server_name, "Causerie")
    away = session.directory.away.get(shown.casefold())
    if away:
        session.numeric(n.RPL_AWAY, shown, away)
    session.numeric(n.RPL_ENDOFWHOIS, shown, "End of /WHOIS list")


def ison(session: IrcSession, line: Line) -> None:
    nicks = " ".join(line.params).split()
    present = [nick for nick in nicks if find(session, nick) is not None]
    session.numeric("303", " ".join(present))


def userhost(session: IrcSession, line: Line) -> None:
    replies = []
    for wanted in line.params[:5]:
        found = find(session, wanted)
        if found is not None:
            person = found[0]
            replies.append(f"{person['nick']}=+u@{host_of(person)}")
    session.numeric("302", " ".join(replies))
