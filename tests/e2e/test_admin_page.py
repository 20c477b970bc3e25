"""The admin transparency page in a browser: an admin logs in, the figures of the last month
show as tiles and SVG charts, in French then English; a plain moderator is refused. The
screenshot is kept in `artifacts/admin-transparency.png`.

Reports and decisions are written straight into the running server's SQLite database (WAL
allows a second writer), spread over the last days so the time series has a shape.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.chat import TIMEOUT_S
from tests.support.process import ServerProcess

pytestmark = pytest.mark.e2e

PASSWORD = "Ardoise-Pastèque-77"
DAY_MS = 86_400_000
CATEGORIES = ["harassment", "spam", "child_safety", "hate", "harassment", "spam", "threat"]


@pytest.fixture
def causerie(tmp_path: Path) -> Iterator[ServerProcess]:
    with ServerProcess(tmp_path) as process:
        yield process


def add_staff(server: ServerProcess, name: str, role: str) -> None:
    server.cli("staff", "add", name, "--role", role, "--password-stdin", stdin=f"{PASSWORD}\n")


def seed(database: Path) -> int:
    """Reports and decisions over the last 20 days; returns how many notices."""
    now = int(time.time() * 1000)
    with sqlite3.connect(database, timeout=TIMEOUT_S) as db:
        for index in range(40):
            created = now - (index % 20) * DAY_MS - 3_600_000
            state = "actioned" if index % 3 else "dismissed"
            db.execute(
                "INSERT INTO reports (kind, state, category, severity, lane, good_faith, comment,"
                " target_nick, evidence, created_at_ms, updated_at_ms)"
                " VALUES (?, ?, ?, 3, ?, 1, '', ?, '{}', ?, ?)",
                (
                    "flag" if index % 5 == 0 else "report",
                    state,
                    CATEGORIES[index % len(CATEGORIES)],
                    "automatic" if index % 5 == 0 else ("trusted" if index % 7 == 0 else "user"),
                    f"n{index}",
                    created,
                    created + (index + 1) * 600_000,
                ),
            )
            if state == "actioned":
                db.execute(
                    "INSERT INTO statements (id, session, nick, decision, ground, is_automatic,"
                    " actor, body, decided_at_ms, appeal_until_ms, appealed_at_ms,"
                    " appeal_outcome) VALUES (?, ?, ?, ?, 'harassment', ?, 'modo', '{}', ?, ?,"
                    " ?, ?)",
                    (
                        f"st{index}",
                        f"s{index}",
                        f"n{index}",
                        ["warning", "message_removed", "muted", "banned_site"][index % 4],
                        index % 5 == 0,
                        created + 600_000,
                        created + 183 * DAY_MS,
                        created + DAY_MS if index % 4 == 1 else None,
                        "upheld" if index % 8 == 1 else None,
                    ),
                )
    return 40


def test_admin_page_shows_the_charts(
    causerie: ServerProcess, new_page: Callable[..., Any], artifacts_dir: Path
) -> None:
    from playwright.sync_api import expect

    add_staff(causerie, "admin1", "admin")
    add_staff(causerie, "modo1", "moderator")
    notices = seed(causerie.data_dir / "causerie.db")
    page = new_page(width=1280, height=1400)
    page.goto(f"{causerie.url}/admin")

    page.get_by_test_id("admin-name").fill("modo1")
    page.get_by_test_id("admin-password").fill(PASSWORD)
    page.get_by_test_id("admin-submit").click()
    expect(page.locator("#login-error")).to_contain_text("administrateurs")
    expect(page.get_by_test_id("admin-report")).to_be_hidden()

    page.get_by_test_id("admin-name").fill("admin1")
    page.get_by_test_id("admin-password").fill(PASSWORD)
    page.get_by_test_id("admin-submit").click()
    expect(page.get_by_test_id("admin-report")).to_be_visible()
    expect(page.get_by_test_id("tile.notices")).to_contain_text(str(notices))
    for chart in ("daily", "category", "source", "actions", "who", "appeals", "legal"):
        expect(page.get_by_test_id(f"chart-{chart}").locator("svg")).to_be_visible()
    expect(page.get_by_test_id("chart-daily").locator("polyline")).to_have_count(2)
    expect(page.get_by_test_id("chart-category").locator("rect")).to_have_count(8)
    expect(page.get_by_test_id("chart-category")).to_contain_text("harcèlement")
    page.screenshot(path=str(artifacts_dir / "admin-transparency.png"), full_page=True)

    page.get_by_test_id("lang-en").click()
    expect(page.get_by_test_id("chart-category")).to_contain_text("harassment")
    expect(page.get_by_test_id("tile.notices")).to_contain_text("Notices received")


def test_my_data_button_downloads_my_session(
    causerie: ServerProcess, new_page: Callable[..., Any], tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    from tests.e2e.pages import enter_chat, enter_room, messages_with, send

    page = new_page()
    enter_chat(page, causerie.url, "Margaux", "woman", 29, "69003")
    enter_room(page, "general")
    send(page, "Bonjour tout le monde")
    expect(messages_with(page, "Bonjour tout le monde")).to_have_count(1)
    page.get_by_test_id("settings-open").click()
    with page.expect_download() as download_info:
        page.get_by_test_id("my-data").click()
    saved = tmp_path / "mine.json"
    download_info.value.save_as(saved)
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["connection"]["nick"] == "Margaux"
    assert data["connection"]["postcode"] == "69003"
    assert [m["text"] for m in data["messages"]] == ["Bonjour tout le monde"]
    expect(page.get_by_test_id("my-data-status")).to_have_text("Fichier téléchargé.")
