"""The engine: rules applied to a message in its context, the verdict and the masked text.

The scenario texts are those of issue 3 (scenarios 3, 4 and 13), judged with the shipped rules.
"""

from __future__ import annotations

import pytest

from causerie.safety.automod import (
    MASK,
    Action,
    Automod,
    Context,
    Outcome,
    SpanKind,
    Verdict,
    load_default_rules,
    load_rules,
)

AUTOMOD = Automod(load_default_rules())
ADULTS = Context.dm(sender_is_minor=False, recipient_is_minor=False)
TO_MINOR = Context.dm(sender_is_minor=True, recipient_is_minor=True)
TEEN_ROOM = Context.room(is_teen_room=True)
ADULT_ROOM = Context.room(is_teen_room=False)

PHONES = [
    "06 12 34 56 78",
    "zero six douze trente-quatre cinquante-six soixante-dix-huit",
    "+33612345678",
]


def _ids(verdict: Verdict) -> list[str]:
    return [match.rule_id for match in verdict.matches]


@pytest.mark.parametrize("phone", PHONES)
def test_evaluate_phone_to_minor_held(phone: str) -> None:
    verdict = AUTOMOD.evaluate(f"mon num c'est {phone}", TO_MINOR)
    assert verdict.outcome is Outcome.HOLD
    assert _ids(verdict) == ["phone-minor"]
    assert verdict.severity == 4
    assert verdict.matches[0].category == "contact_details"
    assert verdict.is_automatic is True


@pytest.mark.parametrize("phone", PHONES)
def test_evaluate_phone_in_teen_room_held(phone: str) -> None:
    assert AUTOMOD.evaluate(phone, TEEN_ROOM).outcome is Outcome.HOLD


@pytest.mark.parametrize("phone", PHONES)
def test_evaluate_phone_between_adults_delivered_without_action(phone: str) -> None:
    verdict = AUTOMOD.evaluate(phone, ADULTS)
    assert verdict.outcome is Outcome.DELIVER
    assert verdict.is_clean
    assert verdict.action is None


@pytest.mark.parametrize(
    "text",
    ["on se voit demain à 18h ?", "viens chez moi ce soir", "j'habite au 12 rue de la Paix"],
)
def test_evaluate_meeting_between_adults_delivered_with_notice(text: str) -> None:
    verdict = AUTOMOD.evaluate(text, ADULTS)
    assert verdict.outcome is Outcome.DELIVER
    assert verdict.action is Action.NOTICE
    assert verdict.should_show_notice
    assert verdict.message_keys == ("automod_meeting_notice",)


@pytest.mark.parametrize(
    "text",
    ["on se voit demain à 18h ?", "viens chez moi ce soir", "j'habite au 12 rue de la Paix"],
)
def test_evaluate_meeting_to_minor_held_top_severity(text: str) -> None:
    verdict = AUTOMOD.evaluate(text, TO_MINOR)
    assert verdict.outcome is Outcome.HOLD
    assert verdict.severity == 5
    assert not verdict.should_show_notice


@pytest.mark.parametrize(
    "text", ["ça coûte 12 €", "c'était en 2024", "à 18h", "snapshot", "@lucas t'es là ?"]
)
def test_evaluate_ordinary_text_to_minor_clean(text: str) -> None:
    assert AUTOMOD.evaluate(text, TO_MINOR).is_clean


def test_evaluate_time_alone_between_adults_clean() -> None:
    assert AUTOMOD.evaluate("à 18h", ADULTS).is_clean


def test_evaluate_link_in_teen_room_held_in_adult_room_clean() -> None:
    text = "regarde https://example.com/video"
    assert AUTOMOD.evaluate(text, TEEN_ROOM).outcome is Outcome.HOLD
    assert AUTOMOD.evaluate(text, ADULT_ROOM).is_clean


def test_evaluate_handle_invitation_to_minor_held() -> None:
    verdict = AUTOMOD.evaluate("ajoute-moi sur snap", TO_MINOR)
    assert _ids(verdict) == ["handle-minor"]
    assert verdict.matches[0].spans[0].kind is SpanKind.OFF_PLATFORM


def test_evaluate_shouting_warns_and_delivers() -> None:
    verdict = AUTOMOD.evaluate("ARRÊTEZ DE ME SPAMMER", ADULT_ROOM)
    assert verdict.outcome is Outcome.DELIVER
    assert verdict.should_warn_sender
    assert verdict.action is Action.WARN


def test_evaluate_insult_flags_and_delivers() -> None:
    verdict = AUTOMOD.evaluate("t'es un c0nn4rd", ADULT_ROOM)
    assert verdict.outcome is Outcome.DELIVER
    assert verdict.should_flag
    assert _ids(verdict) == ["insults"]
    assert verdict.matches[0].category == "words:insults"


def test_evaluate_sexual_terms_to_minor_held_top_severity_adults_clean() -> None:
    text = "envoie des nudes"
    verdict = AUTOMOD.evaluate(text, TO_MINOR)
    assert (verdict.outcome, verdict.severity) == (Outcome.HOLD, 5)
    assert AUTOMOD.evaluate(text, ADULTS).is_clean


def test_evaluate_drug_sale_held_everywhere() -> None:
    assert AUTOMOD.evaluate("beuh à vendre, plan coke", ADULTS).outcome is Outcome.HOLD


def test_evaluate_block_beats_hold_and_flags_kept() -> None:
    automod = Automod(
        load_rules(
            """
[[rules]]
id = "scam"
detector = "pattern"
pattern = 'bitcoin'
category = "scam"
action = "block"
severity = 3
[[rules]]
id = "links"
detector = "link"
action = "hold"
[[rules]]
id = "shout"
detector = "caps"
params = { min_letters = 5 }
action = "warn"
[[rules]]
id = "flag-links"
detector = "link"
action = "flag"
"""
        )
    )
    verdict = automod.evaluate("BITCOIN GRATUIT sur www.example.com", ADULTS)
    assert verdict.outcome is Outcome.BLOCK
    assert verdict.action is Action.BLOCK
    assert _ids(verdict) == ["scam", "links", "shout", "flag-links"]
    assert verdict.should_warn_sender and verdict.should_flag
    assert verdict.matched(Action.HOLD)[0].rule_id == "links"
    assert verdict.message_keys[0] == "automod_scam"


def test_evaluate_rule_spans_point_at_original_text() -> None:
    text = "Écris-moi au ZÉRO SIX douze trente-quatre cinquante-six soixante-dix-huit stp"
    (match,) = AUTOMOD.evaluate(text, TO_MINOR).matches
    (span,) = match.spans
    assert text[span.start : span.end].startswith("ZÉRO SIX")
    assert text[span.start : span.end].endswith("soixante-dix-huit")


def test_evaluate_disabled_rule_ignored() -> None:
    automod = Automod(
        load_rules('[[rules]]\nid="p"\ndetector="phone"\naction="block"\nenabled=false')
    )
    assert automod.evaluate("0612345678", ADULTS).is_clean


def test_evaluate_same_input_same_verdict() -> None:
    text = "mon snap c'est jean_75, rdv demain 18h à la gare ? 06 12 34 56 78"
    assert AUTOMOD.evaluate(text, TO_MINOR) == AUTOMOD.evaluate(text, TO_MINOR)


def test_masked_phone_and_link_in_first_message_between_adults() -> None:
    text = "salut ! appelle-moi au 06 12 34 56 78 ou va sur www.example.com"
    verdict = AUTOMOD.evaluate(text, ADULTS)
    assert verdict.is_clean
    assert verdict.masked(text) == f"salut ! appelle-moi au {MASK} ou va sur {MASK}"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("mon mail: jean at gmail dot com", f"mon mail: {MASK}"),
        ("mon snap c'est jean_75 bisous", f"mon snap c'est {MASK} bisous"),
        ("j'habite 12 rue de la Paix", f"j'habite {MASK}"),
        ("zéro six douze trente-quatre cinquante-six soixante-dix-huit !", f"{MASK} !"),
        ("rendez-vous demain à la gare ?", "rendez-vous demain à la gare ?"),
        ("ARRÊTEZ DE ME SPAMMER", "ARRÊTEZ DE ME SPAMMER"),
    ],
)
def test_masked_contact_kinds_only(text: str, masked: str) -> None:
    assert AUTOMOD.evaluate(text, ADULTS).masked(text) == masked
    assert AUTOMOD.mask(text) == masked


def test_masked_pattern_rule_of_masked_kind_masked() -> None:
    automod = Automod(
        load_rules(
            "[[rules]]\nid='c'\ndetector='pattern'\npattern='code \\d+'\nkind='phone'\n"
            "category='codes'\naction='flag'"
        )
    )
    text = "mon code 1234 ok"
    assert automod.evaluate(text, ADULTS).masked(text) == f"mon {MASK} ok"
