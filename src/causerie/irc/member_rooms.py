"""Rooms people make, the IRC way: `JOIN #new` makes one, and its owner and operators run it
with `TOPIC`, `MODE +o +v +b +i +k +l +m +s +t`, `INVITE` and `KICK` (RFC 2812 3.2, Modern IRC).

How this works: each IRC command becomes the core command of the same meaning
(`CreateRoom`, `SetTopic`, `SetRoomModes`, `SetRoomOperator`, `SetRoomVoice`, `BanFromRoom`,
`InviteToRoom`,
`KickFromRoom`, `ShowRoomSettings`); the node decides (core/policy/member_rooms.py) and
answers with the room as it now is. What changed is told as IRC lines by comparing the room
this session knew with the one it is told of (`changes_between`): the same for the requester
(`RoomSettingsShown`, `RoomUpdated`) and for every member (`RoomUpdated`, from any node).

`JOIN` of a channel nobody made: the JOIN is refused `room_not_found`, then `CreateRoom` is
asked, then the JOIN again; a room outside one's band is never made under its name (the core
gives a teen's room an `ados-` id), so a refusal reads as for any channel.

Refusals read with RFC 2812's numerics: 482 ERR_CHANOPRIVSNEEDED (not the owner or an
operator), 442 ERR_NOTONCHANNEL, 441 ERR_USERNOTINCHANNEL, 401 ERR_NOSUCHNICK, 443
ERR_USERONCHANNEL, 479 ERR_BADCHANNAME (a name refused), 525 ERR_INVALIDKEY, 696
ERR_INVALIDMODEPARAM, 472 ERR_UNKNOWNMODE.
"""

from __future__ import annotations

from causerie.core import commands as cmd
from causerie.core import events as ev
from causerie.core.policy.nicknames import nick_key
from causerie.core.rooms import Room
from causerie.errors import CauserieError
from causerie.irc import numerics as n
from causerie.irc.modes import ModeChange, mode_text, read_modes
from causerie.irc.parser import Line, format_line
from causerie.irc.render import HOST_SUFFIX, channel_of
from causerie.irc.state import Pending, SessionState
from causerie.wording import error_message

# The pending commands of this module, and what their refusals read as.
ROOM_COMMANDS = frozenset({"CREATE", "TOPICSET", "MODESET", "BANLIST", "INVITE", "OKICK"})
_FLAG_FIELDS = {"i": "invite_only", "m": "moderated", "s": "unlisted", "t": "topic_locked"}
MAX_KEY_CHARS = 23


# -- lines from the client ---------------------------------------------------------------------


def create_then_join(session: SessionState, channel: str, key: str | None) -> None:
    """A JOIN refused as a room nobody made: make it (the JOIN follows its creation)."""
    session.request(
        Pending("CREATE", channel, {"key": key}), cmd.CreateRoom(channel.removeprefix("#"))
    )


def set_topic(session: SessionState, room: Room, text: str) -> None:
    channel = channel_of(room.id)
    if room.id not in session.channels:
        session.numeric(n.ERR_NOTONCHANNEL, channel, "You're not on that channel")
    elif room.is_official:
        session.numeric(n.ERR_CHANOPRIVSNEEDED, channel, "You're not channel operator")
    else:
        session.request(Pending("TOPICSET", channel), cmd.SetTopic(room.id, text))


def set_modes(session: SessionState, room: Room, line: Line) -> None:
    """`MODE #room <changes> <arguments…>` by someone who is not staff."""
    channel = channel_of(room.id)
    read = read_modes(line.params[1], line.params[2:])
    for letter in read.unknown:
        session.numeric(n.ERR_UNKNOWNMODE, letter, "is unknown mode char to me")
    if "b" in read.wants_list:
        session.request(Pending("BANLIST", channel), cmd.ShowRoomSettings(room.id))
    if not read.changes:
        return
    if room.id not in session.channels:
        session.numeric(n.ERR_NOTONCHANNEL, channel, "You're not on that channel")
        return
    if room.is_official:
        session.numeric(n.ERR_CHANOPRIVSNEEDED, channel, "You're not channel operator")
        return
    fields: dict[str, object] = {}
    for change in read.changes:
        _one_change(session, room, change, fields)
    if fields:
        session.request(Pending("MODESET", channel), cmd.SetRoomModes(room.id, **fields))  # type: ignore[arg-type]


def _one_change(
    session: SessionState, room: Room, change: ModeChange, fields: dict[str, object]
) -> None:
    channel = channel_of(room.id)
    letter, argument = change.letter, change.argument
    if letter in _FLAG_FIELDS:
        fields[_FLAG_FIELDS[letter]] = change.is_adding
    elif letter == "k":
        key = (argument or "") if change.is_adding else ""
        if change.is_adding and not _is_key(key):
            session.numeric(n.ERR_INVALIDKEY, channel, "Key is not well-formed")
            return
        fields["key"] = key
    elif letter == "l":
        if not change.is_adding:
            fields["member_limit"] = 0
            return
        limit = argument or ""
        if not (limit.isascii() and limit.isdigit() and 0 < int(limit) <= 100_000):
            session.numeric(n.ERR_INVALIDMODEPARAM, channel, "l", limit or "*", "Invalid limit")
            return
        fields["member_limit"] = int(limit)
    elif letter == "o" and argument:
        session.request(
            Pending("MODESET", channel, {"nick": argument}),
            cmd.SetRoomOperator(room.id, argument, change.is_adding),
        )
    elif letter == "v" and argument:
        session.request(
            Pending("MODESET", channel, {"nick": argument}),
            cmd.SetRoomVoice(room.id, argument, change.is_adding),
        )
    elif letter == "b" and argument:
        nick = argument.split("!", 1)[0]
        if not nick or any(char in nick for char in "*?"):
            session.numeric(n.ERR_INVALIDMODEPARAM, channel, "b", argument, "Bans name a nickname")
            return
        session.request(
            Pending("MODESET", channel, {"nick": nick}),
            cmd.BanFromRoom(room.id, nick, change.is_adding),
        )
    # +n is always so: nothing to change; -n is not offered (members only speak in a room).


def _is_key(key: str) -> bool:
    return 0 < len(key) <= MAX_KEY_CHARS and key.isprintable() and " " not in key and "," not in key


def invite(session: SessionState, line: Line) -> None:
    nick, channel = line.params[0], line.params[1]
    room = session.rooms.get(channel.removeprefix("#").lower())
    if room is None or not channel.startswith("#"):
        session.numeric(n.ERR_NOSUCHCHANNEL, channel, "No such channel")
    elif room.id not in session.channels:
        session.numeric(n.ERR_NOTONCHANNEL, channel, "You're not on that channel")
    elif room.is_official:
        session.numeric(n.ERR_CHANOPRIVSNEEDED, channel, "You're not channel operator")
    else:
        session.request(Pending("INVITE", channel, {"nick": nick}), cmd.InviteToRoom(room.id, nick))


def kick(session: SessionState, room: Room, nick: str, reason: str) -> None:
    """KICK by a member room's owner or operator (staff kick through moderation.py)."""
    session.request(
        Pending("OKICK", channel_of(room.id), {"nick": nick, "reason": reason}),
        cmd.KickFromRoom(room.id, nick, reason),
    )


# -- the node's answers ------------------------------------------------------------------------


def on_created(session: SessionState, pending: Pending | None, event: ev.RoomCreated) -> None:
    room = event.room.room
    session.rooms = session.directory.with_room(session.rooms, room)
    key = pending.extra.get("key") if pending is not None else None
    _join(session, room.id, key if isinstance(key, str) else None)


def _join(session: SessionState, room: str, key: str | None) -> None:
    session.expect_own_join(room)
    # `made`: a JOIN after a creation, never followed by another (a room one may not see
    # stays refused as a channel that does not exist).
    session.request(
        Pending("JOIN", channel_of(room), {"key": key, "made": True}), cmd.Join(room, key=key)
    )


def on_room_told(session: SessionState, pending: Pending | None, room: Room) -> None:
    """The room as it now is (an answer, or a change from any node): what changed as lines."""
    before = session.rooms.get(room.id)
    session.rooms = session.directory.with_room(session.rooms, room)
    if before is None or room.id not in session.channels:
        return
    # Our own change is told from us; another's from the server (the core names no actor).
    ours = pending is not None or any(
        p.command in ("MODESET", "TOPICSET") and p.target == channel_of(room.id)
        for p in session.pending.values()
    )
    source = session.mask if ours else session.config.server_name
    channel = channel_of(room.id)
    if (before.name, before.topic) != (room.name, room.topic) and room.is_member_room:
        session.send(format_line("TOPIC", channel, room.topic, source=source))
    changes = changes_between(before, room, shows_key=True)
    if changes:
        session.send(format_line("MODE", channel, *mode_text(changes), source=source))


def on_settings(
    session: SessionState, pending: Pending | None, event: ev.RoomSettingsShown
) -> None:
    room = event.room.room
    if pending is not None and pending.command == "BANLIST":
        for nick in event.banned:
            session.numeric(n.RPL_BANLIST, channel_of(room.id), f"{nick}!*@*")
        session.numeric(n.RPL_ENDOFBANLIST, channel_of(room.id), "End of channel ban list")
        return
    if pending is not None and pending.command == "INVITE":
        session.numeric(n.RPL_INVITING, str(pending.extra.get("nick", "")), channel_of(room.id))
    # A kick's KICK line reaches the kicker as every member: the room's presence (render.py).
    on_room_told(session, pending, room)


def on_invited(session: SessionState, event: ev.RoomInvited) -> None:
    room = event.room.room
    session.rooms = session.directory.with_room(session.rooms, room)
    # The core names the inviter by nickname: a hostmask without a département.
    inviter = f"{event.by}!u@{HOST_SUFFIX}"
    session.send(format_line("INVITE", session.nick, channel_of(room.id), source=inviter))


def changes_between(before: Room, after: Room, *, shows_key: bool) -> list[ModeChange]:
    """The mode changes from one state of a room to the next, in CHANMODES order."""
    changes: list[ModeChange] = []
    old, new = before.modes, after.modes
    for letter, field in sorted(_FLAG_FIELDS.items()):
        if getattr(old, field) != getattr(new, field):
            changes.append(ModeChange(getattr(new, field), letter))
    if old.key != new.key:
        shown = new.key if shows_key else "*"
        changes.append(ModeChange(True, "k", shown) if new.key else ModeChange(False, "k", "*"))
    if before.member_limit != after.member_limit:
        limit = after.member_limit
        changes.append(ModeChange(True, "l", str(limit)) if limit else ModeChange(False, "l"))
    changes += _list_changes("o", before.access.operators, after.access.operators)
    changes += _list_changes("v", before.access.voiced, after.access.voiced)
    changes += _list_changes("b", before.access.banned, after.access.banned, mask=True)
    return changes


def _list_changes(
    letter: str, before: frozenset[str], after: frozenset[str], *, mask: bool = False
) -> list[ModeChange]:
    old = {nick_key(nick): nick for nick in before}
    new = {nick_key(nick): nick for nick in after}
    shown = (lambda nick: f"{nick}!*@*") if mask else (lambda nick: nick)
    added = [ModeChange(True, letter, shown(new[k])) for k in sorted(new.keys() - old.keys())]
    removed = [ModeChange(False, letter, shown(old[k])) for k in sorted(old.keys() - new.keys())]
    return added + removed


# -- refusals ----------------------------------------------------------------------------------


def refused(session: SessionState, pending: Pending, error: CauserieError, lang: str) -> None:
    """A refusal of one of `ROOM_COMMANDS`, the RFC 2812 way (and its reason as a NOTICE
    when no numeric says it)."""
    command, channel = pending.command, pending.target
    code, key = error.code.value, error.key
    message = error_message(error, lang)
    nick = str(pending.extra.get("nick", ""))
    if command == "CREATE":
        if key == "room_name_taken":  # made by someone else a moment ago: join it
            extra_key = pending.extra.get("key")
            _join(
                session,
                channel.removeprefix("#"),
                extra_key if isinstance(extra_key, str) else None,
            )
        elif code == "invalid":
            session.numeric(n.ERR_BADCHANNAME, channel, message)
        else:
            session.numeric(n.ERR_NOSUCHCHANNEL, channel, message)
            session.notice(f"{channel}: {message}")
    elif code == "not_found" and key == "room_not_found":
        session.numeric(n.ERR_NOSUCHCHANNEL, channel, "No such channel")
    elif key == "not_in_room":
        session.numeric(n.ERR_NOTONCHANNEL, channel, "You're not on that channel")
    elif key == "room_target_absent":
        session.numeric(n.ERR_USERNOTINCHANNEL, nick, channel, "They aren't on that channel")
    elif code == "not_found":
        session.numeric(n.ERR_NOSUCHNICK, nick or channel, "No such nick/channel")
    elif key == "room_key_format":
        session.numeric(n.ERR_INVALIDKEY, channel, "Key is not well-formed")
    elif key == "room_target_in_room" or key == "room_already_member":
        session.numeric(n.ERR_USERONCHANNEL, nick, channel, "is already on channel")
    elif code == "forbidden" and command == "BANLIST":
        session.numeric(n.RPL_ENDOFBANLIST, channel, "End of channel ban list")
    elif code == "forbidden":
        session.numeric(n.ERR_CHANOPRIVSNEEDED, channel, message)
    else:
        session.notice(f"{channel}: {message}")
