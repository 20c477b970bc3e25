"""The hash-chained audit log (DESIGN.md rules 6 and 7): it builds and verifies, and any edit,
deletion or reordering is detected and located."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from causerie.safety.audit import (
    GENESIS_HASH,
    ActorKind,
    AuditAction,
    AuditEntry,
    AuditRowError,
    append,
    canonical_bytes,
    compute_hash,
    from_row,
    to_row,
    verify_chain,
    verify_rows,
)

START_MS = 1_740_787_200_000


def _chain(length: int) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    last: AuditEntry | None = None
    for n in range(length):
        last = append(
            last,
            at_ms=START_MS + n * 1000,
            actor="Modo" if n % 2 else "automod",
            actor_kind=ActorKind.HUMAN if n % 2 else ActorKind.AUTOMATIC,
            action=AuditAction.MUTE if n % 2 else AuditAction.HOLD_MESSAGE,
            target=f"user:Nick{n}",
            reason=f"raison n°{n} — insultes",
            details={"n": n, "room": "général", "ids": [n, n + 1]},
        )
        entries.append(last)
    return entries


# --- building and verifying ------------------------------------------------------------------


def test_append_first_entry_starts_at_genesis() -> None:
    entry = _chain(1)[0]

    assert entry.seq == 1
    assert entry.prev_hash == GENESIS_HASH == "0" * 64
    assert entry.hash == compute_hash(entry)
    assert len(entry.hash) == 64 and int(entry.hash, 16) >= 0


def test_append_next_entry_links_to_last() -> None:
    first, second = _chain(2)

    assert second.seq == 2
    assert second.prev_hash == first.hash


def test_compute_hash_is_sha256_of_prev_hash_and_canonical_json() -> None:
    import hashlib

    entry = _chain(1)[0]
    expected = {
        "seq": 1,
        "at_ms": START_MS,
        "actor": "automod",
        "actor_kind": "automatic",
        "action": "hold_message",
        "target": "user:Nick0",
        "reason": "raison n°0 — insultes",
        "details": {"ids": [0, 1], "n": 0, "room": "général"},
        "prev_hash": GENESIS_HASH,
    }
    canonical = json.dumps(
        expected, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()

    assert canonical_bytes(entry) == canonical
    assert "général".encode() in canonical_bytes(entry)  # UTF-8, not \u escapes
    assert entry.hash == hashlib.sha256(GENESIS_HASH.encode() + canonical).hexdigest()


def test_verify_chain_built_chain_ok() -> None:
    entries = _chain(10)

    check = verify_chain(entries)

    assert check.ok
    assert check.checked == 10
    assert check.first_bad_seq is None and check.index is None and check.problem == ""
    assert check.head_hash == entries[-1].hash


def test_verify_chain_empty_ok() -> None:
    check = verify_chain([])

    assert check.ok and check.checked == 0 and check.head_hash == GENESIS_HASH


def test_verify_chain_accepts_a_generator() -> None:
    assert verify_chain(entry for entry in _chain(3)).ok


def test_verify_chain_from_checkpoint_ok() -> None:
    entries = _chain(6)

    check = verify_chain(entries[3:], after=entries[2])

    assert check.ok and check.checked == 3


def test_verify_chain_from_wrong_checkpoint_names_entry() -> None:
    entries = _chain(6)

    check = verify_chain(entries[3:], after=entries[1])

    assert not check.ok
    assert check.problem == "entry 4: sequence gap after 2"


# --- located problems ------------------------------------------------------------------------


def test_verify_chain_edited_reason_names_entry() -> None:
    entries = _chain(10)
    entries[6] = dataclasses.replace(entries[6], reason="rien à signaler")

    check = verify_chain(entries)

    assert not check.ok
    assert check.problem == "entry 7: hash does not match its content"
    assert check.first_bad_seq == 7 and check.index == 6 and check.checked == 6
    assert check.head_hash == entries[5].hash


def test_verify_chain_rewritten_entry_with_fresh_hash_breaks_next_link() -> None:
    entries = _chain(10)
    edited = dataclasses.replace(entries[6], reason="rien à signaler")
    entries[6] = dataclasses.replace(edited, hash=compute_hash(edited))

    check = verify_chain(entries)

    assert check.problem == "entry 8: prev_hash does not match entry 7"
    assert check.first_bad_seq == 8 and check.index == 7


def test_verify_chain_deleted_entry_reports_gap() -> None:
    entries = _chain(10)
    del entries[7]

    check = verify_chain(entries)

    assert check.problem == "entry 9: sequence gap after 7"
    assert check.first_bad_seq == 9 and check.index == 7


def test_verify_chain_deleted_first_entry_detected() -> None:
    check = verify_chain(_chain(4)[1:])

    assert not check.ok
    assert check.problem == "entry 2: the chain starts at 2, expected 1"


def test_verify_chain_forged_genesis_link_detected() -> None:
    first = _chain(1)[0]
    forged = dataclasses.replace(first, prev_hash="f" * 64)
    forged = dataclasses.replace(forged, hash=compute_hash(forged))

    check = verify_chain([forged])

    assert check.problem == "entry 1: prev_hash is not the genesis hash"


def test_verify_chain_swapped_entries_detected() -> None:
    entries = _chain(6)
    entries[2], entries[3] = entries[3], entries[2]

    check = verify_chain(entries)

    assert check.problem == "entry 4: sequence gap after 2"
    assert check.index == 2


def test_verify_chain_duplicated_entry_detected() -> None:
    entries = _chain(4)
    entries.insert(2, entries[1])

    check = verify_chain(entries)

    assert check.problem == "entry 2: out of order after 2"
    assert check.index == 2


def test_verify_chain_renumbered_after_deletion_detected() -> None:
    entries = _chain(5)
    renumbered = [*entries[:2], *(dataclasses.replace(e, seq=e.seq - 1) for e in entries[3:])]

    check = verify_chain(renumbered)

    assert check.problem == "entry 3: hash does not match its content"


def test_append_twice_from_same_last_forks_and_fails() -> None:
    entries = _chain(3)
    fork = append(
        entries[1],
        at_ms=START_MS + 99,
        actor="Modo",
        actor_kind=ActorKind.HUMAN,
        action=AuditAction.UNBAN,
        target="user:X",
        reason="",
    )

    check = verify_chain([*entries, fork])

    assert check.problem == "entry 3: out of order after 3"


def test_verify_chain_cut_tail_detected_only_with_anchor() -> None:
    entries = _chain(5)
    head = entries[-1].hash

    assert verify_chain(entries[:4]).ok  # a chain alone cannot see its end cut off
    check = verify_chain(entries[:4], expected_head_hash=head)

    assert not check.ok
    assert check.checked == 4 and check.first_bad_seq is None
    assert check.problem.startswith("head: entry 4 does not end the chain")


def test_verify_chain_rewritten_last_entry_detected_with_anchor() -> None:
    entries = _chain(5)
    head = entries[-1].hash
    edited = dataclasses.replace(entries[-1], reason="autre")
    entries[-1] = dataclasses.replace(edited, hash=compute_hash(edited))

    assert verify_chain(entries, expected_head_hash=head).problem.startswith("head: entry 5")
    assert verify_chain(entries, expected_head_hash=entries[-1].hash).ok


def test_verify_chain_emptied_log_detected_with_anchor() -> None:
    check = verify_chain([], expected_head_hash=_chain(2)[-1].hash)

    assert not check.ok and check.problem.startswith("head: no entry")


# --- any single edit (property) --------------------------------------------------------------

_json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**9), 10**9)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
)
_json = st.recursive(
    _json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)
_details = st.dictionaries(st.text(max_size=6), _json, max_size=4)
_text = st.text(max_size=24)
_hex = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)

_FIELD_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "seq": st.integers(-5, 10**6),
    "at_ms": st.integers(0, 2**53),
    "actor": _text,
    "actor_kind": st.sampled_from(list(ActorKind)),
    "action": st.sampled_from(list(AuditAction)) | _text,
    "target": _text,
    "reason": _text,
    "details": _details,
    "prev_hash": _hex,
    "hash": _hex,
}


def _canonical(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


@st.composite
def _chains(draw: st.DrawFn) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    last: AuditEntry | None = None
    for _ in range(draw(st.integers(1, 6))):
        last = append(
            last,
            at_ms=draw(st.integers(0, 2**53)),
            actor=draw(st.text(min_size=1, max_size=12)),
            actor_kind=draw(st.sampled_from(list(ActorKind))),
            action=draw(st.sampled_from(list(AuditAction))),
            target=draw(_text),
            reason=draw(_text),
            details=draw(_details),
        )
        entries.append(last)
    return entries


@settings(max_examples=300, deadline=None)
@given(entries=_chains(), data=st.data())
def test_verify_chain_any_single_field_edit_names_entry(
    entries: list[AuditEntry], data: st.DataObject
) -> None:
    assert verify_chain(entries).ok
    index = data.draw(st.integers(0, len(entries) - 1), label="index")
    name = data.draw(st.sampled_from(sorted(_FIELD_VALUES)), label="field")
    old = getattr(entries[index], name)
    new = data.draw(_FIELD_VALUES[name], label="new value")
    assume(type(new) is not type(old) or _canonical(new) != _canonical(old))
    tampered = dataclasses.replace(entries[index], **{name: new})
    entries[index] = tampered

    check = verify_chain(entries)

    assert not check.ok
    assert check.index == index
    assert check.first_bad_seq == tampered.seq
    assert check.checked == index
    assert check.problem.startswith(f"entry {tampered.seq}: ")


@settings(max_examples=100, deadline=None)
@given(entries=_chains(), data=st.data())
def test_verify_chain_any_deletion_detected(entries: list[AuditEntry], data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(entries) - 1))
    head = entries[-1].hash
    del entries[index]

    check = verify_chain(entries, expected_head_hash=head)

    assert not check.ok
    if index < len(entries):  # not the last: the chain itself shows it, at that place
        assert verify_chain(entries).index == index


@settings(max_examples=100, deadline=None)
@given(entries=_chains(), data=st.data())
def test_verify_chain_any_reordering_detected(
    entries: list[AuditEntry], data: st.DataObject
) -> None:
    order = data.draw(st.permutations(range(len(entries))))
    assume(order != list(range(len(entries))))

    check = verify_chain([entries[i] for i in order])

    assert not check.ok
    assert check.index == next(i for i, j in enumerate(order) if i != j)


# --- append validation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"at_ms": -1}, "at_ms"),
        ({"actor": ""}, "actor"),
        ({"details": {"x": float("nan")}}, "JSON"),
        ({"details": {"x": {1, 2}}}, "JSON"),
        ({"details": {"x": object()}}, "JSON"),
        ({"action": "no_such_action"}, "no_such_action"),
    ],
)
def test_append_invalid_input_raises(changes: dict[str, Any], message: str) -> None:
    fields: dict[str, Any] = {
        "at_ms": START_MS,
        "actor": "Modo",
        "actor_kind": ActorKind.HUMAN,
        "action": AuditAction.KICK,
        "target": "user:X",
        "reason": "flood",
        "details": {},
    }
    fields.update(changes)

    with pytest.raises(ValueError, match=message):
        append(None, **fields)


def test_append_details_stored_as_they_read_back() -> None:
    details: dict[str, Any] = {"ids": (1, 2), "nested": {"a": [1]}}

    entry = append(
        None,
        at_ms=1,
        actor="system",
        actor_kind=ActorKind.SYSTEM,
        action=AuditAction.LEGAL_EXPORT,
        target="user:X",
        reason="réquisition",
        details=details,
    )
    details["nested"]["a"].append(2)  # the caller's dict is not the entry's

    assert entry.details == {"ids": [1, 2], "nested": {"a": [1]}}
    assert verify_chain([entry]).ok


# --- rows ------------------------------------------------------------------------------------


def test_to_row_from_row_round_trip_verifies() -> None:
    entries = _chain(4)

    rows = [json.loads(json.dumps(to_row(entry))) for entry in entries]  # as a store returns
    loaded = [from_row(row) for row in rows]

    assert loaded == entries
    assert isinstance(loaded[0].actor_kind, ActorKind)
    assert isinstance(loaded[0].action, AuditAction)
    assert verify_chain(loaded).ok


def test_from_row_unknown_action_kept_and_verifies() -> None:
    draft = dataclasses.replace(_chain(1)[0], action="quarantine_picture")
    entry = dataclasses.replace(draft, hash=compute_hash(draft))

    loaded = from_row(to_row(entry))

    assert loaded.action == "quarantine_picture"
    assert not isinstance(loaded.action, AuditAction)
    assert verify_chain([loaded]).ok


def test_from_row_details_as_json_text() -> None:
    entry = _chain(1)[0]
    row = to_row(entry) | {"details": json.dumps(entry.details)}

    assert from_row(row) == entry


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"seq": "1"}, "integers"),
        ({"at_ms": True}, "integers"),
        ({"actor": None}, "actor"),
        ({"actor_kind": "robot"}, "robot"),
        ({"details": "[1"}, "JSON"),
        ({"details": [1, 2]}, "object"),
    ],
)
def test_from_row_bad_field_raises(changes: dict[str, object], message: str) -> None:
    row = to_row(_chain(1)[0]) | changes

    with pytest.raises(AuditRowError, match=message):
        from_row(row)


def test_from_row_missing_field_raises() -> None:
    row = to_row(_chain(1)[0])
    del row["hash"]

    with pytest.raises(AuditRowError, match="missing hash"):
        from_row(row)


def test_verify_rows_unreadable_row_reported_not_raised() -> None:
    rows = [to_row(entry) for entry in _chain(5)]
    rows[3]["actor_kind"] = "robot"

    check = verify_rows(rows)

    assert not check.ok
    assert check.first_bad_seq == 4 and check.index == 3 and check.checked == 3
    assert check.problem.startswith("entry 4: unreadable (unknown actor_kind 'robot')")


def test_verify_rows_earlier_problem_reported_first() -> None:
    rows = [to_row(entry) for entry in _chain(5)]
    rows[1]["reason"] = "modifié"
    rows[3]["seq"] = None

    check = verify_rows(rows)

    assert check.problem == "entry 2: hash does not match its content"


def test_verify_rows_readable_rows_verify() -> None:
    rows = [to_row(entry) for entry in _chain(5)]

    assert verify_rows(rows).ok
    assert not verify_rows(rows[:4], expected_head_hash=str(rows[4]["hash"])).ok


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"reason": "\ud800"}, "entry 2: content is not canonical JSON"),
        ({"prev_hash": "\udfff"}, "entry 2: content is not canonical JSON"),
        ({"details": {"x": float("inf")}}, "entry 2: content is not canonical JSON"),
        ({"seq": "2"}, "entry 2: sequence number is not an integer"),
    ],
)
def test_verify_chain_unencodable_entry_reported_not_raised(
    changes: dict[str, Any], problem: str
) -> None:
    entries = _chain(3)
    entries[1] = dataclasses.replace(entries[1], **changes)

    check = verify_chain(entries)

    assert check.problem == problem and check.index == 1


def test_append_unencodable_text_raises() -> None:
    with pytest.raises(ValueError, match="canonical JSON"):
        append(
            None,
            at_ms=1,
            actor="Modo",
            actor_kind=ActorKind.HUMAN,
            action=AuditAction.WARN,
            target="user:X",
            reason="\ud800",
        )
