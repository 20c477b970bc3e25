"""Staff accounts (moderators and admins): passwords, the TOTP second factor, who may moderate
where. Pure apart from the argon2 and pyotp computations: no I/O, and callers pass the clock.

A login fails with one `StaffAuthError`, whatever went wrong (unknown name, wrong password,
missing or wrong code, disabled account), and does the same work either way: an unknown name
still costs one password verification against a dummy hash, so neither the message nor the time
taken tells an attacker which names exist.
"""

from __future__ import annotations

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
    digits = "".join(code.split())
    if len(digits) != TOTP_DIGITS or not (digits.isascii() and digits.isdigit()):
        return False
    try:
        return pyotp.TOTP(secret).verify(digits, for_time=now_s, valid_window=TOTP_VALID_WINDOW)
    except (ValueError, TypeError, OverflowError):  # bad base32, time out of range
        return False


def authenticate(
    account: StaffAccount | None, password: str, totp_code: str | None, now_s: float
) -> StaffAccount:
    """Return `account` if the login is good.

    Args:
        account: the account found under the typed name, or None when there is none.
        password: the typed password.
        totp_code: the typed code; required when the account has a TOTP secret.
        now_s: the current Unix time, for the TOTP check.

    Raises:
        StaffAuthError: the same error for every failure, after the same password work.
    """
    if account is None:
        _verify(_DUMMY_HASH, password)
        raise StaffAuthError()
    password_ok = check_password(account, password)
    if account.totp_secret is None:
        totp_ok = True
    else:
        totp_ok = totp_code is not None and check_totp(account.totp_secret, totp_code, now_s)
    if not (password_ok and totp_ok) or account.disabled:
        raise StaffAuthError()
    return account


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
