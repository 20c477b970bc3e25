"""Accessibility of every page, checked with axe-core in Chromium at desktop and phone widths.

axe-core comes from the npm registry (tests/e2e/package.json, installed by `make test`'s
`browser-tools` step where npm exists) and is injected by the test into each page: the join
page, the chat (a room with messages, a mention, a link; the profile card; a private
conversation), the moderation console `/mod` (login and queue) and `/admin` (login and the
report). No serious or critical violation may remain. Without axe-core the test skips with
the reason, except under CI=true where it must run (like the browser itself).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.pages import enter_chat, messages_with, send
from tests.e2e.pages import expect_ as _expect
from tests.e2e.test_admin_page import PASSWORD, add_staff, seed
from tests.support.process import ServerProcess

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}
BLOCKING = ("serious", "critical")
RUN_AXE = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations
    .filter((violation) => ["serious", "critical"].includes(violation.impact))
    .map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.slice(0, 4).map((node) => node.target.join(" ")),
    }));
}"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        reason = (
            f"axe-core is not installed ({AXE} missing): run `make browser-tools` "
            "(npm ci --prefix tests/e2e)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI=true: the accessibility check must run)", pytrace=False)
        pytest.skip(reason)
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def causerie(tmp_path: Path) -> Iterator[ServerProcess]:
    env = {"CAUSERIE_TRUST_MESSAGES": "0", "CAUSERIE_TRUST_SPAN_S": "0"}
    with ServerProcess(tmp_path, env=env) as process:
        yield process


def open_room(page: Any, room: str) -> None:
    """Choose a room, at any width (on a phone the conversation panel replaces the list)."""
    expect = _expect()
    page.get_by_test_id(f"room-{room}").click()
    expect(page.get_by_test_id("composer-input")).to_be_enabled()


def violations(page: Any, axe_source: str, where: str) -> list[str]:
    """Serious and critical axe violations of the page as it is now, one line each."""
    # Evaluated through the DevTools protocol: the pages' Content-Security-Policy (scripts
    # from the site only) does not apply to it, and nothing is added to the page's markup.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    found = page.evaluate(RUN_AXE)
    return [
        f"{where}: {item['impact']} {item['id']} ({item['help']}) at {item['nodes']}"
        for item in found
        if item["impact"] in BLOCKING
    ]


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_join_page_and_chat_have_no_serious_violation(
    causerie: ServerProcess, new_page: Callable[..., Any], axe_source: str, width: str
) -> None:
    expect = _expect()
    w, h = WIDTHS[width]
    alice = new_page(width=w, height=h)
    bruno = new_page()
    found: list[str] = []

    alice.goto(f"{causerie.url}/")
    expect(alice.get_by_test_id("join-submit")).to_be_visible()
    found += violations(alice, axe_source, f"{width} join")

    enter_chat(alice, causerie.url, "Alice", "woman", 25, "75011")
    enter_chat(bruno, causerie.url, "Bruno", "man", 31, "69001")
    found += violations(alice, axe_source, f"{width} rooms")
    open_room(bruno, "general")
    open_room(alice, "general")
    send(bruno, "@Alice regarde https://exemple.fr/page")
    expect(messages_with(alice, "regarde")).to_have_count(1)
    found += violations(alice, axe_source, f"{width} room")

    if width == "phone":
        alice.get_by_test_id("nav-members").click()
    member = alice.get_by_test_id("member-Bruno")
    expect(member).to_be_visible()
    found += violations(alice, axe_source, f"{width} members")
    member.get_by_test_id("member-card").click()
    expect(alice.get_by_test_id("profile-card")).to_be_visible()
    found += violations(alice, axe_source, f"{width} profile card")
    alice.get_by_test_id("profile-dm").click()
    expect(alice.get_by_test_id("conversation-title")).to_contain_text("Bruno")
    found += violations(alice, axe_source, f"{width} private conversation")
    alice.get_by_test_id("composer-emoji").click()
    expect(alice.get_by_test_id("emoji-picker")).to_be_visible()
    found += violations(alice, axe_source, f"{width} emoji picker")
    alice.keyboard.press("Escape")
    alice.get_by_test_id("settings-open").click()
    expect(alice.get_by_test_id("settings")).to_be_visible()
    found += violations(alice, axe_source, f"{width} settings")
    assert not found, "\n".join(found)


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_moderation_and_admin_pages_have_no_serious_violation(
    causerie: ServerProcess, new_page: Callable[..., Any], axe_source: str, width: str
) -> None:
    expect = _expect()
    add_staff(causerie, "admin1", "admin")
    seed(causerie.data_dir / "causerie.db")
    # One report from the chat, so that the queue has an item to open.
    victime = new_page()
    auteur = new_page()
    enter_chat(victime, causerie.url, "Victime", "woman", 27, "75011")
    enter_chat(auteur, causerie.url, "Auteur", "man", 34, "69001")
    open_room(victime, "general")
    open_room(auteur, "general")
    send(auteur, "Dégage d'ici, personne ne veut de toi.")
    line = messages_with(victime, "Dégage")
    line.get_by_test_id("report").click()
    victime.get_by_test_id("report-category").select_option("harassment")
    victime.get_by_test_id("report-submit").click()
    expect(victime.get_by_test_id("report-done")).to_be_visible()

    w, h = WIDTHS[width]
    page = new_page(width=w, height=h)
    found: list[str] = []

    page.goto(f"{causerie.url}/mod")
    expect(page.get_by_test_id("staff-login")).to_be_visible()
    found += violations(page, axe_source, f"{width} /mod login")
    page.get_by_test_id("staff-name").fill("admin1")
    page.get_by_test_id("staff-password").fill(PASSWORD)
    page.get_by_test_id("staff-login").click()
    first = page.locator("[data-testid^='queue-item-']").first
    expect(first).to_be_visible()
    found += violations(page, axe_source, f"{width} /mod queue")
    first.click()
    expect(page.get_by_test_id("detail")).to_be_visible()
    found += violations(page, axe_source, f"{width} /mod item")

    page.goto(f"{causerie.url}/admin")
    expect(page.get_by_test_id("admin-submit")).to_be_visible()
    found += violations(page, axe_source, f"{width} /admin login")
    page.get_by_test_id("admin-name").fill("admin1")
    page.get_by_test_id("admin-password").fill(PASSWORD)
    page.get_by_test_id("admin-submit").click()
    expect(page.get_by_test_id("admin-report")).to_be_visible()
    found += violations(page, axe_source, f"{width} /admin report")
    assert not found, "\n".join(found)
