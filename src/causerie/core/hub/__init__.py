"""The hub: connected people, rooms, membership and messages on one node (pure).

`Hub` (facade.py) is what the node calls; the parts behind it each hold one concern (see
facade.py's docstring). The names below are the package's public surface, so
`from causerie.core.hub import Hub` does not depend on which file holds what.
"""

from causerie.core.hub.config import (
    DEFAULT_JOIN_PART_LIMIT,
    DEFAULT_ROOM_LIMIT,
    DEFAULT_SAY_LIMIT,
    DEFAULT_TRUST,
    DEFAULT_UNTRUSTED_LIMIT,
    LANGS,
    MAX_HISTORY_LIMIT,
    HubConfig,
    Locator,
    Place,
)
from causerie.core.hub.facade import Hub
from causerie.core.hub.membership import RoomState
from causerie.core.hub.private import Peer
from causerie.core.hub.sessions import Session

__all__ = [
    "DEFAULT_JOIN_PART_LIMIT",
    "DEFAULT_ROOM_LIMIT",
    "DEFAULT_SAY_LIMIT",
    "DEFAULT_TRUST",
    "DEFAULT_UNTRUSTED_LIMIT",
    "LANGS",
    "MAX_HISTORY_LIMIT",
    "Hub",
    "HubConfig",
    "Locator",
    "Peer",
    "Place",
    "RoomState",
    "Session",
]
