"""Where a message goes and who is on each side: what a rule's `applies_to` and `audience` test."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Channel(StrEnum):
    ROOM = "room"
    DM = "dm"


@dataclass(frozen=True, slots=True)
class Context:
    """The circumstances of one message.

    For a private message, `recipient_is_minor` is the recipient's age band. For a room, both
    flags say whether the room is a teen room: its readers are minors, and so is its writer
    (age bands never mix, DESIGN.md rule 2).
    """

    channel: Channel
    sender_is_minor: bool
    recipient_is_minor: bool

    @classmethod
    def room(cls, *, is_teen_room: bool) -> Context:
        return _ROOMS[is_teen_room]

    @classmethod
    def dm(cls, *, sender_is_minor: bool, recipient_is_minor: bool) -> Context:
        return _DMS[sender_is_minor, recipient_is_minor]

    @property
    def involves_minor(self) -> bool:
        return self.sender_is_minor or self.recipient_is_minor


# Every message is reviewed in one of these six: built once, not per message.
_ROOMS = {teen: Context(Channel.ROOM, teen, teen) for teen in (False, True)}
_DMS = {
    (sender, recipient): Context(Channel.DM, sender, recipient)
    for sender in (False, True)
    for recipient in (False, True)
}
