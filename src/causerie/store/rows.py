"""Rows to domain objects: the one place that knows how a stored message reads back."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from causerie.core.messages import DirectMessage, MediaRef, Message, Quote, quote_of
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


def quote_ref(row: Any, quotes: Mapping[int, Quote] | None = None) -> Quote | None:
    """The message a row answers: as `quotes` found it, or by its id alone (deleted, or not
    looked up by this query)."""
    reply_to = row.get("reply_to")
    if reply_to is None:
        return None
    found = quotes.get(reply_to) if quotes else None
    return found if found is not None else Quote(reply_to)


def room_message(row: Any, quotes: Mapping[int, Quote] | None = None) -> Message:
    return Message(
        row["id"],
        row["room_id"],
        public_user(row, "sender"),
        row["text"],
        row["created_at_ms"],
        row["sender_session"],
        media_ref(row),
        quote_ref(row, quotes),
    )


def direct_message(row: Any, quotes: Mapping[int, Quote] | None = None) -> DirectMessage:
    return DirectMessage(
        row["id"],
        public_user(row, "sender"),
        public_user(row, "recipient"),
        row["text"],
        row["created_at_ms"],
        row["sender_session"],
        row["recipient_session"],
        media_ref(row),
        quote_ref(row, quotes),
    )


def quotes_of(rows: Any) -> dict[int, Quote]:
    """What replies show of the messages `rows` hold (deleted ones show nothing)."""
    found: dict[int, Quote] = {}
    for row in rows:
        if row["deleted_at_ms"] is None:
            found[row["id"]] = quote_of(room_message(row))
    return found
