"""Spans: where in a message a detector found something, and how a message is masked.

A span is a half-open range `[start, end)` of *original* text positions (Python string
indices), so a caller can cut, highlight or mask the exact characters the sender typed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

MASK = "•••"


class SpanKind(StrEnum):
    """What a span holds. The contact kinds are the ones a request inbox masks."""

    PHONE = "phone"
    EMAIL = "email"
    HANDLE = "handle"
    OFF_PLATFORM = "off_platform"  # an invitation to move to another app, no handle given
    LINK = "link"
    ADDRESS = "address"
    MEETING = "meeting"
    CAPS = "caps"
    REPEAT = "repeat"
    WORD = "word"
    PATTERN = "pattern"


MASKED_KINDS = frozenset(
    {SpanKind.PHONE, SpanKind.EMAIL, SpanKind.HANDLE, SpanKind.LINK, SpanKind.ADDRESS}
)


@dataclass(frozen=True, slots=True, order=True)
class Span:
    start: int
    end: int
    kind: SpanKind

    @property
    def is_masked(self) -> bool:
        return self.kind in MASKED_KINDS


def merge_ranges(spans: Iterable[Span]) -> list[tuple[int, int]]:
    """The union of the spans' ranges, sorted, overlapping or touching ranges joined."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted((span.start, span.end) for span in spans if span.end > span.start):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def mask_text(text: str, spans: Iterable[Span]) -> str:
    """`text` with every span of a masked kind replaced by `MASK` (joined spans mask once)."""
    pieces: list[str] = []
    position = 0
    for start, end in merge_ranges(span for span in spans if span.is_masked):
        start, end = max(start, position), min(end, len(text))
        if start >= end:
            continue
        pieces.append(text[position:start])
        pieces.append(MASK)
        position = end
    pieces.append(text[position:])
    return "".join(pieces)
