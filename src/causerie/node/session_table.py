"""`SessionTable`: the connections live on this node — every one attached (whatever its state)
and, by session id, those whose `hello` was welcomed.

Fan-out reads it for every frame: `by_session` is a plain dict it looks recipients up in, and
`version` changes whenever a session comes or goes, so that a room's frames of one loop
iteration can go to an unchanged list of connections together (`connections.Run`).
"""

from __future__ import annotations

from causerie.node.connections import Connection


class SessionTable:
    __slots__ = ("attached", "away", "by_session", "version")

    def __init__(self) -> None:
        self.attached: set[Connection] = set()  # every open connection, staff's included
        self.by_session: dict[str, Connection] = {}  # people, once welcomed
        # People whose connection was lost without a quit, kept for a resume within the grace
        # (node/sessions.py): still in the hub and their rooms, with no connection.
        self.away: set[str] = set()
        self.version = 0  # changes of `by_session`

    def get(self, session: str) -> Connection | None:
        return self.by_session.get(session)

    def add(self, session: str, connection: Connection) -> None:
        self.by_session[session] = connection
        self.version += 1

    def remove(self, session: str, connection: Connection) -> bool:
        """Forget `session` if `connection` is still the one holding it (a resume may have
        replaced it); whether it was."""
        if self.by_session.get(session) is not connection:
            return False
        del self.by_session[session]
        self.version += 1
        return True

    def lang_of(self, session: str) -> str:
        """The language a session chose ("fr" for one not connected here)."""
        connection = self.by_session.get(session)
        return connection.lang if connection else "fr"

    def sessions(self) -> list[str]:
        return list(self.by_session)

    def people(self) -> list[str]:
        """The sessions this node holds a nickname for: connected, or away for the grace."""
        return [*self.by_session, *self.away]

    def connections(self) -> list[Connection]:
        """The connections of people (not staff) on this node."""
        return list(self.by_session.values())

    def pending_bytes(self) -> int:
        """Bytes waiting in every attached connection's outgoing buffer (a metric)."""
        return sum(connection.pending_bytes for connection in self.attached)
