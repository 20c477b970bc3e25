"""Events meant for this connection alone (replies, private messages, notices) as IRC lines.

A reply's `re` (the envelope's) names the request; `pending` says which IRC command it came
from, so a refusal is told with that command's numeric (a JOIN refused for the age band is 403,
exactly as if the channel did not exist; a ban is 474 or 465 and ERROR…). Every refusal that
ends by itself says when, in the person's language (`causerie.wording`, as the web's `error`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from causerie.core import events as ev
from causerie.core.policy.assurance import AssuranceStatus
from causerie.errors import CauserieError
from causerie.irc import member_rooms
from causerie.irc import numerics as n
from causerie.irc.channels import send_names, send_topic
from causerie.irc.directory import fold
from causerie.irc.history import history_lines, replay
from causerie.irc.lookups import LOOKUPS, on_lookup_refused, on_members, on_people_found
from causerie.irc.parser import format_line
from causerie.irc.render import (
    HOST_SUFFIX,
    channel_of,
    mask_of,
    message_tags,
    message_text,
    reply_id,
    service_mask,
    text_lines,
)
from causerie.irc.state import Hello, Pending, SessionState
from causerie.irc.welcome import welcome_burst
from causerie.node.envelope import Envelope
from causerie.wording import error_message, notice_text, reason_of, retry_after

Handler = Callable[[SessionState, Pending | None, Any, str], None]


def on_event(session: SessionState, envelope: Envelope) -> None:
    """An event for this connection alone: its lines go to `session`'s output (gathered for
    the label of the command it answers, with labeled-response: labels.py)."""
    re_id = envelope.re
    pending = session.pending.get(re_id) if isinstance(re_id, str) else None
    label = pending.extra.pop("label", None) if pending is not None else None
    if not isinstance(label, str):
        _on_event(session, envelope, pending)
        return
    session.answered(label)  # once per request: a DmSent's pending stays, its label not
    session.begin_label(label)
    try:
        _on_event(session, envelope, pending)
    finally:
        session.end_label()


def _on_event(session: SessionState, envelope: Envelope, pending: Pending | None) -> None:
    re_id = envelope.re
    event = envelope.event
    kind = type(event)
    if kind is ev.Refused or kind is ev.Acked:
        if isinstance(re_id, str):
            session.pending.pop(re_id, None)
        if isinstance(event, ev.Refused):
            _refused(session, pending, event.error, envelope.lang)
        return
    if session.held_kick is not None and kind is not ev.Parted:
        session.notice(session.held_kick[3])  # no Parted came with it: told as it is
        session.held_kick = None
    handler = _HANDLERS.get(kind)
    if handler is None:
        return
    if pending is not None and kind is not ev.DmSent:
        session.pending.pop(str(re_id), None)
    handler(session, pending, event, envelope.lang)


def _welcome(
    session: SessionState, _pending: Pending | None, event: ev.Welcomed, _lang: str
) -> None:
    session.hello = Hello.DONE
    # The node's own profile view, shared with its hub: nothing copied per client.
    session.user = event.user
    session.nick = event.user.nick
    session.lang = session.profile.lang if session.profile else "fr"
    session.rooms = session.directory.shared_rooms(event.rooms)
    if not session.registered:
        welcome_burst(session)
    else:
        session.notice("Profil accepté, bienvenue ! / Profile accepted, welcome! (/list)")
    if session.away:
        session.directory.set_away(session.nick, session.mask, session.away, session.channels)
    _ask_assurance(session, event.assurance)


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


def _ask_assurance(session: SessionState, assurance: AssuranceStatus | None) -> None:
    if assurance is None or assurance.is_assured:
        return
    gated = _GATED.get(assurance.required.value)
    if gated is None:
        return
    url = assurance.provider_url
    session.notice(
        f"Espace ados : pour {gated[0]}, vérifie que tu as moins de 18 ans. Ouvre {url} dans "
        "un navigateur, puis envoie la preuve : /msg Causerie ASSURE <preuve>\n"
        f"Teen space: to {gated[1]}, check that you are under 18. Open {url} in a browser, "
        "then send the proof: /msg Causerie ASSURE <proof>"
    )


def _rooms(
    session: SessionState, pending: Pending | None, event: ev.RoomsListed, _lang: str
) -> None:
    session.rooms = session.directory.shared_rooms(event.rooms)
    session.numeric(n.RPL_LISTSTART, "Channel", "Users  Name")
    wanted = {c.lower() for c in pending.target.split(",") if c} if pending else set()
    for view in event.rooms:
        channel = "#" + view.room.id
        if wanted and channel not in wanted:
            continue
        topic = " — ".join(p for p in (view.room.name, view.room.topic) if p)
        session.numeric(n.RPL_LIST, channel, str(view.members), topic)
    session.numeric(n.RPL_LISTEND, "End of /LIST")


def _joined(session: SessionState, _pending: Pending | None, event: ev.Joined, _lang: str) -> None:
    room = event.room.room.id
    session.rooms = session.directory.with_room(session.rooms, event.room.room)
    was_member = room in session.channels
    if was_member:
        session.forget_own_join(room)  # no presence comes for a room we were in
    session.channels |= {room}
    if not was_member:
        session.send(format_line("JOIN", "#" + room, source=session.mask))
    send_topic(session, room, is_join=True)
    send_names(session, room, event.members)  # the members the web's list shows
    if event.history and not session.has("draft/chathistory"):
        replay(session, "#" + room, event.history, "chathistory")


def _parted(session: SessionState, pending: Pending | None, event: ev.Parted, _lang: str) -> None:
    room = event.room
    session.channels -= {room}
    session.forget_own_join(room)
    channel = "#" + room
    if pending is not None:
        words = (event.reason,) if event.reason else ()  # as the room read them, if it did
        session.send(format_line("PART", channel, *words, source=session.mask))
    elif event.by:  # a kick, as the room saw it (render.py), then the statement
        kicker = f"{event.by}!u@{HOST_SUFFIX}"
        session.send(
            format_line("KICK", channel, session.nick, event.reason or event.by, source=kicker)
        )
        if session.held_kick is not None and session.held_kick[0] in (room, ""):
            session.notice(session.held_kick[3])
            session.held_kick = None
    elif session.held_kick is not None and session.held_kick[0] in (room, ""):
        _room, by, reason, text = session.held_kick  # by the room's owner or an operator
        session.held_kick = None
        session.send(
            format_line("KICK", channel, session.nick, reason, source=by or session.source)
        )
        if by:
            session.notice(text)  # else the KICK's reason is that text
    else:  # removed by a moderator (or a ban from the room)
        session.send(
            format_line(
                "KICK", channel, session.nick, "Modération / Moderation", source=session.source
            )
        )


def _room_updated(
    session: SessionState, _pending: Pending | None, event: ev.RoomUpdated, _lang: str
) -> None:
    """The operator changed a room (or made one): a member sees the new topic as a TOPIC; a
    member room's changes are its owner's or operators' (member_rooms.py)."""
    room = event.room.room
    if room.is_member_room:
        member_rooms.on_room_told(session, _pending, room)
        return
    before = session.rooms.get(room.id)
    session.rooms = session.directory.with_room(session.rooms, room)
    if room.id not in session.channels or before is None:
        return
    if (before.name, before.topic) != (room.name, room.topic):
        text = " — ".join(part for part in (room.name, room.topic) if part)
        session.send(
            format_line(
                "TOPIC", channel_of(room.id), text, source=service_mask(session.config.server_name)
            )
        )


def _room_archived(
    session: SessionState, _pending: Pending | None, event: ev.RoomArchived, _lang: str
) -> None:
    """A room closed: gone from LIST; a member is told in a NOTICE, then PARTs it."""
    room = event.room
    session.rooms = {key: view for key, view in session.rooms.items() if key != room}
    if room not in session.channels:
        return
    session.channels -= {room}
    session.forget_own_join(room)
    channel = channel_of(room)
    closed = notice_text(ev.NoticeKind.INFO, "room_archived", (("name", event.name),), session.lang)
    session.send(
        format_line("NOTICE", channel, closed, source=service_mask(session.config.server_name))
    )
    session.send(format_line("PART", channel, closed, source=session.mask))


def _history(
    session: SessionState, pending: Pending | None, event: ev.HistoryLoaded, _lang: str
) -> None:
    if pending is None or pending.command != "CHATHISTORY":
        return
    history_lines(session, pending, event.messages)


def _dm(session: SessionState, _pending: Pending | None, event: Any, _lang: str) -> None:
    dm = event.dm
    sender, recipient = dm.sender, dm.recipient
    if sender.nick == session.nick:
        # Our own message, delivered (a refused one never comes back, so this tells nothing
        # of someone we may not reach): 301 if its recipient is away on this listener, as
        # Modern IRC asks of a PRIVMSG.
        away = session.directory.away.get(fold(recipient.nick))
        if away is not None:
            session.numeric(n.RPL_AWAY, recipient.nick, away)
        if not session.has("echo-message"):
            return
    # A stranger's first message arrives as any private message, its text as the rules left
    # it; the service's NOTICE after it says how to accept or decline (consent first).
    text = message_text(dm, session.caps)
    is_request = type(event) is ev.DmRequested
    tags = message_tags(session.caps, dm.ts_ms, dm.id, reply_to=reply_id(dm))
    for line in text_lines("PRIVMSG", mask_of(sender), recipient.nick, text, tags):
        session.send(line)
    if is_request:
        nick = sender.nick
        session.notice(
            f"{nick} vous écrit pour la première fois : /msg Causerie ACCEPT {nick} pour "
            f"accepter, DECLINE {nick} pour refuser.\n"
            f"{nick} writes to you for the first time: /msg Causerie ACCEPT {nick} to accept, "
            f"DECLINE {nick} to refuse."
        )


def _noticed(session: SessionState, _pending: Pending | None, event: ev.Noticed, lang: str) -> None:
    text = notice_text(event.kind, event.key, event.params, lang)
    if event.key in _TAKEN_OUT:
        params = dict(event.params)
        name, by = str(params.get("name", "")), str(params.get("by", ""))
        reason = str(params.get("reason", "")).removeprefix(" : ") or by
        for room in session.channels:
            described = session.rooms.get(room)
            if described is not None and described.is_member_room and described.name == name:
                session.held_kick = (room, by, reason, text)  # told with the KICK (_parted)
                return
    session.notice(text)


def _notice_text(
    session: SessionState, _pending: Pending | None, event: ev.NoticeText, _lang: str
) -> None:
    if event.key in _TAKEN_OUT:
        # Put in words on another node: who and why are in the text, which the KICK carries.
        session.held_kick = ("", "", event.text, event.text)
        return
    session.notice(event.text)


_TAKEN_OUT = ("room_kicked", "room_banned_by")


def _stated(session: SessionState, _pending: Pending | None, event: ev.Stated, _lang: str) -> None:
    session.notice(f"{event.text}\n(décision / decision {event.statement_id})")


def _say(text: str, detail: Callable[[Any], str] | None = None) -> Handler:
    """A NOTICE saying the request was done, with what it was about."""

    def handler(session: SessionState, pending: Pending | None, event: Any, _lang: str) -> None:
        if detail is not None:
            session.notice(text + " " + detail(event))
        elif pending is not None and pending.target:
            session.notice(f"{text} {pending.target}")
        else:
            session.notice(text)

    return handler


def _staff(
    session: SessionState, pending: Pending | None, event: ev.StaffWelcomed, _lang: str
) -> None:
    session.staff = event.name
    if pending is not None and pending.command == "AUTHENTICATE":
        session.sasl_mechanism = None
        account = session.staff
        session.numeric(n.RPL_LOGGEDIN, f"{session.nick}!u@staff", account, "You are logged in")
        session.numeric(n.RPL_SASLSUCCESS, "SASL authentication successful")
    else:
        session.numeric(n.RPL_YOUREOPER, "You are now an IRC operator")


def _queue_changed(
    session: SessionState, _pending: Pending | None, event: ev.QueueChanged, _lang: str
) -> None:
    if not event.is_alert:
        return
    item = event.item
    session.notice(
        f"[alerte / alert] signalement #{item.get('id')} {item.get('category')} "
        f"(gravité {item.get('severity')})"
    )


def _queue(
    session: SessionState, _pending: Pending | None, event: ev.QueueListed, _lang: str
) -> None:
    session.notice(f"File de modération / moderation queue: {len(event.items)}")


def _report_id(event: ev.Reported) -> str:
    return f"#{event.report_id}"


_HANDLERS: dict[type, Handler] = {
    ev.Welcomed: _welcome,
    ev.RoomsListed: _rooms,
    ev.Joined: _joined,
    ev.Parted: _parted,
    ev.RoomUpdated: _room_updated,
    ev.RoomArchived: _room_archived,
    ev.RoomCreated: lambda session, pending, event, _lang: member_rooms.on_created(
        session, pending, event
    ),
    ev.RoomSettingsShown: lambda session, pending, event, _lang: member_rooms.on_settings(
        session, pending, event
    ),
    ev.RoomInvited: lambda session, _pending, event, _lang: member_rooms.on_invited(session, event),
    ev.HistoryLoaded: _history,
    ev.DmSent: _dm,
    ev.DmRequested: _dm,
    ev.Noticed: _noticed,
    ev.NoticeText: _notice_text,
    ev.Stated: _stated,
    ev.BlocksListed: _say("Bloqués / blocked:", lambda e: ", ".join(e.nicks) or "—"),
    ev.Reported: _say("Signalement reçu, merci / report received, thank you:", _report_id),
    ev.SettingsChanged: _say("Réglage enregistré / setting saved."),
    ev.DmAccepted: _say("Conversation acceptée / accepted:"),
    ev.DmDeclined: _say("Conversation refusée / declined:"),
    ev.Appealed: _say("Contestation reçue / appeal received."),
    ev.ModDone: _say("Fait / done:"),
    ev.StaffWelcomed: _staff,
    ev.QueueListed: _queue,
    ev.QueueChanged: _queue_changed,
    ev.AgeVerified: _say("Âge vérifié / age verified."),
    ev.AgeAssured: _say("Âge vérifié : moins de 18 ans, merci. / Age checked: under 18, thanks."),
    ev.PeopleFound: on_people_found,
    ev.Members: on_members,
}


# -- errors ------------------------------------------------------------------------------------

_JOIN_CODES = {
    "not_found": n.ERR_NOSUCHCHANNEL,
    "age_restricted": n.ERR_NOSUCHCHANNEL,  # invisible: exactly as if it did not exist
    "banned": n.ERR_BANNEDFROMCHAN,
    "invalid": n.ERR_TOOMANYCHANNELS,
    "forbidden": n.ERR_INVITEONLYCHAN,
    "room_full": n.ERR_CHANNELISFULL,
    "invite_only": n.ERR_INVITEONLYCHAN,  # a member room's +i
    "bad_key": n.ERR_BADCHANNELKEY,  # a member room's +k, key missing or wrong
}


def _refused(
    session: SessionState, pending: Pending | None, error: CauserieError, lang: str
) -> None:
    code = error.code.value
    message = error_message(error, lang)
    retry = retry_after(error)
    reason = reason_of(error)
    command = pending.command if pending is not None else ""
    target = pending.target if pending is not None else ""
    if pending is not None and pending.extra.get("echo") and session.expect_echo:
        session.expect_own_echo(-1)  # refused: no message of ours will come back
    if pending is not None and command in LOOKUPS:
        on_lookup_refused(session, pending)
    elif command == "HELLO":
        _hello_refused(session, code, error.field, message)
    elif command in ("JOIN", "PART") and code == "rate_limited":
        _join_part_throttled(session, command, target, message)
    elif command == "JOIN" and reason == "age_assurance_needed":
        session.forget_own_join(target[1:])
        session.numeric(n.ERR_NEEDREGGEDNICK, target, "Cannot join channel (check your age first)")
        session.notice(f"{message}\n{ASSURE_HINT}")
    elif command in member_rooms.ROOM_COMMANDS and pending is not None:
        member_rooms.refused(session, pending, error, lang)
    elif (
        command == "JOIN"
        and error.key == "room_not_found"
        and pending is not None
        and not pending.extra.get("made")
        and target[1:] not in session.rooms
    ):
        session.forget_own_join(target[1:])  # a room nobody made: make it, then join it
        key = pending.extra.get("key")
        member_rooms.create_then_join(session, target, key if isinstance(key, str) else None)
    elif command == "JOIN":
        room = target[1:]
        session.forget_own_join(room)
        if code == "age_restricted":
            session.rooms = {key: view for key, view in session.rooms.items() if key != room}
            message = "No such channel"
        session.numeric(_JOIN_CODES.get(code, n.ERR_NOSUCHCHANNEL), target, message)
    elif command == "PART" and error.key == "not_in_room":
        session.numeric(n.ERR_NOTONCHANNEL, target, "You're not on that channel")
    elif command == "PART" and code == "not_found":
        session.numeric(n.ERR_NOSUCHCHANNEL, target, "No such channel")
    elif command in ("PRIVMSG", "NOTICE"):
        _message_refused(session, command, target, code, message, retry, reason)
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
    elif code == "banned" and pending is None and error.field != "room":
        session.numeric(n.ERR_YOUREBANNEDCREEP, message)
    elif code == "banned" and pending is None:
        session.notice(message)
    else:
        session.notice(message)


def _join_part_throttled(session: SessionState, command: str, target: str, message: str) -> None:
    """Too many joins and parts: a JOIN gets 437 for its channel (clients such as irssi retry
    it later by themselves), a PART gets 263 RPL_TRYAGAIN (RFC 2812: a command dropped). The
    message says when to try again."""
    if command == "JOIN":
        session.forget_own_join(target[1:])
        session.numeric(n.ERR_UNAVAILRESOURCE, target, message)
    else:
        session.numeric(n.RPL_TRYAGAIN, "PART", message)


def _hello_refused(session: SessionState, code: str, field: str | None, message: str) -> None:
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
        welcome_burst(session)
    session.notice(message)


def _message_refused(
    session: SessionState,
    command: str,
    target: str,
    code: str,
    message: str,
    retry: float | None,
    reason: str | None = None,
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
