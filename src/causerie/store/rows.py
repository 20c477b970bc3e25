"""Rows to domain objects: the one place that knows how a stored message reads back."""

from __future__ import annotations

from typing import Any

from causerie.core.messages import DirectMessage, MediaRef, Message
from causerie.core.users import Gender, PublicUser


def public_user(row: Any, prefix: str) -> PublicUser:
    return PublicUser(
        row[f"{prefix}_nick"],
        Gender(row[f"{prefix}_gender"]),
        row[f"{prefix}_age"],
        row[f"{prefix}_dept"],
        row[f"{prefix}_region"],
    )


def media_ref(row: Any) -> MediaRef | None:
    """The picture a message row carries, with its size when the query joined it."""
    media_id = row.get("media_id")
    if not media_id:
        return None
    return MediaRef(media_id, row.get("media_width") or 0, row.get("media_height") or 0)


def room_message(row: Any) -> Message:
    return Message(
        row["id"],
        row["room_id"],
        public_user(row, "sender"),
        row["text"],
        row["created_at_ms"],
        row["sender_session"],
        media_ref(row),
    )


def direct_message(row: Any) -> DirectMessage:
    return DirectMessage(
        row["id"],
        public_user(row, "sender"),
        public_user(row, "recipient"),
        row["text"],
        row["created_at_ms"],
        row["sender_session"],
        row["recipient_session"],
        media_ref(row),
    )
