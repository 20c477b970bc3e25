"""The age-assurance walk-through in the browser (docs/age-verification.md): a teen in a teen
space that gates private messages (`teen_assurance=dm`) is asked, opens the development test
provider in a new window, the token comes back by `postMessage`, and a private message can be
sent. Screenshots of the panel at 1366 px and 390 px go to /tmp and artifacts/."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.pages import enter_chat, enter_room
from tests.e2e.pages import expect_ as _expect
from tests.support.process import ServerProcess

pytestmark = pytest.mark.e2e
TEEN_ROOM = "ados-general"


@pytest.fixture
def gated_server(tmp_path: Path) -> Iterator[str]:
    env = {"CAUSERIE_TEEN_ASSURANCE": "dm", "CAUSERIE_AGE_TEST_PROVIDER": "on"}
    with ServerProcess(tmp_path, env) as process:
        yield process.url


def _keep(page: Any, name: str, artifacts_dir: Path) -> None:
    path = Path("/tmp") / name
    page.screenshot(path=str(path))
    shutil.copy(path, artifacts_dir / name)


def test_teen_walks_through_the_age_check_then_writes_privately(
    gated_server: str, new_page: Callable[..., Any], artifacts_dir: Path
) -> None:
    expect = _expect()
    lea = new_page()
    enter_chat(lea, gated_server, "Lea", "woman", 14, "33000")
    lea.get_by_test_id("assurance-later").click()
    enter_room(lea, TEEN_ROOM)

    tom = new_page(width=1366, height=800)
    enter_chat(tom, gated_server, "Tom", "man", 15, "69001")
    dialog = tom.get_by_test_id("assurance-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Vérifie que tu as moins de 18 ans")
    expect(dialog).to_contain_text("ne sait pas que tu viens de Causerie")
    expect(tom.get_by_test_id("assurance-open")).to_be_focused()
    _keep(tom, "assurance-1366.png", artifacts_dir)

    # Later: the teen rooms stay open, private messages wait for the check.
    tom.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    reminder = tom.get_by_test_id("assurance-reminder")
    expect(reminder).to_be_visible()
    enter_room(tom, TEEN_ROOM)
    tom.get_by_test_id("member-Lea").get_by_test_id("open-dm").click()
    expect(tom.get_by_test_id("tab-dm-Lea")).to_be_visible()
    composer = tom.get_by_test_id("composer-input")
    expect(composer).to_be_disabled()
    expect(composer).to_have_attribute("placeholder", "Vérifie ton âge pour écrire en privé")

    # The walk-through, from the reminder, with the keyboard.
    tom.get_by_test_id("assurance-reminder-open").click()
    expect(tom.get_by_test_id("assurance-open")).to_be_focused()
    with tom.expect_popup() as opened:
        tom.keyboard.press("Enter")
    provider = opened.value
    provider.wait_for_load_state()
    assert provider.url == f"{gated_server}/dev/age-provider"
    expect(tom.get_by_test_id("assurance-status")).to_contain_text("autre fenêtre")
    provider.get_by_test_id("provider-start").click()

    done = tom.get_by_test_id("assurance-done")
    expect(done).to_be_visible()
    expect(done).to_have_text("Tu as moins de 18 ans : tu peux maintenant écrire en privé.")
    _keep(tom, "assurance-done-1366.png", artifacts_dir)
    tom.get_by_test_id("assurance-continue").click()
    expect(dialog).to_be_hidden()
    expect(reminder).to_be_hidden()
    expect(composer).to_be_enabled()
    composer.fill("salut Lea")
    composer.press("Enter")

    request = lea.get_by_test_id("dm-requests").get_by_test_id("dm-request-Tom")
    expect(request).to_be_visible()
    expect(request).to_contain_text("salut Lea")


def test_teen_walk_through_fits_a_phone(
    gated_server: str, new_page: Callable[..., Any], artifacts_dir: Path
) -> None:
    expect = _expect()
    zoe = new_page(width=390, height=844)
    enter_chat(zoe, gated_server, "Zoe", "woman", 16, "13001")
    dialog = zoe.get_by_test_id("assurance-dialog")
    expect(dialog).to_be_visible()
    box = dialog.bounding_box()
    open_button = zoe.get_by_test_id("assurance-open").bounding_box()
    _keep(zoe, "assurance-390.png", artifacts_dir)

    assert box is not None and open_button is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert open_button["y"] + open_button["height"] <= 844  # reachable without scrolling
    zoe.get_by_test_id("assurance-later").click()
    expect(zoe.get_by_test_id("assurance-reminder")).to_be_visible()
    _keep(zoe, "assurance-reminder-390.png", artifacts_dir)
