"""The append-only, hash-chained audit log (DESIGN.md rules 6 and 7): who did what, to whom,
why and when. Pure: callers pass `at_ms`; the store persists entries and serializes appends.

How this works:

- Entries are numbered from 1 with no gaps. Each one records the hash of the entry before it
  (`prev_hash`; the first records `GENESIS_HASH`, 64 zeros) and its own `hash`, which is
  ``sha256(prev_hash + canonical_bytes(entry))`` in lowercase hex. `canonical_bytes` is the
  entry without its `hash`, as JSON with sorted keys, no spaces, UTF-8 (not ASCII-escaped).
- `verify_chain` walks the entries in order and checks, for each, its sequence number, that its
  hash matches its content, and that its `prev_hash` is the previous entry's hash. Editing any
  field of an entry breaks its own hash; recomputing that hash breaks the next entry's link;
  deleting or reordering entries breaks the sequence. The first failure is named and located.
- What a chain cannot show alone: the *last* entries being cut off, or the last one rewritten
  with a fresh hash. Keep the head hash elsewhere (a legal export manifest, an operator's log)
  and pass it as `expected_head_hash` to close that gap.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Final

GENESIS_HASH: Final = "0" * 64


class ActorKind(StrEnum):
    HUMAN = "human"  # a staff member
    AUTOMATIC = "automatic"  # an automatic moderation rule
    SYSTEM = "system"  # the server itself: purges, reloads, exports started by a command
    PERSON = "person"  # a user acting on their own content (taking back their message)


class AuditAction(StrEnum):
    """Known actions. Stored entries may carry others (written by a newer version): they load
    and verify as plain strings."""

    DELETE_MESSAGE = "delete_message"
    DELETE_OWN_MESSAGE = "delete_own_message"
    DISCARD_MESSAGE = "discard_message"
    BLOCK_MESSAGE = "block_message"
    HOLD_MESSAGE = "hold_message"
    RELEASE_MESSAGE = "release_message"
    FLAG = "flag"
    WARN = "warn"
    MUTE = "mute"
    UNMUTE = "unmute"
    KICK = "kick"
    BAN = "ban"
    UNBAN = "unban"
    SUSPEND = "suspend"
    MOVE_OUT_OF_TEEN_SPACE = "move_out_of_teen_space"
    LOCK_ROOM = "lock_room"
    UNLOCK_ROOM = "unlock_room"
    SLOW_MODE = "slow_mode"
    STOP_GAME = "stop_game"
    DISMISS = "dismiss"
    REPORT_RECEIVED = "report_received"
    REPORT_CLOSED = "report_closed"
    APPEAL = "appeal"
    APPEAL_DECIDED = "appeal_decided"
    POLICE_NOTIFICATION = "police_notification"
    LEGAL_EXPORT = "legal_export"
    LEGAL_HOLD = "legal_hold"
    LEGAL_HOLD_RELEASED = "legal_hold_released"
    ARCHIVE_SEARCH = "archive_search"
    RETENTION_PURGE = "retention_purge"
    RULES_RELOADED = "rules_reloaded"
    VIEW_MEDIA = "view_media"
    STAFF_ADDED = "staff_added"
    STAFF_REMOVED = "staff_removed"
    ROOM_ADDED = "room_added"
    ROOM_EDITED = "room_edited"
    ROOM_ARCHIVED = "room_archived"
    # The games a room allows, changed by the operator (CLI, /admin: actor kind `human`) or by
    # a member room's owner or operators (`!jeux …`: actor kind `person`, details' `role`).
    ROOM_GAMES = "room_games"
    # Member rooms (node/member_rooms.py): their owners' and operators' actions (actor kind
    # `person`), a room a moderator closed, and a room that ended with nobody left in it.
    ROOM_CREATED = "room_created"
    ROOM_TOPIC = "room_topic"
    ROOM_MODES = "room_modes"
    ROOM_OPERATOR = "room_operator"
    ROOM_VOICE = "room_voice"
    ROOM_INVITE = "room_invite"
    ROOM_KICK = "room_kick"
    ROOM_BAN = "room_ban"
    ROOM_UNBAN = "room_unban"
    ROOM_CLOSED = "room_closed"
    ROOM_ENDED = "room_ended"
    ROOM_ROLES_LAPSED = "room_roles_lapsed"


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of the log. Build new ones with `append`, stored ones with `from_row`.

    `target` names what was acted on: ``"user:Nick"``, ``"message:123"``, ``"room:general"``.
    `details` is JSON-able (its stored form, as `append` normalizes it); treat it as read-only.
    """

    seq: int
    at_ms: int
    actor: str
    actor_kind: ActorKind
    action: str
    target: str
    reason: str
    details: dict[str, object]
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class ChainCheck:
    """The outcome of `verify_chain`.

    Attributes:
        ok: every entry verified (and the head matched, when an anchor was given).
        checked: how many entries verified before the first problem (all of them when ok).
        first_bad_seq: the stored `seq` of the first entry that failed, None when ok or when
            only the head anchor failed.
        index: that entry's 0-based position in what was given (a tampered `seq` cannot
            locate it), None likewise.
        problem: a sentence naming the entry and what is wrong; empty when ok.
        head_hash: the hash of the last entry that verified (`GENESIS_HASH` if none).
    """

    ok: bool
    checked: int
    first_bad_seq: int | None = None
    index: int | None = None
    problem: str = ""
    head_hash: str = GENESIS_HASH


class AuditRowError(ValueError):
    """A stored row cannot be read as an entry (missing field, wrong type, unknown kind)."""


_FIELDS: Final = (
    "seq",
    "at_ms",
    "actor",
    "actor_kind",
    "action",
    "target",
    "reason",
    "details",
    "prev_hash",
)


def canonical_bytes(entry: AuditEntry) -> bytes:
    """Every field of `entry` but `hash`, as deterministic JSON in UTF-8.

    Raises:
        ValueError: a field holds something JSON cannot carry exactly (NaN, a lone surrogate,
            a non-JSON object in `details`).
    """
    content = {
        "seq": entry.seq,
        "at_ms": entry.at_ms,
        "actor": entry.actor,
        "actor_kind": str(entry.actor_kind),
        "action": str(entry.action),
        "target": entry.target,
        "reason": entry.reason,
        "details": entry.details,
        "prev_hash": entry.prev_hash,
    }
    try:
        text = json.dumps(
            content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        )
        return text.encode("utf-8")
    except (TypeError, ValueError, RecursionError) as exc:
        raise ValueError(f"audit entry {entry.seq} is not canonical JSON: {exc}") from None


def compute_hash(entry: AuditEntry) -> str:
    """``sha256(prev_hash + canonical_bytes(entry))`` in lowercase hex; `entry.hash` is ignored.

    Raises:
        ValueError: as `canonical_bytes`.
    """
    try:
        prefix = entry.prev_hash.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"audit entry {entry.seq}: prev_hash is not text") from None
    return hashlib.sha256(prefix + canonical_bytes(entry)).hexdigest()


def append(
    last: AuditEntry | None,
    *,
    at_ms: int,
    actor: str,
    actor_kind: ActorKind,
    action: AuditAction,
    target: str,
    reason: str,
    details: Mapping[str, object] | None = None,
) -> AuditEntry:
    """The entry that follows `last` (or the first entry of a log, when `last` is None).

    The caller stores it, and must serialize appends: two entries made from the same `last`
    fork the chain, and the second one stored fails verification.

    Raises:
        ValueError: `at_ms` is negative, `actor` is empty, or `details` is not JSON-able
            (non-string keys, NaN, sets, objects...).
    """
    if at_ms < 0:
        raise ValueError(f"at_ms must be >= 0, got {at_ms}")
    if not actor:
        raise ValueError("an audit entry needs an actor")
    draft = AuditEntry(
        seq=1 if last is None else last.seq + 1,
        at_ms=at_ms,
        actor=actor,
        actor_kind=ActorKind(actor_kind),
        action=AuditAction(action),
        target=target,
        reason=reason,
        details=_normalized(details or {}),
        prev_hash=GENESIS_HASH if last is None else last.hash,
        hash="",
    )
    return replace(draft, hash=compute_hash(draft))


def verify_chain(
    entries: Iterable[AuditEntry],
    *,
    after: AuditEntry | None = None,
    expected_head_hash: str | None = None,
) -> ChainCheck:
    """Checks `entries`, in the order given, as a chain; stops at the first problem.

    Args:
        entries: the log from its first entry, or the part that follows `after`.
        after: a trusted entry just before the first one given (to verify from a checkpoint).
        expected_head_hash: the last entry's hash as recorded elsewhere, which detects the tail
            being cut off or the last entry rewritten.
    """
    prev_seq = 0 if after is None else after.seq
    prev_hash = GENESIS_HASH if after is None else after.hash
    checked = 0
    for index, entry in enumerate(entries):
        problem = _entry_problem(entry, prev_seq, prev_hash, is_first=after is None and index == 0)
        if problem:
            return ChainCheck(
                ok=False,
                checked=checked,
                first_bad_seq=entry.seq,
                index=index,
                problem=f"entry {entry.seq}: {problem}",
                head_hash=prev_hash,
            )
        checked += 1
        prev_seq, prev_hash = entry.seq, entry.hash
    if expected_head_hash is not None and expected_head_hash != prev_hash:
        last = "no entry" if checked == 0 and after is None else f"entry {prev_seq}"
        return ChainCheck(
            ok=False,
            checked=checked,
            problem=f"head: {last} does not end the chain as recorded "
            "(entries cut off at the end, or the last one rewritten)",
            head_hash=prev_hash,
        )
    return ChainCheck(ok=True, checked=checked, head_hash=prev_hash)


def verify_rows(
    rows: Iterable[Mapping[str, object]],
    *,
    after: AuditEntry | None = None,
    expected_head_hash: str | None = None,
) -> ChainCheck:
    """`verify_chain` over stored rows: a row that cannot be read is reported as the problem
    (at its position) rather than raised, since unreadable is one way of being tampered with."""
    entries: list[AuditEntry] = []
    for index, row in enumerate(rows):
        try:
            entries.append(from_row(row))
        except AuditRowError as exc:
            check = verify_chain(entries, after=after)
            if not check.ok:
                return check
            seq = _as_int(row.get("seq"))
            where = f"row {index + 1}" if seq is None else f"entry {seq}"
            return ChainCheck(
                ok=False,
                checked=check.checked,
                first_bad_seq=seq,
                index=index,
                problem=f"{where}: unreadable ({exc})",
                head_hash=check.head_hash,
            )
    return verify_chain(entries, after=after, expected_head_hash=expected_head_hash)


def to_row(entry: AuditEntry) -> dict[str, object]:
    """The entry as plain values (enums as their strings, `details` a fresh dict) for a store."""
    return {
        "seq": entry.seq,
        "at_ms": entry.at_ms,
        "actor": entry.actor,
        "actor_kind": str(entry.actor_kind),
        "action": str(entry.action),
        "target": entry.target,
        "reason": entry.reason,
        "details": json.loads(json.dumps(entry.details)),
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
    }


def from_row(row: Mapping[str, object]) -> AuditEntry:
    """An entry from a stored row, as written by `to_row`. `details` may also be JSON text (as a
    TEXT column holds it). An unknown `action` is kept as a plain string.

    Raises:
        AuditRowError: a field is missing or of the wrong type, or `actor_kind` is unknown.
    """
    missing = [name for name in (*_FIELDS, "hash") if name not in row]
    if missing:
        raise AuditRowError(f"missing {', '.join(missing)}")
    seq, at_ms = _as_int(row["seq"]), _as_int(row["at_ms"])
    if seq is None or at_ms is None:
        raise AuditRowError("seq and at_ms must be integers")
    texts: dict[str, str] = {}
    for name in ("actor", "actor_kind", "action", "target", "reason", "prev_hash", "hash"):
        value = row[name]
        if not isinstance(value, str):
            raise AuditRowError(f"{name} must be a string")
        texts[name] = value
    try:
        actor_kind = ActorKind(texts["actor_kind"])
    except ValueError:
        raise AuditRowError(f"unknown actor_kind {texts['actor_kind']!r}") from None
    action = texts["action"]
    known_action: str = AuditAction(action) if action in _KNOWN_ACTIONS else action
    return AuditEntry(
        seq=seq,
        at_ms=at_ms,
        actor=texts["actor"],
        actor_kind=actor_kind,
        action=known_action,
        target=texts["target"],
        reason=texts["reason"],
        details=_stored_details(row["details"]),
        prev_hash=texts["prev_hash"],
        hash=texts["hash"],
    )


_KNOWN_ACTIONS: Final = frozenset(action.value for action in AuditAction)


def _entry_problem(entry: AuditEntry, prev_seq: int, prev_hash: str, *, is_first: bool) -> str:
    expected_seq = prev_seq + 1
    if not _is_int(entry.seq):
        return "sequence number is not an integer"
    if entry.seq != expected_seq:
        if is_first:
            return f"the chain starts at {entry.seq}, expected 1"
        if entry.seq > expected_seq:
            return f"sequence gap after {prev_seq}"
        return f"out of order after {prev_seq}"
    try:
        actual = compute_hash(entry)
    except ValueError:
        return "content is not canonical JSON"
    if actual != entry.hash:
        return "hash does not match its content"
    if entry.prev_hash != prev_hash:
        if prev_seq == 0:
            return "prev_hash is not the genesis hash"
        return f"prev_hash does not match entry {prev_seq}"
    return ""


def _normalized(details: Mapping[str, object]) -> dict[str, object]:
    """`details` as it will read back from a store: JSON-checked and deep-copied."""
    try:
        text = json.dumps(dict(details), ensure_ascii=False, allow_nan=False)
        text.encode("utf-8")
    except (TypeError, ValueError, RecursionError) as exc:
        raise ValueError(f"details must be JSON-able: {exc}") from None
    loaded: dict[str, object] = json.loads(text)
    return loaded


def _stored_details(value: object) -> dict[str, object]:
    if isinstance(value, str | bytes):
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            raise AuditRowError("details is not valid JSON") from None
    if not isinstance(value, Mapping) or not all(isinstance(key, str) for key in value):
        raise AuditRowError("details must be a JSON object")
    return dict(value)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _as_int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
