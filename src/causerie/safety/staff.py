"""Staff accounts (moderators and admins): passwords, the TOTP second factor, who may moderate
where. Pure apart from the argon2 and pyotp computations: no I/O, and callers pass the clock.

A login fails with one `StaffAuthError`, whatever went wrong (unknown name, wrong password,
missing, wrong or replayed code, disabled account), and does the same work either way: an
unknown name still costs one password verification against a dummy hash, so neither the message
nor the time taken tells an attacker which names exist.

A TOTP code is good once: a login records the time step of the code it used
(`LoginGranted.totp_step`, kept in the store with an atomic compare-and-set), and a code whose
step is not after the last recorded one is refused, so a code seen over someone's shoulder or
in a log cannot be replayed within its 90-second window.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from enum import StrEnum

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import Argon2Error
from argon2.profiles import RFC_9106_LOW_MEMORY

from causerie.core.policy.nicknames import normalize_nick
from causerie.errors import CauserieError, ErrorCode

TOTP_DIGITS = 6
TOTP_VALID_WINDOW = 1  # one 30-second step either side, for clocks that drift
TOTP_STEP_S = 30
MAX_TOTP_TIME_S = 253_402_300_800  # year 10000: pyotp's own limit
# RFC 9106's second recommended option: argon2id, 64 MiB, 3 passes, 4 lanes.
_HASHER = PasswordHasher.from_parameters(RFC_9106_LOW_MEMORY)
# Verified against when the name is unknown, so that costs what a real login costs. Made with the
# parameters above (a test keeps them in step); nothing can log in with it.
_DUMMY_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4$57bQ2miLR6ROBFo5gUp/ew"
    "$o3Z1oKHKdGYQrcb4bxzL6g85qGv5FRN3rxugWjWiFcI"
)


class StaffRole(StrEnum):
    MODERATOR = "moderator"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class StaffAccount:
    """A staff member. `rooms` limits a moderator to those rooms; empty means everywhere."""

    name: str
    role: StaffRole
    password_hash: str = field(repr=False)
    totp_secret: str | None = field(default=None, repr=False)
    rooms: tuple[str, ...] = ()
    disabled: bool = False
    totp_last_step: int | None = None  # the time step of the last code accepted


@dataclass(frozen=True, slots=True)
class LoginGranted:
    """A good login. `totp_step` is the time step of the code used (None without TOTP): the
    caller records it, refusing the login if another login recorded it (or a later one) first."""

    account: StaffAccount
    totp_step: int | None = None


class StaffAuthError(CauserieError):
    """A refused staff login. Deliberately says nothing about which part was wrong."""

    def __init__(self) -> None:
        super().__init__(ErrorCode.FORBIDDEN, "staff_login_failed")


def hash_password(password: str) -> str:
    """An argon2id hash of `password`, in the PHC string format (parameters and salt included)."""
    return _HASHER.hash(password)


def check_password(account: StaffAccount, password: str) -> bool:
    """Whether `password` matches the account's hash; False (never an error) on a garbled hash."""
    return _verify(account.password_hash, password)


def needs_rehash(account: StaffAccount) -> bool:
    """Whether the account's hash uses older parameters (or is unreadable) and should be
    replaced by `hash_password` after the next successful login."""
    try:
        return _HASHER.check_needs_rehash(account.password_hash)
    except ValueError:  # InvalidHashError
        return True


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (Argon2Error, ValueError):  # mismatch, corrupt hash, non-ASCII hash
        return False


def new_totp_secret() -> str:
    """A fresh random TOTP secret (base32, 160 bits), to store on the account."""
    return pyotp.random_base32()


def totp_uri(name: str, secret: str, issuer: str = "Causerie") -> str:
    """The `otpauth://` URI an authenticator app reads (usually shown as a QR code)."""
    return pyotp.TOTP(secret).provisioning_uri(name=name, issuer_name=issuer)


def check_totp(secret: str, code: str, now_s: float) -> bool:
    """Whether `code` (6 digits, spaces allowed) is valid at `now_s`, one step either side.

    False, never an error, for a malformed code, a garbled secret or an impossible time.
    """
    return totp_step_of(secret, code, now_s) is not None


def totp_step_of(secret: str, code: str, now_s: float) -> int | None:
    """The time step (Unix time // 30) whose code `code` is, within one step of `now_s`; None
    when it is none of them, malformed, or the secret or the time is unusable."""
    digits = "".join(code.split())
    if len(digits) != TOTP_DIGITS or not (digits.isascii() and digits.isdigit()):
        return None
    if not 0 <= now_s < MAX_TOTP_TIME_S:  # also refuses NaN
        return None
    now_step = int(now_s // TOTP_STEP_S)
    try:
        totp = pyotp.TOTP(secret, interval=TOTP_STEP_S)
        for step in range(now_step - TOTP_VALID_WINDOW, now_step + TOTP_VALID_WINDOW + 1):
            if hmac.compare_digest(totp.generate_otp(step), digits):
                return step
    except (ValueError, TypeError, OverflowError):  # bad base32, time out of range
        return None
    return None


def check_login(
    account: StaffAccount | None, password: str, totp_code: str | None, now_s: float
) -> LoginGranted:
    """Check a login: the password, and the code when the account has TOTP (a code of a step at
    or before `account.totp_last_step` is refused: it was used already).

    Args:
        account: the account found under the typed name, or None when there is none.
        password: the typed password.
        totp_code: the typed code; required when the account has a TOTP secret.
        now_s: the current Unix time, for the TOTP check.

    Returns:
        The account and the step of the code used, which the caller must record.

    Raises:
        StaffAuthError: the same error for every failure, after the same password work.
    """
    if account is None:
        _verify(_DUMMY_HASH, password)
        raise StaffAuthError()
    password_ok = check_password(account, password)
    step = None
    if account.totp_secret is None:
        totp_ok = True
    else:
        step = None if totp_code is None else totp_step_of(account.totp_secret, totp_code, now_s)
        last = account.totp_last_step
        totp_ok = step is not None and (last is None or step > last)
    if not (password_ok and totp_ok) or account.disabled:
        raise StaffAuthError()
    return LoginGranted(account, step)


def authenticate(
    account: StaffAccount | None, password: str, totp_code: str | None, now_s: float
) -> StaffAccount:
    """`check_login`'s account, for callers that keep no record of used codes (tests)."""
    return check_login(account, password, totp_code, now_s).account


def can_moderate(account: StaffAccount, room_id: str | None) -> bool:
    """Whether `account` may act in `room_id`, or site-wide when `room_id` is None.

    Admins and global moderators (no rooms listed) may act anywhere and site-wide; a moderator
    limited to rooms may act only in those. A disabled account may do nothing.
    """
    if account.disabled:
        return False
    if account.role == StaffRole.ADMIN or not account.rooms:
        return True
    return room_id is not None and room_id in account.rooms


def validate_staff_name(name: str) -> str:
    """Return the staff name to use: the nickname rules for length and characters, but reserved
    words allowed (staff are who they are reserved for).

    Raises:
        CauserieError: `invalid` with key `nick_length` or `nick_chars` and `field="name"`.
    """
    return normalize_nick(name, field="name")
