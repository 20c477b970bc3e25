"""What the hub asks of automatic moderation, as a small interface the safety package fills.

The hub does not know rules or detectors: it asks a `TextReviewer` for a `Review` of each text
with the facts that matter (private or room, who is a minor) and acts on its `action`. Tests and
a server without rules use `NoReview`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Protocol


class ReviewAction(IntEnum):
    """Ordered: a stronger action wins when several rules match."""

    DELIVER = 0
    NOTICE = 1  # deliver, and show both sides a safety notice
    WARN = 2  # deliver, and warn the sender
    FLAG = 3  # deliver, and flag for the moderators
    HOLD = 4  # do not deliver; a moderator decides
    BLOCK = 5  # refuse outright


@dataclass(frozen=True, slots=True)
class Review:
    action: ReviewAction = ReviewAction.DELIVER
    rule: str | None = None
    category: str = "other"
    severity: int = 1
    message_key: str | None = None  # i18n key of the text shown to the sender
    also_flag: bool = False  # a NOTICE or WARN whose rules also asked for a flag
    also_notice: bool = False  # a WARN or FLAG whose rules also asked for a safety notice


PASS = Review()


class TextReviewer(Protocol):
    def review(
        self, text: str, *, is_private: bool, sender_is_minor: bool, recipient_is_minor: bool
    ) -> Review:
        """`recipient_is_minor` for a room is whether it is a teen room."""

    def mask(self, text: str) -> str:
        """The text with links, phone numbers, e-mails, handles and addresses replaced."""

    def has_link(self, text: str) -> bool: ...


class NoReview:
    def review(
        self, text: str, *, is_private: bool, sender_is_minor: bool, recipient_is_minor: bool
    ) -> Review:
        return PASS

    def mask(self, text: str) -> str:
        return text

    def has_link(self, text: str) -> bool:
        return False
