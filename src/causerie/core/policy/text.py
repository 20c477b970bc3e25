"""Message text rules: trimmed, no control characters but newline and tab, bounded length."""

from __future__ import annotations

import re

from causerie.errors import CauserieError, ErrorCode

MAX_TEXT_CHARS = 2000
# Unicode's control (Cc), surrogate (Cs) and private-use (Co) characters but newline and tab,
# as ranges: one regex pass instead of a category lookup per character of every message.
DROPPED = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff"
    "\U000f0000-\U000ffffd\U00100000-\U0010fffd]"
)


def clean_text(raw: str, max_chars: int = MAX_TEXT_CHARS) -> str:
    """Return the text to deliver.

    Raises:
        CauserieError: `invalid` when nothing is left, `too_large` over `max_chars`.
    """
    text = DROPPED.sub("", raw).strip()
    if not text:
        raise CauserieError(ErrorCode.INVALID, "text_empty", field="text")
    if len(text) > max_chars:
        raise CauserieError(ErrorCode.TOO_LARGE, "text_too_long", field="text", max=max_chars)
    return text
