"""What makes a room's settings acceptable: the operator's today, a member's room later. Pure.

`checked_room` turns a `RoomSpec` (what was asked, as typed) into the `Room` to store, or
raises `CauserieError(invalid, …)` naming the field at fault. The rules:

- the id is ASCII (`a-z`, `0-9`, `-`, 2 to 48 characters, starting with a letter or digit, not
  ending with `-`): IRC carries it as the channel name, and it never changes once made;
- a new id is unique among every room ever made, archived ones included (`room_exists`): an
  archived room's messages keep their room id for the retention and evidence rules;
- the name (2-60 characters) and the topic (at most 300) are single lines without control
  characters, pass the automatic moderation's word lists (a text the rules would hold or
  block is refused), and the name neither is, contains nor imitates a staff word or a staff
  member's name (`nicknames.is_reserved`), nor reads like another room's name
  (`lookalikes.lookalike_key`): no "Modération" room, no second "Général" in Cyrillic;
- kind and audience agree: a `teen` room has the `teen` audience and only it;
- an edit checks only the texts it changes (and both when the audience changes);
- an edit never moves a room to another age band (its history would cross to the other
  band, DESIGN.md rule 2) nor loosens `adult_verified` to `adult` (what was said there was
  said among verified adults); `adult` -> `adult_verified` tightens and is allowed;
- the member limit is 0 (none) to `MAX_MEMBER_LIMIT`; slow mode is `restrictions`'s range.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from causerie.core.policy.lookalikes import lookalike_key
from causerie.core.policy.nicknames import is_reserved
from causerie.core.policy.review import ReviewAction, TextReviewer
from causerie.core.restrictions import checked_slow_mode_s
from causerie.core.rooms import Audience, Room, RoomKind
from causerie.errors import CauserieError, ErrorCode

ROOM_ID_RE = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?")
MIN_ID_CHARS = 2
MIN_NAME_CHARS, MAX_NAME_CHARS = 2, 60
MAX_TOPIC_CHARS = 300  # IRC's TOPICLEN here (irc/channels.py)
MAX_MEMBER_LIMIT = 10_000
MAX_POSITION = 1_000_000


@dataclass(frozen=True, slots=True)
class RoomSpec:
    """A room's settings as asked (CLI flags, the admin page's form)."""

    id: str
    name: str
    kind: str
    audience: str
    topic: str = ""
    pictures: bool = True
    slow_mode_s: float = 0.0
    member_limit: int = 0
    position: int | None = None  # None: after the rooms of its kind (new) or unchanged (edit)


def _invalid(key: str, field: str, **params: object) -> CauserieError:
    error = CauserieError(ErrorCode.INVALID, key, field=field)
    error.params = params
    return error


def checked_id(raw: str) -> str:
    room_id = raw.strip().lower()
    if len(room_id) < MIN_ID_CHARS or not ROOM_ID_RE.fullmatch(room_id):
        raise _invalid("room_id_format", "id")
    return room_id


def single_line(raw: str, field: str, min_chars: int, max_chars: int) -> str:
    """`raw` trimmed and NFC, one line of `min_chars` to `max_chars` characters."""
    text = unicodedata.normalize("NFC", raw.strip())
    if not min_chars <= len(text) <= max_chars:
        raise _invalid("text_length", field, min=min_chars, max=max_chars)
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in text):
        raise _invalid("room_text_chars", field)
    return text


def _enum(kind: type[RoomKind] | type[Audience], raw: str, field: str) -> str:
    try:
        return kind(raw.strip().lower()).value
    except ValueError:
        raise _invalid("room_choice", field, choices=", ".join(m.value for m in kind)) from None


def passes_word_lists(text: str, field: str, reviewer: TextReviewer, is_teen: bool) -> None:
    """Raises `room_text_refused` for a text the rules would hold or block, or a link."""
    review = reviewer.review(
        text, is_private=False, sender_is_minor=False, recipient_is_minor=is_teen
    )
    if review.action >= ReviewAction.HOLD or reviewer.has_link(text):
        raise _invalid("room_text_refused", field)


def checked_room(
    spec: RoomSpec,
    *,
    existing: Iterable[Room],
    taken_ids: Iterable[str],
    reviewer: TextReviewer,
    reserved_skeletons: frozenset[str],
    previous: Room | None = None,
) -> Room:
    """The room `spec` asks for, checked (see the module).

    Args:
        existing: the rooms people may see now (names are compared against theirs).
        taken_ids: every id ever used, archived rooms included (for a new room).
        previous: the room as it is, for an edit; None for a new room.

    Raises:
        CauserieError: `invalid` with the key and the `field` at fault.
    """
    existing = tuple(existing)
    room_id = checked_id(spec.id)
    if previous is None and room_id in set(taken_ids):
        raise _invalid("room_exists", "id")
    kind = RoomKind(_enum(RoomKind, spec.kind, "kind"))
    audience = Audience(_enum(Audience, spec.audience, "audience"))
    if (kind is RoomKind.TEEN) != (audience is Audience.TEEN):
        raise _invalid("room_kind_audience", "audience")
    if previous is not None and audience is not previous.audience:
        if (previous.audience, audience) != (Audience.ADULT, Audience.ADULT_VERIFIED):
            raise _invalid("room_audience_change", "audience")
    name = single_line(spec.name, "name", MIN_NAME_CHARS, MAX_NAME_CHARS)
    topic = single_line(spec.topic, "topic", 0, MAX_TOPIC_CHARS)
    is_teen = audience is Audience.TEEN
    # An edit checks the texts it changes: what was accepted once (the default rooms' own
    # words included) is not refused for a change of something else.
    is_new_audience = previous is None or previous.audience is not audience
    if is_new_audience or name != previous.name:  # type: ignore[union-attr]
        passes_word_lists(name, "name", reviewer, is_teen)
        if is_reserved(name, reserved_skeletons):
            raise _invalid("room_name_reserved", "name")
        key = lookalike_key(name)
        if any(r.id != room_id and lookalike_key(r.name) == key for r in existing):
            raise _invalid("room_name_taken", "name")
    if topic and (is_new_audience or topic != previous.topic):  # type: ignore[union-attr]
        passes_word_lists(topic, "topic", reviewer, is_teen)
    if isinstance(spec.member_limit, bool) or not 0 <= spec.member_limit <= MAX_MEMBER_LIMIT:
        raise _invalid("out_of_range", "member_limit", min=0, max=MAX_MEMBER_LIMIT)
    checked_slow_mode_s(spec.slow_mode_s, "slow_mode_s")
    position = spec.position
    if position is None:
        position = previous.position if previous is not None else _next_position(existing, kind)
    elif isinstance(position, bool) or not 0 <= position <= MAX_POSITION:
        raise _invalid("out_of_range", "position", min=0, max=MAX_POSITION)
    if previous is not None:  # what the operator's form does not show stays as it was
        return dataclasses.replace(
            previous,
            name=name,
            kind=kind,
            audience=audience,
            position=position,
            topic=topic,
            pictures=bool(spec.pictures),
            member_limit=spec.member_limit,
        )
    return Room(
        room_id, name, kind, audience, position, topic, bool(spec.pictures), spec.member_limit
    )


def _next_position(existing: tuple[Room, ...], kind: RoomKind) -> int:
    """After the last room of its kind (lists group rooms by kind), else after every room."""
    positions = [r.position for r in existing if r.kind is kind]
    if positions:
        return max(positions) + 1
    return max((r.position for r in existing), default=-1) + 1
