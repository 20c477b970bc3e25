"""Adults posing as teens, end to end (issue 22): a teen reports "Je pense que c'est un adulte"
in two clicks from the teen room's member list; the moderator sees the reason in the child-safety
lane, with the person's signals, and moves the person out of the teen space; the person gets
the statement of reasons, can still contest it from that notice once disconnected, and cannot
come back as a teen from that browser.

Each person has a browser context of their own; the moderator account is made with the
operator's command against the running server's data directory.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.pages import enter_chat, enter_room, join
from tests.e2e.pages import expect_ as _expect
from tests.support.chat import TIMEOUT_S
from tests.support.process import ServerProcess

pytestmark = pytest.mark.e2e

MODERATOR = "modo_ados"
PASSWORD = "Pastèque-Ardoise-42"
SENT = re.compile(r"^Merci, c'est envoyé \(n° \d+\)\.")
MOVE_REASON = "Plusieurs signes montrent que tu es majeur : l'espace ados est pour les 13-17 ans."


@pytest.fixture
def causerie(tmp_path: Path) -> Iterator[ServerProcess]:
    with ServerProcess(tmp_path) as process:
        yield process


def _add_moderator(server: ServerProcess) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "causerie", "--data-dir", str(server.data_dir), "staff", "add",
         MODERATOR, "--role", "moderator", "--password-stdin"],
        input=f"{PASSWORD}\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=server.env,
        cwd=server.data_dir,
        timeout=TIMEOUT_S * 6,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, f"staff add failed:\n{result.stdout}\n{result.stderr}"


def test_teen_reports_a_suspected_adult_in_two_clicks_and_a_moderator_moves_them_out(
    causerie: ServerProcess, new_page: Callable[..., Any], artifacts_dir: Path
) -> None:
    expect = _expect()
    _add_moderator(causerie)
    base = causerie.url
    lea = new_page()
    suspect = new_page()
    enter_chat(lea, base, "Lea", "woman", 14, "75011")
    enter_chat(suspect, base, "Faux15", "man", 15, "69001")
    enter_room(lea, "ados-general")
    enter_room(suspect, "ados-general")
    member = lea.get_by_test_id("member-Faux15")
    expect(member).to_be_visible()

    # Click 1: the menu beside the name in the teen room's member list.
    member.get_by_test_id("report").click()
    dialog = lea.get_by_test_id("report-dialog")
    expect(dialog).to_be_visible()
    entry = dialog.get_by_test_id("report-suspected-adult")
    expect(entry).to_have_text("Je pense que c'est un adulte")
    lea.screenshot(path=str(artifacts_dir / "report-dialog-teen.png"))
    # Click 2: the entry sends it, in the child-safety lane; a short confirmation follows.
    entry.click()
    expect(dialog.get_by_test_id("report-confirmation")).to_have_text(SENT)
    lea.screenshot(path=str(artifacts_dir / "report-suspected-adult.png"))
    dialog.get_by_test_id("report-done-close").click()
    expect(dialog).to_be_hidden()

    # The moderator: the report in the child-safety lane, with its reason.
    modo = new_page()
    modo.goto(f"{base}/mod")
    modo.get_by_test_id("staff-name").fill(MODERATOR)
    modo.get_by_test_id("staff-password").fill(PASSWORD)
    modo.get_by_test_id("staff-login").click()
    queue = modo.get_by_test_id("queue")
    expect(queue).to_be_visible()
    item = queue.locator("[data-category='child_safety'][data-kind='report']")
    expect(item).to_have_count(1)
    expect(item).to_have_attribute("data-severity", "5")
    expect(item.get_by_test_id("queue-reason")).to_have_text("« Je pense que c'est un adulte »")
    item.click()
    expect(modo.get_by_test_id("detail-reason")).to_have_text("« Je pense que c'est un adulte »")
    expect(modo.get_by_test_id("detail-signals").get_by_test_id("signal")).to_have_count(1)
    modo.screenshot(path=str(artifacts_dir / "moderation-suspected-adult.png"), full_page=True)

    # Move Faux15 out of the teen space: a statement, then the teen session ends.
    modo.get_by_test_id("action-move-out").click()
    modo.get_by_test_id("action-reason").fill(MOVE_REASON)
    modo.get_by_test_id("action-confirm").click()
    expect(modo.get_by_test_id("action-result")).to_have_attribute("data-state", "ok")
    expect(suspect.get_by_test_id("statement")).to_contain_text(MOVE_REASON)
    expect(suspect.get_by_test_id("connection-banner")).to_be_visible()
    expect(suspect.get_by_test_id("connection-banner")).to_contain_text("espace ados")

    # The session is over, yet the statement's "Contester" still works: the client appeals on a
    # connection of its own, before any hello, from the device the decision bars.
    statement = suspect.get_by_test_id("statement")
    statement.get_by_test_id("appeal").click()
    statement.get_by_test_id("appeal-text").fill("J'ai vraiment 15 ans, je suis en seconde.")
    statement.get_by_test_id("appeal-submit").click()
    expect(statement.get_by_test_id("appeal-result")).to_be_visible()
    expect(queue.locator("[data-kind='appeal']")).to_have_count(1)

    # The same browser saying 15 again is refused, with the way to appeal.
    again = suspect.context.new_page()
    join(again, base, "Autre15", "man", 15, "69001")
    expect(again.get_by_test_id("error-age")).to_contain_text("Contester")


def test_adults_are_not_offered_the_suspected_adult_entry(
    server: str, new_page: Callable[..., Any]
) -> None:
    expect = _expect()
    alice = new_page()
    bruno = new_page()
    enter_chat(alice, server, "Alice", "woman", 25, "75011")
    enter_chat(bruno, server, "Bruno", "man", 31, "69001")
    enter_room(alice, "general")
    enter_room(bruno, "general")
    alice.get_by_test_id("member-Bruno").get_by_test_id("report").click()
    dialog = alice.get_by_test_id("report-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_test_id("report-suspected-adult")).to_be_hidden()
