"""Registration's end: once NICK, USER (and CAP END) are in, the `Hello` to the node or the
welcome burst (001…005 and the MOTD), as https://modern.ircdocs.horse/#connection-registration
describes them.
"""

from __future__ import annotations

import hmac

from causerie.irc import numerics as n
from causerie.irc.channels import TOPICLEN
from causerie.irc.modes import CHANMODES, MAX_PARAMETER_MODES
from causerie.irc.parser import Line
from causerie.irc.profile import PROFILE_HELP, parse_profile
from causerie.irc.state import Hello, SessionState

MAX_TARGETS = 4


def try_register(session: SessionState) -> None:
    """Complete registration once NICK, USER and CAP END are in (and no hello waits)."""
    if session.registered or session.cap_negotiating or session.hello is Hello.PENDING:
        return
    if session.nick == "*" or not session.user_given:
        return
    if not password_matches(session):
        # Modern IRC: ERR_PASSWDMISMATCH, then ERROR; nothing was asked of the node.
        session.numeric(n.ERR_PASSWDMISMATCH, "Password incorrect")
        session.close("Bad password")
        return
    profile = session.profile or parse_profile(session.realname) or session.config.default_profile
    if profile is not None and session.hello is Hello.NONE:
        session.send_hello(profile)
        return
    welcome_burst(session)


def password_matches(session: SessionState) -> bool:
    """No server password, or PASS gave it (compared in constant time)."""
    expected = session.config.password
    if not expected:
        return True
    return hmac.compare_digest(session.password.encode(), expected.encode())


def welcome_burst(session: SessionState) -> None:
    session.registered = True
    config = session.config
    name = config.server_name
    session.numeric(n.RPL_WELCOME, f"Welcome to the {config.network} IRC network {session.nick}")
    session.numeric(n.RPL_YOURHOST, f"Your host is {name}, running version {config.version}")
    session.numeric(n.RPL_CREATED, f"This server was created {config.created}")
    session.numeric(n.RPL_MYINFO, name, config.version, "io", "biklmnost", "bklo")
    for tokens in isupport_lines(session):
        session.numeric(n.RPL_ISUPPORT, *tokens, "are supported by this server")
    motd(session)
    if session.hello is not Hello.DONE:
        session.notice("\n".join(PROFILE_HELP))


def isupport_lines(session: SessionState) -> list[list[str]]:
    config = session.config
    tokens = [
        "AWAYLEN=200",
        "CASEMAPPING=ascii",
        f"CHANLIMIT=#:{config.max_rooms}",
        f"CHANMODES={CHANMODES}",
        "CHANNELLEN=50",
        "CHANTYPES=#",
        "CHATHISTORY=100",
        "CLIENTTAGDENY=*",
        "ELIST=",
        "KICKLEN=300",
        "LINELEN=512",
        f"MODES={MAX_PARAMETER_MODES}",
        "MSGREFTYPES=msgid",
        f"NETWORK={config.network}",
        f"NICKLEN={20}",
        "PREFIX=(ov)@+",
        f"TARGMAX=PRIVMSG:{MAX_TARGETS},NOTICE:{MAX_TARGETS},JOIN:,PART:,NAMES:20,WHOIS:1,KICK:4",
        f"TOPICLEN={TOPICLEN}",
        "UTF8ONLY",
        "WHOX",
    ]
    return [tokens[i : i + 12] for i in range(0, len(tokens), 12)]


def motd(session: SessionState, _line: Line | None = None) -> None:
    lines = session.config.motd
    if not lines:
        session.numeric(n.ERR_NOMOTD, "MOTD File is missing")
        return
    session.numeric(n.RPL_MOTDSTART, f"- {session.config.server_name} Message of the day - ")
    for text in lines:
        session.numeric(n.RPL_MOTD, f"- {text}")
    session.numeric(n.RPL_ENDOFMOTD, "End of /MOTD command.")
