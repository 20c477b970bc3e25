"""E-mail addresses, links and handles on other apps, plain and obfuscated."""

from __future__ import annotations

import pytest

from causerie.safety.automod.contacts import (
    count_links,
    detect_emails,
    detect_handles,
    detect_links,
)
from causerie.safety.automod.folding import TextView
from causerie.safety.automod.spans import SpanKind


def _emails(text: str) -> list[str]:
    return [text[s.start : s.end] for s in detect_emails(TextView(text))]


def _links(text: str) -> list[str]:
    return [text[s.start : s.end] for s in detect_links(TextView(text))]


def _handles(text: str, kind: SpanKind = SpanKind.HANDLE) -> list[str]:
    return [text[s.start : s.end] for s in detect_handles(TextView(text)) if s.kind is kind]


@pytest.mark.parametrize(
    "address",
    [
        "jean.dupont@example.fr",
        "Jean_75+chat@Mail.Example.co.uk",
        "jean at gmail dot com",
        "jean(at)gmail.com",
        "jean [at] gmail [dot] com",
        "jean arobase gmail point com",
        "jean @ gmail . com",
        "jean(a)hotmail.fr",
        "élodie arobase orange point fr",
    ],
)
def test_email_plain_or_obfuscated_found_whole(address: str) -> None:
    assert _emails(f"écris-moi : {address} !") == [address]


@pytest.mark.parametrize(
    "text",
    [
        "on se retrouve at the station",
        "I'm at home, point final",
        "@lucas salut",
        "rdv à 18h à la gare",
        "envoie un mail à jean",
    ],
)
def test_email_ordinary_text_not_found(text: str) -> None:
    assert _emails(text) == []


@pytest.mark.parametrize(
    ("text", "link"),
    [
        ("va voir https://example.com/page?x=1.", "https://example.com/page?x=1"),
        ("www.example.org", "www.example.org"),
        ("rejoins discord.gg/abcdef", "discord.gg/abcdef"),
        ("mon site: jean-dupont.fr/photos", "jean-dupont.fr/photos"),
        ("t.me/jean75 direct", "t.me/jean75"),
        ("monsite point com", "monsite point com"),
        ("monsite(dot)fr", "monsite(dot)fr"),
        ("monsite [.] com", "monsite [.] com"),
        ("HTTP://EXAMPLE.COM", "HTTP://EXAMPLE.COM"),
    ],
)
def test_link_with_or_without_scheme_found(text: str, link: str) -> None:
    assert _links(text) == [link]


@pytest.mark.parametrize(
    "text",
    [
        "ok.de rien",
        "bon.ca va",
        "fin.Tu viens ?",
        "version 1.2.3",
        "photo.jpg",
        "à ce point-là c'est fou",
        "jean.dupont@example.fr",
        "jean at gmail dot com",
    ],
)
def test_link_ordinary_text_and_emails_not_found(text: str) -> None:
    assert _links(text) == []


def test_link_count_counts_each_link() -> None:
    assert count_links(TextView("a.com, b.fr et https://c.net/x")) == 3


@pytest.mark.parametrize(
    ("text", "handle"),
    [
        ("mon snap c'est jean_75", "jean_75"),
        ("Mon Snap : Jean.Dupont", "Jean.Dupont"),
        ("insta @lucie.dupont", "@lucie.dupont"),
        ("snap jean_75", "jean_75"),
        ("ton discord = ghost#1234", "ghost#1234"),
        ("ajoute moi : tg: @jeannot", "@jeannot"),
        ("my insta is lucy99", "lucy99"),
        ("whatsapp c'est @jean75", "@jean75"),
        ("snap c'est jean_75", "jean_75"),
        ("on parle sur insta ? @jean_75", "@jean_75"),
        ("discord: jean#1234", "jean#1234"),
    ],
)
def test_handle_named_app_and_handle_found(text: str, handle: str) -> None:
    assert _handles(text) == [handle]


@pytest.mark.parametrize(
    "text",
    [
        "ajoute-moi sur snap",
        "add me on insta",
        "on passe sur telegram",
        "écris-moi sur WhatsApp",
        "t'as insta ?",
        "tu as snap",
        "do you have discord",
        "mon snap",
        "viens sur tiktok",
    ],
)
def test_handle_invitation_without_handle_off_platform(text: str) -> None:
    assert _handles(text, SpanKind.OFF_PLATFORM) != []
    assert _handles(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "snapshot of my screen",
        "@lucas salut, ça va ?",
        "j'ai vu une vidéo sur tiktok",
        "le signal est mauvais ici",
        "tg mdr",
        "insta c'est nul",
        "oh snap!",
    ],
)
def test_handle_ordinary_text_not_found(text: str) -> None:
    assert _handles(text) == []
    assert _handles(text, SpanKind.OFF_PLATFORM) == []


def test_handle_zero_width_inside_app_name_found() -> None:
    assert _handles("mon sn\u200bap c'est jean_75") == ["jean_75"]
