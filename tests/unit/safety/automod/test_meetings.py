"""Meeting proposals and street addresses, French and English."""

from __future__ import annotations

import pytest

from causerie.safety.automod.folding import TextView
from causerie.safety.automod.meetings import detect_addresses, detect_meetings
from causerie.safety.automod.spans import SpanKind


def _meetings(text: str) -> list[str]:
    return [text[s.start : s.end] for s in detect_meetings(TextView(text))]


def _addresses(text: str) -> list[str]:
    return [text[s.start : s.end] for s in detect_addresses(TextView(text))]


@pytest.mark.parametrize(
    "text",
    [
        "on se voit demain ?",
        "On se rejoint où ?",
        "on se retrouve à la gare",
        "viens chez moi ce soir",
        "je viens te chercher après les cours",
        "rdv à 18h devant le ciné",
        "Rendez-vous demain ?",
        "tu habites où ?",
        "t'habites où",
        "donne-moi ton adresse",
        "tu veux boire un verre ?",
        "on pourrait se voir irl",
        "ce soir à la gare ?",
        "je te vois devant le collège demain à 16h",
        "demain à 18h au parc, tu viens ?",
        "meet me at the mall",
        "let's meet tonight",
        "come to my place",
        "come over",
        "where do you live?",
        "what's your address",
        "tomorrow at 6pm at the station?",
    ],
)
def test_meeting_proposal_found(text: str) -> None:
    assert _meetings(text) != []


@pytest.mark.parametrize(
    "text",
    [
        "à 18h",
        "demain à 18h",
        "je vais au ciné ce soir",
        "j'ai rdv chez le dentiste demain",
        "elle a rendez-vous avec le prof",
        "je suis au lycée demain",
        "mon adresse mail ne marche plus",
        "on se voyait souvent avant",
        "j'ai vu un film hier",
        "the meeting is at 6pm",
        "I live in Lyon",
    ],
)
def test_meeting_ordinary_text_not_found(text: str) -> None:
    assert _meetings(text) == []


def test_meeting_found_span_kind_meeting() -> None:
    spans = detect_meetings(TextView("on se voit ?"))
    assert [span.kind for span in spans] == [SpanKind.MEETING]


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("j'habite au 12 rue de la Paix", "12 rue de la Paix"),
        ("12 rue de la Paix et on se voit", "12 rue de la Paix"),
        ("c'est au 3 bis avenue Foch, 75116 Paris", "3 bis avenue Foch, 75116 Paris"),
        ("5 impasse des Lilas", "5 impasse des Lilas"),
        ("40 bd Victor Hugo demain", "40 bd Victor Hugo"),
        ("7 chemin du Moulin", "7 chemin du Moulin"),
        ("2 allée des Tilleuls", "2 allée des Tilleuls"),
        ("1 place de la République", "1 place de la République"),
        ("I live at 221 Baker Street", "221 Baker Street"),
    ],
)
def test_address_street_found(text: str, address: str) -> None:
    assert _addresses(text) == [address]


@pytest.mark.parametrize(
    "text",
    [
        "j'ai 2 places de ciné",
        "la rue est calme",
        "il y a 3 rues",
        "avenue Foch",
        "j'ai 12 ans",
    ],
)
def test_address_ordinary_text_not_found(text: str) -> None:
    assert _addresses(text) == []
