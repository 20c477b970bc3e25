"""Graduated trust (issue: private-message safety): a new identity stays at the lowest level
until it has sent enough delivered messages over enough time — not merely until a timer runs out.
At the lowest level it sends no links and no pictures, and has tighter flood limits. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TrustRule:
    messages: int = 5  # delivered messages needed
    span_s: float = 120.0  # between the first of them and now


@dataclass(slots=True)
class Trust:
    delivered: int = 0
    first_ms: int | None = None

    def record_delivered(self, now_ms: int) -> None:
        self.delivered += 1
        if self.first_ms is None:
            self.first_ms = now_ms

    def is_trusted(self, rule: TrustRule, now_ms: int) -> bool:
        if self.delivered < rule.messages:
            return False
        if rule.span_s <= 0:
            return True
        return self.first_ms is not None and now_ms - self.first_ms >= rule.span_s * 1000
