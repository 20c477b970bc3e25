"""Message text rules: trimmed, no control characters but newline and tab, bounded length."""

from __future__ import annotations

import unicodedata

from causerie.errors import CauserieError, ErrorCode

MAX_TEXT_CHARS = 2000
_KEPT_CONTROLS = frozenset("\n\t")


def clean_text(raw: str, max_chars: int = MAX_TEXT_CHARS) -> str:
    """Return the text to deliver.

    Raises:
        CauserieError: `invalid` when nothing is left, `too_large` over `max_chars`.
    """
    text = "".join(
        ch
        for ch in raw
        if ch in _KEPT_CONTROLS or unicodedata.category(ch) not in ("Cc", "Cs", "Co")
    ).strip()
    if not text:
        raise CauserieError(ErrorCode.INVALID, "text_empty", field="text")
    if len(text) > max_chars:
        raise CauserieError(ErrorCode.TOO_LARGE, "text_too_long", field="text", max=max_chars)
    return text
