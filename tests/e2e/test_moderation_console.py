"""The moderation console end to end: a report from a click in the chat to a ban, and an alert.

Three people, each in a browser context of their own: Victime and Harceleur chat in the main
client, a moderator works in the console at `/mod`. The moderator account is created with the
operator's command (`causerie staff add … --password-stdin`) against the running server's data
directory, so this file starts its own server to know that directory.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.process import ServerProcess

pytestmark = pytest.mark.e2e

MODERATOR = "modo1"
PASSWORD = "Pastèque-Ardoise-42"
HARASSMENT = "Personne ne veut de toi ici, dégage ou je te retrouve."
GROOMING = "Tu as quel âge ? Envoie-moi une photo de toi en privé."
BAN_REASON = "Harcèlement répété envers un autre membre du salon."
NOT_EMPTY = re.compile(r"\S")


def _expect() -> Any:
    # Imported late: without Playwright the `browser` fixture skips before any test body runs.
    from playwright.sync_api import expect

    return expect


@pytest.fixture
def causerie(tmp_path: Path) -> Iterator[ServerProcess]:
    """`causerie serve` with its data in `tmp_path`; yields the process (`.url`, `.data_dir`)."""
    with ServerProcess(tmp_path) as process:
        yield process


def add_moderator(server: ServerProcess, name: str, password: str) -> None:
    """Create a staff account the way an operator does, while the server runs."""
    server.cli(
        "staff", "add", name, "--role", "moderator", "--password-stdin", stdin=f"{password}\n"
    )


def join(page: Any, base_url: str, nick: str, gender: str, age: int, postcode: str) -> None:
    expect = _expect()
    page.goto(f"{base_url}/")
    page.get_by_test_id("nick").fill(nick)
    page.get_by_test_id("gender").select_option(gender)
    page.get_by_test_id("age").fill(str(age))
    page.get_by_test_id("postcode").fill(postcode)
    page.get_by_test_id("join-submit").click()
    page.get_by_test_id("room-general").click()
    expect(page.get_by_test_id("tab-room-general")).to_be_visible()
    expect(page.get_by_test_id("composer-input")).to_be_enabled()


def say(page: Any, text: str) -> None:
    page.get_by_test_id("composer-input").fill(text)
    page.get_by_test_id("composer-input").press("Enter")


def message_with(page: Any, text: str) -> Any:
    return page.get_by_test_id("messages").get_by_test_id("message").filter(has_text=text)


def report_message(page: Any, text: str, category: str) -> None:
    """Report a message from the main client: its menu button, a category, send, close."""
    expect = _expect()
    message = message_with(page, text)
    expect(message).to_have_count(1)
    message.hover()
    menu = message.get_by_test_id("report")
    if not menu.count():
        pytest.skip("user report UI not available")
    menu.click()
    page.get_by_test_id("report-category").select_option(category)
    page.get_by_test_id("report-submit").click()
    expect(page.get_by_test_id("report-done")).to_be_visible()
    page.get_by_test_id("report-done-close").click()
    expect(page.get_by_test_id("report-dialog")).to_be_hidden()


def login(page: Any, password: str) -> None:
    page.get_by_test_id("staff-name").fill(MODERATOR)
    page.get_by_test_id("staff-password").fill(password)
    page.get_by_test_id("staff-login").click()


def test_report_to_ban_and_child_safety_alert(
    causerie: ServerProcess, new_page: Callable[..., Any], artifacts_dir: Path
) -> None:
    expect = _expect()
    add_moderator(causerie, MODERATOR, PASSWORD)
    base = causerie.url

    victime = new_page()
    harceleur = new_page()
    join(victime, base, "Victime", "woman", 27, "75011")
    join(harceleur, base, "Harceleur", "man", 34, "69001")
    say(harceleur, HARASSMENT)
    say(harceleur, GROOMING)
    expect(message_with(victime, HARASSMENT)).to_have_count(1)
    expect(message_with(victime, GROOMING)).to_have_count(1)

    # Victime reports the first message as harassment, from the chat.
    report_message(victime, HARASSMENT, "harassment")

    # The moderator's console: one generic message for a bad login, then the queue.
    modo = new_page()
    modo.goto(f"{base}/mod")
    login(modo, "pas-le-bon-mot-de-passe")
    expect(modo.get_by_test_id("login-error")).to_have_text(NOT_EMPTY)
    expect(modo.get_by_test_id("queue")).to_be_hidden()
    login(modo, PASSWORD)
    queue = modo.get_by_test_id("queue")
    expect(queue).to_be_visible()
    item = queue.locator("[data-category='harassment']")
    expect(item).to_have_count(1)
    expect(item).to_have_attribute("data-severity", "3")
    expect(item).to_have_attribute("data-testid", re.compile(r"^queue-item-\d+$"))
    expect(item).to_contain_text("Harcèlement")
    expect(item).to_contain_text("Harceleur")

    # A child-safety report raises the alert on the open console, its item pinned on top.
    # (Reported before the ban: all three browsers share 127.0.0.1, and a site ban also
    # covers the banned person's address.)
    report_message(victime, GROOMING, "child_safety")
    alert = modo.get_by_test_id("alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("Protection de l'enfance")
    expect(alert).to_contain_text("Harceleur")
    first = queue.locator("[data-testid^='queue-item-']").first
    expect(first).to_have_attribute("data-category", "child_safety")
    expect(first).to_have_attribute("data-severity", "5")
    expect(queue.locator("[data-testid^='queue-item-']")).to_have_count(2)

    # The harassment report, opened: the reported message within its conversation.
    item.click()
    expect(modo.get_by_test_id("detail-category")).to_have_text("Harcèlement")
    expect(modo.get_by_test_id("reported-message")).to_contain_text(HARASSMENT)
    expect(modo.get_by_test_id("detail-context")).to_contain_text(GROOMING)

    # Ban Harceleur from the whole site for 24 h, with a reason.
    modo.get_by_test_id("action-ban").click()
    expect(modo.get_by_test_id("action-reason")).to_have_value(NOT_EMPTY)
    modo.get_by_test_id("action-scope").select_option("site")
    modo.get_by_test_id("action-duration").select_option("86400")
    modo.get_by_test_id("action-reason").fill(BAN_REASON)
    modo.get_by_test_id("action-confirm").click()
    expect(modo.get_by_test_id("action-result")).to_have_attribute("data-state", "ok")

    # Harceleur gets the statement of reasons, then loses the connection.
    expect(harceleur.get_by_test_id("statement")).to_contain_text(BAN_REASON)
    expect(harceleur.get_by_test_id("connection-banner")).to_be_visible()

    # The report is now actioned in the queue; the alert is still up, the console still live.
    expect(item).to_have_attribute("data-state", "actioned")
    expect(modo.get_by_test_id("detail-state")).to_have_text("Traité")
    expect(alert).to_be_visible()
    expect(modo.get_by_test_id("connection-banner")).to_be_hidden()
    # Once the flashing is over, so that the screenshot shows the banner at rest.
    expect(alert).not_to_have_class(re.compile("is-flashing"))
    expect(modo.locator("#alert-flash")).not_to_have_class(re.compile("is-flashing"))
    modo.screenshot(path=str(artifacts_dir / "moderation-console.png"))


def test_reported_private_picture_seen_by_the_moderator_on_request(
    causerie: ServerProcess, new_page: Callable[..., Any], artifacts_dir: Path
) -> None:
    from tests.unit.media import images

    expect = _expect()
    add_moderator(causerie, MODERATOR, PASSWORD)
    base = causerie.url
    victime, expediteur = new_page(), new_page()
    join(victime, base, "Victime", "woman", 27, "75011")
    join(expediteur, base, "Expediteur", "man", 34, "69001")

    # Expediteur writes first, Victime accepts, then a picture arrives blurred; she reports it
    # from the blurred picture itself, without seeing it.
    expediteur.get_by_test_id("member-Victime").get_by_test_id("open-dm").click()
    say(expediteur, "Regarde ça")
    victime.get_by_test_id("dm-request-Expediteur").get_by_test_id("accept").click()
    expediteur.get_by_test_id("composer-file").set_input_files(
        files=[{"name": "x.jpg", "mimeType": "image/jpeg", "buffer": images.jpeg()}]
    )
    victime.get_by_test_id("tab-dm-Expediteur").click()
    victime.get_by_test_id("picture-blurred").get_by_test_id("picture-report").click()
    victime.get_by_test_id("report-category").select_option("sexual_content")
    victime.get_by_test_id("report-submit").click()
    expect(victime.get_by_test_id("report-done")).to_be_visible()
    victime.get_by_test_id("report-done-close").click()
    expect(victime.get_by_test_id("messages").get_by_test_id("picture")).to_have_count(0)

    # The moderator opens the report and asks to see the picture (a logged look).
    modo = new_page()
    modo.goto(f"{base}/mod")
    login(modo, PASSWORD)
    item = modo.get_by_test_id("queue").locator("[data-category='sexual_content']")
    expect(item).to_have_count(1)
    item.click()
    reported = modo.get_by_test_id("reported-message")
    expect(reported.get_by_test_id("mod-picture")).to_have_count(0)
    reported.get_by_test_id("view-picture").click()
    picture = reported.get_by_test_id("mod-picture")
    expect(picture).to_be_visible()
    expect(picture).to_have_attribute("src", re.compile(r"^data:image/jpeg;base64,"))
    modo.screenshot(path=str(artifacts_dir / "moderation-picture.png"))


def test_moderator_stops_the_game_of_a_reported_room(
    causerie: ServerProcess, new_page: Callable[..., Any], artifacts_dir: Path
) -> None:
    """Staff are not in rooms: they stop a room's game from the console, on a report about
    that room ("Arrêter le jeu"), and the players read the game's last word."""
    expect = _expect()
    add_moderator(causerie, MODERATOR, PASSWORD)
    base = causerie.url
    joueuse, gêneur = new_page(), new_page()
    for page, nick, gender in ((joueuse, "Joueuse", "woman"), (gêneur, "Geneur", "man")):
        join(page, base, nick, gender, 30, "75011")
        page.get_by_test_id("room-jeux").click()
        expect(page.get_by_test_id("tab-room-jeux")).to_be_visible()
    say(joueuse, "!devine")
    expect(message_with(gêneur, "J'ai choisi un nombre")).to_have_count(1)
    say(gêneur, HARASSMENT)
    report_message(joueuse, HARASSMENT, "harassment")

    modo = new_page()
    modo.goto(f"{base}/mod")
    login(modo, PASSWORD)
    item = modo.get_by_test_id("queue").locator("[data-category='harassment']")
    expect(item).to_have_count(1)
    item.click()
    modo.get_by_test_id("action-stop-game").click()
    expect(modo.get_by_test_id("action-reason")).to_have_value(NOT_EMPTY)
    modo.get_by_test_id("action-confirm").click()
    expect(modo.get_by_test_id("action-result")).to_have_attribute("data-state", "ok")
    expect(message_with(joueuse, "Partie arrêtée")).to_have_count(1)
    expect(item).not_to_have_attribute("data-state", "actioned")  # the person is still to see
    modo.screenshot(path=str(artifacts_dir / "moderation-console-stop-game.png"))
