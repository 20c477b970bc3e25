"""The service nick (`/msg Causerie …`) and the REPORT command: reports, blocks, accepting a
stranger's private messages, help. Each becomes the wire request of the same meaning.
"""

from __future__ import annotations

from causerie.core.numerals import ascii_int
from causerie.irc.profile import PROFILE_HELP
from causerie.irc.session import IrcSession, Pending

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
_SIMPLE = {"BLOCK": "block", "UNBLOCK": "unblock", "ACCEPT": "accept", "DECLINE": "decline"}


def service_message(session: IrcSession, text: str) -> None:
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
        session.request(Pending(verb, words[1]), {"type": _SIMPLE[verb], "nick": words[1]})
    elif verb == "ASSURE" and len(words) == 2:  # a minor's proof of being under 18
        session.request(Pending(verb), {"type": "assure_age", "token": words[1]})
    elif verb == "PRIVATE" and len(words) == 2:
        session.request(Pending(verb), {"type": "settings", "dm_policy": words[1].lower()})
    else:
        session.notice("\n".join(HELP))


def _report(session: IrcSession, target: str, category: str, comment: str) -> None:
    if category not in CATEGORIES:
        session.notice("\n".join(HELP[1:]))
        return
    frame: dict[str, object] = {"type": "report", "category": category, "comment": comment[:1000]}
    message_id = ascii_int(target)
    if message_id is not None:
        frame["message_id"] = message_id
    else:
        frame["nick"] = target
    session.request(Pending("REPORT", target), frame)
