"""How the client looks, measured in Chromium: nickname colours meet WCAG AA in both themes,
the private conversation's header keeps the whole nickname on a 390 px phone, the 820 px
tablet layout leaves room to the conversation and to the filters' placeholders, filters start
folded on a phone, member counts do not look like unread badges, English says "Department",
the moderation queue's titles keep whole words at 1366 px, and the icons are served.
"""

from __future__ import annotations

import io
import json
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.pages import enter_chat, messages_with, send
from tests.e2e.pages import expect_ as _expect
from tests.e2e.test_admin_page import PASSWORD, add_staff
from tests.support.process import ServerProcess

pytestmark = pytest.mark.e2e

# Every hue a nickname can get, painted by the client's own code, against every background a
# nickname is drawn on (style.css's variables), in the theme the page is in.
MIN_NICK_CONTRAST = """async () => {
  const { nickHue, paintNick } = await import("/static/people.js");
  const parse = (colour) => colour.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const channel = (v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const ratio = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const probe = document.createElement("span");
  document.body.append(probe);
  const backgrounds = ["--bg", "--surface", "--surface-2", "--mine-soft", "--accent-soft"].map(
    (name) => {
      probe.style.color = `var(${name})`;
      return parse(getComputedStyle(probe).color);
    },
  );
  probe.remove();
  // One nickname for each of the 360 hues.
  const names = new Map();
  for (let i = 0; names.size < 360 && i < 1000000; i += 1) {
    const hue = nickHue(`n${i}`);
    if (!names.has(hue)) names.set(hue, `n${i}`);
  }
  let worst = { ratio: 99, hues: names.size };
  for (const [hue, name] of names) {
    const nick = paintNick(document.createElement("span"), name);
    nick.className = "nick";
    document.body.append(nick);
    const colour = parse(getComputedStyle(nick).color);
    nick.remove();
    for (const background of backgrounds) {
      const r = ratio(colour, background);
      if (r < worst.ratio) worst = { ratio: r, hue, colour, background, hues: names.size };
    }
  }
  return worst;
}"""


@pytest.fixture
def causerie(tmp_path: Path) -> Iterator[ServerProcess]:
    with ServerProcess(tmp_path) as process:
        yield process


def _open_room(page: Any, room: str) -> None:
    page.get_by_test_id(f"room-{room}").click()
    _expect()(page.get_by_test_id("composer-input")).to_be_enabled()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_nickname_colours_meet_wcag_aa(
    causerie: ServerProcess, new_page: Callable[..., Any], scheme: str
) -> None:
    page = new_page()
    page.emulate_media(color_scheme=scheme)
    enter_chat(page, causerie.url, "Alice", "woman", 25, "75011")
    worst = page.evaluate(MIN_NICK_CONTRAST)
    assert worst["hues"] == 360
    print(f"{scheme}: lowest nickname contrast {worst['ratio']:.2f}:1 (hue {worst['hue']})")
    assert worst["ratio"] >= 4.5, worst


def test_phone_private_header_shows_the_whole_nickname(
    causerie: ServerProcess, new_page: Callable[..., Any]
) -> None:
    expect = _expect()
    long_nick = "Jean-Christophe_75"
    phone = new_page(width=390, height=844)
    other = new_page()
    enter_chat(phone, causerie.url, "Alice", "woman", 25, "75011")
    enter_chat(other, causerie.url, long_nick, "man", 30, "69001")
    _open_room(other, "general")
    _open_room(phone, "general")
    phone.get_by_test_id("nav-members").click()
    phone.get_by_test_id(f"member-{long_nick}").get_by_test_id("open-dm").click()
    title = phone.get_by_test_id("conversation-title")
    expect(title).to_contain_text(long_nick)
    # The whole title fits (wrapping if it must): nothing cut, nothing hidden by the actions.
    fits = title.evaluate("(node) => node.scrollWidth <= node.clientWidth")
    assert fits
    nick_box = title.locator(".nick").bounding_box()
    assert nick_box is not None and nick_box["x"] + nick_box["width"] <= 390
    for action in ("report-peer", "block"):
        box = phone.get_by_test_id(action).bounding_box()
        assert box is not None and box["x"] + box["width"] <= 390
        assert box["y"] >= nick_box["y"] + nick_box["height"] or box["x"] >= (
            nick_box["x"] + nick_box["width"]
        ), f"{action} covers the nickname"
    # Filters start folded on a phone, open on a desktop.
    phone.get_by_test_id("tab-room-general").evaluate("(node) => node.click()")
    phone.get_by_test_id("nav-members").click()
    expect(phone.get_by_test_id("filters-box")).not_to_have_attribute("open", "")
    expect(phone.get_by_test_id(f"member-{long_nick}")).to_be_in_viewport()
    expect(other.get_by_test_id("filters-box")).to_have_attribute("open", "")


def test_tablet_layout_has_room_for_the_conversation_and_the_filters(
    causerie: ServerProcess, new_page: Callable[..., Any]
) -> None:
    expect = _expect()
    tablet = new_page(width=820, height=1180)
    enter_chat(tablet, causerie.url, "Amandine-Lou", "woman", 25, "75011")
    _open_room(tablet, "general")
    send(tablet, "Bonjour depuis la tablette")
    expect(messages_with(tablet, "depuis la tablette")).to_have_count(1)
    conversation = tablet.locator("#panel-conversation").bounding_box()
    assert conversation is not None and conversation["width"] >= 520
    # The filters start folded here too; opened, the age placeholders are not clipped.
    box = tablet.get_by_test_id("filters-box")
    expect(box).not_to_have_attribute("open", "")
    tablet.get_by_test_id("filters-summary").click()
    expect(box).to_have_attribute("open", "")
    expect(tablet.get_by_test_id("filter-age-min")).to_be_visible()
    for testid in ("filter-age-min", "filter-age-max"):
        clipped = tablet.get_by_test_id(testid).evaluate(
            """(input) => {
                const style = getComputedStyle(input);
                const context = document.createElement("canvas").getContext("2d");
                context.font = `${style.fontSize} ${style.fontFamily}`;
                const text = context.measureText(input.placeholder).width;
                const room = input.clientWidth - parseFloat(style.paddingLeft)
                    - parseFloat(style.paddingRight);
                return text > room;
            }"""
        )
        assert not clipped, testid
    # The member's nickname shows whole in the narrower column.
    nick = tablet.get_by_test_id("member-Amandine-Lou").locator(".member-nick")
    assert nick.evaluate("(node) => node.scrollWidth <= node.clientWidth")


def test_member_counts_do_not_look_like_unread_badges_and_english_says_department(
    causerie: ServerProcess, new_page: Callable[..., Any]
) -> None:
    expect = _expect()
    alice = new_page()
    bruno = new_page()
    enter_chat(alice, causerie.url, "Alice", "woman", 25, "75011")
    enter_chat(bruno, causerie.url, "Bruno", "man", 31, "69001")
    _open_room(alice, "general")
    _open_room(bruno, "general")
    _open_room(alice, "musique")
    send(bruno, "Un message pour Alice")
    badge = alice.get_by_test_id("tab-room-general").get_by_test_id("unread")
    expect(badge).to_have_text("1")
    count = alice.get_by_test_id("room-general").locator(".room-count")
    badge_bg = badge.evaluate("(node) => getComputedStyle(node).backgroundColor")
    count_bg = count.evaluate("(node) => getComputedStyle(node).backgroundColor")
    assert count_bg == "rgba(0, 0, 0, 0)" and badge_bg != count_bg
    assert count.evaluate("(node) => getComputedStyle(node).borderRadius") in ("0px", "")
    expect(count.locator("svg")).to_have_count(1)

    alice.get_by_test_id("lang-en").click()
    filters = alice.locator("#filters")
    expect(filters).to_contain_text("Department")
    expect(filters).not_to_contain_text("Département")
    expect(alice.get_by_test_id("filter-dept").locator("option").first).to_have_text(
        "All departments"
    )
    alice.get_by_test_id("tab-room-general").click()
    alice.get_by_test_id("member-Bruno").get_by_test_id("member-card").click()
    card = alice.get_by_test_id("profile-card")
    expect(card).to_contain_text("Department")
    expect(card).not_to_contain_text("épart")


def test_moderation_queue_titles_keep_whole_words_at_1366(
    causerie: ServerProcess, new_page: Callable[..., Any]
) -> None:
    expect = _expect()
    add_staff(causerie, "modo1", "moderator")
    victime = new_page()
    auteur = new_page()
    enter_chat(victime, causerie.url, "Victime", "woman", 27, "75011")
    enter_chat(auteur, causerie.url, "Auteur", "man", 34, "69001")
    _open_room(victime, "general")
    _open_room(auteur, "general")
    for text, category in (
        ("Tu as quel âge ? Envoie une photo", "child_safety"),
        ("Je vends des trucs pas nets", "illegal_goods"),
    ):
        send(auteur, text)
        messages_with(victime, text).get_by_test_id("report").click()
        victime.get_by_test_id("report-category").select_option(category)
        victime.get_by_test_id("report-submit").click()
        expect(victime.get_by_test_id("report-done")).to_be_visible()
        victime.get_by_test_id("report-done-close").click()

    page = new_page(width=1366, height=900)
    page.goto(f"{causerie.url}/mod")
    page.get_by_test_id("staff-name").fill("modo1")
    page.get_by_test_id("staff-password").fill(PASSWORD)
    page.get_by_test_id("staff-login").click()
    titles = page.locator(".queue-card-category")
    expect(titles).to_have_count(2)
    expect(titles.first).to_have_text("Protection de l'enfance")
    broken = titles.evaluate_all(
        """(nodes) => nodes.flatMap((node) => {
            const text = node.firstChild;
            const out = [];
            let start = 0;
            for (const word of node.textContent.split(" ")) {
                const range = document.createRange();
                range.setStart(text, start);
                range.setEnd(text, start + word.length);
                const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
                if (lines.size > 1) out.push(word);
                start += word.length + 1;
            }
            return out;
        })"""
    )
    assert broken == []


def test_icons_and_favicon_are_served(causerie: ServerProcess) -> None:
    from PIL import Image

    def get(path: str) -> tuple[int, str, bytes]:
        with urllib.request.urlopen(f"{causerie.url}{path}", timeout=10) as response:
            return response.status, response.headers["content-type"], response.read()

    status, kind, body = get("/favicon.ico")
    assert (status, kind) == (200, "image/x-icon")
    assert body[:4] == b"\x00\x00\x01\x00"  # an ICO file
    manifest = json.loads(get("/manifest.webmanifest")[2])
    pngs = {
        (icon["sizes"], icon["purpose"]): icon["src"]
        for icon in manifest["icons"]
        if icon["type"] == "image/png"
    }
    assert set(pngs) == {
        ("192x192", "any"),
        ("512x512", "any"),
        ("192x192", "maskable"),
        ("512x512", "maskable"),
    }
    for (sizes, _purpose), src in pngs.items():
        status, kind, body = get(src)
        assert (status, kind) == (200, "image/png")
        side = int(sizes.split("x")[0])
        assert Image.open(io.BytesIO(body)).size == (side, side)
    index = get("/")[2].decode()
    assert '<link rel="apple-touch-icon" href="/static/apple-touch-icon.png">' in index
    status, kind, body = get("/static/apple-touch-icon.png")
    apple = Image.open(io.BytesIO(body))
    assert (status, apple.size, apple.mode) == (200, (180, 180), "RGB")  # opaque, for iOS
