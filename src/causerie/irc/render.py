"""Core events as IRC lines: hostmasks, PRIVMSG, JOIN/PART, tags. Pure.

Room events (`MessagePosted`, `PresenceChanged`, `MessageDeleted`, `RoomStateChanged`) go to
every member: `room_event_lines` renders them from the event and the client's output-changing
capabilities alone, so one rendering serves every IRC connection with the same capabilities
(the connection's `Envelope` keeps it for its kind: nothing is cached here).
"""

from __future__ import annotations

from collections.abc import Set
from datetime import UTC, datetime

from causerie.core.events import (
    Event,
    MessageDeleted,
    MessagePosted,
    PresenceChanged,
    PresenceState,
    RoomStateChanged,
    TypingShown,
)
from causerie.core.messages import DirectMessage, Message
from causerie.core.users import PublicUser
from causerie.irc.parser import MAX_BODY_BYTES, format_line, truncate_utf8

SERVICE_NICK = "Causerie"
HOST_SUFFIX = "causerie"
# The events a room's members all get, rendered once per capability set.
# A typing signal renders as nothing: IRC has no typing indicator unless a client asks for the
# `typing` client tag, which this server does not offer (docs/irc.md).
ROOM_EVENTS = frozenset(
    {MessagePosted, PresenceChanged, MessageDeleted, RoomStateChanged, TypingShown}
)


def channel_of(room: str) -> str:
    return "#" + room


def room_of(channel: str) -> str | None:
    """The room id a channel name names, or None when it is not a channel name."""
    if not channel.startswith("#") or len(channel) < 2:
        return None
    return channel[1:].lower()


def host_of(user: PublicUser) -> str:
    return f"{user.dept.lower()}.{HOST_SUFFIX}"


def mask_of(user: PublicUser) -> str:
    return f"{user.nick}!u@{user.dept.lower()}.{HOST_SUFFIX}"


def realname_of(user: PublicUser) -> str:
    return f"{user.age} {user.gender.value} {user.dept} {user.region}"


def service_mask(server_name: str) -> str:
    return f"{SERVICE_NICK}!service@{server_name}"


def server_time(ts_ms: int) -> str:
    moment = datetime.fromtimestamp(ts_ms / 1000, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts_ms % 1000:03d}Z"


def message_tags(
    caps: Set[str],
    ts_ms: int | None,
    msgid: int | None,
    batch: str | None = None,
    reply_to: int | None = None,
) -> dict[str, str]:
    """The tags a message line carries for these capabilities; a reply names the message it
    answers with the `+draft/reply` client tag (IRCv3 draft) where message-tags was asked."""
    tags: dict[str, str] = {}
    if batch is not None:
        tags["batch"] = batch
    if ts_ms is not None and "server-time" in caps:
        tags["time"] = server_time(ts_ms)
    if msgid is not None and "message-tags" in caps:
        tags["msgid"] = str(msgid)
        if reply_to is not None:
            tags["+draft/reply"] = str(reply_to)
    return tags


def text_lines(
    command: str,
    source: str,
    target: str,
    text: str,
    tags: dict[str, str] | None = None,
) -> list[str]:
    """One text as lines: split at its newlines, and again where a line would pass 512 bytes."""
    room = MAX_BODY_BYTES - len(f":{source} {command} {target} :\r\n".encode())
    room = max(room, 64)
    if len(text) * 4 <= room and "\n" not in text and "\r" not in text:
        # Most texts: one line, short enough whatever its characters (4 bytes at most each).
        return [format_line(command, target, text or " ", source=source, tags=tags)]
    lines: list[str] = []
    for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        rest = paragraph
        while True:
            chunk = truncate_utf8(rest, room)
            lines.append(format_line(command, target, chunk or " ", source=source, tags=tags))
            rest = rest[len(chunk) :]
            if not rest:
                break
    return lines


def message_text(message: Message | DirectMessage, caps: Set[str] = frozenset()) -> str:
    """The text as an IRC line says it: a picture noted, and a reply to someone addressed to
    them the IRC way ("Alice: …") for a client without message-tags (which gets the
    `+draft/reply` tag instead). An ordinary message is its text, unchanged."""
    text = message.text
    if message.media is not None:
        note = "[photo : visible dans l'application web / picture: see the web app]"
        text = f"{text} {note}" if text else note
    quote = message.reply_to
    if quote is not None and quote.nick and "message-tags" not in caps:
        text = f"{quote.nick}: {text}"
    return text


def reply_id(message: Message | DirectMessage) -> int | None:
    return None if message.reply_to is None else message.reply_to.id


def message_lines(message: Message, caps: Set[str], batch: str | None = None) -> list[str]:
    tags = message_tags(caps, message.ts_ms, message.id, batch, reply_id(message))
    return text_lines(
        "NOTICE" if message.is_notice else "PRIVMSG",
        mask_of(message.sender),
        channel_of(message.room),
        message_text(message, caps),
        tags,
    )


def leaving_line(event: PresenceChanged) -> str:
    """PART, or QUIT for someone who quit (told once per room shared with them: a client
    forgets a nickname at its first QUIT and passes over the others), with their own words
    when the room may read them (core/hub/farewells.py). "Quit: " marks a QUIT's words as
    the person's, never the server's ("Ping timeout")."""
    source = mask_of(event.user)
    if event.is_quit:
        return format_line(
            "QUIT", f"Quit: {event.reason}" if event.reason else "Quit", source=source
        )
    words = (event.reason,) if event.reason else ()
    return format_line("PART", channel_of(event.room), *words, source=source)


def room_event_lines(event: Event, caps: Set[str], server_name: str) -> list[str]:
    """The lines every member with these capabilities gets for one room event."""
    if isinstance(event, MessagePosted):
        return message_lines(event.message, caps)
    if isinstance(event, PresenceChanged):
        if event.by:  # a kick (Modern IRC: the kicker's nickname when no reason is given)
            channel, reason = channel_of(event.room), event.reason or event.by
            kicker = f"{event.by}!u@{HOST_SUFFIX}"  # the core names them by nickname
            return [format_line("KICK", channel, event.user.nick, reason, source=kicker)]
        if event.state is PresenceState.JOINED:
            return [format_line("JOIN", channel_of(event.room), source=mask_of(event.user))]
        return [leaving_line(event)]
    if isinstance(event, MessageDeleted):
        who = (
            "retiré par son auteur / removed by its author"
            if event.by_author
            else "retiré par la modération / removed by moderation"
        )
        return [
            format_line(
                "NOTICE",
                channel_of(event.room),
                f"[message {event.message_id} {who}]",
                source=service_mask(server_name),
            )
        ]
    if isinstance(event, RoomStateChanged):
        channel = channel_of(event.room)
        lines = [format_line("MODE", channel, "+m" if event.locked else "-m", source=server_name)]
        slow = event.slow_mode_s
        note = (
            f"Mode lent : un message toutes les {slow:g} s "
            f"/ Slow mode: one message every {slow:g} s"
            if slow
            else "Mode lent désactivé / Slow mode off"
        )
        lines.append(format_line("NOTICE", channel, note, source=service_mask(server_name)))
        return lines
    return []
