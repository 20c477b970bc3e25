"""The report's finer reason: only known reasons, only in their lane, minors' reasons from
minors only (docs/protocol.md, "Reports")."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from causerie.errors import CauserieError, ErrorCode
from causerie.safety.report_reasons import ReportReason, checked_reason
from causerie.safety.reports import Category


def test_no_reason_is_no_reason() -> None:
    assert checked_reason(None, Category.SPAM, reporter_is_minor=False) is None


def test_suspected_adult_from_a_teen_in_the_child_safety_lane() -> None:
    reason = checked_reason("suspected_adult", Category.CHILD_SAFETY, reporter_is_minor=True)
    assert reason is ReportReason.SUSPECTED_ADULT


@pytest.mark.parametrize(
    ("category", "is_minor"),
    [(Category.CHILD_SAFETY, False), (Category.HARASSMENT, True), (Category.OTHER, True)],
)
def test_suspected_adult_out_of_place_is_invalid(category: Category, is_minor: bool) -> None:
    with pytest.raises(CauserieError) as caught:
        checked_reason("suspected_adult", category, reporter_is_minor=is_minor)
    assert (caught.value.code, caught.value.key, caught.value.field) == (
        ErrorCode.INVALID,
        "report_reason",
        "reason",
    )


@given(st.text(max_size=40).filter(lambda text: text not in {r.value for r in ReportReason}))
def test_unknown_reasons_are_invalid(text: str) -> None:
    with pytest.raises(CauserieError) as caught:
        checked_reason(text, Category.CHILD_SAFETY, reporter_is_minor=True)
    assert caught.value.code is ErrorCode.INVALID and caught.value.field == "reason"
