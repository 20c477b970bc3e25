"""How the hub acts on the grooming detector (docs/moderation.md, "Grooming seen as a
conversation"). Pure.

Every message one person addresses to a minor passes `watch_message`: a private message to a
minor, and in a teen room a message that names members (each one named is a conversation of
its own) or names nobody (then the room as a whole is the other side). The detector's answer
becomes part of the hub's `Outcome`:

- a message of a held stage (secrecy, deleting messages, gifts and money, another app,
  pictures of themselves or their room) is held like contact details: not delivered, the
  sender told `held_for_review`, the moderators flagged in the child-safety lane;
- a conversation that crosses the line becomes a `GroomingAlert` (the node sends it to the
  moderators at top severity with its context and pauses the sender's new conversations with
  minors), and the minor sees a safety notice in their own words naming who wrote, so that
  reporting is one click away.

A message automatic moderation already held is still weighed: the attempt is part of the
conversation, delivered or not.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from causerie.core.events import Flag, GroomingAlert, Noticed, NoticeKind, Outcome, ToSession
from causerie.core.messages import DirectMessage, Message
from causerie.core.policy.watch import ConversationWatch
from causerie.core.users import PublicUser
from causerie.errors import CauserieError, ErrorCode

HELD_RULE_PREFIX = "grooming:"  # + the stage, for a held message
ALERT_RULE = "grooming_conversation"  # the queue item of a conversation that crossed the line
HELD_SEVERITY = 4
ALERT_SEVERITY = 5
NOTICE_KEY = "grooming_notice"
ROOM_KEY_PREFIX = "#"  # the other side of a teen-room message that names nobody
MAX_NAMED = 3  # members one message can address, as far as the detector is concerned
_WORD = re.compile(r"@?([^\s,;:!?.()\"']{2,20})")


def watch_message(
    watch: ConversationWatch,
    outcome: Outcome,
    *,
    sender_key: str,
    recipient_key: str,
    recipient: PublicUser | None,
    recipient_session: str | None,
    message: Message | DirectMessage,
    now_ms: int,
) -> bool:
    """Weigh one message to a minor and add what follows to `outcome`.

    Call before the message's delivery is added: a held message must not be delivered (the
    caller delivers only when `outcome.error` is None). Returns whether the conversation just
    crossed the line (the caller pauses the sender's new conversations with minors).
    """
    verdict = watch.observe(sender_key, recipient_key, message.text, now_ms)
    if not verdict.stages:
        return False
    if verdict.held_stage is not None and outcome.error is None:
        outcome.error = CauserieError(ErrorCode.HELD_FOR_REVIEW, "held_for_review")
        outcome.flags.append(
            Flag(
                HELD_RULE_PREFIX + verdict.held_stage,
                "child_safety",
                HELD_SEVERITY,
                message,
                True,
            )
        )
    if not verdict.has_crossed:
        return False
    outcome.alerts.append(
        GroomingAlert(
            message,
            recipient,
            recipient_session,
            verdict.stages,
            verdict.score,
            verdict.context,
        )
    )
    if recipient_session is not None:
        notice = Noticed(NoticeKind.SAFETY, NOTICE_KEY, about=message.sender.nick)
        outcome.deliveries.append((ToSession(recipient_session), notice))
    return True


def named_members(
    text: str, sender_session: str, member_of: Callable[[str], str | None]
) -> Iterator[str]:
    """The sessions a room message names, at most `MAX_NAMED` (`Léa tu…`, `@Léa`, `léa:`):
    `member_of(word)` answers the session of a member of the room by that nickname, or None."""
    seen: set[str] = set()
    for match in _WORD.finditer(text):
        session = member_of(match.group(1))
        if session is None or session in seen or session == sender_session:
            continue
        seen.add(session)
        yield session
        if len(seen) >= MAX_NAMED:
            return
