"""The transparency figures' arithmetic: percentiles, periods, what counts as an action."""

from __future__ import annotations

from causerie.transparency.figures import DAY_MS, compute, percentile


def test_percentile_nearest_rank() -> None:
    assert percentile([], 0.9) is None
    assert percentile([5.0], 0.9) == 5.0
    assert percentile([float(v) for v in range(1, 11)], 0.9) == 9.0
    assert percentile([float(v) for v in range(1, 12)], 0.9) == 10.0


def test_compute_dismissal_statement_is_not_an_action() -> None:
    statement = {
        "decision": "report_dismissed",
        "is_automatic": False,
        "decided_at_ms": 10,
        "appealed_at_ms": None,
        "appeal_outcome": None,
    }
    figures = compute({"reports": [], "statements": [statement], "legal": []}, 0, DAY_MS)
    assert figures["actions"]["total"] == 0
    assert figures["time_to_action_s"] == {"count": 0, "median": None, "p90": None}


def test_compute_daily_series_spans_the_period() -> None:
    figures = compute({"reports": [], "statements": [], "legal": []}, 0, 3 * DAY_MS - 1)
    assert [d["day"] for d in figures["daily"]] == ["1970-01-01", "1970-01-02", "1970-01-03"]
