"""Finer reasons a report may give within its category (docs/protocol.md, "Reports";
docs/moderation.md §10). Pure.

`suspected_adult` ("je pense que c'est un adulte") is for the teen space: a teen who believes
someone there is an adult posing as a teen. It belongs to the child-safety lane, so it is
accepted only with the category `child_safety` and only from a minor — an adult sees nobody in
the teen space to report. Any other value, or a reason where it makes no sense, is `invalid`.
"""

from __future__ import annotations

from enum import StrEnum

from causerie.errors import CauserieError, ErrorCode
from causerie.safety.reports import Category


class ReportReason(StrEnum):
    SUSPECTED_ADULT = "suspected_adult"


# Each reason, with the category it goes with and whether only minors may give it.
_CATEGORY: dict[ReportReason, Category] = {ReportReason.SUSPECTED_ADULT: Category.CHILD_SAFETY}
_MINORS_ONLY = frozenset({ReportReason.SUSPECTED_ADULT})


def checked_reason(
    reason: str | None, category: Category, *, reporter_is_minor: bool
) -> ReportReason | None:
    """The report's reason, if it gave one that fits.

    Raises:
        CauserieError: `invalid`, key `report_reason`, field `reason`: an unknown reason, one
            given with another category, or a minors' reason from an adult.
    """
    if reason is None:
        return None
    try:
        known = ReportReason(reason)
    except ValueError:
        raise CauserieError(ErrorCode.INVALID, "report_reason", field="reason") from None
    if _CATEGORY[known] is not category or (known in _MINORS_ONLY and not reporter_is_minor):
        raise CauserieError(ErrorCode.INVALID, "report_reason", field="reason")
    return known
