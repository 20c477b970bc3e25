"""Replies: which message a reply may quote. Pure.

A room message may answer a message of the same room that its sender can see (neither blocks
the other's author); a private message may answer a message of the same conversation. Anything
else is `not_found` on `reply_to`, as for an id nobody used: a reply never tells whether a
message exists elsewhere. The node looks the id up (its recent messages, then the store, never
a deleted message) and hands the hub what it found in `quoted`.
"""

from __future__ import annotations

from collections.abc import Callable

from causerie.core.messages import DirectMessage, Message, Quote, quote_of
from causerie.errors import CauserieError, ErrorCode


def _unseen() -> CauserieError:
    return CauserieError(ErrorCode.NOT_FOUND, "reply_not_found", field="reply_to")


def room_quote(
    reply_to: int | None,
    quoted: Message | DirectMessage | None,
    room: str,
    is_hidden: Callable[[str], bool],
) -> Quote | None:
    """The quote a room message in `room` carries; None when it answers nothing.

    Args:
        is_hidden: whether a block hides this author's messages from the sender (either way).

    Raises:
        CauserieError: `not_found` (`reply_not_found`, field `reply_to`).
    """
    if reply_to is None:
        return None
    if (
        not isinstance(quoted, Message)
        or quoted.id != reply_to
        or quoted.room != room
        or is_hidden(quoted.sender.nick)
    ):
        raise _unseen()
    return quote_of(quoted)


def dm_quote(
    reply_to: int | None,
    quoted: Message | DirectMessage | None,
    is_sender: Callable[[str], bool],
    is_peer: Callable[[str], bool],
) -> Quote | None:
    """The quote a private message carries; `is_sender` and `is_peer` say whether a session is
    the sender's or the recipient's (theirs now, or one they resumed).

    Raises:
        CauserieError: `not_found` (`reply_not_found`, field `reply_to`): not a private
            message of these two.
    """
    if reply_to is None:
        return None
    if not isinstance(quoted, DirectMessage) or quoted.id != reply_to:
        raise _unseen()
    ends = (quoted.sender_session, quoted.recipient_session)
    if not (is_sender(ends[0]) and is_peer(ends[1])) and not (
        is_sender(ends[1]) and is_peer(ends[0])
    ):
        raise _unseen()
    return quote_of(quoted)
