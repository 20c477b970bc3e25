"""Frames meant for this connection alone (replies, private messages, notices) as IRC lines.

A reply's `re` names the request; `pending` says which IRC command it came from, so an error
is told with that command's numeric (a JOIN refused for the age band is 403, exactly as if the
channel did not exist; a ban is 474 or 465 and ERROR…). Every refusal that ends by itself says
when, in the message the node wrote in the person's language.
"""

from __future__ import annotations

import sys
from typing import Any

from causerie.irc import numerics as n
from causerie.irc.history import history_lines, replay
from causerie.irc.parser import format_line
from causerie.irc.render import channel_of, mask_of, message_text, text_lines
from causerie.irc.session import Hello, IrcSession, Pending


def on_frame(session: IrcSession, frame: dict[str, Any]) -> None:
    re_id = frame.get("re")
    pending = session.pending.get(re_id) if isinstance(re_id, str) else None
    kind = frame.get("type")
    if kind in ("ack", "error"):
        session.pending.pop(str(re_id), None)
    handler = _HANDLERS.get(str(kind))
    if kind == "error":
        _error(session, pending, frame)
    elif handler is not None:
        if pending is not None and kind not in ("ack", "dm"):
            session.pending.pop(str(re_id), None)
        handler(session, pending, frame)


def _welcome(session: IrcSession, _pending: Pending | None, frame: dict[str, Any]) -> None:
    session.hello = Hello.DONE
    # The profile's words (gender, department, region, band) are the same few for everyone:
    # one copy each instead of one per client.
    session.user = {
        key: sys.intern(value) if isinstance(value, str) and key != "nick" else value
        for key, value in frame["user"].items()
    }
    session.nick = str(frame["user"]["nick"])
    session.lang = session.profile.lang if session.profile else "fr"
    session.rooms = session.directory.shared_rooms(frame.get("rooms", []))
    if not session.registered:
        session.welcome_burst()
    else:
        session.notice("Profil accepté, bienvenue ! / Profile accepted, welcome! (/list)")
    if session.away:
        session.directory.set_away(session.nick, session.mask, session.away)
    _ask_assurance(session, frame.get("assurance"))


# Age assurance in the teen space (docs/irc.md): what to do, told at the welcome and with each
# refusal it causes.
ASSURE_HINT = (
    "Vérifie que tu as moins de 18 ans : ouvre la page de vérification dans un navigateur, "
    "puis /msg Causerie ASSURE <preuve>.\n"
    "Check that you are under 18: open the age-check page in a browser, then "
    "/msg Causerie ASSURE <proof>."
)
_GATED = {
    "dm": ("écrire en privé", "send private messages"),
    "space": ("entrer dans les salons et écrire en privé", "join rooms and send private messages"),
}


def _ask_assurance(session: IrcSession, assurance: Any) -> None:
    if not isinstance(assurance, dict) or assurance.get("assured"):
        return
    gated = _GATED.get(str(assurance.get("required")))
    if gated is None:
        return
    url = str(assurance.get("provider_url") or "")
    session.notice(
        f"Espace ados : pour {gated[0]}, vérifie que tu as moins de 18 ans. Ouvre {url} dans "
        "un navigateur, puis envoie la preuve : /msg Causerie ASSURE <preuve>\n"
        f"Teen space: to {gated[1]}, check that you are under 18. Open {url} in a browser, "
        "then send the proof: /msg Causerie ASSURE <proof>"
    )


def _rooms(session: IrcSession, pending: Pending | None, frame: dict[str, Any]) -> None:
    session.rooms = session.directory.shared_rooms(frame.get("rooms", []))
    session.numeric(n.RPL_LISTSTART, "Channel", "Users  Name")
    wanted = {c.lower() for c in pending.target.split(",") if c} if pending else set()
    for room in frame.get("rooms", []):
        channel = channel_of(str(room["id"]))
        if wanted and channel not in wanted:
            continue
        topic = " — ".join(p for p in (str(room.get("name", "")), room.get("topic") or "") if p)
        session.numeric(n.RPL_LIST, channel, str(room.get("members", 0)), topic)
    session.numeric(n.RPL_LISTEND, "End of /LIST")


def _joined(session: IrcSession, _pending: Pending | None, frame: dict[str, Any]) -> None:
    from causerie.irc.commands import send_names, send_topic

    room_view = frame["room"]
    room = str(room_view["id"])
    session.rooms = session.directory.with_room(session.rooms, room_view)
    was_member = room in session.channels
    if was_member:
        session.forget_own_join(room)  # no presence comes for a room we were in
    session.channels |= {room}
    session.directory.seat(room, list(frame.get("members", [])))
    if not was_member:
        session.send(format_line("JOIN", channel_of(room), source=session.mask))
    send_topic(session, room)
    send_names(session, room)
    history = list(frame.get("history", []))
    if history and not session.has("draft/chathistory"):
        replay(session, channel_of(room), history, "chathistory")


def _parted(session: IrcSession, pending: Pending | None, frame: dict[str, Any]) -> None:
    room = str(frame["room"])
    session.channels -= {room}
    session.forget_own_join(room)
    channel = channel_of(room)
    if pending is not None:
        session.send(format_line("PART", channel, source=session.mask))
    else:  # removed by a moderator (or a ban from the room)
        session.send(
            format_line(
                "KICK", channel, session.nick, "Modération / Moderation", source=session.source
            )
        )


def _history(session: IrcSession, pending: Pending | None, frame: dict[str, Any]) -> None:
    if pending is None or pending.command != "CHATHISTORY":
        return
    history_lines(session, pending, list(frame.get("messages", [])))


def _dm(session: IrcSession, _pending: Pending | None, frame: dict[str, Any]) -> None:
    sender, recipient = frame["from"], frame["to"]
    is_mine = str(sender["nick"]) == session.nick
    if is_mine and not session.has("echo-message"):
        return
    if not is_mine:
        session.contacts[str(sender["nick"]).casefold()] = sender
    else:
        session.contacts[str(recipient["nick"]).casefold()] = recipient
    text = message_text(frame)
    if frame.get("type") == "dm_request":
        text = "[demande / request] " + text
    tags: dict[str, str] = {}
    if session.has("server-time") and "ts" in frame:
        from causerie.irc.render import server_time

        tags["time"] = server_time(int(frame["ts"]))
    if session.has("message-tags") and "id" in frame:
        tags["msgid"] = str(frame["id"])
    target = str(recipient["nick"])
    for line in text_lines("PRIVMSG", mask_of(sender), target, text, tags):
        session.send(line)
    if frame.get("type") == "dm_request":
        nick = sender["nick"]
        session.notice(
            f"{nick} vous écrit pour la première fois : /msg Causerie ACCEPT {nick} pour "
            f"accepter, DECLINE {nick} pour refuser.\n"
            f"{nick} writes to you for the first time: /msg Causerie ACCEPT {nick} to accept, "
            f"DECLINE {nick} to refuse."
        )


def _notice(session: IrcSession, _pending: Pending | None, frame: dict[str, Any]) -> None:
    text = str(frame.get("text", ""))
    statement = frame.get("statement_id")
    if statement:
        text += f"\n(décision / decision {statement})"
    session.notice(text)


def _say(text: str) -> Any:
    def handler(session: IrcSession, pending: Pending | None, frame: dict[str, Any]) -> None:
        detail = ""
        if frame.get("type") == "blocks":
            detail = " " + (", ".join(frame.get("nicks", [])) or "—")
        elif frame.get("type") == "reported":
            detail = f" #{frame.get('report_id')}"
        elif pending is not None and pending.target:
            detail = f" {pending.target}"
        session.notice(text + detail)

    return handler


def _staff(session: IrcSession, pending: Pending | None, frame: dict[str, Any]) -> None:
    session.staff = str(frame.get("name", ""))
    if pending is not None and pending.command == "AUTHENTICATE":
        session.sasl_mechanism = None
        account = session.staff
        session.numeric(n.RPL_LOGGEDIN, f"{session.nick}!u@staff", account, "You are logged in")
        session.numeric(n.RPL_SASLSUCCESS, "SASL authentication successful")
    else:
        session.numeric(n.RPL_YOUREOPER, "You are now an IRC operator")


def _alert(session: IrcSession, _pending: Pending | None, frame: dict[str, Any]) -> None:
    item = frame.get("item") or {}
    session.notice(
        f"[alerte / alert] signalement #{item.get('id')} {item.get('category')} "
        f"(gravité {item.get('severity')})"
    )


def _queue(session: IrcSession, _pending: Pending | None, frame: dict[str, Any]) -> None:
    items = frame.get("items", [])
    session.notice(f"File de modération / moderation queue: {len(items)}")


def _ignore(_session: IrcSession, _pending: Pending | None, _frame: dict[str, Any]) -> None:
    pass


_HANDLERS = {
    "welcome": _welcome,
    "rooms": _rooms,
    "joined": _joined,
    "parted": _parted,
    "history": _history,
    "dm": _dm,
    "dm_request": _dm,
    "notice": _notice,
    "blocks": _say("Bloqués / blocked:"),
    "reported": _say("Signalement reçu, merci / report received, thank you:"),
    "settings": _say("Réglage enregistré / setting saved."),
    "accepted": _say("Conversation acceptée / accepted:"),
    "declined": _say("Conversation refusée / declined:"),
    "appealed": _say("Contestation reçue / appeal received."),
    "mod_done": _say("Fait / done:"),
    "staff": _staff,
    "queue": _queue,
    "alert": _alert,
    "ack": _ignore,
    "pong": _ignore,
    "queue_item": _ignore,
    "age_verified": _say("Âge vérifié / age verified."),
    "age_assured": _say("Âge vérifié : moins de 18 ans, merci. / Age checked: under 18, thanks."),
}


# -- errors ------------------------------------------------------------------------------------

_JOIN_CODES = {
    "not_found": n.ERR_NOSUCHCHANNEL,
    "age_restricted": n.ERR_NOSUCHCHANNEL,  # invisible: exactly as if it did not exist
    "banned": n.ERR_BANNEDFROMCHAN,
    "invalid": n.ERR_TOOMANYCHANNELS,
    "forbidden": n.ERR_INVITEONLYCHAN,
}


def _error(session: IrcSession, pending: Pending | None, frame: dict[str, Any]) -> None:
    code = str(frame.get("code", ""))
    message = str(frame.get("message", code))
    retry = frame.get("retry_after")
    command = pending.command if pending is not None else ""
    target = pending.target if pending is not None else ""
    if pending is not None and pending.extra.get("echo") and session.expect_echo:
        session.expect_own_echo(-1)  # refused: no message of ours will come back
    if command == "HELLO":
        _hello_refused(session, code, frame.get("field"), message)
    elif command in ("JOIN", "PART") and code == "rate_limited":
        _join_part_throttled(session, command, target, message)
    elif command == "JOIN" and frame.get("reason") == "age_assurance_needed":
        session.forget_own_join(target[1:])
        session.numeric(n.ERR_NEEDREGGEDNICK, target, "Cannot join channel (check your age first)")
        session.notice(f"{message}\n{ASSURE_HINT}")
    elif command == "JOIN":
        room = target[1:]
        session.forget_own_join(room)
        if code == "age_restricted":
            session.rooms = {key: view for key, view in session.rooms.items() if key != room}
            message = "No such channel"
        session.numeric(_JOIN_CODES.get(code, n.ERR_NOSUCHCHANNEL), target, message)
    elif command in ("PRIVMSG", "NOTICE"):
        _message_refused(session, command, target, code, message, retry, frame.get("reason"))
    elif command in ("AUTHENTICATE", "OPER"):
        session.sasl_mechanism = None
        if code == "rate_limited":  # too many failures, or the checks are busy: say when
            session.notice(f"{message} (réessayez dans / retry in {retry} s)")
        if command == "OPER":
            session.numeric(n.ERR_PASSWDMISMATCH, "Password incorrect")
        else:
            session.numeric(n.ERR_SASLFAIL, "SASL authentication failed")
    elif command == "CHATHISTORY":
        session.send(
            format_line(
                "FAIL", "CHATHISTORY", "MESSAGE_ERROR", target, message, source=session.source
            )
        )
    elif command in ("KICK", "MODE") and code == "not_found":
        session.numeric(n.ERR_NOSUCHNICK, target, message)
    elif code == "banned" and pending is None and frame.get("field") != "room":
        session.numeric(n.ERR_YOUREBANNEDCREEP, message)
    elif code == "banned" and pending is None:
        session.notice(message)
    else:
        session.notice(message)


def _join_part_throttled(session: IrcSession, command: str, target: str, message: str) -> None:
    """Too many joins and parts: a JOIN gets 437 for its channel (clients such as irssi retry
    it later by themselves), a PART gets 263 RPL_TRYAGAIN (RFC 2812: a command dropped). The
    message says when to try again."""
    if command == "JOIN":
        session.forget_own_join(target[1:])
        session.numeric(n.ERR_UNAVAILRESOURCE, target, message)
    else:
        session.numeric(n.RPL_TRYAGAIN, "PART", message)


def _hello_refused(session: IrcSession, code: str, field: Any, message: str) -> None:
    session.hello = Hello.NONE
    if code == "rate_limited":  # the node closes the connection right after this
        session.notice(message)
        return
    if code == "banned":
        session.numeric(n.ERR_YOUREBANNEDCREEP, message)
        session.close("Banned")
        return
    if code == "nick_taken":
        session.numeric(n.ERR_NICKNAMEINUSE, session.nick, message)
        return
    if field == "nick":
        session.numeric(n.ERR_ERRONEUSNICKNAME, session.nick, message)
        return
    session.profile = None  # the profile is at fault: ask for another one
    if not session.registered:
        session.welcome_burst()
    session.notice(message)


def _message_refused(
    session: IrcSession,
    command: str,
    target: str,
    code: str,
    message: str,
    retry: Any,
    reason: Any = None,
) -> None:
    if command == "NOTICE":
        return  # no automatic reply to a NOTICE (RFC 2812 section 3.3.2)
    is_channel = target.startswith("#")
    if reason == "age_assurance_needed":
        session.notice(f"{target}: {message}\n{ASSURE_HINT}")
        return
    if code == "not_found":
        session.numeric(n.ERR_NOSUCHCHANNEL if is_channel else n.ERR_NOSUCHNICK, target, message)
        return
    if code == "age_restricted" and is_channel:
        session.numeric(n.ERR_NOSUCHCHANNEL, target, "No such channel")
        return
    if is_channel and code in ("forbidden", "muted", "banned"):
        session.numeric(n.ERR_CANNOTSENDTOCHAN, target, message)
    if retry is not None and code in ("rate_limited", "muted", "banned"):
        message = f"{message} (réessayez dans / retry in {retry} s)"
    session.notice(f"{target}: {message}")
