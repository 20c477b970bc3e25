"""What every chat app has, in the web client: mentions, links, profile cards, the composer,
emoji, notifications and sounds, day separators and topics (issue: a chat people stay in).

Real server, real browser, one context per person. The server here lets new identities post
links at once (CAUSERIE_TRUST_MESSAGES=0), which is another feature's rule with its own tests.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.pages import alice_and_bruno_in_general, enter_chat, enter_room, messages_with, send
from tests.e2e.pages import expect_ as _expect
from tests.support.process import ServerProcess

pytestmark = pytest.mark.e2e

# Records what the page asks of the browser's Notification and WebAudio APIs, without any
# real sound or system notification: the test reads window.__alerts.
RECORD_ALERTS = """
window.__alerts = { notifications: [], tones: 0 };
class RecordedNotification {
  static permission = "granted";
  static requestPermission() { return Promise.resolve("granted"); }
  constructor(title, options) {
    window.__alerts.notifications.push({ title, body: options?.body ?? "", tag: options?.tag });
  }
  addEventListener() {}
  close() {}
}
window.Notification = RecordedNotification;
const RealContext = window.AudioContext;
window.AudioContext = class extends RealContext {
  createOscillator() {
    const oscillator = super.createOscillator();
    const start = oscillator.start.bind(oscillator);
    oscillator.start = (...args) => { window.__alerts.tones += 1; return start(...args); };
    return oscillator;
  }
};
"""


@pytest.fixture
def chat_server(tmp_path: Path) -> Iterator[str]:
    env = {"CAUSERIE_TRUST_MESSAGES": "0", "CAUSERIE_TRUST_SPAN_S": "0"}
    with ServerProcess(tmp_path, env=env) as process:
        yield process.url


def test_mention_autocomplete_highlight_badge_sound_and_notification(
    chat_server: str, new_page: Callable[..., Any]
) -> None:
    expect = _expect()
    alice, bruno = alice_and_bruno_in_general(new_page, chat_server, alice_script=RECORD_ALERTS)

    # Alice turns notifications on in the settings (the browser's permission is granted here).
    alice.get_by_test_id("settings-open").click()
    alice.get_by_test_id("settings-notify").check()
    expect(alice.get_by_test_id("settings-notify-status")).to_contain_text("Activées")
    alice.get_by_test_id("settings-done").click()
    # She looks at another room, in another window: the mention must reach her.
    enter_room(alice, "musique")
    alice.evaluate("document.hasFocus = () => false")

    # Bruno types "@Al": the room's members are offered; Enter completes the nickname.
    composer = bruno.get_by_test_id("composer-input")
    composer.fill("")
    composer.type("@Al")
    option = bruno.get_by_test_id("mention-option-Alice")
    expect(option).to_be_visible()
    expect(bruno.get_by_test_id("mention-list").get_by_role("option")).to_have_count(1)
    composer.press("Enter")
    expect(composer).to_have_value("@Alice ")
    composer.type("tu viens ce soir ?")
    composer.press("Enter")
    expect(messages_with(bruno, "tu viens ce soir ?")).to_have_count(1)

    # Alice's tab counts the mention apart from the unread messages.
    tab = alice.get_by_test_id("tab-room-general")
    expect(tab.get_by_test_id("mentions")).to_have_text("@1")
    expect(tab.get_by_test_id("unread")).to_have_text("1")
    expect(alice).to_have_title("(1) Causerie")
    notifications = alice.evaluate("window.__alerts.notifications")
    assert notifications == [
        {
            "title": "Bruno t'a mentionné·e dans Général",
            "body": "@Alice tu viens ce soir ?",
            "tag": "room:general",
        }
    ]
    assert alice.evaluate("window.__alerts.tones") > 0

    # In the room, the line is marked for her and her name stands out.
    tab.click()
    line = messages_with(alice, "tu viens ce soir ?")
    expect(line).to_have_class(re.compile(r"\bmentions-me\b"))
    expect(line.get_by_test_id("mention-me")).to_have_text("@Alice")
    expect(tab.get_by_test_id("mentions")).to_have_count(0)
    expect(alice).to_have_title("Causerie")
    # Bruno's own view marks the name, but not as his.
    expect(messages_with(bruno, "tu viens ce soir ?").get_by_test_id("mention-me")).to_have_count(0)

    # A nickname at the start of a line ("Alice: …") is a mention too; another word is not.
    send(bruno, "Alice: et demain ?")
    expect(messages_with(alice, "et demain ?")).to_have_class(re.compile(r"\bmentions-me\b"))
    send(bruno, "Attention: rien à voir")
    expect(messages_with(alice, "rien à voir")).not_to_have_class(re.compile(r"\bmentions-me\b"))

    # The sound can be switched off in the settings; the choice is kept on the device.
    alice.get_by_test_id("settings-open").click()
    alice.get_by_test_id("settings-sound-mention").uncheck()
    alice.get_by_test_id("settings-done").click()
    prefs = alice.evaluate("JSON.parse(localStorage.getItem('causerie.attention'))")
    assert prefs["soundMention"] is False and prefs["notify"] is True


def test_links_are_clickable_and_safe(chat_server: str, new_page: Callable[..., Any]) -> None:
    expect = _expect()
    alice, bruno = alice_and_bruno_in_general(new_page, chat_server)
    send(
        bruno,
        "Lis https://exemple.fr/page?x=1. Pas javascript:alert(1) ni data:text/html,<b>x</b> "
        "ni <a href=https://piege.fr>piège</a>",
    )
    line = messages_with(alice, "Lis ")
    expect(line).to_have_count(1)
    # The two web addresses are links (the sentence's full stop left out); typed markup is
    # text, so the address inside it is a plain link, not the typed element.
    links = line.locator("a")
    expect(links).to_have_text(["https://exemple.fr/page?x=1", "https://piege.fr"])
    expect(links.first).to_have_attribute("href", "https://exemple.fr/page?x=1")
    expect(links.nth(1)).to_have_attribute("href", "https://piege.fr/")
    for index in range(2):
        expect(links.nth(index)).to_have_attribute("target", "_blank")
        expect(links.nth(index)).to_have_attribute("rel", "noopener noreferrer nofollow")
    # The rest is text, as typed: no markup, no other scheme made clickable.
    expect(line).to_contain_text("javascript:alert(1)")
    expect(line).to_contain_text("<a href=https://piege.fr>piège</a>")
    expect(line.locator("b")).to_have_count(0)
    expect(line.locator("a[href^='javascript'], a[href^='data']")).to_have_count(0)


def test_profile_card_from_a_message_and_the_member_list_by_keyboard(
    chat_server: str, new_page: Callable[..., Any]
) -> None:
    expect = _expect()
    alice, bruno = alice_and_bruno_in_general(new_page, chat_server)
    send(alice, "Coucou")
    line = messages_with(bruno, "Coucou")

    # A click on the author's name opens her card: age, gender, département, region.
    name = line.get_by_test_id("message-nick")
    name.click()
    card = bruno.get_by_test_id("profile-card")
    expect(card).to_be_visible()
    expect(card.get_by_test_id("profile-age")).to_have_text("25 ans")
    expect(card.get_by_test_id("profile-gender")).to_have_text("♀ Femme")
    expect(card.get_by_test_id("profile-dept")).to_have_text(re.compile(r"^75 · Paris$"))
    expect(card.get_by_test_id("profile-region")).to_have_text("Île-de-France")
    for action in ("profile-dm", "profile-block", "profile-report"):
        expect(card.get_by_test_id(action)).to_be_visible()
    expect(card).not_to_contain_text("75011")
    # Escape closes it and the focus goes back to the name.
    bruno.keyboard.press("Escape")
    expect(card).to_be_hidden()
    expect(name).to_be_focused()

    # From the member list with the keyboard: Enter, then Space, open it.
    member = bruno.get_by_test_id("member-Alice").get_by_test_id("member-card")
    member.focus()
    bruno.keyboard.press("Enter")
    expect(card).to_be_visible()
    bruno.keyboard.press("Escape")
    expect(member).to_be_focused()
    bruno.keyboard.press("Space")
    expect(card).to_be_visible()

    # "Signaler" opens the report dialog about her.
    card.get_by_test_id("profile-report").click()
    report = bruno.get_by_test_id("report-dialog")
    expect(report).to_be_visible()
    expect(report.get_by_test_id("report-target")).to_contain_text("Alice")
    report.get_by_test_id("report-cancel").click()

    # "Bloquer" from the card: she stays listed, marked, and the card says so.
    member.click()
    card.get_by_test_id("profile-block").click()
    expect(card.get_by_test_id("profile-blocked")).to_be_visible()
    expect(card.get_by_test_id("profile-block")).to_have_text("Débloquer")
    bruno.keyboard.press("Escape")
    expect(bruno.get_by_test_id("member-Alice").get_by_test_id("member-blocked")).to_have_text(
        "bloqué·e"
    )


def test_private_conversation_shows_the_persons_card_in_the_right_panel(
    chat_server: str, new_page: Callable[..., Any]
) -> None:
    expect = _expect()
    alice, bruno = alice_and_bruno_in_general(new_page, chat_server)
    bruno.get_by_test_id("member-Alice").get_by_test_id("open-dm").click()
    expect(bruno.get_by_test_id("tab-dm-Alice")).to_be_visible()
    # Alice's first private message (a request) offers notifications: never asked on load.
    expect(alice.get_by_test_id("notice-offer")).to_have_count(0)
    send(bruno, "Bonjour Alice")
    expect(alice.get_by_test_id("dm-request-Bruno")).to_be_visible()
    offer = alice.get_by_test_id("notice-offer")
    expect(offer).to_contain_text("Être prévenu·e des messages privés")
    expect(offer.get_by_test_id("notice-offer-accept")).to_have_text("Activer les notifications")
    panel = bruno.get_by_test_id("member-card-panel")
    expect(panel).to_be_visible()
    expect(panel.get_by_test_id("profile-age")).to_have_text("25 ans")
    expect(panel.get_by_test_id("profile-region")).to_have_text("Île-de-France")
    expect(bruno.get_by_test_id("members")).to_be_hidden()
    expect(bruno.get_by_test_id("members-title")).to_have_text("Avec Alice")
    # Back in the room, its members again.
    bruno.get_by_test_id("tab-room-general").click()
    expect(panel).to_be_hidden()
    expect(bruno.get_by_test_id("member-Alice")).to_be_visible()


def test_composer_lines_days_topic_and_emoji(
    chat_server: str, new_page: Callable[..., Any]
) -> None:
    expect = _expect()
    alice, bruno = alice_and_bruno_in_general(new_page, chat_server)
    # The room's topic under its name.
    expect(alice.get_by_test_id("conversation-topic")).to_have_text("On parle de tout, gentiment.")

    # Shift+Enter breaks the line, Enter sends.
    composer = alice.get_by_test_id("composer-input")
    composer.type("première ligne")
    composer.press("Shift+Enter")
    composer.type("deuxième ligne")
    expect(composer).to_have_value("première ligne\ndeuxième ligne")
    composer.press("Enter")
    line = messages_with(bruno, "deuxième ligne").locator(".message-text")
    expect(line).to_have_text("première ligne\ndeuxième ligne")
    expect(composer).to_have_value("")
    # Today's messages open with a separator.
    expect(bruno.get_by_test_id("day-separator")).to_have_text(["Aujourd'hui"])

    # An emoji goes where the caret is; Escape closes the picker and gives the focus back.
    composer.fill("ab")
    composer.evaluate("(field) => field.setSelectionRange(1, 1)")
    alice.get_by_test_id("composer-emoji").click()
    picker = alice.get_by_test_id("emoji-picker")
    expect(picker).to_be_visible()
    picker.get_by_test_id("emoji").first.click()
    expect(composer).to_have_value("a😀b")
    expect(picker).to_be_hidden()
    alice.get_by_test_id("composer-emoji").click()
    picker.get_by_test_id("emoji-tab-hearts").click()
    expect(picker.get_by_test_id("emoji").first).to_have_text("❤️")
    alice.keyboard.press("Escape")
    expect(picker).to_be_hidden()
    expect(composer).to_be_focused()


def test_choosing_a_room_puts_the_focus_in_the_composer(
    chat_server: str, new_page: Callable[..., Any]
) -> None:
    expect = _expect()
    page = new_page()
    enter_chat(page, chat_server, "Alice", "woman", 25, "75011")
    composer = page.get_by_test_id("composer-input")
    page.get_by_test_id("room-general").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("tab-room-general")).to_be_visible()
    expect(composer).to_be_focused()
    page.get_by_test_id("room-musique").focus()
    page.keyboard.press("Space")
    expect(page.get_by_test_id("tab-room-musique")).to_be_visible()
    expect(composer).to_be_focused()
    # Back to an open room with a click: the focus follows too.
    page.get_by_test_id("room-general").click()
    expect(page.get_by_test_id("conversation-title")).to_contain_text("Général")
    expect(composer).to_be_focused()


@pytest.fixture
def waiting_server(tmp_path: Path) -> Iterator[str]:
    with ServerProcess(tmp_path, env={"CAUSERIE_DM_WAIT_S": "8"}) as process:
        yield process.url


def test_new_conversation_wait_counts_down_keeps_the_message_and_sends_it(
    waiting_server: str, new_page: Callable[..., Any]
) -> None:
    expect = _expect()
    alice, bruno = alice_and_bruno_in_general(new_page, waiting_server)
    chloe = new_page()
    enter_chat(chloe, waiting_server, "Chloe", "woman", 29, "33000")
    enter_room(chloe, "general")

    bruno.get_by_test_id("member-Alice").get_by_test_id("open-dm").click()
    send(bruno, "Salut Alice")
    line = messages_with(bruno, "Salut Alice")
    # Not refused: kept, said to leave by itself, with the countdown under the field.
    expect(line.get_by_test_id("message-queued")).to_have_text("partira tout seul dès que possible")
    status = bruno.get_by_test_id("composer-status")
    expect(status).to_contain_text(re.compile(r"Ton message à Alice partira tout seul dans \d+ s"))
    expect(line).not_to_have_class(re.compile("is-failed"))

    # Another new conversation says so before anything is typed.
    bruno.get_by_test_id("tab-room-general").click()
    bruno.get_by_test_id("member-Chloe").get_by_test_id("open-dm").click()
    expect(status).to_contain_text(
        re.compile(r"Les nouvelles conversations privées s'ouvrent dans \d+ s")
    )
    expect(bruno.get_by_test_id("composer-input")).to_be_enabled()

    # When the wait is over the message leaves by itself: Alice gets the request.
    request = alice.get_by_test_id("dm-request-Bruno")
    expect(request).to_be_visible(timeout=15_000)
    expect(request).to_contain_text("Salut Alice")
    expect(status).to_be_hidden()
    bruno.get_by_test_id("tab-dm-Alice").click()
    expect(line.get_by_test_id("message-queued")).to_have_count(0)
    expect(line).not_to_have_class(re.compile("is-failed|is-pending"))
