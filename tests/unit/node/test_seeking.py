"""The node's watch on adults naming minors: which refusals count, under which keys, and the
flag it raises (docs/moderation.md §12)."""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

import pytest

from causerie.core.policy.seeking import SeekingRule
from causerie.core.policy.visibility import Unreachable, refuse_unless_addressable
from causerie.node.connections import Connection, Peer
from causerie.node.envelope import Envelope
from causerie.node.outbox import Outbox
from causerie.node.seeking import SeekingFlags
from causerie.store.base import Origin

Flagged = list[tuple[Any, ...]]


class _Sink:
    """The connection's socket: these checks read who is connected, never write."""

    kind = "ws"

    def encode(self, envelope: Envelope) -> bytes:
        raise AssertionError("nothing is sent")

    def write(self, data: bytes) -> None:
        raise AssertionError("nothing is sent")

    def buffered_bytes(self) -> int:
        return 0

    def abort(self) -> None: ...

    def prepare_close(self) -> None: ...

    def close(self, code: int, reason: str) -> None: ...


def _connection(session: str | None, device: str = "tel-1") -> Connection:
    peer = Peer(Origin("203.0.113.9", 4000), device, "pytest", "ws")
    connection = Connection("c1", peer, 65536, _Sink(), Outbox())
    connection.session = session
    return connection


def _flags(attempts: int = 2) -> tuple[SeekingFlags, Flagged]:
    flagged: Flagged = []

    async def flag_person(*args: Any) -> None:
        flagged.append(args)

    def spawn(coroutine: Coroutine[Any, Any, None]) -> None:
        try:
            coroutine.send(None)
        except StopIteration:
            pass

    nicks = {"s1": "Marc", "s2": "Marc"}
    return SeekingFlags(SeekingRule(attempts, 3600), nicks.__getitem__, flag_person, spawn), flagged


def _refusal(sender_age: int, person_age: int, target: str = "Lea") -> Unreachable:
    with pytest.raises(Unreachable) as caught:
        refuse_unless_addressable(sender_age, person_age, target=target)
    return caught.value


def test_adult_naming_minors_raises_one_child_safety_flag() -> None:
    flags, flagged = _flags()

    flags.note(_refusal(40, 14, "Lea"), _connection("s1"), 0)
    flags.note(_refusal(40, 15, "Nina"), _connection("s1"), 1000)
    flags.note(_refusal(40, 15, "Nina"), _connection("s1"), 2000)

    assert flagged == [
        (
            "s1",
            "Marc",
            "seeking_minors",
            "child_safety",
            4,
            {"attempts": 2, "window_s": 3600, "minors": ["Lea", "Nina"]},
        )
    ]


def test_a_new_session_on_the_same_device_keeps_counting() -> None:
    flags, flagged = _flags()

    flags.note(_refusal(40, 14), _connection("s1", device="tel-1"), 0)
    flags.note(_refusal(40, 14), _connection("s2", device="tel-1"), 1)

    assert [f[0] for f in flagged] == ["s2"]


def test_a_minor_naming_an_adult_and_a_connection_without_session_count_nothing() -> None:
    flags, flagged = _flags(attempts=1)

    flags.note(_refusal(15, 40, "Marc"), _connection("s1"), 0)
    flags.note(_refusal(40, 14), _connection(None), 0)

    assert flagged == []
