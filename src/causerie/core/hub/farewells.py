"""What a room reads of someone's leaving words: an IRC `PART #room :text` or `QUIT :text`.

A farewell is free text shown to a room, so it passes what a room message passes before any
of it is shown: the poster's mutes, the room's lock and slow mode, a moderated room's rule of
who speaks, the trust rule on links, and automatic moderation (the rules a room message is
reviewed by, for this room's audience). Unlike a message it is never held, flagged or sent
with a notice: there is no message to attach those to, so any verdict but a plain `deliver`
drops the words and keeps the leaving. Nothing here refuses the leaving itself. Pure.
"""

from __future__ import annotations

from causerie.core.hub.screening import Screening
from causerie.core.hub.sessions import Session
from causerie.core.policy.member_rooms import refuse_unless_may_speak
from causerie.core.policy.review import ReviewAction
from causerie.core.restrictions import Restrictions
from causerie.core.rooms import Audience, Room
from causerie.errors import CauserieError

MAX_FAREWELL_CHARS = 300  # an IRC line holds about this much after its prefix


class Farewells:
    """Decides the leaving words a room may read (`shown`)."""

    def __init__(self, screening: Screening, restrictions: Restrictions) -> None:
        self._screening = screening
        self._restrictions = restrictions

    def shown(self, session: Session, room: Room, text: str, now_ms: int) -> str:
        """The words as the room reads them: `text` cleaned when a message of the same text
        would be delivered as it is, else "" (the leaving is told without them)."""
        words = " ".join(text.split())
        if not words or len(words) > MAX_FAREWELL_CHARS:
            return ""
        screening = self._screening
        try:
            words = screening.text_of(words, None)
            refuse_unless_may_speak(room, session.profile.nick)
            self._restrictions.check_post(session.id, room.id, now_ms)
            screening.check_trust(session, words, now_ms)
        except CauserieError:
            return ""
        review = screening.reviewer.review(
            words,
            is_private=False,
            sender_is_minor=session.profile.is_minor,
            recipient_is_minor=room.audience is Audience.TEEN,
        )
        if review.action is not ReviewAction.DELIVER or review.also_flag or review.also_notice:
            return ""
        return words
