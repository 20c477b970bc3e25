"""What a refusal or a notice says to a person, in their language: the words and figures every
adapter shows the same (a WebSocket `error` or `notice` frame, an HTTP body, an IRC numeric or
NOTICE). Pure; texts come from `causerie.i18n`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from causerie.core.events import NoticeKind
from causerie.errors import CauserieError
from causerie.i18n import translate

MAX_RETRY_AFTER_S = 3650 * 86400.0  # what an error may tell, whatever the refusal computed
# The text of a notice whose key has none of its own.
NOTICE_FALLBACK = {
    NoticeKind.SAFETY: "meeting_safety",
    NoticeKind.MODERATION: "automod_warning",
    NoticeKind.INFO: "invalid",
}


def error_message(error: CauserieError, lang: str) -> str:
    """The refusal as a sentence (whole seconds where it says when to try again)."""
    return translate(error.key, lang, fallback=error.code.value, **_rounded(error))


def retry_after(error: CauserieError) -> float | None:
    """Seconds until the refusal ends by itself, as told (tenths, at least 0.1), or None."""
    if error.retry_after_s is None:
        return None
    return max(0.1, round(_bounded_wait_s(error.retry_after_s) + 0.05, 1))


def reason_of(error: CauserieError) -> str | None:
    """Why, in a stable word, when a code has several causes (e.g. `age_assurance_needed`)."""
    reason = error.params.get("reason")
    return reason if isinstance(reason, str) else None


def notice_text(kind: NoticeKind, key: str, params: Iterable[tuple[str, object]], lang: str) -> str:
    return translate(key, lang, NOTICE_FALLBACK[kind], **dict(params))


def _bounded_wait_s(seconds: float) -> float:
    """A wait as an error may tell it: finite, at most `MAX_RETRY_AFTER_S`, never negative (a
    refusal computed from a bad number must still be a readable error, not a crash)."""
    if math.isnan(seconds) or seconds < 0:
        return 0.0
    return min(seconds, MAX_RETRY_AFTER_S)


def _rounded(error: CauserieError) -> dict[str, object]:
    params = dict(error.params)
    if error.retry_after_s is not None:
        # People read whole seconds.
        params["retry_after"] = math.ceil(_bounded_wait_s(error.retry_after_s))
    if error.field and "field" not in params:
        params["field"] = error.field
    return params
