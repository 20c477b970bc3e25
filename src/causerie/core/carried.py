"""What a session carries over a lost connection to the session that resumes it.

A person whose connection dropped comes back as a new session (a new connection record) that
takes the old one's place: its rooms, its private conversations (whom it accepted, declined,
who waits in its requests, its setting), its blocks, when it started (the wait before new
conversations is not served twice) and a grooming pause. Within a node the hub session itself
is handed over (`Hub.rekey`); to another node, or across a restart, this snapshot travels
through the connection record as JSON. Pure.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from causerie.core.conversations import Contacts, DmPolicy


@dataclass(frozen=True, slots=True)
class Carried:
    rooms: tuple[str, ...] = ()
    policy: str = DmPolicy.EVERYONE.value
    accepted: tuple[str, ...] = ()  # nickname keys
    declined: tuple[str, ...] = ()
    pending: tuple[str, ...] = ()
    blocked: dict[str, str] = field(default_factory=dict)  # nickname key -> nickname
    started_ms: int = 0
    is_paused_with_minors: bool = False

    def contacts(self) -> Contacts:
        try:
            policy = DmPolicy(self.policy)
        except ValueError:
            policy = DmPolicy.EVERYONE
        return Contacts(
            policy, frozenset(self.accepted), frozenset(self.declined), frozenset(self.pending)
        )

    def to_json(self) -> str:
        return json.dumps(
            {
                "rooms": list(self.rooms),
                "policy": self.policy,
                "accepted": sorted(self.accepted),
                "declined": sorted(self.declined),
                "pending": sorted(self.pending),
                "blocked": self.blocked,
                "started_ms": self.started_ms,
                "paused": self.is_paused_with_minors,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str | None) -> Carried:
        """The snapshot a record holds; an empty one for none or for text it cannot read."""
        if not text:
            return cls()
        try:
            raw: Any = json.loads(text)
            return cls(
                tuple(str(r) for r in raw.get("rooms", ())),
                str(raw.get("policy", DmPolicy.EVERYONE.value)),
                tuple(str(k) for k in raw.get("accepted", ())),
                tuple(str(k) for k in raw.get("declined", ())),
                tuple(str(k) for k in raw.get("pending", ())),
                {str(k): str(v) for k, v in dict(raw.get("blocked", {})).items()},
                int(raw.get("started_ms", 0)),
                bool(raw.get("paused", False)),
            )
        except (ValueError, TypeError, AttributeError):
            return cls()
