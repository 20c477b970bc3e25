"""The hub: connected people, rooms, membership and messages on one node (pure).

`Hub` (in `facade.py`) is what adapters and the node call; the names below are the package's
public surface, so `from causerie.core.hub import Hub` keeps working whatever file holds it.
"""

from causerie.core.hub.facade import (
    DEFAULT_JOIN_PART_LIMIT,
    DEFAULT_ROOM_LIMIT,
    DEFAULT_SAY_LIMIT,
    DEFAULT_TRUST,
    DEFAULT_UNTRUSTED_LIMIT,
    LANGS,
    MAX_HISTORY_LIMIT,
    Hub,
    HubConfig,
    Locator,
    Peer,
    Place,
    RoomState,
    Session,
)

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
