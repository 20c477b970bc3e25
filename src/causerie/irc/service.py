"""The service nick (`/msg Causerie …`) and the REPORT command: reports, blocks, accepting a
stranger's private messages, help. Each becomes the core command of the same meaning.
"""

from __future__ import annotations

from collections.abc import Callable

from causerie.core import commands as cmd
from causerie.core.numerals import ascii_int
from causerie.irc.history import MAX_MESSAGE_ID, bad_field
from causerie.irc.profile import PROFILE_HELP
from causerie.irc.state import Pending, SessionState

CATEGORIES = (
    "child_safety",
    "threat",
    "harassment",
    "hate",
    "illegal_goods",
    "sexual_content",
    "spam",
    "other",
)
HELP = (
    "Commandes / commands: /msg Causerie REPORT <pseudo|n° de message> <catégorie> [commentaire]"
    " · BLOCK <pseudo> · UNBLOCK <pseudo> · ACCEPT <pseudo> · DECLINE <pseudo>"
    " · PRIVATE everyone|shared_room|nobody · ASSURE <preuve d'âge / age proof>",
    "Catégories / categories: " + ", ".join(CATEGORIES),
)
_SIMPLE: dict[str, Callable[[str], cmd.Command]] = {
    "BLOCK": cmd.Block,
    "UNBLOCK": cmd.Unblock,
    "ACCEPT": cmd.AcceptDm,
    "DECLINE": cmd.DeclineDm,
}


def service_message(session: SessionState, text: str) -> None:
    words = text.split()
    if not words:
        return
    verb = words[0].upper()
    if not session.has_profile and verb != "HELP":
        session.notice("\n".join(PROFILE_HELP[:2]))
        return
    if verb == "REPORT" and len(words) >= 3:
        _report(session, words[1], words[2].lower(), " ".join(words[3:]))
    elif verb in _SIMPLE and len(words) == 2:
        session.request(Pending(verb, words[1]), _SIMPLE[verb](words[1]))
    elif verb == "ASSURE" and len(words) == 2:  # a minor's proof of being under 18
        session.request(Pending(verb), cmd.AssureAge(words[1]))
    elif verb == "PRIVATE" and len(words) == 2:
        session.request(Pending(verb), cmd.ChangeSettings(words[1].lower()))
    else:
        session.notice("\n".join(HELP))


def _report(session: SessionState, target: str, category: str, comment: str) -> None:
    if category not in CATEGORIES:
        session.notice("\n".join(HELP[1:]))
        return
    message_id = ascii_int(target)
    if message_id is not None and not 1 <= message_id <= MAX_MESSAGE_ID:
        session.notice(bad_field(session, "message_id"))  # as the node says of the web's
        return
    nick = target if message_id is None else None
    report = cmd.Report(category, message_id=message_id, nick=nick, comment=comment[:1000])
    session.request(Pending("REPORT", target), report)
