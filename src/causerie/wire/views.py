"""Core objects as the JSON objects the protocol shows them (docs/protocol.md): a person, a
picture, a room message, a private message, a room. Pure.
"""

from __future__ import annotations

from typing import Any

from causerie.core import events as ev
from causerie.core.messages import DirectMessage, MediaRef, Message, Quote
from causerie.core.rooms import Room
from causerie.core.users import PublicUser


def user_view(user: PublicUser) -> dict[str, Any]:
    return {
        "nick": user.nick,
        "gender": user.gender.value,
        "age": user.age,
        "dept": user.dept,
        "region": user.region,
    }


def media_view(media: MediaRef) -> dict[str, Any]:
    return {"id": media.id, "width": media.width, "height": media.height}


def message_view(message: Message) -> dict[str, Any]:
    view = {
        "id": message.id,
        "room": message.room,
        "from": user_view(message.sender),
        "text": message.text,
        "ts": message.ts_ms,
    }
    if message.media is not None:
        view["media"] = media_view(message.media)
    if message.reply_to is not None:
        view["reply_to"] = quote_view(message.reply_to)
    if message.game is not None:
        view["game"] = {"name": message.game.name, "view": message.game.view}
    if message.is_notice:
        view["notice"] = True
    return view


def quote_view(quote: Quote) -> dict[str, Any]:
    """The message a reply answers: its id, and while it is there its author and excerpt."""
    if not quote.nick:
        return {"id": quote.id}
    return {"id": quote.id, "from": quote.nick, "text": quote.text}


def dm_view(dm: DirectMessage) -> dict[str, Any]:
    view = {
        "id": dm.id,
        "from": user_view(dm.sender),
        "to": user_view(dm.recipient),
        "text": dm.text,
        "ts": dm.ts_ms,
    }
    if dm.media is not None:
        view["media"] = media_view(dm.media)
    if dm.reply_to is not None:
        view["reply_to"] = quote_view(dm.reply_to)
    return view


def room_view(view: ev.RoomView) -> dict[str, Any]:
    room = view.room
    return (
        {
            "id": room.id,
            "name": room.name,
            "kind": room.kind.value,
            "audience": room.audience.value,
            "topic": room.topic,
            "pictures": room.pictures,
            "members": view.members,
            "games": list(room.games),
        }
        | ({"member_limit": room.member_limit} if room.member_limit else {})
        | (_member_room_view(room) if room.is_member_room else {})
    )


def _member_room_view(room: Room) -> dict[str, Any]:
    """What everyone who may see a member room is shown of it: its owner and its modes (not
    its key, nor who holds a role: `room_settings` shows those to its operators)."""
    modes = room.modes
    return {
        "owner": room.owner,
        "modes": {
            "moderated": modes.moderated,
            "invite_only": modes.invite_only,
            "keyed": bool(modes.key),
            "unlisted": modes.unlisted,
            "topic_locked": modes.topic_locked,
        },
    }
