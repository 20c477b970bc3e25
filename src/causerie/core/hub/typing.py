"""The typing indicator: "Alice écrit…" in a room or a private conversation. Pure.

Rules (each silently drops the signal, never an error: a typing signal must not tell anyone
whether a person exists, or is a minor, or blocks them):

- at most one signal every `TYPING_INTERVAL_MS` per sender and target (room or person);
  those in between are dropped, not queued;
- in a room: only a room the sender is in, to its members (the node leaves out, as for
  messages, whoever blocks the sender or is blocked by them);
- to a person: only someone connected to this node, of the sender's age band, with no block
  either way, and who knows the sender (accepted them or wrote to them): a stranger's
  request is not a conversation yet, and a typing signal is no way to knock.
"""

from __future__ import annotations

from causerie.core.commands import Typing
from causerie.core.events import Outcome, ToRoom, ToSession, TypingShown
from causerie.core.hub.sessions import Session, Sessions
from causerie.core.policy.nicknames import nick_key
from causerie.core.users import age_band
from causerie.errors import CauserieError, ErrorCode

TYPING_INTERVAL_MS = 3000
_MAX_TARGETS = 16  # a session's remembered targets before the old ones are forgotten


class TypingSignals:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions.by_id
        self._nicks = sessions.by_nick_key

    def typing(self, session: Session, command: Typing, now_ms: int) -> Outcome:
        """Raises `invalid` (field `room`) unless exactly one of `room` and `to` is given."""
        if (command.room is None) == (command.to is None):
            raise CauserieError(ErrorCode.INVALID, "typing_target", field="room")
        if command.room is not None:
            room = command.room
            if room not in session.rooms or not _is_due(session, "#" + room, now_ms):
                return Outcome()
            return Outcome(deliveries=[(ToRoom(room), TypingShown(session.user, room))])
        assert command.to is not None
        peer = self._peer(session, nick_key(command.to.strip()))
        if peer is None or not _is_due(session, "@" + nick_key(peer.profile.nick), now_ms):
            return Outcome()
        return Outcome(deliveries=[(ToSession(peer.id), TypingShown(session.user))])

    def _peer(self, session: Session, key: str) -> Session | None:
        """The person a private typing signal may reach, or None."""
        peer_id = self._nicks.get(key)
        peer = self._sessions.get(peer_id) if peer_id is not None else None
        if peer is None or peer.id == session.id:
            return None
        sender_key = nick_key(session.profile.nick)
        if age_band(peer.profile.age) is not age_band(session.profile.age):
            return None
        if key in session.blocked or sender_key in peer.blocked:
            return None
        if sender_key in peer.contacts.declined or not peer.contacts.knows(sender_key):
            return None
        return peer


def _is_due(session: Session, target: str, now_ms: int) -> bool:
    """Whether a signal to `target` may go now; if so, it counts from now."""
    last = session.typing_at
    if last is None:
        last = session.typing_at = {}
    at = last.get(target)
    if at is not None and now_ms - at < TYPING_INTERVAL_MS:
        return False
    if len(last) >= _MAX_TARGETS:
        for old in [t for t, seen in last.items() if now_ms - seen >= TYPING_INTERVAL_MS]:
            del last[old]
    last[target] = now_ms
    return True
