"""Errors shared by every layer, and the stable codes the wire protocol speaks.

A refusal the user may see is a `CauserieError` carrying an `ErrorCode` and a message key; the
adapters turn it into a wire frame (or an HTTP status) in one place each. Messages are looked up
in the user's language by `causerie.messages_i18n`, so the core never chooses a language.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """Wire error codes (docs/protocol.md). Never rename one: clients depend on them."""

    INVALID = "invalid"
    NICK_TAKEN = "nick_taken"
    TOO_YOUNG = "too_young"
    FORBIDDEN = "forbidden"
    AGE_RESTRICTED = "age_restricted"
    DM_BLOCKED = "dm_blocked"
    RATE_LIMITED = "rate_limited"
    HELD_FOR_REVIEW = "held_for_review"
    MUTED = "muted"
    BANNED = "banned"
    NOT_FOUND = "not_found"
    ROOM_FULL = "room_full"  # a room at its member limit (an addition to DESIGN.md's codes)
    INVITE_ONLY = "invite_only"  # a member room one was not invited to (an addition)
    BAD_KEY = "bad_key"  # a member room's key missing or wrong (an addition)
    TOO_LARGE = "too_large"
    INVALID_MEDIA = "invalid_media"
    UNAVAILABLE = "unavailable"
    INTERNAL = "internal"
    RESUME_REFUSED = "resume_refused"


class CauserieError(Exception):
    """A refusal with a stable code, safe to show.

    Args:
        code: the wire code.
        key: the message key in `causerie.i18n` (defaults to the code's own text).
        field: the request field at fault, so a form can show the error beside it.
        retry_after_s: seconds until the refusal ends by itself, when it does.
        params: values substituted into the message text.
    """

    def __init__(
        self,
        code: ErrorCode,
        key: str | None = None,
        *,
        field: str | None = None,
        retry_after_s: float | None = None,
        **params: object,
    ) -> None:
        self.code = code
        self.key = key or code.value
        self.field = field
        self.retry_after_s = retry_after_s
        self.params = params
        super().__init__(f"{code.value}: {self.key}")


class ProtocolError(CauserieError):
    """Bad input from a client: the only way a codec fails."""

    def __init__(
        self,
        key: str = "invalid",
        *,
        code: ErrorCode = ErrorCode.INVALID,
        field: str | None = None,
        **params: object,
    ) -> None:
        super().__init__(code, key, field=field)
        self.params = params


class ConfigError(Exception):
    """A configuration value that cannot be used; the message names key, value and expectation."""
