"""Wire objects (docs/protocol.md) as IRC lines: hostmasks, PRIVMSG, JOIN/PART, tags. Pure.

Room frames (`message`, `presence`, `deleted`, `room_state`) go to every member: they are
rendered by `room_frame_lines` from the frame and the client's output-changing capabilities
alone, so one rendering serves every IRC connection with the same capabilities.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Set
from datetime import UTC, datetime
from typing import Any

import msgspec

from causerie.irc.parser import MAX_BODY_BYTES, format_line, truncate_utf8

SERVICE_NICK = "Causerie"
HOST_SUFFIX = "causerie"
_CACHE_SIZE = 64
ROOM_FRAMES = frozenset({"message", "presence", "deleted", "room_state"})
_frames: OrderedDict[str, dict[str, Any]] = OrderedDict()
_last: dict[str, dict[str, Any]] = {}  # the last other frame, alone
_rendered: OrderedDict[tuple[str, str, str], bytes] = OrderedDict()


def parse_frame(text: str) -> dict[str, Any]:
    """The frame's object, parsed once however many connections render it.

    Room frames are kept for the other members; any other frame is for one connection, which
    may ask twice (`leaves_out`, then the rendering), so only the last is kept: a welcome,
    with every room in it, is ~20 KB parsed, and 64 of them were a megabyte.
    """
    frame = _frames.get(text) or _last.get(text)
    if frame is not None:
        return frame
    loaded = msgspec.json.decode(text)  # twice json's speed; its errors are ValueErrors
    frame = loaded if isinstance(loaded, dict) else {"type": ""}
    if frame.get("type") in ROOM_FRAMES:
        _frames[text] = frame
        if len(_frames) > _CACHE_SIZE:
            _frames.popitem(last=False)
    else:
        _last.clear()
        _last[text] = frame
    return frame


def room_frame_bytes(
    text: str, frame: dict[str, Any], caps: Set[str], signature: str, server_name: str
) -> bytes:
    """`room_frame_lines` as bytes, built once per frame for all connections whose output
    capabilities have this `signature` (those awaiting their own echo each have a kind of
    their own, yet get the same bytes for everyone else's messages)."""
    key = (text, signature, server_name)
    wire = _rendered.get(key)
    if wire is None:
        lines = room_frame_lines(frame, frozenset(caps), server_name)
        wire = _rendered[key] = "".join(lines).encode()
        if len(_rendered) > _CACHE_SIZE:
            _rendered.popitem(last=False)
    return wire


def channel_of(room: str) -> str:
    return "#" + room


def room_of(channel: str) -> str | None:
    """The room id a channel name names, or None when it is not a channel name."""
    if not channel.startswith("#") or len(channel) < 2:
        return None
    return channel[1:].lower()


def host_of(user: dict[str, Any]) -> str:
    return f"{str(user.get('dept', 'xx')).lower()}.{HOST_SUFFIX}"


def mask_of(user: dict[str, Any]) -> str:
    return f"{user['nick']}!u@{host_of(user)}"


def realname_of(user: dict[str, Any]) -> str:
    return f"{user.get('age', '')} {user.get('gender', '')} {user.get('dept', '')} " + str(
        user.get("region", "")
    )


def service_mask(server_name: str) -> str:
    return f"{SERVICE_NICK}!service@{server_name}"


def server_time(ts_ms: int) -> str:
    moment = datetime.fromtimestamp(ts_ms / 1000, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts_ms % 1000:03d}Z"


def message_tags(
    caps: frozenset[str], ts_ms: int | None, msgid: int | None, batch: str | None = None
) -> dict[str, str]:
    tags: dict[str, str] = {}
    if batch is not None:
        tags["batch"] = batch
    if ts_ms is not None and "server-time" in caps:
        tags["time"] = server_time(ts_ms)
    if msgid is not None and "message-tags" in caps:
        tags["msgid"] = str(msgid)
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


def message_text(message: dict[str, Any]) -> str:
    text = str(message.get("text", ""))
    media = message.get("media")
    if media:
        note = "[photo : visible dans l'application web / picture: see the web app]"
        text = f"{text} {note}" if text else note
    return text


def message_lines(
    message: dict[str, Any], caps: frozenset[str], batch: str | None = None
) -> list[str]:
    tags = message_tags(caps, message.get("ts"), message.get("id"), batch)
    return text_lines(
        "PRIVMSG",
        mask_of(message["from"]),
        channel_of(message["room"]),
        message_text(message),
        tags,
    )


def room_frame_lines(frame: dict[str, Any], caps: frozenset[str], server_name: str) -> list[str]:
    """The lines every member with these capabilities gets for one room frame."""
    kind = frame.get("type")
    if kind == "message":
        return message_lines(frame, caps)
    if kind == "presence":
        user = frame["user"]
        command = "JOIN" if frame.get("state") == "joined" else "PART"
        return [format_line(command, channel_of(frame["room"]), source=mask_of(user))]
    if kind == "deleted":
        return [
            format_line(
                "NOTICE",
                channel_of(frame["room"]),
                f"[message {frame.get('message_id')} retiré par la modération "
                "/ removed by moderation]",
                source=service_mask(server_name),
            )
        ]
    if kind == "room_state":
        channel = channel_of(frame["room"])
        lines = [
            format_line(
                "MODE",
                channel,
                "+m" if frame.get("locked") else "-m",
                source=server_name,
            )
        ]
        slow = frame.get("slow_mode_s") or 0
        note = (
            f"Mode lent : un message toutes les {slow:g} s "
            f"/ Slow mode: one message every {slow:g} s"
            if slow
            else "Mode lent désactivé / Slow mode off"
        )
        lines.append(format_line("NOTICE", channel, note, source=service_mask(server_name)))
        return lines
    return []
