"""Invariants over arbitrary text: the engine never raises, masking leaves no phone number."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from causerie.safety.automod import Automod, Context, TextView, load_default_rules
from causerie.safety.automod.phones import PhoneDetector

AUTOMOD = Automod(load_default_rules())
PHONE = PhoneDetector()
CONTEXTS = st.sampled_from(
    [
        Context.room(is_teen_room=True),
        Context.room(is_teen_room=False),
        Context.dm(sender_is_minor=False, recipient_is_minor=False),
        Context.dm(sender_is_minor=True, recipient_is_minor=True),
    ]
)
# Pieces that make detectors work hard: digits, number words, separators, accents, capitals.
PIECES = st.sampled_from(
    [
        "0", "6", "12", "33", "+", " ", "-", ".", ",", "@", "(at)", " point ", "zéro", "six",
        "douze", "soixante-dix-huit", "vingt et un", "o", "l", "i", "a", "www.", ".com", "snap",
        "mon ", "c'est ", "rue ", "demain ", "à la gare ", "?", "Œ", "e\u0301", "É", "😀", "\n",
    ]
)  # fmt: skip
TEXTS = st.one_of(
    st.text(max_size=300),
    st.lists(PIECES, max_size=60).map("".join),
    st.lists(st.one_of(PIECES, st.text(max_size=5)), max_size=40).map("".join),
)
PHONE_NUMBERS = st.sampled_from(
    [
        "06 12 34 56 78",
        "+33612345678",
        "0033 6 12 34 56 78",
        "zero six douze trente-quatre cinquante-six soixante-dix-huit",
        "0 6 1 2 3 4 5 6 7 8",
        "o six 12 34 56 78",
        "+44 20 7946 0958",
    ]
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS, context=CONTEXTS)
def test_evaluate_any_text_never_raises(text: str, context: Context) -> None:
    verdict = AUTOMOD.evaluate(text, context)
    for match in verdict.matches:
        assert all(0 <= span.start < span.end <= len(text) for span in match.spans)
    assert isinstance(verdict.masked(text), str)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS, context=CONTEXTS)
def test_verdict_without_contacts_judges_the_same(text: str, context: Context) -> None:
    full = AUTOMOD.evaluate(text, context)
    judged = AUTOMOD.evaluate(text, context, find_contacts=False)
    assert judged.matches == full.matches
    assert judged.contact_spans == ()


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS, context=CONTEXTS)
def test_masked_any_text_no_phone_left(text: str, context: Context) -> None:
    masked = AUTOMOD.evaluate(text, context).masked(text)
    assert PHONE(TextView(masked)) == ()


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(before=TEXTS, number=PHONE_NUMBERS, after=TEXTS)
def test_masked_embedded_phone_digits_gone(before: str, number: str, after: str) -> None:
    text = f"{before} {number} {after}"
    masked = AUTOMOD.mask(text)
    assert number not in masked
    assert PHONE(TextView(masked)) == ()
