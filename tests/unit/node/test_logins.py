"""Staff logins (node/logins.py): the limiter reserves an attempt before anything is checked,
per address and per name, gives it back on success; the password checks run on a bounded pool
that refuses at once when full; a TOTP code logs in once. Clock injected, no sockets."""

from __future__ import annotations

import asyncio
import dataclasses
import threading

import pyotp
import pytest
from argon2 import PasswordHasher

from causerie.errors import CauserieError, ErrorCode
from causerie.node.floodgate import MemoryFloodGate
from causerie.node.logins import LoginLimits, PasswordChecker, StaffLogins
from causerie.safety.staff import StaffAccount, StaffAuthError, StaffRole

PASSWORD = "un-mot-de-passe-long"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
NOW_S = 1_750_000_000.0
_CHEAP = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
ACCOUNT = StaffAccount("Gaspard", StaffRole.MODERATOR, _CHEAP.hash(PASSWORD))


class Directory:
    """The store's staff side in memory, counting look-ups (one per checked attempt)."""

    def __init__(self, *accounts: StaffAccount) -> None:
        self.accounts = {a.name: a for a in accounts}
        self.lookups = 0

    async def staff_account(self, name: str) -> StaffAccount | None:
        self.lookups += 1
        return self.accounts.get(name)

    async def use_totp_step(self, name: str, step: int) -> bool:
        account = self.accounts[name]
        if account.totp_last_step is not None and step <= account.totp_last_step:
            return False
        self.accounts[name] = dataclasses.replace(account, totp_last_step=step)
        return True


class Clock:
    def __init__(self, now_s: float = NOW_S) -> None:
        self.now_s = now_s

    def __call__(self) -> float:
        return self.now_s


def _logins(directory: Directory, clock: Clock | None = None, **limits: object) -> StaffLogins:
    return StaffLogins(
        directory,
        MemoryFloodGate(),
        clock or Clock(),
        LoginLimits(**{"per_address": 3, "per_name": 5, "window_s": 60.0, **limits}),  # type: ignore[arg-type]
    )


async def _refusal(logins: StaffLogins, name: str, password: str, address: str) -> ErrorCode:
    with pytest.raises(CauserieError) as refused:
        await logins.log_in(name, password, None, address)
    return refused.value.code


# -- the limiter -------------------------------------------------------------------------------


async def test_log_in_failures_per_address_limited_then_rate_limited_with_retry_after() -> None:
    logins = _logins(Directory(ACCOUNT))
    for _ in range(3):
        assert await _refusal(logins, "Gaspard", "wrong", "10.0.0.1") is ErrorCode.FORBIDDEN

    with pytest.raises(CauserieError) as limited:
        await logins.log_in("Gaspard", PASSWORD, None, "10.0.0.1")  # even the right one

    assert limited.value.code is ErrorCode.RATE_LIMITED
    assert limited.value.key == "staff_login_limited"
    assert limited.value.retry_after_s is not None and 0 < limited.value.retry_after_s <= 20
    assert (await logins.log_in("Gaspard", PASSWORD, None, "10.0.0.2")).name == "Gaspard"


async def test_log_in_failures_per_name_limited_across_addresses_and_spellings() -> None:
    logins = _logins(Directory(ACCOUNT))
    for index, spelling in enumerate(["Gaspard", "gaspard", " GASPARD ", "Gaspard", "gaspard"]):
        await _refusal(logins, spelling, "wrong", f"10.0.1.{index}")

    assert await _refusal(logins, "Gaspard", PASSWORD, "10.0.2.1") is ErrorCode.RATE_LIMITED
    assert await _refusal(logins, "Someone", "wrong", "10.0.2.1") is ErrorCode.FORBIDDEN


async def test_log_in_unknown_name_limited_like_a_known_one() -> None:
    logins = _logins(Directory(ACCOUNT))
    for _ in range(3):
        assert await _refusal(logins, "Nobody", "wrong", "10.0.0.1") is ErrorCode.FORBIDDEN
    assert await _refusal(logins, "Nobody", "wrong", "10.0.0.1") is ErrorCode.RATE_LIMITED


async def test_log_in_limit_refills_over_the_window() -> None:
    clock = Clock()
    logins = _logins(Directory(ACCOUNT), clock)
    for _ in range(3):
        await _refusal(logins, "Gaspard", "wrong", "10.0.0.1")
    assert await _refusal(logins, "Gaspard", "wrong", "10.0.0.1") is ErrorCode.RATE_LIMITED

    clock.now_s += 20.0  # 3 per 60 s: one attempt back every 20 s

    assert (await logins.log_in("Gaspard", PASSWORD, None, "10.0.0.1")).name == "Gaspard"


async def test_log_in_success_gives_its_tokens_back() -> None:
    logins = _logins(Directory(ACCOUNT))
    for _ in range(10):
        await logins.log_in("Gaspard", PASSWORD, None, "10.0.0.1")

    for _ in range(3):  # the whole allowance of failures is still there
        assert await _refusal(logins, "Gaspard", "wrong", "10.0.0.1") is ErrorCode.FORBIDDEN


async def test_log_in_concurrent_attempts_reserved_before_any_check() -> None:
    directory = Directory(ACCOUNT)
    logins = _logins(directory, queue=100)

    results = await asyncio.gather(
        *(logins.log_in("Gaspard", "wrong", None, "10.0.0.1") for _ in range(40)),
        return_exceptions=True,
    )

    codes = [r.code for r in results if isinstance(r, CauserieError)]
    assert codes.count(ErrorCode.FORBIDDEN) == 3
    assert codes.count(ErrorCode.RATE_LIMITED) == 37
    assert directory.lookups == 3  # refused attempts never reached the store nor the hash


# -- the pool ----------------------------------------------------------------------------------


async def test_password_checker_runs_off_the_event_loop_thread() -> None:
    checker = PasswordChecker(workers=1, queue=0)
    try:
        thread = await checker.run(threading.get_ident)
    finally:
        checker.close()
    assert thread != threading.get_ident()


async def test_password_checker_full_refuses_at_once_then_serves_again() -> None:
    checker = PasswordChecker(workers=1, queue=1)
    gate = threading.Event()
    try:
        first = asyncio.ensure_future(checker.run(lambda: gate.wait(5)))
        second = asyncio.ensure_future(checker.run(lambda: gate.wait(5)))
        await asyncio.sleep(0)
        assert checker.in_flight == 2

        with pytest.raises(CauserieError) as busy:
            await checker.run(lambda: True)

        assert busy.value.code is ErrorCode.RATE_LIMITED
        assert busy.value.key == "staff_login_busy" and busy.value.retry_after_s
        gate.set()
        assert await first and await second
        assert await checker.run(lambda: "again") == "again"
        assert checker.in_flight == 0
    finally:
        gate.set()
        checker.close()


async def test_log_in_busy_pool_refusal_does_not_spend_the_attempt() -> None:
    directory = Directory(ACCOUNT)
    logins = _logins(directory, workers=1, queue=0)
    gate = threading.Event()
    blocker = asyncio.ensure_future(logins.checker.run(lambda: gate.wait(5)))
    await asyncio.sleep(0)
    try:
        for _ in range(5):
            assert await _refusal(logins, "Gaspard", "wrong", "10.0.0.1") is ErrorCode.RATE_LIMITED
    finally:
        gate.set()
        await blocker
    for _ in range(3):  # none of the five busy refusals counted as a failure
        assert await _refusal(logins, "Gaspard", "wrong", "10.0.0.1") is ErrorCode.FORBIDDEN
    logins.close()


# -- TOTP, once --------------------------------------------------------------------------------


async def test_log_in_totp_code_accepted_once_then_replay_refused() -> None:
    account = dataclasses.replace(ACCOUNT, totp_secret=SECRET)
    clock = Clock()
    logins = _logins(Directory(account), clock)
    code = pyotp.TOTP(SECRET).at(NOW_S)

    assert (await logins.log_in("Gaspard", PASSWORD, code, "10.0.0.1")).name == "Gaspard"
    clock.now_s += 10  # same window
    with pytest.raises(StaffAuthError):
        await logins.log_in("Gaspard", PASSWORD, code, "10.0.0.2")

    clock.now_s += 30  # the next step's code is new
    later = pyotp.TOTP(SECRET).at(clock.now_s)
    assert (await logins.log_in("Gaspard", PASSWORD, later, "10.0.0.1")).name == "Gaspard"


async def test_log_in_totp_earlier_step_refused_after_a_later_one_was_used() -> None:
    account = dataclasses.replace(ACCOUNT, totp_secret=SECRET)
    logins = _logins(Directory(account))
    totp = pyotp.TOTP(SECRET)

    await logins.log_in("Gaspard", PASSWORD, totp.at(NOW_S + 30), "10.0.0.1")  # clock ahead

    with pytest.raises(StaffAuthError):  # valid in the window, but older than the one used
        await logins.log_in("Gaspard", PASSWORD, totp.at(NOW_S), "10.0.0.1")


def test_login_limits_charges_short_keys_for_any_name() -> None:
    limits = LoginLimits()
    long_name = "é" * 10_000 + "\ud800"

    keys = [key for key, _limit in limits.charges("10.0.0.1", long_name)]

    assert keys[0] == "stafflogin:address:10.0.0.1"
    assert len(keys[1]) < 64
    assert keys[1] == limits.charges("10.0.0.2", long_name)[1][0]
