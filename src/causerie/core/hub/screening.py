"""What every message passes before delivery, in a room or in private: its text, the sender's
trust, automatic moderation, and the flood buckets.

`Screening` holds the text reviewer (automatic moderation, `policy/review.py`) and the trust
rule, and turns a reviewer's verdict into the part of an `Outcome` it asks for. The rules it
keeps: a text is cleaned and bounded (a picture may come without one); an identity not yet
trusted sends no links; a `block` refuses, a `hold` keeps the message from everyone but the
moderators (`held_for_review`), a `warn` tells the sender, a `notice` shows both sides of a
private message (the sender alone in a room) a safety notice (DESIGN.md rule 5). Pure: callers
pass `now_ms`.
"""

from __future__ import annotations

from causerie.core.events import Flag, Noticed, NoticeKind, Outcome, ToSession
from causerie.core.hub.config import HubConfig
from causerie.core.hub.sessions import Session
from causerie.core.messages import DirectMessage, MediaRef, Message
from causerie.core.policy.ratelimits import TokenBucket
from causerie.core.policy.review import Review, ReviewAction, TextReviewer
from causerie.core.policy.text import clean_text
from causerie.errors import CauserieError, ErrorCode


def take_token(bucket: TokenBucket | None, now_ms: int) -> None:
    """Take a token from a flood bucket (None: no limit).

    Raises:
        CauserieError: `rate_limited`, with the wait until a token is back.
    """
    if bucket is None:
        return
    wait_s = bucket.take(now_ms / 1000)
    if wait_s > 0:
        raise CauserieError(ErrorCode.RATE_LIMITED, "rate_limited", retry_after_s=wait_s)


class Screening:
    """The checks a room message and a private message share."""

    def __init__(self, reviewer: TextReviewer, config: HubConfig) -> None:
        self._reviewer = reviewer
        self._trust = config.trust
        self._max_text_chars = config.max_text_chars

    @property
    def reviewer(self) -> TextReviewer:
        return self._reviewer

    def text_of(self, raw: str, media: MediaRef | None) -> str:
        """The text to deliver; a picture may come without one.

        Raises:
            CauserieError: `invalid` for an empty text, `too_large` past the limit.
        """
        if media is not None and not raw.strip():
            return ""
        return clean_text(raw, self._max_text_chars)

    def check_trust(self, session: Session, text: str, now_ms: int) -> None:
        """Raises `forbidden` (`trust_links`) for a link from an identity not yet trusted."""
        rule = self._trust
        if (
            rule is not None
            and not session.trust.is_trusted(rule, now_ms)
            and self._reviewer.has_link(text)
        ):
            raise CauserieError(ErrorCode.FORBIDDEN, "trust_links", field="text")

    def outcome_of(
        self, session: Session, message: Message | DirectMessage, review: Review
    ) -> Outcome:
        """What automatic moderation makes of a message (before it is delivered): the caller
        delivers it only if the outcome's `error` is None.

        Raises:
            CauserieError: `forbidden` for a blocked text.
        """
        outcome = Outcome()
        if review.action is ReviewAction.BLOCK:
            raise CauserieError(
                ErrorCode.FORBIDDEN, review.message_key or "automod_blocked", field="text"
            )
        is_held = review.action is ReviewAction.HOLD
        if is_held or review.action is ReviewAction.FLAG or review.also_flag:
            outcome.flags.append(
                Flag(review.rule or "automod", review.category, review.severity, message, is_held)
            )
        if is_held:
            outcome.error = CauserieError(ErrorCode.HELD_FOR_REVIEW, "held_for_review")
        elif review.action is ReviewAction.WARN:
            outcome.replies.append(
                Noticed(NoticeKind.MODERATION, review.message_key or "automod_warning")
            )
        if not is_held and (review.action is ReviewAction.NOTICE or review.also_notice):
            key = review.message_key if review.action is ReviewAction.NOTICE else None
            notice = Noticed(NoticeKind.SAFETY, key or "meeting_safety")
            outcome.deliveries.append((ToSession(session.id), notice))
            if isinstance(message, DirectMessage):
                outcome.deliveries.append((ToSession(message.recipient_session), notice))
        return outcome
