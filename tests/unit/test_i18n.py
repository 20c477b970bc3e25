"""User-facing texts: every error code reads as a sentence in French and English; unknown keys
and languages fall back; parameters are substituted and a missing one never raises."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

import causerie
from causerie.errors import ErrorCode
from causerie.i18n import DEFAULT_LANG, TEXTS, translate

SRC = Path(causerie.__file__).parent
# Message keys named where a refusal is raised: CauserieError(ErrorCode.X, "key"...) and
# FrameError("key"...).
_KEY_IN_SOURCE = re.compile(
    r'(?:CauserieError\(\s*ErrorCode\.\w+,\s*|FrameError\(\s*|ProtocolError\(\s*)"(\w+)"'
)


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("code", list(ErrorCode))
def test_translate_every_error_code_has_french_and_english(code: ErrorCode) -> None:
    texts = TEXTS[code.value]

    assert texts["fr"].strip() and texts["en"].strip()
    assert texts["fr"] != texts["en"]
    assert translate(code.value, "en") != translate(code.value, "fr")


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_translate_every_key_same_placeholders_in_both_languages(key: str) -> None:
    assert set(TEXTS[key]) == {"fr", "en"}
    assert _placeholders(TEXTS[key]["fr"]) == _placeholders(TEXTS[key]["en"])


def test_translate_every_key_raised_in_source_has_a_text() -> None:
    raised = {
        key
        for path in SRC.rglob("*.py")
        for key in _KEY_IN_SOURCE.findall(path.read_text(encoding="utf-8"))
    }

    assert len(raised) >= 20  # the scan still finds the refusals
    assert sorted(raised - set(TEXTS)) == []


def test_translate_default_language_is_french() -> None:
    assert DEFAULT_LANG == "fr"
    assert translate("nick_taken") == "Ce pseudo est déjà pris."


@pytest.mark.parametrize("lang", ["de", "", "EN", "zz"])
def test_translate_unknown_language_falls_back_to_french(lang: str) -> None:
    assert translate("not_found", lang) == "Introuvable."


def test_translate_unknown_key_falls_back_to_given_code() -> None:
    assert translate("no_such_key", "en", fallback="not_found") == "Not found."


def test_translate_unknown_key_and_fallback_reads_invalid() -> None:
    assert translate("no_such_key", "en", fallback="also_missing") == "Invalid request."
    assert translate("no_such_key") == "Requête invalide."


@pytest.mark.parametrize(
    ("key", "lang", "params", "text"),
    [
        ("too_young", "fr", {"min": 15}, "Il faut avoir au moins 15 ans pour entrer."),
        ("too_young", "en", {"min": 13}, "You must be at least 13 to enter."),
        (
            "nick_length",
            "en",
            {"min": 2, "max": 20},
            "The nickname must be 2 to 20 characters long.",
        ),
        ("bad_field", "fr", {"field": "age"}, "Champ « age » invalide."),
        ("rate_limited", "en", {"retry_after": 3}, "Slow down! Try again in 3 s."),
    ],
)
def test_translate_params_substituted(
    key: str, lang: str, params: dict[str, object], text: str
) -> None:
    assert translate(key, lang, **params) == text


def test_translate_extra_params_ignored() -> None:
    assert translate("not_found", "en", field="room", max=3) == "Not found."


@pytest.mark.parametrize("key", sorted(k for k in TEXTS if _placeholders(TEXTS[k]["fr"])))
def test_translate_missing_param_returns_text_without_raising(key: str) -> None:
    assert translate(key, "fr") == TEXTS[key]["fr"]
    assert translate(key, "en") == TEXTS[key]["en"]
