"""Screenshots of the chat for people to look at: a room with a mention, a link, a reply and
a multi-line message, then a person's card, at desktop (1366), tablet (820) and phone (390)
widths, in French and in English. Saved as artifacts/chat-<lang>-<width>.png and
artifacts/card-<lang>-<width>.png; the assertions check what each picture must show.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.pages import enter_chat, messages_with, send
from tests.e2e.pages import expect_ as _expect
from tests.support.process import ServerProcess

pytestmark = pytest.mark.e2e

SIZES = {"desktop": (1366, 900), "tablet": (820, 1180), "phone": (390, 844)}


@pytest.fixture
def causerie(tmp_path: Path) -> Iterator[ServerProcess]:
    env = {"CAUSERIE_TRUST_MESSAGES": "0", "CAUSERIE_TRUST_SPAN_S": "0"}
    with ServerProcess(tmp_path, env=env) as process:
        yield process


def _open_room(page: Any, room: str) -> None:
    page.get_by_test_id(f"room-{room}").click()
    _expect()(page.get_by_test_id("composer-input")).to_be_enabled()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_chat_screenshots(
    causerie: ServerProcess, new_page: Callable[..., Any], artifacts_dir: Path, lang: str
) -> None:
    expect = _expect()
    locale = "fr-FR" if lang == "fr" else "en-GB"
    bruno = new_page(locale=locale)
    chloe = new_page(locale=locale)
    enter_chat(bruno, causerie.url, "Bruno", "man", 31, "69001")
    enter_chat(chloe, causerie.url, "Chloé", "woman", 28, "33000")
    _open_room(bruno, "general")
    _open_room(chloe, "general")
    viewers = {}
    for width, (w, h) in SIZES.items():
        page = new_page(width=w, height=h, locale=locale)
        nick = {"desktop": "Alice", "tablet": "Amandine", "phone": "Anne-Sophie"}[width]
        enter_chat(page, causerie.url, nick, "woman", 25, "75011")
        _open_room(page, "general")
        viewers[width] = (page, nick)
    send(bruno, "Salut tout le monde ! Quelqu'un a vu le match hier soir ?")
    messages_with(chloe, "le match hier soir").get_by_test_id("message-reply").click()
    send(chloe, "Oui, incroyable.\nLa deuxième mi-temps surtout.")
    mentions = ", ".join(f"@{nick}" for _page, nick in viewers.values())
    send(bruno, f"{mentions} vous venez ? Le programme : https://exemple.fr/programme")

    for width, (page, nick) in viewers.items():
        expect(messages_with(page, "vous venez ?")).to_have_count(1)
        quote = messages_with(page, "La deuxième mi-temps").get_by_test_id("message-quote")
        expect(quote).to_contain_text("le match hier soir")
        expect(messages_with(page, "vous venez ?").get_by_test_id("mention-me")).to_have_text(
            f"@{nick}"
        )
        send(page, f"Je suis là, {nick} au rapport 👋")
        expect(messages_with(page, f"{nick} au rapport")).to_have_count(1)
        page.screenshot(path=str(artifacts_dir / f"chat-{lang}-{width}.png"))

        messages_with(page, "vous venez ?").get_by_test_id("message-nick").click()
        card = page.get_by_test_id("profile-card")
        expect(card).to_be_visible()
        expect(card.get_by_test_id("profile-age")).to_have_text(
            "31 ans" if lang == "fr" else "31 y/o"
        )
        page.screenshot(path=str(artifacts_dir / f"card-{lang}-{width}.png"))
        page.keyboard.press("Escape")
