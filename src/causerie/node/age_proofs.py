"""`AgeProofs`: age-verification tokens from the trusted providers, checked and used up once on
every node (docs/age-verification.md). An adult's proof opens the `adult_verified` rooms
(`verify_age`); a minor's proof assures a teen (node/assurance.py, through `check`).

Each node's verifier remembers the proofs it accepted; with several nodes the shared presence
(Redis) makes a proof single-use across all of them.
"""

from __future__ import annotations

from collections.abc import Sequence

from causerie.core.commands import VerifyAge
from causerie.core.events import Event
from causerie.core.hub import Hub
from causerie.errors import CauserieError, ErrorCode
from causerie.node.cluster import Cluster
from causerie.node.connections import Connection
from causerie.node.ports import Clock
from causerie.safety.ageverify import AgeVerifier, Purpose, Refusal, Verification, token_nonce


class AgeProofs:
    """Args:
    verifier: the trusted providers' keys; None when none is configured.
    """

    def __init__(
        self, verifier: AgeVerifier | None, hub: Hub, cluster: Cluster | None, clock: Clock
    ) -> None:
        self.verifier = verifier
        self._hub = hub
        self._cluster = cluster
        self._clock = clock

    async def check(self, token: str, purpose: Purpose) -> Verification:
        """The token checked for `purpose` and used up, here and on every node."""
        assert self.verifier is not None
        verification = self.verifier.verify(token, self._clock.now_ms(), purpose)
        if verification.ok and self._cluster is not None:
            used = token_nonce(token)
            if used is None or not await self._cluster.presence.use_once(*used):
                return Verification.refused(Refusal.REPLAYED)
        return verification

    async def verify_age(self, connection: Connection, command: VerifyAge) -> Sequence[Event]:
        """`verify_age`: an adult's proof; the reply lists the rooms it opens.

        Raises:
            CauserieError: `invalid` (`age_proof_refused`) with the reason.
        """
        if self.verifier is None:
            raise CauserieError(ErrorCode.INVALID, "age_proof_refused", reason="no provider")
        verification = await self.check(command.token, Purpose.ADULT)
        if not verification.ok:
            reason = verification.reason.value if verification.reason else "refused"
            raise CauserieError(
                ErrorCode.INVALID, "age_proof_refused", field="token", reason=reason
            )
        assert connection.session is not None
        return self._hub.verify_age(connection.session).replies
