"""Adults who keep naming minors: a grooming signal for the moderators. Pure: the caller passes
`now_ms`.

An adult's private message to a minor is answered as if nobody had that nickname
(`visibility.Unreachable`), so the adult learns nothing. Trying again and again, by name, is
still worth a moderator's look: `SeekingWatch.note` counts each attempt under every key that
identifies the sender (their device cookie, their nickname), within a sliding window, and says
when a flag is due: at `attempts` attempts under one key within `window_s`, and then not again
for any of those keys until `window_s` has passed since that flag (at most one per person per
window). The minors named are kept, most recent last, as the flag's evidence.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field

MAX_TRACKED_KEYS = 100_000
MAX_TARGETS_KEPT = 20


@dataclass(frozen=True, slots=True)
class SeekingRule:
    attempts: int = 3  # attempts within the window that raise a flag
    window_s: float = 3600.0

    @property
    def window_ms(self) -> int:
        return int(self.window_s * 1000)


@dataclass(frozen=True, slots=True)
class SeekingFlag:
    """A flag due: how many attempts in the window, and whom they named."""

    attempts: int
    targets: tuple[str, ...]


@dataclass(slots=True)
class _Trail:
    attempts: deque[int]  # the last `rule.attempts` times (ms), oldest first
    targets: deque[str] = field(default_factory=lambda: deque(maxlen=MAX_TARGETS_KEPT))
    flagged_ms: int | None = None


class SeekingWatch:
    """Attempts per key, the least recently seen keys forgotten past `MAX_TRACKED_KEYS`."""

    def __init__(self, rule: SeekingRule, max_keys: int = MAX_TRACKED_KEYS) -> None:
        self.rule = rule
        self._max_keys = max_keys
        self._trails: OrderedDict[str, _Trail] = OrderedDict()

    def note(self, keys: Iterable[str], target: str, now_ms: int) -> SeekingFlag | None:
        """One attempt, under each of `keys`, to reach the minor `target`; the flag when one
        is due now."""
        trails = [self._trail(key) for key in dict.fromkeys(keys) if key]
        if not trails:
            return None
        since_ms = now_ms - self.rule.window_ms
        for trail in trails:
            while trail.attempts and trail.attempts[0] <= since_ms:
                trail.attempts.popleft()
            trail.attempts.append(now_ms)
            if target not in trail.targets:
                trail.targets.append(target)
        if any(t.flagged_ms is not None and t.flagged_ms > since_ms for t in trails):
            return None
        # A full trail holds `attempts` times, and its oldest is inside the window.
        worst = max(trails, key=lambda t: len(t.attempts))
        if len(worst.attempts) < self.rule.attempts:
            return None
        for trail in trails:
            trail.flagged_ms = now_ms
        return SeekingFlag(len(worst.attempts), tuple(worst.targets))

    def _trail(self, key: str) -> _Trail:
        trail = self._trails.get(key)
        if trail is None:
            trail = self._trails[key] = _Trail(deque(maxlen=self.rule.attempts))
            if len(self._trails) > self._max_keys:
                self._trails.popitem(last=False)
        else:
            self._trails.move_to_end(key)
        return trail
