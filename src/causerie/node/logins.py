"""Staff logins on every door — the WebSocket's `login`, IRC's `OPER` and SASL PLAIN, and
`POST /api/admin/login` — through one limiter and one small pool of password checks.

How a login goes:

1. **Reserve.** One token is taken from the address's bucket and one from the name's bucket
   before anything is checked (in Redis when the nodes share one, so the limits hold across
   nodes and reconnections). An empty bucket refuses at once with `rate_limited` and
   `retry_after`: no store read, no hash. Taking first is what makes the limit hold when many
   attempts arrive together: forty concurrent wrong passwords cannot all pass a check made
   before the first of them failed.
2. **Check.** The argon2id verification (64 MiB, about 0.15 s of two cores) runs on
   `PasswordChecker`'s few threads, niced so that the event loop keeps the CPU it needs for the
   chat. When every thread is busy and `queue` checks wait already, the login is refused at once
   with `rate_limited` rather than queued without bound. An unknown name costs the same hash
   (against a dummy), so neither the time nor the limiter tells which names exist.
3. **Record the TOTP step** with the store's compare-and-set: a code is good once.
4. **Give back** both tokens when the login was good: the buckets count failures.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeVar

from causerie.core.policy.ratelimits import RateLimit
from causerie.errors import CauserieError, ErrorCode
from causerie.safety.staff import LoginGranted, StaffAccount, StaffAuthError, check_login

if TYPE_CHECKING:
    from causerie.config import Settings
    from causerie.node.floodgate import FloodGate

log = logging.getLogger(__name__)
T = TypeVar("T")
CHECKER_NICE = 10  # hashing threads yield to the event loop's thread
BUSY_RETRY_S = 1.0
MAX_NAME_CHARS = 64  # of a name as a bucket key (longer names share the first 64 characters)


@dataclass(frozen=True, slots=True)
class LoginLimits:
    """Failed staff logins allowed per address and per name within `window_s` (a token bucket:
    that many at once, then one every `window_s / n`), and the password-check pool's size."""

    per_address: int = 10
    per_name: int = 10
    window_s: float = 600.0
    workers: int = 1
    queue: int = 4

    @classmethod
    def from_settings(cls, settings: Settings) -> LoginLimits:
        return cls(
            per_address=settings.staff_logins_per_address,
            per_name=settings.staff_logins_per_name,
            window_s=settings.staff_login_window_s,
            workers=settings.staff_login_workers,
            queue=settings.staff_login_queue,
        )

    def charges(self, address: str, name: str) -> list[tuple[str, RateLimit]]:
        """The buckets one attempt is charged to. The name is folded (case, spaces) and hashed,
        so that any text makes a short key and `Gaspard` and `gaspard ` share one bucket."""
        folded = name.strip().casefold()[:MAX_NAME_CHARS]
        name_key = hashlib.sha256(folded.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        return [
            (
                f"stafflogin:address:{address}",
                RateLimit(self.per_address, self.per_address / self.window_s),
            ),
            (
                f"stafflogin:name:{name_key}",
                RateLimit(self.per_name, self.per_name / self.window_s),
            ),
        ]


class PasswordChecker:
    """A bounded pool for password hashing: `workers` threads and at most `queue` checks
    waiting; past that, `run` refuses at once (`rate_limited`, key `staff_login_busy`)."""

    def __init__(self, workers: int = 1, queue: int = 4, nice: int = CHECKER_NICE) -> None:
        self._nice = nice
        self._capacity = workers + queue
        self._in_flight = 0
        self._executor = ThreadPoolExecutor(
            max_workers=workers, thread_name_prefix="password-check", initializer=self._lower
        )

    @property
    def in_flight(self) -> int:
        return self._in_flight

    def _lower(self) -> None:
        # Linux keeps a nice value per thread, and argon2's lane threads inherit it: under a
        # storm of logins the chat's thread still gets the CPU first.
        with suppress(OSError, AttributeError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), self._nice)

    @contextmanager
    def slot(self) -> Iterator[None]:
        """One of the pool's places, for a check and what leads to it (the store read).

        Raises:
            CauserieError: `rate_limited` (with `retry_after`) when the pool and its queue are
                full; nothing waits then.
        """
        if self._in_flight >= self._capacity:
            raise CauserieError(
                ErrorCode.RATE_LIMITED, "staff_login_busy", retry_after_s=BUSY_RETRY_S
            )
        self._in_flight += 1
        try:
            yield
        finally:
            self._in_flight -= 1

    async def execute(self, check: Callable[[], T]) -> T:
        """`check()` on a pool thread (the caller holds a `slot`)."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, check)

    async def run(self, check: Callable[[], T]) -> T:
        """`check()` on a pool thread, in a place of its own (see `slot`)."""
        with self.slot():
            return await self.execute(check)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


class StaffDirectory(Protocol):
    async def staff_account(self, name: str) -> StaffAccount | None: ...

    async def use_totp_step(self, name: str, step: int) -> bool: ...


class StaffLogins:
    """The one way a staff member logs in, whatever the door (see the module's steps)."""

    def __init__(
        self,
        directory: StaffDirectory,
        floodgate: FloodGate,
        clock: Callable[[], float],
        limits: LoginLimits | None = None,
        checker: PasswordChecker | None = None,
    ) -> None:
        self.limits = limits or LoginLimits()
        self._directory = directory
        self._floodgate = floodgate
        self._clock = clock
        self.checker = checker or PasswordChecker(self.limits.workers, self.limits.queue)

    async def log_in(
        self, name: str, password: str, totp: str | None, address: str
    ) -> StaffAccount:
        """The account, if the login is good.

        Raises:
            StaffAuthError: `forbidden`, the same for every wrong credential or replayed code.
            CauserieError: `rate_limited` with `retry_after`: too many failures from this
                address or for this name, or the password checks are all busy.
            BrokerUnavailable: the shared limiter (Redis) did not answer.
        """
        charges = self.limits.charges(address, name)
        wait_s = await self._floodgate.take_all(charges, self._clock())
        if wait_s > 0:
            log.info("staff login refused (limit) for %r from %s", name[:40], address)
            raise CauserieError(ErrorCode.RATE_LIMITED, "staff_login_limited", retry_after_s=wait_s)
        try:
            granted = await self._check(name.strip(), password, totp)
        except StaffAuthError:
            log.info("failed staff login for %r from %s", name[:40], address)
            raise
        except CauserieError:  # the pool was full: no check was made, the attempt is not spent
            await self._floodgate.give_back(charges, self._clock())
            raise
        await self._floodgate.give_back(charges, self._clock())
        return granted.account

    async def _check(self, name: str, password: str, totp: str | None) -> LoginGranted:
        with self.checker.slot():  # a full pool refuses before even the store is read
            account = await self._directory.staff_account(name)
            now_s = self._clock()
            granted = await self.checker.execute(
                lambda: check_login(account, password, totp, now_s)
            )
        step = granted.totp_step
        if step is not None and not await self._directory.use_totp_step(granted.account.name, step):
            raise StaffAuthError()  # that code (or a later one) logged in already
        return granted

    def close(self) -> None:
        self.checker.close()
