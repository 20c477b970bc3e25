"""Taking back one's own message: a room message or a private message, by its id. Pure.

The rule: only its sender (that session, or a later one of the same person: `is_own`) may
delete a message, and only one it can see — a room
message of a room it is in, or a private message of its own conversation. Another person's
message it can see is `forbidden` (`delete_not_yours`); anything else is `not_found`, as for
an id nobody used. A deleted room message leaves the room's recent history (and the quotes of
replies to it) and its members are told (`deleted`, `by: "author"`); a deleted private
message is told to both sides. The store keeps the message for the moderators (reports,
evidence) and the node audits the deletion; the node also looks the id up and hands the hub
what it found (`DeleteMessage.found`).
"""

from __future__ import annotations

from causerie.core.commands import DeleteMessage
from causerie.core.events import DmDeleted, MessageDeleted, Outcome, ToRoom, ToSession
from causerie.core.hub.history import RecentHistory
from causerie.core.hub.sessions import Session
from causerie.core.messages import DirectMessage, Message
from causerie.errors import CauserieError, ErrorCode


class Deletions:
    def __init__(self, history: RecentHistory) -> None:
        self._history = history

    def delete(self, session: Session, command: DeleteMessage, _now_ms: int) -> Outcome:
        found = command.found
        if found is None or found.id != command.message_id:
            raise _unknown()
        if isinstance(found, Message):
            return self._delete_in_room(session, found)
        return _delete_private(session, found)

    def _delete_in_room(self, session: Session, message: Message) -> Outcome:
        if message.room not in session.rooms:
            raise _unknown()
        if not session.is_own(message.sender_session):
            raise _not_yours()
        self._history.delete(message.id)
        event = MessageDeleted(message.room, message.id, by_author=True)
        return Outcome(deliveries=[(ToRoom(message.room), event)])


def _delete_private(session: Session, dm: DirectMessage) -> Outcome:
    if not (session.is_own(dm.sender_session) or session.is_own(dm.recipient_session)):
        raise _unknown()
    if not session.is_own(dm.sender_session):
        raise _not_yours()
    event = DmDeleted(dm.id)
    return Outcome(
        deliveries=[(ToSession(dm.recipient_session), event), (ToSession(session.id), event)]
    )


def _unknown() -> CauserieError:
    return CauserieError(ErrorCode.NOT_FOUND, "not_found", field="message_id")


def _not_yours() -> CauserieError:
    return CauserieError(ErrorCode.FORBIDDEN, "delete_not_yours", field="message_id")
