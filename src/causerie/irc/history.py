"""CHATHISTORY (https://ircv3.net/specs/extensions/chathistory) as the core's `FetchHistory`.

LATEST and BEFORE map directly (`before` is a message id: `msgid=` references, as MSGREFTYPES
says). AFTER and AROUND read the newest 100 and keep the messages after (or around) the
reference: exact while the reference is among them. TARGETS and timestamp references are not
supported and answer FAIL, as the specification allows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from causerie.core.commands import FetchHistory
from causerie.core.messages import Message
from causerie.core.numerals import ascii_int
from causerie.errors import CauserieError, ErrorCode
from causerie.irc.parser import Line, format_line
from causerie.irc.render import channel_of, message_lines, room_of
from causerie.irc.state import Pending, SessionState
from causerie.wording import error_message

MAX_LIMIT = 100
MAX_MESSAGE_ID = 2**53 - 1  # message ids stay below 2**53 (core/messages.py), as on the web


def bad_field(session: SessionState, field: str) -> str:
    """What the node says of a field out of its range, in the session's language."""
    return error_message(CauserieError(ErrorCode.INVALID, "bad_field", field=field), session.lang)


def _fail(session: SessionState, code: str, *context: str) -> None:
    session.send(
        format_line(
            "FAIL", "CHATHISTORY", code, *context, "Cannot fetch history", source=session.source
        )
    )


def _msgid(reference: str) -> int | str | None:
    """The message id of a reference; None for `*`; "" when it cannot be used."""
    if reference == "*":
        return None
    key, _, value = reference.partition("=")
    message_id = ascii_int(value) if key == "msgid" else None
    return "" if message_id is None else message_id


def chathistory(session: SessionState, line: Line) -> None:
    sub = line.params[0].upper()
    if sub not in ("LATEST", "BEFORE", "AFTER", "AROUND"):
        _fail(session, "INVALID_PARAMS", sub)
        return
    target = line.params[1]
    room = room_of(target)
    if room is None or room not in session.channels:
        _fail(session, "INVALID_TARGET", sub, target)
        return
    reference = _msgid(line.params[2])
    limit = (ascii_int(line.params[3], max_digits=3) or 0) if len(line.params) > 3 else 50
    if reference == "" or not 1 <= limit <= MAX_LIMIT or (sub != "LATEST" and reference is None):
        _fail(session, "INVALID_PARAMS", sub, target)
        return
    before = reference if sub == "BEFORE" and isinstance(reference, int) else None
    if before is not None and before > MAX_MESSAGE_ID:
        message = bad_field(session, "before")
        session.send(
            format_line(
                "FAIL",
                "CHATHISTORY",
                "MESSAGE_ERROR",
                channel_of(room),
                message,
                source=session.source,
            )
        )
        return
    command = FetchHistory(room, before, MAX_LIMIT if sub in ("AFTER", "AROUND") else limit)
    session.request(
        Pending("CHATHISTORY", channel_of(room), {"sub": sub, "ref": reference, "limit": limit}),
        command,
    )


def history_lines(session: SessionState, pending: Pending, messages: Sequence[Message]) -> None:
    sub, ref, limit = pending.extra["sub"], pending.extra["ref"], pending.extra["limit"]
    if sub == "AFTER":
        messages = [m for m in messages if m.id > ref][:limit]
    elif sub == "AROUND":
        older = [m for m in messages if m.id < ref]
        newer = [m for m in messages if m.id >= ref]
        half = limit // 2
        messages = older[-half:] + newer[: limit - min(half, len(older))]
    replay(session, pending.target, messages, "chathistory")


def replay(session: SessionState, channel: str, messages: Iterable[Message], kind: str) -> None:
    """Messages of a room, in a batch when the client understands batches."""
    caps = session.caps
    batch = session.new_batch() if "batch" in session.caps else None
    if batch is not None:
        session.send(format_line("BATCH", "+" + batch, kind, channel, source=session.source))
    for message in messages:
        for text in message_lines(message, caps, batch):
            session.send(text)
    if batch is not None:
        session.send(format_line("BATCH", "-" + batch, source=session.source))
