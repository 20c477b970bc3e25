"""The resume secret (node/continuity.py) against a store in memory: new each welcome,
spent by its use, bound to the device cookie, expiring; a refusal spends nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pytest

from causerie.core.commands import Hello, Resume
from causerie.core.messages import DirectMessage
from causerie.errors import CauserieError
from causerie.node.connections import Connection, Peer
from causerie.node.continuity import Continuity, Identity
from causerie.node.ports import Clock
from causerie.store.base import Origin
from causerie.store.continuity import ResumeRecord
from tests.unit.core.builders import make_hub

NOW_MS = 1_700_000_000_000
GRACE_S = 300.0


class MemoryStore:
    def __init__(self) -> None:
        self.records: dict[str, ResumeRecord] = {}

    async def resume_record(self, session: str) -> ResumeRecord | None:
        return self.records.get(session)

    async def spend_resume(self, session: str, resume_sha256: str) -> bool:
        record = self.records.get(session)
        if record is None or record.resume_sha256 != resume_sha256:
            return False
        self.records[session] = replace(record, resume_sha256=None)
        return True

    async def forget_resume(self, session: str) -> None:
        self.records[session] = replace(self.records[session], resume_sha256=None)

    async def keep_for_resume(self, kept: Sequence[tuple[str, int, str]]) -> None:
        for session, until_ms, carried in kept:
            record = self.records[session]
            self.records[session] = replace(record, resume_until_ms=until_ms, carried=carried)

    async def extend_resume(self, sessions: Sequence[str], until_ms: int) -> None:
        pass

    async def resumable(self, now_ms: int) -> list[ResumeRecord]:
        return []

    async def private_messages_of(
        self, person: str, after_id: int, limit: int
    ) -> list[DirectMessage]:
        return []


class FixedClock(Clock):
    def __init__(self) -> None:
        self.ms = NOW_MS

    def now_ms(self) -> int:
        return self.ms


def _world() -> tuple[Continuity, MemoryStore, FixedClock]:
    store, clock = MemoryStore(), FixedClock()
    continuity = Continuity(hub=make_hub(), store=store, holders=None, clock=clock, grace_s=GRACE_S)
    return continuity, store, clock


def _issued(store: MemoryStore, session: str, device: str = "device-a") -> str:
    """A welcomed session's record; returns its secret."""
    token, digest = Continuity.issue()
    store.records[session] = ResumeRecord(
        session, session, "Alice", "woman", 25, "75011", device, "ws", digest, None, None, None
    )
    return token


def _connection(device: str = "device-a") -> Connection:
    async def nothing(*_args: object) -> None:
        return None

    peer = Peer(Origin("127.0.0.1", 40_000), device, "pytest", "ws")
    return Connection("c", peer, nothing, nothing, 1 << 20)


def _hello(session: str, token: str | None) -> Hello:
    return Hello("Alice", "woman", 25, "75011", resume=Resume(session, token=token))


def _live(_session: str) -> bool:
    return True


def _gone(_session: str) -> bool:
    return False


async def test_secret_resumes_a_live_session_once() -> None:
    continuity, store, _clock = _world()
    token = _issued(store, "s1")

    grant = await continuity.check(_connection(), _hello("s1", token), _live)
    with pytest.raises(CauserieError) as again:
        await continuity.check(_connection(), _hello("s1", token), _live)

    assert grant is not None and (grant.previous, grant.person) == ("s1", "s1")
    assert again.value.code == "resume_refused"


async def test_each_welcome_gives_a_different_secret() -> None:
    assert Continuity.issue()[0] != Continuity.issue()[0]


async def test_secret_from_another_device_is_refused_and_not_spent() -> None:
    continuity, store, _clock = _world()
    token = _issued(store, "s1")

    with pytest.raises(CauserieError) as refused:
        await continuity.check(_connection("device-b"), _hello("s1", token), _live)

    assert refused.value.code == "resume_refused"
    assert await continuity.check(_connection(), _hello("s1", token), _live) is not None


async def test_wrong_secret_is_refused() -> None:
    continuity, store, _clock = _world()
    _issued(store, "s1")

    with pytest.raises(CauserieError):
        await continuity.check(_connection(), _hello("s1", "not-the-secret"), _live)


async def test_secret_of_a_lost_session_expires_with_its_grace() -> None:
    continuity, store, clock = _world()
    token = _issued(store, "s1")
    continuity.known["s1"] = Identity("s1", "device-a", NOW_MS + 1000)

    clock.ms = NOW_MS + 1001
    with pytest.raises(CauserieError) as late:
        await continuity.check(_connection(), _hello("s1", token), _gone)
    clock.ms = NOW_MS + 1000

    assert late.value.code == "resume_refused"
    assert await continuity.check(_connection(), _hello("s1", token), _gone) is not None


async def test_secret_of_an_ended_record_holds_until_its_kept_limit() -> None:
    continuity, store, clock = _world()
    token = _issued(store, "s1")
    store.records["s1"] = replace(
        store.records["s1"], disconnected_at_ms=NOW_MS, resume_until_ms=NOW_MS + 5000
    )

    clock.ms = NOW_MS + 5001
    with pytest.raises(CauserieError):
        await continuity.check(_connection(), _hello("s1", token), _gone)


async def test_session_alone_is_a_plain_hello_unless_away_here_from_the_same_device() -> None:
    continuity, store, _clock = _world()
    _issued(store, "s1")

    live = await continuity.check(_connection(), _hello("s1", None), _live)
    continuity.known["s1"] = Identity("s1", "device-a", NOW_MS + 1000)
    other_device = await continuity.check(_connection("device-b"), _hello("s1", None), _gone)
    same_device = await continuity.check(_connection(), _hello("s1", None), _gone)

    assert live is None and other_device is None
    assert same_device is not None and same_device.previous == "s1"


async def test_resume_declaring_another_profile_carries_nothing_over() -> None:
    continuity, store, _clock = _world()
    token = _issued(store, "s1")
    other = Hello("Alice", "woman", 31, "75011", resume=Resume("s1", token=token))

    grant = await continuity.check(_connection(), other, _live)

    assert grant is not None and not grant.is_same_profile
