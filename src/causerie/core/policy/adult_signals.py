"""Signals that a "teen" may be an adult (docs/moderation.md §4, "Person flags"). Pure: callers
pass `now_ms` and what the store found.

Each signal raises a flag for the moderators, never a verdict: nobody is refused or moved for
it. A moderator reads the flags about a person together (the queue item's `signals`) and decides.

- **An address recently seen with an adult profile** (`weigh_address`). A minor says hello from
  an address where someone declared an adult age shortly before, from another device. Families,
  schools and mobile carriers share addresses, so the address alone proves nothing: the sighting
  is weighed, and only a weight of `AddressRule.min_weight` or more is flagged, at a modest
  severity. What adds weight is what a person switching profiles leaves behind (the adult
  profile minutes ago, the same browser with another cookie, no cookie at all); what takes it
  away is what a household or a shared network looks like (other minors there, many devices).
  The same device is never weighed here: declaring the other band from one device is refused
  outright (`band_changed`).
- **A person reaching many minors they share no room with** (`ReachWatch`): first private
  messages to `ReachRule.minors` distinct minors, none sharing a room with the sender, within
  `ReachRule.window_s`.

Both are limited to one flag per person per window (`FlagGate`, and `ReachWatch` itself), so a
moderator gets one ticket, not a stream.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from causerie.core.users import AgeBand, age_band

MAX_TRACKED_KEYS = 100_000
MAX_MINORS_KEPT = 20
NO_COOKIE_PREFIX = "new-"  # a device id the server made up for a visitor without a cookie

# -- an address recently seen with an adult profile ------------------------------------------

# The weights (docs/moderation.md §4 explains them to moderators). Positive: what a person
# switching from an adult profile to a teen one leaves behind. Negative: what a household, a
# school or a carrier's shared address looks like.
WEIGHT_ADULT_WITHIN_15_MIN = 2
WEIGHT_ADULT_WITHIN_2_H = 1
WEIGHT_SAME_BROWSER = 2  # the adult profile's user agent, under another cookie
WEIGHT_NO_COOKIE = 1  # a private window, or cookies just cleared
WEIGHT_OTHER_MINORS = -1  # other teens' devices here too: a family, a school
WEIGHT_CROWDED = -3  # many devices: a school, a workplace, a carrier's NAT
CROWDED_DEVICES = 10  # distinct other devices on the address within the window
STRONG_WEIGHT = 5  # from this weight on, severity 3 rather than 2
SEVERITY_WEAK = 2
SEVERITY_STRONG = 3


@dataclass(frozen=True, slots=True)
class AddressRule:
    window_s: float = 86400.0  # how far back the address is looked at
    min_weight: int = 3  # the weight that raises a flag

    @property
    def window_ms(self) -> int:
        return int(self.window_s * 1000)


@dataclass(frozen=True, slots=True)
class Sighting:
    """One profile declared from the address: a connection record's device, age, browser."""

    device: str
    age: int
    user_agent: str
    at_ms: int


@dataclass(frozen=True, slots=True)
class AddressWeight:
    """What the address says about a minor's hello, and why (the flag's evidence)."""

    weight: int
    factors: tuple[str, ...]  # the names of the weights that applied, in the order above
    adult_devices: int  # distinct other devices with an adult profile in the window
    minor_devices: int  # distinct other devices with a minor profile in the window
    minutes_since_adult: int  # since the most recent adult profile

    @property
    def severity(self) -> int:
        return SEVERITY_STRONG if self.weight >= STRONG_WEIGHT else SEVERITY_WEAK


def weigh_address(
    sightings: Iterable[Sighting],
    *,
    device: str,
    user_agent: str,
    now_ms: int,
    rule: AddressRule,
) -> AddressWeight | None:
    """The weight of a minor's hello from `device` given the profiles seen from its address.

    Returns None when no other device declared an adult age there within the window: there is
    nothing to weigh. The caller flags when `weight >= rule.min_weight`.
    """
    since_ms = now_ms - rule.window_ms
    others = [s for s in sightings if s.device != device and since_ms <= s.at_ms <= now_ms]
    adults = [s for s in others if age_band(s.age) is AgeBand.ADULT]
    if not adults:
        return None
    latest_ms = max(s.at_ms for s in adults)
    adult_devices = {s.device for s in adults}
    minor_devices = {s.device for s in others if age_band(s.age) is AgeBand.TEEN}
    factors: list[tuple[str, int]] = []
    if now_ms - latest_ms <= 15 * 60_000:
        factors.append(("adult_within_15_min", WEIGHT_ADULT_WITHIN_15_MIN))
    elif now_ms - latest_ms <= 2 * 3_600_000:
        factors.append(("adult_within_2_h", WEIGHT_ADULT_WITHIN_2_H))
    if user_agent and any(s.user_agent == user_agent for s in adults):
        factors.append(("same_browser", WEIGHT_SAME_BROWSER))
    if device.startswith(NO_COOKIE_PREFIX):
        factors.append(("no_device_cookie", WEIGHT_NO_COOKIE))
    if minor_devices:
        factors.append(("other_minors_here", WEIGHT_OTHER_MINORS))
    if len({s.device for s in others}) >= CROWDED_DEVICES:
        factors.append(("crowded_address", WEIGHT_CROWDED))
    return AddressWeight(
        weight=sum(points for _name, points in factors),
        factors=tuple(name for name, _points in factors),
        adult_devices=len(adult_devices),
        minor_devices=len(minor_devices),
        minutes_since_adult=max(0, (now_ms - latest_ms) // 60_000),
    )


# -- at most one flag per person per window --------------------------------------------------


class FlagGate:
    """Remembers when each key (a device, a nickname…) was last flagged: `allow` says yes at
    most once per `window_ms` for any of a person's keys. The least recently seen keys are
    forgotten past `max_keys`."""

    def __init__(self, window_ms: int, max_keys: int = MAX_TRACKED_KEYS) -> None:
        self.window_ms = window_ms
        self._max_keys = max_keys
        self._flagged: OrderedDict[str, int] = OrderedDict()

    def allow(self, keys: Iterable[str], now_ms: int) -> bool:
        """Whether a flag about the person these keys name may go out now; if so, it counts."""
        unique = [key for key in dict.fromkeys(keys) if key]
        if not unique:
            return False
        for key in unique:
            at_ms = self._flagged.get(key)
            if at_ms is not None and now_ms - at_ms < self.window_ms:
                return False
        for key in unique:
            self._flagged[key] = now_ms
            self._flagged.move_to_end(key)
        while len(self._flagged) > self._max_keys:
            self._flagged.popitem(last=False)
        return True


# -- a person reaching many minors they share no room with -----------------------------------


@dataclass(frozen=True, slots=True)
class ReachRule:
    minors: int = 4  # distinct minors reached within the window that raise a flag
    window_s: float = 3600.0

    @property
    def window_ms(self) -> int:
        return int(self.window_s * 1000)


@dataclass(frozen=True, slots=True)
class ReachFlag:
    """A flag due: the minors reached within the window (their nicknames, oldest first)."""

    minors: tuple[str, ...]


@dataclass(slots=True)
class _Reach:
    reached: OrderedDict[str, tuple[int, str]] = field(default_factory=OrderedDict)
    flagged_ms: int | None = None


class ReachWatch:
    """First private messages to minors with no room in common, per key of the sender."""

    def __init__(self, rule: ReachRule, max_keys: int = MAX_TRACKED_KEYS) -> None:
        self.rule = rule
        self._max_keys = max_keys
        self._trails: OrderedDict[str, _Reach] = OrderedDict()

    def note(
        self, keys: Sequence[str], minor_key: str, minor_nick: str, now_ms: int
    ) -> ReachFlag | None:
        """The sender (named by `keys`) opened a conversation with the minor `minor_key` (their
        nickname's key), sharing no room with them; the flag when one is due now."""
        trails = [self._trail(key) for key in dict.fromkeys(keys) if key]
        if not trails:
            return None
        since_ms = now_ms - self.rule.window_ms
        for trail in trails:
            for key in [k for k, (at_ms, _nick) in trail.reached.items() if at_ms <= since_ms]:
                del trail.reached[key]
            trail.reached.pop(minor_key, None)
            trail.reached[minor_key] = (now_ms, minor_nick)
            while len(trail.reached) > max(self.rule.minors, MAX_MINORS_KEPT):
                trail.reached.popitem(last=False)
        if any(t.flagged_ms is not None and t.flagged_ms > since_ms for t in trails):
            return None
        widest = max(trails, key=lambda t: len(t.reached))
        if len(widest.reached) < self.rule.minors:
            return None
        for trail in trails:
            trail.flagged_ms = now_ms
        return ReachFlag(tuple(nick for _at_ms, nick in widest.reached.values()))

    def _trail(self, key: str) -> _Reach:
        trail = self._trails.get(key)
        if trail is None:
            trail = self._trails[key] = _Reach()
            if len(self._trails) > self._max_keys:
                self._trails.popitem(last=False)
        else:
            self._trails.move_to_end(key)
        return trail
