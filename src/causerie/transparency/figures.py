"""The transparency report's figures for a period (DESIGN.md rule 8, DSA art. 15 and 24). Pure:
computed from the rows `transparency_rows` returns; nothing here reads a clock or a database.

What is counted, for reports received between `from` and `to` (inclusive):

- notices received: user reports and automatic flags, by category and by source (people,
  trusted flaggers, automatic detection); appeals are counted apart;
- actions taken: statements of reasons issued in the period, by decision, and how many were
  automatic or taken by a person (a report's dismissal is not an action against anyone);
- time to act: for the period's notices that were closed (actioned or dismissed), the time from
  receipt to the decision; the median and the 90th percentile (nearest rank);
- appeals lodged in the period and their outcome (upheld, reversed, pending);
- lawful requests: legal exports, holds and archive searches recorded in the audit log.
"""

from __future__ import annotations

import json
import math
import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from causerie.safety.reports import Category, Lane, ReportKind, ReportState
from causerie.safety.statements import Decision

DAY_MS = 86_400_000
_NOT_ACTIONS = frozenset({Decision.REPORT_DISMISSED.value, Decision.REPORT_ACTIONED.value})
_CLOSED = frozenset({ReportState.ACTIONED.value, ReportState.DISMISSED.value})


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """Nearest-rank percentile: the smallest value with at least `fraction` of them at or
    below it; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def _day(at_ms: int) -> str:
    return datetime.fromtimestamp(at_ms / 1000, UTC).date().isoformat()


def _days(from_ms: int, to_ms: int) -> list[str]:
    first = from_ms - from_ms % DAY_MS
    return [_day(at) for at in range(first, to_ms + 1, DAY_MS)]


def compute(
    rows: Mapping[str, Sequence[Mapping[str, Any]]], from_ms: int, to_ms: int
) -> dict[str, Any]:
    """The report as a JSON-ready dict (see the module docstring for what each figure is)."""
    notices = [
        r
        for r in rows["reports"]
        if r["kind"] != ReportKind.APPEAL.value and from_ms <= r["created_at_ms"] <= to_ms
    ]
    statements = [s for s in rows["statements"] if from_ms <= s["decided_at_ms"] <= to_ms]
    actions = [s for s in statements if s["decision"] not in _NOT_ACTIONS]
    waits_s = [
        (r["updated_at_ms"] - r["created_at_ms"]) / 1000 for r in notices if r["state"] in _CLOSED
    ]
    appealed = [
        s
        for s in rows["statements"]
        if s["appealed_at_ms"] is not None and from_ms <= s["appealed_at_ms"] <= to_ms
    ]
    legal = Counter(entry["action"] for entry in rows["legal"])
    references = {_reference(entry) for entry in rows["legal"]} - {""}
    by_category = Counter(r["category"] for r in notices)
    by_source = Counter(r["lane"] for r in notices)
    by_decision = Counter(s["decision"] for s in actions)
    daily_reports = Counter(_day(r["created_at_ms"]) for r in notices)
    daily_actions = Counter(_day(s["decided_at_ms"]) for s in actions)
    outcomes = Counter(s["appeal_outcome"] or "pending" for s in appealed)
    return {
        "period": {"from": _iso(from_ms), "to": _iso(to_ms)},
        "notices": {
            "total": len(notices),
            "by_category": {c.value: by_category.get(c.value, 0) for c in Category},
            "by_source": {lane.value: by_source.get(lane.value, 0) for lane in Lane},
            "dismissed": sum(1 for r in notices if r["state"] == ReportState.DISMISSED.value),
            "open": sum(1 for r in notices if r["state"] not in _CLOSED),
        },
        "actions": {
            "total": len(actions),
            "by_kind": dict(sorted(by_decision.items())),
            "automatic": sum(1 for s in actions if s["is_automatic"]),
            "human": sum(1 for s in actions if not s["is_automatic"]),
        },
        "time_to_action_s": {
            "count": len(waits_s),
            "median": statistics.median(waits_s) if waits_s else None,
            "p90": percentile(waits_s, 0.9),
        },
        "appeals": {
            "total": len(appealed),
            "outcomes": {k: outcomes.get(k, 0) for k in ("upheld", "reversed", "pending")},
        },
        "legal_requests": {
            "exports": legal.get("legal_export", 0),
            "holds": legal.get("legal_hold", 0),
            "searches": legal.get("archive_search", 0),
            "references": len(references),
        },
        "daily": [
            {"day": day, "notices": daily_reports.get(day, 0), "actions": daily_actions.get(day, 0)}
            for day in _days(from_ms, to_ms)
        ],
    }


def _reference(entry: Mapping[str, Any]) -> str:
    details = entry.get("details")
    if isinstance(details, str):
        try:
            details = json.loads(details)
        except ValueError:
            details = {}
    if isinstance(details, dict):
        return str(details.get("reference", ""))
    return ""


def _iso(at_ms: int) -> str:
    return datetime.fromtimestamp(at_ms / 1000, UTC).isoformat(timespec="seconds")
