"""Obfuscated contact details between minors (issue 17, finding 12), on two corpora kept side by
side in corpus/: every line of `attacks.tsv` is held where a minor is involved, and no line of
`ordinary_fr.txt` (ordinary French chat) is touched. Property tests: a spaced-out,
bracket-dotted or glued variant of a contact detail that is caught is caught too."""

from __future__ import annotations

from pathlib import Path

import phonenumbers
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from causerie.safety.automod import Automod, Context, Verdict, load_default_rules
from causerie.safety.automod.engine import Outcome

CORPUS = Path(__file__).parent / "corpus"
AUTOMOD = Automod(load_default_rules())
TEEN_ROOM = Context.room(is_teen_room=True)
MINORS_DM = Context.dm(sender_is_minor=True, recipient_is_minor=True)
MINOR_CONTEXTS = {"teen room": TEEN_ROOM, "dm between minors": MINORS_DM}
CONTACT_CATEGORIES = frozenset({"contact_details", "links"})


def _lines(name: str) -> list[str]:
    text = (CORPUS / name).read_text("utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


ATTACKS = [tuple(line.split("\t", 1)) for line in _lines("attacks.tsv")]
ORDINARY = _lines("ordinary_fr.txt")


def _is_held(text: str, context: Context) -> bool:
    return AUTOMOD.evaluate(text, context).outcome is Outcome.HOLD


def _touches(verdict: Verdict) -> bool:
    return (
        verdict.outcome is not Outcome.DELIVER
        or bool(verdict.contact_spans)
        or any(match.category in CONTACT_CATEGORIES for match in verdict.matches)
    )


def test_corpora_are_large_and_varied() -> None:
    kinds = {kind for kind, _text in ATTACKS}
    assert kinds == {"email", "link", "handle", "phone"}
    assert len(ATTACKS) >= 120 and len(ORDINARY) >= 300
    assert len(set(ORDINARY)) == len(ORDINARY), "no line twice"


@pytest.mark.parametrize("context", MINOR_CONTEXTS.values(), ids=MINOR_CONTEXTS.keys())
def test_every_attack_line_held_where_a_minor_is_involved(context: Context) -> None:
    missed = [(kind, text) for kind, text in ATTACKS if not _is_held(text, context)]

    assert missed == []


@pytest.mark.parametrize(("kind", "text"), ATTACKS, ids=[text for _kind, text in ATTACKS])
def test_attack_line_finds_a_contact_of_its_kind(kind: str, text: str) -> None:
    verdict = AUTOMOD.evaluate(text, TEEN_ROOM)

    kinds = {span.kind.value for match in verdict.matches for span in match.spans}
    expected = {"handle": {"handle", "off_platform"}, "email": {"email"}}.get(kind, {kind})
    assert kinds & expected, (kinds, verdict.matches)
    assert verdict.masked(text) != text or kind == "handle"


@pytest.mark.parametrize("context", MINOR_CONTEXTS.values(), ids=MINOR_CONTEXTS.keys())
def test_no_ordinary_line_touched(context: Context) -> None:
    touched = [text for text in ORDINARY if _touches(AUTOMOD.evaluate(text, context))]

    assert touched == []


def test_no_ordinary_line_masked_between_adults() -> None:
    masked = [text for text in ORDINARY if AUTOMOD.mask(text) != text]

    assert masked == []


@pytest.mark.parametrize(
    "text",
    ["evil[.]example", "e v i l . c o m", "s n a p : l e a 2 0 1 0", "sixdouzetrentequatre"],
)
def test_issue_examples_held_between_minors(text: str) -> None:
    for context in MINOR_CONTEXTS.values():
        assert _is_held(text, context)


# -- properties: a variant of a caught contact is caught too ------------------------------

APPS = ["snap", "insta", "tiktok", "discord", "telegram", "whatsapp"]
HANDLES = st.from_regex(r"[a-z]{3,8}(?:_|\.)?[0-9]{2,4}", fullmatch=True)
LABELS = st.from_regex(r"[a-z]{4,10}", fullmatch=True)
TLDS = st.sampled_from(["com", "fr", "net", "org", "io"])
MAIL_HOSTS = st.sampled_from(["gmail", "hotmail", "yahoo", "outlook", "laposte", "free"])
DISGUISED_DOTS = st.sampled_from(["[.]", "(.)", "{.}", "(dot)", "[dot]", " [.] ", " (dot) "])
DISGUISED_ATS = st.sampled_from(["(at)", "[at]", " (at) ", "{at}", " arobase "])


def _spaced(text: str, separator: str) -> str:
    """Every character apart; what was a space becomes a wider gap (a word break)."""
    if separator.strip():
        return separator.join(text.replace(" ", ""))
    return separator.join(ch if ch != " " else " " * (len(separator) + 1) for ch in text)


def _caught_everywhere(text: str) -> bool:
    return all(_is_held(text, context) for context in MINOR_CONTEXTS.values())


PROPERTY = settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY
@given(st.sampled_from(APPS), HANDLES, st.sampled_from([" ", "  "]))
def test_spaced_out_variant_of_a_caught_handle_caught(app: str, handle: str, gap: str) -> None:
    plain = f"{app}: {handle}"
    assume(_caught_everywhere(plain))

    assert _caught_everywhere(_spaced(plain, gap))


@PROPERTY
@given(HANDLES, MAIL_HOSTS, TLDS, st.sampled_from([" ", "  "]))
def test_spaced_out_variant_of_a_caught_email_caught(
    local: str, host: str, tld: str, gap: str
) -> None:
    plain = f"{local}@{host}.{tld}"
    assume(_caught_everywhere(plain))

    assert _caught_everywhere(_spaced(plain, gap))


@PROPERTY
@given(HANDLES, MAIL_HOSTS, TLDS, DISGUISED_ATS, DISGUISED_DOTS)
def test_bracket_dotted_variant_of_a_caught_email_caught(
    local: str, host: str, tld: str, at: str, dot: str
) -> None:
    assume(_caught_everywhere(f"{local}@{host}.{tld}"))

    assert _caught_everywhere(f"{local}{at}{host}{dot}{tld}")


@PROPERTY
@given(LABELS, TLDS, DISGUISED_DOTS)
def test_bracket_dotted_variant_of_a_caught_link_caught(label: str, tld: str, dot: str) -> None:
    assume(_is_held(f"{label}.{tld}", TEEN_ROOM))

    assert _caught_everywhere(f"{label}{dot}{tld}")
    assert _caught_everywhere(f"{label}{dot}{label[::-1]}")  # whatever the ending


@PROPERTY
@given(LABELS, TLDS, st.sampled_from([" ", "  "]))
def test_spaced_out_variant_of_a_caught_link_caught(label: str, tld: str, gap: str) -> None:
    assume(_is_held(f"{label}.{tld}", TEEN_ROOM))

    assert _caught_everywhere(_spaced(f"{label}.{tld}", gap))


_UNITS = "zero un deux trois quatre cinq six sept huit neuf".split()
_TEENS = "dix onze douze treize quatorze quinze seize".split()
_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante", 8: "quatre vingt"}


def _french(number: int) -> str:
    """A two-digit group in French words (00-99), as people spell a phone number."""
    if number < 10:
        return f"zero {_UNITS[number]}"
    if number < 17:
        return _TEENS[number - 10]
    if number < 20:
        return f"dix {_UNITS[number - 10]}"
    tens, unit = divmod(number, 10)
    if tens in (7, 9):
        return f"{_TENS[tens - 1]} {_french(10 + unit)}"
    if unit == 0:
        return _TENS[tens]
    return f"{_TENS[tens]} {'et ' if unit == 1 and tens != 8 else ''}{_UNITS[unit]}"


PHONES = st.tuples(st.sampled_from("67"), st.lists(st.integers(0, 99), min_size=4, max_size=4))


@PROPERTY
@given(PHONES, st.sampled_from([" ", "  ", ".", "-", " . "]))
def test_spaced_out_variant_of_a_caught_phone_number_caught(
    phone: tuple[str, list[int]], separator: str
) -> None:
    digits = "0" + phone[0] + "".join(f"{group:02d}" for group in phone[1])
    assume(phonenumbers.is_valid_number(phonenumbers.parse(digits, "FR")))
    assume(_caught_everywhere(digits))

    assert _caught_everywhere(separator.join(digits))


@PROPERTY
@given(PHONES, st.booleans())
def test_glued_or_spaced_words_variant_of_a_caught_spelled_number_caught(
    phone: tuple[str, list[int]], glued: bool
) -> None:
    words = " ".join(["zero", _UNITS[int(phone[0])], *(_french(g) for g in phone[1])])
    digits = "0" + phone[0] + "".join(f"{group:02d}" for group in phone[1])
    assume(phonenumbers.is_valid_number(phonenumbers.parse(digits, "FR")))
    assume(_caught_everywhere(words))

    variant = words.replace(" ", "") if glued else _spaced(words, " ")
    assert _caught_everywhere(variant)
