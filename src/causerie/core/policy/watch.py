"""What the hub asks of the grooming detector, as a small interface the safety package fills.

Grooming is a conversation, not a word: the hub tells a `ConversationWatch` each message one
person addresses to a minor (a private message, or a teen-room message that names them) and
acts on the answer: a message of a held stage is held like contact details; a conversation that
just crossed the line goes to the moderators with its context, the sender's new conversations
with minors pause, and the minor sees a safety notice. Tests and a server without the detector
use `NoWatch`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class WatchVerdict:
    stages: tuple[str, ...] = ()  # the grooming stages this message shows
    held_stage: str | None = None  # set when the message is held (a held stage, to a minor)
    score: float = 0.0  # the conversation's score after this message
    has_crossed: bool = False  # this message took the conversation over the line
    # When it crossed: the conversation's risky lines so far (time, text), held ones included,
    # for the moderators' context.
    context: tuple[tuple[int, str], ...] = ()


QUIET = WatchVerdict()


class ConversationWatch(Protocol):
    def observe(self, sender: str, recipient: str, text: str, now_ms: int) -> WatchVerdict:
        """Weigh one message from `sender` to the minor `recipient` (identity keys the caller
        chooses) and update their conversation."""

    def release(self, sender: str) -> None:
        """A moderator decided about `sender`: their conversations may cross again."""


class NoWatch:
    def observe(self, sender: str, recipient: str, text: str, now_ms: int) -> WatchVerdict:
        return QUIET

    def release(self, sender: str) -> None:
        return None
