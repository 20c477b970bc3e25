"""Private-message safety (DESIGN.md rule 3): who may write to whom, and strangers' requests.

Each person chooses who may message them: everyone in their band, people who share a room with
them, or nobody. A private message from someone the recipient has not accepted (and never wrote
to) arrives as a request, masked, until the recipient accepts; declining refuses later ones.
Writing to someone counts as accepting their replies. Pure state, per session.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from causerie.errors import CauserieError, ErrorCode


class DmPolicy(StrEnum):
    EVERYONE = "everyone"
    SHARED_ROOM = "shared_room"
    NOBODY = "nobody"


class Arrival(StrEnum):
    DELIVER = "deliver"
    REQUEST = "request"
    DROP = "drop"


NOBODY_YET: frozenset[str] = frozenset()


@dataclass(slots=True)
class Contacts:
    """One session's view of its private conversations (keys are nickname keys)."""

    # Frozen and replaced on change: every session holds a Contacts, three empty sets were
    # 648 bytes of an idle one, and they change only when someone writes in private.
    policy: DmPolicy = DmPolicy.EVERYONE
    accepted: frozenset[str] = NOBODY_YET
    declined: frozenset[str] = NOBODY_YET
    pending: frozenset[str] = NOBODY_YET

    def knows(self, key: str) -> bool:
        return key in self.accepted

    def has_talked_with(self, key: str) -> bool:
        """Whether a private conversation links this session to `key`: one wrote to the other
        (accepted, a request waiting, or declined), as the web shows a conversation."""
        return key in self.accepted or key in self.pending or key in self.declined

    def arrival_from(self, sender_key: str) -> Arrival:
        if sender_key in self.declined:
            return Arrival.DROP
        if sender_key in self.accepted:
            return Arrival.DELIVER
        self.pending |= {sender_key}
        return Arrival.REQUEST

    def accept(self, key: str) -> None:
        self.pending -= {key}
        self.declined -= {key}
        self.accepted |= {key}

    def decline(self, key: str) -> None:
        self.pending -= {key}
        self.accepted -= {key}
        self.declined |= {key}

    def forget(self, key: str) -> None:
        """The person behind `key` is gone for good: a newcomer with that nickname is a
        stranger again."""
        self.pending -= {key}
        self.accepted -= {key}
        self.declined -= {key}


def check_policy(policy: DmPolicy, *, shares_room: bool, is_known: bool) -> None:
    """Whether the recipient's setting lets this sender write.

    Raises:
        CauserieError: `dm_blocked`.
    """
    if is_known:
        return
    if policy is DmPolicy.NOBODY or (policy is DmPolicy.SHARED_ROOM and not shares_room):
        raise CauserieError(ErrorCode.DM_BLOCKED, "dm_blocked", field="to")
