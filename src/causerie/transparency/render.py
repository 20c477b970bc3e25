"""The transparency report as JSON, CSV or a standalone HTML page with SVG charts (no script,
no external resource: it opens anywhere and can be published as is). Pure: figures in, text out.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

FORMATS = ("json", "csv", "html")


def to_json(figures: Mapping[str, Any]) -> str:
    return json.dumps(figures, ensure_ascii=False, indent=2) + "\n"


def _flat(prefix: str, value: Any) -> list[tuple[str, str]]:
    if isinstance(value, Mapping):
        return [pair for key, item in value.items() for pair in _flat(f"{prefix}.{key}", item)]
    if isinstance(value, list):
        return [
            pair
            for item in value
            for pair in _flat(
                f"{prefix}.{item.get('day', '')}", {k: v for k, v in item.items() if k != "day"}
            )
        ]
    return [(prefix.lstrip("."), "" if value is None else str(value))]


def to_csv(figures: Mapping[str, Any]) -> str:
    """One `figure,value` row per number, e.g. `notices.by_category.hate,3`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["figure", "value"])
    for key, value in figures.items():
        writer.writerows(_flat(key, value))
    return out.getvalue()


_COLORS = ("#2f6fde", "#d9534f", "#3a9d5d", "#e6a23c", "#8e5cc4", "#16a2b8", "#6c757d", "#c2185b")


def bars_svg(title: str, values: Mapping[str, int | float]) -> str:
    """A horizontal bar chart, one bar per key."""
    width, row_h, label_w = 560, 26, 170
    top = max([float(v) for v in values.values()] + [1.0])
    rows = []
    for i, (label, value) in enumerate(values.items()):
        y = 30 + i * row_h
        bar = (width - label_w - 60) * float(value) / top
        rows.append(
            f'<text x="0" y="{y + 15}" font-size="13">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{bar:.1f}" height="{row_h - 8}" '
            f'fill="{_COLORS[i % len(_COLORS)]}"/>'
            f'<text x="{label_w + bar + 6:.1f}" y="{y + 15}" font-size="13">{value}</text>'
        )
    height = 40 + len(values) * row_h
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)}"><text x="0" y="18" font-size="15" '
        f'font-weight="bold">{escape(title)}</text>{"".join(rows)}</svg>'
    )


def series_svg(title: str, days: Sequence[Mapping[str, Any]], keys: Sequence[str]) -> str:
    """A line per key over the days (a time series)."""
    width, height, left, bottom = 560, 220, 40, 30
    top = max([float(d[k]) for d in days for k in keys] + [1.0])
    span = max(len(days) - 1, 1)
    parts = [
        f'<line x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" '
        'stroke="#888"/>',
        f'<text x="0" y="{height - bottom}" font-size="11">0</text>',
        f'<text x="0" y="40" font-size="11">{top:g}</text>',
    ]
    for index, key in enumerate(keys):
        points = " ".join(
            f"{left + (width - left - 10) * i / span:.1f},"
            f"{height - bottom - (height - bottom - 40) * float(d[key]) / top:.1f}"
            for i, d in enumerate(days)
        )
        color = _COLORS[index % len(_COLORS)]
        parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{points}"/>')
        parts.append(
            f'<text x="{left + 10 + 110 * index}" y="{height - 6}" font-size="12" '
            f'fill="{color}">{escape(key)}</text>'
        )
    if days:
        parts.append(f'<text x="{left}" y="{height - 16}" font-size="10">{days[0]["day"]}</text>')
        parts.append(
            f'<text x="{width - 70}" y="{height - 16}" font-size="10">{days[-1]["day"]}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(title)}"><text x="0" y="18" font-size="15" font-weight="bold">'
        f"{escape(title)}</text>{''.join(parts)}</svg>"
    )


def _hours(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds / 3600:.1f} h" if seconds >= 3600 else f"{seconds / 60:.1f} min"


def to_html(figures: Mapping[str, Any]) -> str:
    """A standalone page (French, figures also readable without the charts)."""
    period = figures["period"]
    notices, actions = figures["notices"], figures["actions"]
    wait, appeals, legal = (
        figures["time_to_action_s"],
        figures["appeals"],
        figures["legal_requests"],
    )
    charts = [
        series_svg("Signalements et actions par jour", figures["daily"], ["notices", "actions"]),
        bars_svg("Signalements par catégorie", notices["by_category"]),
        bars_svg("Signalements par source", notices["by_source"]),
        bars_svg("Actions par type", actions["by_kind"] or {"—": 0}),
        bars_svg(
            "Décisions automatiques / humaines",
            {"automatiques": actions["automatic"], "humaines": actions["human"]},
        ),
        bars_svg("Recours et issues", appeals["outcomes"]),
        bars_svg(
            "Demandes des autorités",
            {k: legal[k] for k in ("exports", "holds", "searches")},
        ),
    ]
    summary = [
        ("Signalements reçus", notices["total"]),
        ("Actions prises", actions["total"]),
        ("Délai médian avant action", _hours(wait["median"])),
        ("Délai au 90e centile", _hours(wait["p90"])),
        ("Recours", appeals["total"]),
        ("Demandes des autorités (références)", legal["references"]),
    ]
    rows = "".join(f"<tr><th>{escape(k)}</th><td>{escape(str(v))}</td></tr>" for k, v in summary)
    return (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
        "<title>Rapport de transparence — Causerie</title></head><body>"
        f"<h1>Rapport de transparence</h1><p>Du {escape(period['from'])} "
        f"au {escape(period['to'])}</p><table>{rows}</table>"
        + "".join(f"<figure>{chart}</figure>" for chart in charts)
        + "</body></html>\n"
    )


def render(figures: Mapping[str, Any], fmt: str) -> str:
    return {"json": to_json, "csv": to_csv, "html": to_html}[fmt](figures)
