"""Statements of reasons (DSA art. 17, DESIGN.md rule 6): complete, in French and English,
with the appeal deadline at least six months out."""

from __future__ import annotations

from datetime import timedelta, timezone
from typing import Any

import pytest

from causerie.safety.statements import (
    APPEAL_WINDOW_DAYS,
    APPEAL_WINDOW_MS,
    EXCERPT_MAX_CHARS,
    TIMED_DECISIONS,
    Decision,
    Ground,
    Source,
    Statement,
    format_date,
    make_statement,
    one_line,
    render,
)

MARCH_1_2025_MS = 1_740_787_200_000  # 2025-03-01T00:00:00Z
HOUR_MS = 3_600_000
DAY_MS = 24 * HOUR_MS


def _statement(**changes: Any) -> Statement:
    fields: dict[str, Any] = {
        "statement_id": "st-42",
        "decision": Decision.MUTED,
        "ground": Ground.HARASSMENT,
        "is_automatic": False,
        "source": Source.REPORT,
        "decided_at_ms": MARCH_1_2025_MS,
        "duration_ms": 2 * HOUR_MS,
        "content": "t'es vraiment nul",
    }
    fields.update(changes)
    return make_statement(**fields)


def test_make_statement_appeal_deadline_at_least_six_months() -> None:
    statement = _statement()

    assert APPEAL_WINDOW_DAYS >= 183
    assert statement.appeal_deadline_ms == MARCH_1_2025_MS + APPEAL_WINDOW_MS
    assert statement.appeal_deadline_ms - statement.decided_at_ms >= 183 * DAY_MS


def test_render_fr_human_timed_has_every_part() -> None:
    text = render(_statement(), "fr")

    assert "réf. st-42" in text
    assert "Date de la décision : 1er mars 2025 à 0 h 00 (UTC)" in text
    assert "Décision : tu es réduit au silence" in text
    assert "Durée : 2 heures, jusqu'au 1er mars 2025 à 2 h 00 (UTC)." in text
    assert "Motif : harcèlement" in text
    assert "Décidé par : un modérateur (décision humaine)." in text
    assert "automatisée" not in text
    assert "Origine : un signalement." in text
    assert "Contenu concerné : « t'es vraiment nul »" in text
    assert "jusqu'au 31 août 2025 à 0 h 00 (UTC)" in text
    assert "« Contester »" in text
    assert "référence de la décision : st-42" in text


def test_render_en_human_timed_has_every_part() -> None:
    text = render(_statement(), "en")

    assert "ref. st-42" in text
    assert "Date of the decision: 1 March 2025, 00:00 UTC" in text
    assert "Decision: you are muted" in text
    assert "Duration: 2 hours, until 1 March 2025, 02:00 UTC." in text
    assert "Ground: harassment" in text
    assert "Decided by: a moderator (human decision)." in text
    assert "automated" not in text
    assert "Origin: a report." in text
    assert 'Content concerned: "t\'es vraiment nul"' in text
    assert "You can appeal this decision until 31 August 2025, 00:00 UTC." in text
    assert "Contester" in text
    assert "decision reference: st-42" in text


@pytest.mark.parametrize(
    ("lang", "automatic_label", "rule_label", "source_label"),
    [
        ("fr", "Décidé par : un système automatique (décision automatisée).", "Règle appliquée : "
         "contact.phone", "Origine : une détection automatique."),
        ("en", "Decided by: an automated system (automated decision).", "Rule applied: "
         "contact.phone", "Origin: automatic detection."),
    ],
)  # fmt: skip
def test_render_automatic_decision_labelled_with_its_rule(
    lang: str, automatic_label: str, rule_label: str, source_label: str
) -> None:
    statement = _statement(
        decision=Decision.HELD,
        ground=Ground.CONTACT_DETAILS_MINOR,
        is_automatic=True,
        rule_id="contact.phone",
        source=Source.AUTOMATIC_DETECTION,
        duration_ms=None,
    )

    text = render(statement, lang)

    assert automatic_label in text
    assert rule_label in text
    assert source_label in text
    assert "moderator (human" not in text and "décision humaine" not in text


@pytest.mark.parametrize(
    ("lang", "decision", "permanent"),
    [
        ("fr", "Décision : tu es banni du site.", "Durée : définitive, sans date de fin."),
        ("en", "Decision: you are banned from the site.", "Duration: permanent, with no end date."),
    ],
)
def test_render_permanent_ban_says_so(lang: str, decision: str, permanent: str) -> None:
    statement = _statement(decision=Decision.BANNED_SITE, ground=Ground.HATE, duration_ms=None)

    text = render(statement, lang)

    assert statement.is_permanent and statement.ends_at_ms is None
    assert decision in text
    assert permanent in text
    assert ("jusqu'au 31 août 2025" if lang == "fr" else "until 31 August 2025") in text


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("fr", "Décision : tu es banni du salon « général »."),
     ("en", 'Decision: you are banned from the room "général".')],
)  # fmt: skip
def test_render_room_ban_names_the_room(lang: str, expected: str) -> None:
    statement = _statement(decision=Decision.BANNED_ROOM, room="général", duration_ms=DAY_MS)

    assert expected in render(statement, lang)


@pytest.mark.parametrize(
    ("duration_ms", "fr", "en"),
    [
        (30 * 60_000, "30 minutes", "30 minutes"),
        (HOUR_MS, "1 heure", "1 hour"),
        (DAY_MS + 2 * HOUR_MS + 30 * 60_000, "1 jour, 2 heures et 30 minutes",
         "1 day, 2 hours and 30 minutes"),
        (7 * DAY_MS, "7 jours", "7 days"),
        (1500, "2 secondes", "2 seconds"),
    ],
)  # fmt: skip
def test_render_duration_in_words(duration_ms: int, fr: str, en: str) -> None:
    statement = _statement(duration_ms=duration_ms)

    assert f"Durée : {fr}, jusqu'au" in render(statement, "fr")
    assert f"Duration: {en}, until" in render(statement, "en")


@pytest.mark.parametrize("decision", list(Decision))
@pytest.mark.parametrize("ground", list(Ground))
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_render_every_decision_and_ground_has_text(
    decision: Decision, ground: Ground, lang: str
) -> None:
    duration = DAY_MS if decision in TIMED_DECISIONS else None
    statement = _statement(decision=decision, ground=ground, duration_ms=duration, room="dé")

    text = render(statement, lang)

    assert "{" not in text  # no placeholder left
    assert ("Décision : " if lang == "fr" else "Decision: ") in text
    assert ("Durée" in text or "Duration" in text) is (decision in TIMED_DECISIONS)


def test_render_untimed_decision_has_no_duration_line() -> None:
    statement = _statement(decision=Decision.MESSAGE_REMOVED, duration_ms=None)

    text = render(statement, "fr")

    assert "Durée" not in text
    assert "Décision : ton message a été supprimé." in text


def test_render_unknown_language_falls_back_to_french() -> None:
    assert render(_statement(), "de") == render(_statement(), "fr")


def test_render_time_zone_from_caller() -> None:
    paris_winter = timezone(timedelta(hours=1), "CET")

    text = render(_statement(), "fr", tz=paris_winter)

    assert "Date de la décision : 1er mars 2025 à 1 h 00 (CET)" in text


def test_render_content_cannot_forge_lines() -> None:
    content = "salut\n\nDécision : aucune.\r\nDurée : 0\u2028fin\x00"

    statement = _statement(content=content)
    text = render(statement, "fr")

    assert statement.excerpt == "salut Décision : aucune. Durée : 0 fin"
    assert not any(line.startswith("Décision : aucune") for line in text.splitlines())
    assert text.count("\n") == render(_statement(content="x"), "fr").count("\n")


def test_make_statement_long_content_truncated() -> None:
    statement = _statement(content="a" * 5000, explanation="b " * 2000)

    assert statement.excerpt is not None
    assert len(statement.excerpt) == EXCERPT_MAX_CHARS
    assert statement.excerpt.endswith("…")
    assert len(statement.explanation) <= 1000


def test_make_statement_picture_has_no_excerpt() -> None:
    statement = _statement(content=None)

    assert statement.excerpt is None
    assert "Contenu concerné" not in render(statement, "fr")


def test_render_explanation_shown() -> None:
    statement = _statement(explanation="Insultes répétées envers  plusieurs\nmembres.")

    assert "Précisions : Insultes répétées envers plusieurs membres." in render(statement, "fr")
    assert "Details: Insultes répétées envers plusieurs membres." in render(statement, "en")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"statement_id": ""}, "id"),
        ({"decided_at_ms": -1}, "decided_at_ms"),
        ({"decided_at_ms": 10**15}, "future"),
        ({"duration_ms": 0}, "positive"),
        ({"decision": Decision.WARNING, "duration_ms": HOUR_MS}, "warning"),
        ({"is_automatic": True, "rule_id": None}, "rule"),
    ],
)
def test_make_statement_invalid_input_raises(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _statement(**changes)


@pytest.mark.parametrize(
    ("at_ms", "lang", "expected"),
    [
        (0, "fr", "1er janvier 1970 à 0 h 00 (UTC)"),
        (0, "en", "1 January 1970, 00:00 UTC"),
        (MARCH_1_2025_MS + 9 * DAY_MS + 14 * HOUR_MS + 5 * 60_000, "fr",
         "10 mars 2025 à 14 h 05 (UTC)"),
        (MARCH_1_2025_MS + 9 * DAY_MS + 14 * HOUR_MS + 5 * 60_000, "en",
         "10 March 2025, 14:05 UTC"),
    ],
)  # fmt: skip
def test_format_date_as_people_write_it(at_ms: int, lang: str, expected: str) -> None:
    assert format_date(at_ms, lang) == expected


def test_one_line_short_text_unchanged() -> None:
    assert one_line("  bonjour  ", 10) == "bonjour"
    assert one_line("abcdefghijk", 5) == "abcd…"
