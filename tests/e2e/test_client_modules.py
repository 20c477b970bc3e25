"""The web client's pure modules, run in Chromium on the served files: the reconnection's
backoff (reconnect.js), the cutting of a message into text, links and mentions (richtext.js)
and the nickname colours' contrast arithmetic (people.js). No server state is involved; the
page only serves the modules.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest

pytestmark = pytest.mark.e2e


def _module(page: Any, server: str, path: str, body: str) -> Any:
    page.goto(f"{server}/healthz")
    return page.evaluate(f"async () => {{ const m = await import('{server}{path}'); {body} }}")


def test_backoff_doubles_from_half_a_second_to_thirty_with_thirty_percent_jitter(
    server: str, new_page: Callable[..., Any]
) -> None:
    delays = _module(
        new_page(),
        server,
        "/static/reconnect.js",
        """return [0, 0.5, 1].map((r) => Array.from({ length: 10 },
            (_, attempt) => m.backoffDelayMs(attempt, m.BACKOFF, () => r)));""",
    )
    low, middle, high = delays
    assert middle == [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000]
    assert low[:3] == [350, 700, 1400] and low[-1] == 21000
    assert high[:3] == [650, 1300, 2600] and max(high) == 30000  # never past the cap
    assert all(a <= b for row in delays for a, b in itertools.pairwise(row))


CASES = {
    "Lis https://exemple.fr/a?b=1.": [
        ["text", "Lis "],
        ["link", "https://exemple.fr/a?b=1", "https://exemple.fr/a?b=1"],
        ["text", "."],
    ],
    "(voir https://fr.wikipedia.org/wiki/Lyon_(ville))": [
        ["text", "(voir "],
        [
            "link",
            "https://fr.wikipedia.org/wiki/Lyon_(ville)",
            "https://fr.wikipedia.org/wiki/Lyon_(ville)",
        ],
        ["text", ")"],
    ],
    "javascript:alert(1) data:text/html,x": [
        ["mention", "javascript", None],
        ["text", ":alert(1) data:text/html,x"],
    ],
    "écris à bob@exemple.fr": [["text", "écris à bob@exemple.fr"]],
    "@Élodie, @Bo.": [
        ["mention", "@Élodie", None],
        ["text", ", "],
        ["mention", "@Bo", None],
        ["text", "."],
    ],
    "https://x.fr/@Alice": [["link", "https://x.fr/@Alice", "https://x.fr/@Alice"]],
}


def test_messages_are_cut_into_text_safe_links_and_mentions(
    server: str, new_page: Callable[..., Any]
) -> None:
    found = _module(
        new_page(),
        server,
        "/static/richtext.js",
        f"""const cases = {list(CASES)!r};
        return Object.fromEntries(cases.map((text) => [text, m.segments(text).map(
            (p) => p.kind === "text" ? ["text", p.text] : [p.kind, p.text, p.href ?? null])]));""",
    )
    assert found == CASES
    checks = _module(
        new_page(),
        server,
        "/static/richtext.js",
        """return [
            m.mentions("@elodie ça va ?", "Élodie"),
            m.mentions("alice: tu viens ?", "Alice"),
            m.mentions("Attention: rien", "Alice"),
            m.mentions("bonjour alice", "Alice"),
            m.safeHref("javascript:alert(1)"),
            m.safeHref("data:text/html,x"),
            m.safeHref("HTTPS://Exemple.fr"),
        ];""",
    )
    assert checks == [True, True, False, False, None, None, "https://exemple.fr/"]


def test_contrast_arithmetic_matches_wcag(server: str, new_page: Callable[..., Any]) -> None:
    found = _module(
        new_page(),
        server,
        "/static/people.js",
        """return [
            m.contrastRatio([0, 0, 0], [255, 255, 255]),
            m.contrastRatio([255, 255, 255], [255, 255, 255]),
            m.contrastRatio([0x76, 0x76, 0x76], [255, 255, 255]),
            m.hslToRgb(0, 1, 0.5), m.hslToRgb(120, 1, 0.25), m.hslToRgb(240, 0.55, 0.4),
        ];""",
    )
    assert round(found[0], 2) == 21 and found[1] == 1
    assert round(found[2], 2) == 4.54  # #767676, the classic lightest AA grey on white
    assert found[3:] == [[255, 0, 0], [0, 128, 0], [46, 46, 158]]
