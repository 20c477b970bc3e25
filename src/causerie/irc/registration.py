"""Registration commands: CAP, AUTHENTICATE (SASL PLAIN), PASS, NICK, USER, PROFILE, OPER,
PING and QUIT.

CAP follows https://ircv3.net/specs/extensions/capability-negotiation (302 values, REQ all or
nothing, registration held until CAP END); SASL PLAIN follows
https://ircv3.net/specs/extensions/sasl-3.1 and becomes the `StaffLogin` of a staff account.
"""

from __future__ import annotations

from causerie.core.commands import StaffLogin
from causerie.core.numerals import ascii_int
from causerie.irc import numerics as n
from causerie.irc.parser import Line, format_line
from causerie.irc.profile import PROFILE_HELP, parse_profile
from causerie.irc.state import (
    CAPS,
    Hello,
    Pending,
    SessionState,
    decode_sasl_plain,
    valid_nick,
)
from causerie.irc.welcome import try_register

MAX_SASL_BYTES = 800  # name and password of a staff account fit easily


def _cap_list(session: SessionState, version_302: bool) -> str:
    return " ".join("sasl=PLAIN" if cap == "sasl" and version_302 else cap for cap in CAPS)


def cap(session: SessionState, line: Line) -> None:
    sub = line.params[0].upper()
    me = session.nick
    source = session.source
    if sub == "LS":
        if not session.registered:
            session.cap_negotiating = True
        version = ascii_int(line.params[1], max_digits=6) if len(line.params) > 1 else None
        version_302 = version is not None and version >= 302
        session.send(format_line("CAP", me, "LS", _cap_list(session, version_302), source=source))
    elif sub == "LIST":
        session.send(format_line("CAP", me, "LIST", " ".join(sorted(session.caps)), source=source))
    elif sub == "REQ":
        if not session.registered:
            session.cap_negotiating = True
        wanted = line.params[1] if len(line.params) > 1 else ""
        names = wanted.split()
        if names and all(name.removeprefix("-") in CAPS for name in names):
            caps = set(session.caps)
            for name in names:
                if name.startswith("-"):
                    caps.discard(name[1:])
                else:
                    caps.add(name)
            session.caps = frozenset(caps)
            session.caps_changed()
            session.send(format_line("CAP", me, "ACK", wanted, source=source))
        else:
            session.send(format_line("CAP", me, "NAK", wanted, source=source))
    elif sub == "END":
        if session.cap_negotiating:
            session.cap_negotiating = False
            try_register(session)
    else:
        session.numeric("410", line.params[0], "Invalid CAP command")


def authenticate(session: SessionState, line: Line) -> None:
    argument = line.params[0]
    if "sasl" not in session.caps or session.registered:
        session.numeric(n.ERR_SASLFAIL, "SASL authentication failed")
        return
    if session.staff is not None:
        session.numeric(n.ERR_SASLALREADY, "You have already authenticated using SASL")
        return
    if argument == "*":
        session.sasl_mechanism, session.sasl_buffer = None, ""
        session.numeric(n.ERR_SASLABORTED, "SASL authentication aborted")
        return
    if session.sasl_mechanism is None:
        if argument.upper() != "PLAIN":
            session.numeric(n.RPL_SASLMECHS, "PLAIN", "are available SASL mechanisms")
            session.numeric(n.ERR_SASLFAIL, "SASL authentication failed")
            return
        session.sasl_mechanism = "PLAIN"
        session.send(format_line("AUTHENTICATE", "+"))
        return
    if argument != "+":
        session.sasl_buffer += argument
    if len(session.sasl_buffer) > MAX_SASL_BYTES:
        session.sasl_mechanism, session.sasl_buffer = None, ""
        session.numeric(n.ERR_SASLTOOLONG, "SASL message too long")
        return
    if len(argument) == 400:
        return  # more chunks follow
    credentials = decode_sasl_plain(session.sasl_buffer)
    session.sasl_buffer = ""
    if credentials is None:
        session.sasl_mechanism = None
        session.numeric(n.ERR_SASLFAIL, "SASL authentication failed")
        return
    name, password = credentials
    session.request(Pending("AUTHENTICATE", name), StaffLogin(name, password))


def pass_(session: SessionState, line: Line) -> None:
    """Kept for registration, which checks it against the server password, if any (unused
    otherwise: staff sign in with SASL, docs/irc.md)."""
    if session.registered:
        session.numeric(n.ERR_ALREADYREGISTERED, "You may not reregister")
        return
    session.password = line.params[0]


def nick(session: SessionState, line: Line) -> None:
    if not line.params or not line.params[0]:
        session.numeric(n.ERR_NONICKNAMEGIVEN, "No nickname given")
        return
    wanted = line.params[0]
    if not valid_nick(wanted):
        session.numeric(n.ERR_ERRONEUSNICKNAME, wanted, "Erroneous nickname")
        return
    if wanted == session.nick:
        return
    if session.hello is Hello.DONE:
        session.numeric(
            n.ERR_UNKNOWNERROR,
            "NICK",
            "Your nickname is your identity here: reconnect to take another one",
        )
        return
    if session.hello is Hello.PENDING:
        return
    if session.registered:
        session.send(format_line("NICK", wanted, source=session.mask))
    session.nick = wanted
    if session.registered and session.profile is not None:
        session.send_hello(session.profile)  # a nickname taken at first: try the new one
        return
    try_register(session)


def user(session: SessionState, line: Line) -> None:
    if session.registered or session.user_given:
        session.numeric(n.ERR_ALREADYREGISTERED, "You may not reregister")
        return
    if not line.params[0] or not line.params[3]:
        # Modern IRC: an empty username (or realname) is refused as a missing parameter.
        session.numeric(n.ERR_NEEDMOREPARAMS, "USER", "Not enough parameters")
        return
    session.user_given = True
    session.realname = line.params[3]
    try_register(session)


def profile(session: SessionState, line: Line) -> None:
    if session.hello is not Hello.NONE and session.profile is not None:
        if session.hello is Hello.DONE:
            session.numeric(n.ERR_ALREADYREGISTERED, "Your profile is already given")
        return
    given = parse_profile(" ".join(line.params))
    if given is None:
        session.notice("\n".join(PROFILE_HELP[:2]))
        return
    session.profile = given
    if session.registered:
        session.send_hello(given)
    else:
        try_register(session)


def oper(session: SessionState, line: Line) -> None:
    if session.staff is not None:
        session.numeric(n.RPL_YOUREOPER, "You are now an IRC operator")
        return
    if session.hello is not Hello.NONE:
        session.numeric(n.ERR_NOOPERHOST, "Staff sign in with SASL PLAIN when connecting")
        return
    name, password = line.params[0], line.params[1]
    session.request(Pending("OPER", name), StaffLogin(name, password))


def ping(session: SessionState, line: Line) -> None:
    session.send(format_line("PONG", session.source, line.params[0], source=session.source))


def quit_(session: SessionState, line: Line) -> None:
    session.quit(line.params[0] if line.params else "")
