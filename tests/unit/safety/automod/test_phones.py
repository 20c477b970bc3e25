"""Phone numbers: digits in French and international formats, and numbers spelled in words."""

from __future__ import annotations

import phonenumbers
import pytest
from phonenumbers import PhoneNumber

from causerie.safety.automod import phones
from causerie.safety.automod.folding import TextView
from causerie.safety.automod.phones import PhoneDetector, PhoneLeniency
from causerie.safety.automod.spans import SpanKind

DETECT = PhoneDetector()


def _found(text: str, detector: PhoneDetector = DETECT) -> list[str]:
    return [text[span.start : span.end] for span in detector(TextView(text))]


@pytest.mark.parametrize(
    "number",
    [
        "06 12 34 56 78",
        "06.12.34.56.78",
        "06-12-34-56-78",
        "0612345678",
        "+33 6 12 34 56 78",
        "+33612345678",
        "0033 6 12 34 56 78",
        "01 42 68 53 00",
        "+44 20 7946 0958",
        "+1 415 555 2671",
        "0 6 1 2 3 4 5 6 7 8",
        "𝟎𝟔 𝟏𝟐 𝟑𝟒 𝟓𝟔 𝟕𝟖",
    ],
)
def test_phone_written_in_digits_found_whole(number: str) -> None:
    assert _found(f"appelle-moi au {number} ce soir") == [number]


@pytest.mark.parametrize(
    "number",
    [
        "zero six douze trente-quatre cinquante-six soixante-dix-huit",
        "zéro six un deux trois quatre cinq six sept huit",
        "ZÉRO SIX DOUZE TRENTE QUATRE CINQUANTE SIX SOIXANTE DIX HUIT",
        "zéro six, douze, trente quatre, cinquante six, quatre-vingt-dix-huit",
        "zero six vingt et un trente quatre cinquante six soixante et onze",
        "zero six tiret douze tiret trente quatre tiret cinquante six tiret soixante dix huit",
        "o six 12 34 56 78",
        "O6 l2 34 56 78",
        "0a6b1c2d3e4f5g6h7i8",
        "oh six one two three four five six seven eight",
        "zero six double one two three four five six seven",
        "plus trente-trois six douze trente-quatre cinquante-six soixante-dix-huit",
    ],
)
def test_phone_spelled_or_scrambled_found_whole(number: str) -> None:
    assert _found(f"mon num: {number} bisous") == [number]


@pytest.mark.parametrize(
    "text",
    [
        "ça coûte 12 € et j'ai payé 45 € en 2024",
        "rdv à 18h, j'ai 15 ans",
        "un deux trois soleil",
        "j'ai un chat, deux chiens, trois poissons et quatre amis",
        "1 2 3 4 5 6 7 8 9 10",
        "code postal 75011, 13 rue des Lilas",
        "zero six douze trente quatre",
        "6 12 34 56 78",
    ],
)
def test_phone_ordinary_numbers_not_found(text: str) -> None:
    assert _found(text) == []


def test_phone_other_words_between_not_found() -> None:
    assert _found("zéro six puis j'ai douze trente-quatre cinquante-six soixante-dix-huit") == []


def test_phone_two_numbers_found_separately() -> None:
    text = "06 12 34 56 78 ou sinon 07 98 76 54 32"
    assert _found(text) == ["06 12 34 56 78", "07 98 76 54 32"]


def test_phone_found_span_kind_phone() -> None:
    assert {span.kind for span in DETECT(TextView("0612345678"))} == {SpanKind.PHONE}


def test_phone_possible_leniency_accepts_unassigned_number() -> None:
    text = "06 00 00 00 00"
    possible = PhoneDetector(PhoneLeniency.POSSIBLE)
    assert _found(text, possible) == [text]


def test_phone_digit_flood_checks_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = 0
    parse = phonenumbers.parse

    def counting_parse(number: str, region: str | None = None) -> PhoneNumber:
        nonlocal calls
        calls += 1
        return parse(number, region)

    monkeypatch.setattr(phonenumbers, "parse", counting_parse)
    DETECT(TextView("0 9 " * 500))
    assert 0 < calls <= phones._MAX_STREAM_CHECKS


def test_phone_after_flood_of_invalid_numbers_still_found() -> None:
    assert _found("07 00 00 00 00") == []  # not a valid number
    junk = " et ".join(["07 00 00 00 00"] * (phones._MAX_STREAM_CHECKS + 10))
    number = "zero six douze trente-quatre cinquante-six soixante-dix-huit"
    assert _found(f"{junk}, mon vrai numéro {number}")[-1] == number
