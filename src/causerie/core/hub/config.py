"""The hub's settings and the one outside lookup it is given (where a postal code lies).

Each part of the hub reads the fields of `HubConfig` it needs and never changes them: the
settings are frozen, and the only one that changes while a node runs (the staff names nobody may
imitate) goes through `Hub.reserve`. The defaults are a laptop's; the node builds a `HubConfig`
from its `Settings` (node/lifecycle.py `hub_config`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from causerie.core.policy import assurance
from causerie.core.policy.ratelimits import RateLimit
from causerie.core.policy.text import MAX_TEXT_CHARS
from causerie.core.policy.trust import TrustRule

LANGS = frozenset({"fr", "en"})
MAX_HISTORY_LIMIT = 100
DEFAULT_SAY_LIMIT = RateLimit(capacity=8, refill_per_s=1.0)
DEFAULT_TRUST = TrustRule()
DEFAULT_ROOM_LIMIT = RateLimit(capacity=60, refill_per_s=20.0)
DEFAULT_UNTRUSTED_LIMIT = RateLimit(capacity=5, refill_per_s=0.5)
# Each join or part tells every member of the room: 30 at once (all 20 rooms of a client that
# comes back, and some), then one every 2 s.
DEFAULT_JOIN_PART_LIMIT = RateLimit(capacity=30, refill_per_s=0.5)
# Joins of member rooms per person: 10 at once, then 10 a minute (Settings
# `member_room_joins_per_minute`): hopping from one member room to the next is a scan.
DEFAULT_MEMBER_JOIN_LIMIT = RateLimit(capacity=10, refill_per_s=10 / 60)


class Place(Protocol):
    """Where a postal code lies, as the geo directory answers."""

    @property
    def department(self) -> str: ...

    @property
    def region(self) -> str: ...


Locator = Callable[[str], Place | None]


@dataclass(frozen=True, slots=True)
class HubConfig:
    min_age: int = 13
    history_on_join: int = 50
    max_rooms_per_session: int = 20
    max_text_chars: int = MAX_TEXT_CHARS
    say_limit: RateLimit | None = DEFAULT_SAY_LIMIT
    dm_limit: RateLimit | None = DEFAULT_SAY_LIMIT
    dm_wait_s: float = 60.0  # a new session waits this long before opening conversations
    trust: TrustRule | None = DEFAULT_TRUST
    room_limit: RateLimit | None = DEFAULT_ROOM_LIMIT  # messages per room, all senders
    untrusted_limit: RateLimit | None = None  # tighter, for new identities (the node sets it)
    join_part_limit: RateLimit | None = DEFAULT_JOIN_PART_LIMIT  # joins and parts per session
    member_join_limit: RateLimit | None = DEFAULT_MEMBER_JOIN_LIMIT  # member rooms joined
    repeat_window_s: float = 60.0  # the same text again within this is refused…
    repeat_max: int | None = 2  # …beyond this many times (None: no limit)
    reserved_skeletons: frozenset[str] = frozenset()  # staff names nobody may imitate
    minors_get_pictures_from_strangers: bool = False  # DESIGN.md rule 4: they do not
    teen_assurance: assurance.AssuranceGate = assurance.AssuranceGate.OFF  # what minors prove
