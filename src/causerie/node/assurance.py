"""`TeenAssurance`: the node's side of age assurance in the teen space
(docs/age-verification.md, "Age assurance for the teen space").

How this works: a minor's client opens the provider's page, gets a token back and sends
`assure_age {token}`. The token is checked for a minor (`Purpose.MINOR`: `over18: false`, or an
estimated range ending at 17 at most), used once on every node (Redis, as `verify_age` does),
and the hub marks the session assured; `core/policy/assurance.py` decides what that opens. The
flag belongs to the session. A `resume` keeps it only for the same identity: the session it
names was assured on some node within `RESUME_MEMORY_MS`, and the nickname (as it looks) and
the declared age are the same; anything else asks again.

A self-declared minor who presents a valid proof of adulthood is refused like any other proof
that is not a minor's, and flagged for the moderators (`adult_proof_from_teen`, child safety):
a signal that this "teen" is an adult, for a person to weigh, never a verdict.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence

from causerie.broker.base import BrokerUnavailable
from causerie.core.commands import AssureAge, Resume
from causerie.core.events import Event, Welcomed
from causerie.core.hub import Hub
from causerie.core.policy import assurance
from causerie.core.policy.assurance import AssuranceGate
from causerie.core.policy.nicknames import nick_key
from causerie.core.users import Profile
from causerie.errors import CauserieError, ErrorCode
from causerie.node.age_proofs import AgeProofs
from causerie.node.cluster import Cluster
from causerie.node.connections import Connection
from causerie.node.moderation.flags import Flags
from causerie.node.ports import Clock, Spawn
from causerie.safety.ageverify import Purpose, Refusal, TestAgeProvider

log = logging.getLogger(__name__)
RESUME_MEMORY_MS = 24 * 3600 * 1000  # a resume this long after the proof still keeps it
TEST_PROVIDER_PATH = "/dev/age-provider"  # the development-only provider's page (http/)
ADULT_PROOF_FLAG = "adult_proof_from_teen"


def refusal(key: str) -> CauserieError:
    """An `assure_age` refused: `age_restricted`, the key saying why, and the same word as
    `reason` so that a client can act on it."""
    return CauserieError(ErrorCode.AGE_RESTRICTED, key, field="token", reason=key)


def _identity(profile: Profile) -> str:
    """What a resume must keep to keep the flag: the nickname as it looks, and the age."""
    return f"{nick_key(profile.nick)}|{profile.age}"


class TeenAssurance:
    """Args:
    gate: what a minor not assured may not do (`teen_assurance`).
    provider_url: the provider's page the client opens (`age_provider_url`).
    proofs: the providers' tokens, checked and used up once on every node.
    test_provider: the development-only provider, when `age_test_provider` is on.
    cluster: where assured sessions are remembered with several nodes (None: here).
    """

    def __init__(
        self,
        *,
        gate: AssuranceGate,
        provider_url: str,
        proofs: AgeProofs,
        hub: Hub,
        flags: Flags,
        spawn: Spawn,
        clock: Clock,
        cluster: Cluster | None,
        test_provider: TestAgeProvider | None = None,
    ) -> None:
        self._proofs = proofs
        self._hub = hub
        self._flags = flags
        self._spawn = spawn
        self._clock = clock
        self._cluster = cluster
        self.test_provider = test_provider
        self.gate = gate
        self.provider_url = provider_url or (
            TEST_PROVIDER_PATH if test_provider is not None else ""
        )
        # One node without Redis: assured sessions, oldest first (they expire in that order).
        self._assured: dict[str, tuple[str, int]] = {}

    # -- the welcome -------------------------------------------------------------------------

    async def welcome(
        self, session: str, resume: Resume | None, replies: Sequence[Event]
    ) -> list[Event]:
        """A minor's `welcome` says what is gated and whether the session is assured; a resume
        of the same identity keeps the flag. Never raises: an unreachable memory asks again."""
        hub = self._hub
        profile = hub.profile_of(session)
        if not profile.is_minor:
            return list(replies)
        if resume is not None and resume.session:
            if await self._recall(resume.session) == _identity(profile):
                hub.assure_age(session)
                await self._remember(session, profile)
        status = assurance.status_of(self.gate, hub.profile_of(session))
        if status is not None:
            status = dataclasses.replace(status, provider_url=self.provider_url)
        return [
            dataclasses.replace(event, assurance=status) if isinstance(event, Welcomed) else event
            for event in replies
        ]

    # -- assure_age --------------------------------------------------------------------------

    async def assure(self, connection: Connection, command: AssureAge) -> Sequence[Event]:
        """Check a minor's proof and mark the session assured; the reply lists the rooms.

        Raises:
            CauserieError: `age_restricted` with the reason (an adult asking, no provider, or
                the proof refused: `age_assurance_not_minor`, `…_expired`, `…_replayed`…).
        """
        session = connection.session
        assert session is not None
        hub = self._hub
        profile = hub.profile_of(session)
        if not profile.is_minor:  # refused before the token is used up
            raise refusal("age_assurance_adult")
        if self._proofs.verifier is None:
            raise refusal("age_assurance_unavailable")
        verification = await self._proofs.check(command.token, Purpose.MINOR)
        if not verification.ok:
            reason = verification.reason or Refusal.MALFORMED
            if reason is Refusal.NOT_MINOR:
                await self._flag_if_adult(command.token, session, profile)
            raise refusal(f"age_assurance_{reason.value}")
        replies = hub.assure_age(session).replies
        await self._remember(session, profile)
        return replies

    def refuse_unless_may_write(self, session: str) -> None:
        """Refuse before anything is charged (the node's new-conversation limits): an
        unassured minor's private message is refused by the hub anyway."""
        assurance.refuse_unless_may_write(self.gate, self._hub.profile_of(session))

    async def _flag_if_adult(self, token: str, session: str, profile: Profile) -> None:
        """A declared minor holding a valid adult's proof: for the moderators to weigh."""
        adult = await self._proofs.check(token, Purpose.ADULT)
        if not adult.ok:
            return
        self._spawn(
            self._flags.flag_person(
                session,
                profile.nick,
                ADULT_PROOF_FLAG,
                "child_safety",
                4,
                {"declared_age": profile.age, "provider_key": adult.kid},
            )
        )

    # -- what a resume keeps -----------------------------------------------------------------

    async def _remember(self, session: str, profile: Profile) -> None:
        expires_ms = self._clock.now_ms() + RESUME_MEMORY_MS
        cluster = self._cluster
        if cluster is None:
            self._forget_expired()
            self._assured[session] = (_identity(profile), expires_ms)
            return
        try:
            await cluster.presence.keep(f"assured:{session}", _identity(profile), expires_ms)
        except BrokerUnavailable as exc:  # this session stays assured; a resume asks again
            log.warning("assured session not shared: %s", exc)

    async def _recall(self, session: str) -> str | None:
        cluster = self._cluster
        if cluster is None:
            self._forget_expired()
            kept = self._assured.get(session)
            return kept[0] if kept is not None else None
        try:
            return await cluster.presence.kept(f"assured:{session}")
        except BrokerUnavailable:
            return None

    def _forget_expired(self) -> None:
        now_ms = self._clock.now_ms()
        while self._assured:
            oldest = next(iter(self._assured))
            if self._assured[oldest][1] > now_ms:
                break
            del self._assured[oldest]
