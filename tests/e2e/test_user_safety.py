"""The web client's safety features end to end: reports, message requests, who may write to me.

Real server, real browser, one browser context per person (DESIGN.md rules 3 and 6, and
docs/protocol.md "Reports, appeals, settings"). A new session normally waits 60 s before it may
open private conversations; these tests turn that wait off so they do not sit idle.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.pages import enter_chat, enter_room, messages_with, send
from tests.e2e.pages import expect_ as _expect

pytestmark = pytest.mark.e2e

REPORT_RECEIVED = re.compile(r"^Signalement reçu \(n° \d+\)\. Merci\.$")


def two_adults_in_general(new_page: Callable[..., Any], server: str) -> tuple[Any, Any]:
    """Alice and Bruno, both in "Général" and seeing each other in the member list."""
    expect = _expect()
    alice = new_page()
    bruno = new_page()
    enter_chat(alice, server, "Alice", "woman", 25, "75011")
    enter_chat(bruno, server, "Bruno", "man", 31, "69001")
    enter_room(alice, "general")
    enter_room(bruno, "general")
    expect(alice.get_by_test_id("member-Bruno")).to_be_visible()
    expect(bruno.get_by_test_id("member-Alice")).to_be_visible()
    return alice, bruno


def open_dm_from_member_list(page: Any, nick: str) -> None:
    expect = _expect()
    page.get_by_test_id(f"member-{nick}").get_by_test_id("open-dm").click()
    expect(page.get_by_test_id(f"tab-dm-{nick}")).to_be_visible()
    expect(page.get_by_test_id("composer-input")).to_be_enabled()


def test_report_a_message_in_two_clicks(
    server: str, new_page: Callable[..., Any], artifacts_dir: Path
) -> None:
    expect = _expect()
    alice, bruno = two_adults_in_general(new_page, server)
    send(bruno, "T'es vraiment nulle, dégage d'ici")
    line = messages_with(alice, "dégage d'ici")
    expect(line).to_have_count(1)
    # My own lines have no report button; the other person's do.
    send(alice, "Bonjour quand même")
    expect(messages_with(alice, "Bonjour quand même").get_by_test_id("report")).to_have_count(0)

    # Click 1: the message's menu button opens the dialog, showing what is reported.
    line.get_by_test_id("report").click()
    dialog = alice.get_by_test_id("report-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_test_id("report-target")).to_contain_text("dégage d'ici")
    expect(dialog.get_by_test_id("report-target")).to_contain_text("Bruno")
    expect(dialog.get_by_test_id("report-block")).to_have_text("Bloquer Bruno")

    # The category is a choice, then click 2 sends; the server's acknowledgement is shown.
    dialog.get_by_test_id("report-category").select_option("harassment")
    dialog.get_by_test_id("report-comment").fill("Insultes répétées dans Général.")
    dialog.get_by_test_id("report-good-faith").check()
    dialog.get_by_test_id("report-submit").click()
    expect(dialog.get_by_test_id("report-confirmation")).to_have_text(REPORT_RECEIVED)
    alice.screenshot(path=str(artifacts_dir / "report-sent.png"))

    dialog.get_by_test_id("report-done-close").click()
    expect(dialog).to_be_hidden()
    # Reporting does not hide the conversation: Bruno's line is still there for Alice.
    expect(line).to_have_count(1)


def test_stranger_first_private_message_is_a_masked_request_until_accepted(
    server: str, new_page: Callable[..., Any], artifacts_dir: Path
) -> None:
    expect = _expect()
    alice, bruno = two_adults_in_general(new_page, server)

    open_dm_from_member_list(bruno, "Alice")
    send(bruno, "appelle-moi au 06 12 34 56 78")
    expect(messages_with(bruno, "appelle-moi au")).not_to_have_class(re.compile("is-pending"))

    # Alice gets a request, not a conversation, with the phone number masked.
    requests = alice.get_by_test_id("dm-requests")
    request = requests.get_by_test_id("dm-request-Bruno")
    expect(request).to_be_visible()
    expect(request).to_contain_text("appelle-moi au")
    expect(request).to_contain_text("•••")
    expect(request).not_to_contain_text("06 12 34 56 78")
    expect(request).not_to_contain_text(re.compile(r"\d{2}\s?\d{2}\s?\d{2}\s?\d{2}"))
    expect(alice.get_by_test_id("tab-dm-Bruno")).to_have_count(0)
    alice.screenshot(path=str(artifacts_dir / "dm-request.png"))

    # Accepting opens the conversation, with the first message as Alice saw it.
    request.get_by_test_id("accept").click()
    expect(requests).to_be_hidden()
    expect(alice.get_by_test_id("tab-dm-Bruno")).to_be_visible()
    expect(alice.get_by_test_id("conversation-title")).to_contain_text("Bruno")
    expect(messages_with(alice, "appelle-moi au")).to_have_count(1)
    expect(alice.get_by_test_id("messages")).not_to_contain_text("06 12 34 56 78")

    # The next message arrives as a normal private message, in the open conversation.
    send(bruno, "Tu as passé une bonne journée ?")
    expect(messages_with(alice, "Tu as passé une bonne journée ?")).to_have_count(1)
    expect(alice.get_by_test_id("dm-request-Bruno")).to_have_count(0)
    send(alice, "Oui merci !")
    expect(messages_with(bruno, "Oui merci !")).to_have_count(1)


def test_nobody_may_write_refuses_private_messages_with_a_clear_text(
    server: str, new_page: Callable[..., Any], artifacts_dir: Path
) -> None:
    expect = _expect()
    alice, bruno = two_adults_in_general(new_page, server)

    alice.get_by_test_id("settings-open").click()
    settings = alice.get_by_test_id("settings")
    expect(settings).to_be_visible()
    expect(settings.get_by_test_id("dm-policy")).to_have_value("everyone")
    settings.get_by_test_id("dm-policy").select_option(label="Personne")
    expect(settings.get_by_test_id("settings-status")).to_have_text("Enregistré.")
    expect(settings.get_by_test_id("dm-policy")).to_have_value("nobody")
    settings.get_by_test_id("settings-done").click()
    expect(settings).to_be_hidden()

    open_dm_from_member_list(bruno, "Alice")
    send(bruno, "Salut, on discute en privé ?")
    expect(bruno.get_by_test_id("composer-error")).to_have_text("Message non accepté")
    refused = messages_with(bruno, "on discute en privé")
    expect(refused).to_have_class(re.compile("is-failed"))
    bruno.screenshot(path=str(artifacts_dir / "dm-refused.png"))

    # Nothing reached Alice, neither as a conversation nor as a request.
    expect(alice.get_by_test_id("tab-dm-Bruno")).to_have_count(0)
    expect(alice.get_by_test_id("dm-request-Bruno")).to_have_count(0)


def test_minors_see_a_safety_tip_in_private_conversations(
    server: str, new_page: Callable[..., Any]
) -> None:
    expect = _expect()
    zoe = new_page()
    lea = new_page()
    enter_chat(zoe, server, "Zoé", "woman", 15, "33000")
    enter_chat(lea, server, "Léa", "woman", 16, "33000")
    enter_room(zoe, "ados-general")
    enter_room(lea, "ados-general")

    open_dm_from_member_list(zoe, "Léa")
    tip = zoe.get_by_test_id("dm-safety")
    expect(tip).to_be_visible()
    expect(tip).to_have_text(
        "Ne donne jamais ton adresse, ton numéro ou tes réseaux. Tu peux signaler."
    )
