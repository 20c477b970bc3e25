"""The normalised view (issue 17, finding 12): spaced-out letters joined, disguised dots and at
signs undone, glued spelled numbers cut, look-alike letters read as Latin; each character
keeps the position it came from, so findings are spans of what the sender typed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from causerie.errors import ConfigError
from causerie.safety.automod import (
    Automod,
    Context,
    SpanKind,
    TextView,
    load_default_rules,
    load_rules,
)
from causerie.safety.automod.engine import Outcome
from causerie.safety.automod.normalising import normalise, normalise_folded, normalised_view

AUTOMOD = Automod(load_default_rules())


@pytest.mark.parametrize(
    ("text", "expected", "change"),
    [
        # spacing
        ("e v i l . c o m", "evil.com", "spacing"),
        ("s n a p : l e a 2 0 1 0", "snap:lea2010", "spacing"),
        ("t r o p  b i e n", "trop bien", "spacing"),
        ("s n a p   l e a 2 0 1 0", "snap lea2010", "spacing"),
        ("s.n.a.p: lea", "snap: lea", "spacing"),
        ("s-n-a-p", "snap", "spacing"),
        ("l _ e _ a", "lea", "spacing"),
        ("mon s n a p c'est lea", "mon snap c'est lea", "spacing"),
        # dots and at signs
        ("evil[.]example", "evil.example", "dots"),
        ("evil (dot) example", "evil.example", "dots"),
        ("evil{point}fr", "evil.fr", "dots"),
        ("lea (at) gmail [.] com", "lea@gmail.com", "dots"),
        ("lea arobase gmail point com", "lea@gmail.com", "dots"),
        ("evil . fr", "evil.fr", "dots"),
        ("evil dot com", "evil.com", "dots"),
        # glued numbers
        ("sixdouzetrentequatre", "six douze trente quatre", "numbers"),
        ("vingtetun", "vingt et un", "numbers"),
        ("appellemoizerosixdouze", "appellemoi zero six douze", "numbers"),
        ("zerosixonetwo", "zero six one two", "numbers"),
        ("ZÉROSIXDOUZE", "zero six douze", "numbers"),
        # look-alikes and hidden characters
        ("ѕnар: lea2010", "snap: lea2010", "lookalikes"),
        ("sn\u200eap: lea", "snap: lea", "lookalikes"),  # a left-to-right mark
        ("sn\u202eap", "snap", "lookalikes"),
        ("sn@p: lea2010", "snap: lea2010", "lookalikes"),
        ("1nsta: lea", "insta: lea", "lookalikes"),
    ],
)
def test_normalise_takes_each_disguise_off(text: str, expected: str, change: str) -> None:
    normalised = normalise(text)

    assert normalised.text == expected
    assert change in normalised.changes


def test_normalise_spelled_dot_remembered_as_disguised() -> None:
    normalised = normalise("evil[.]example")

    assert normalised.disguised_dots == {normalised.text.index(".")}


def test_normalise_spaced_out_dot_between_letters_is_disguised() -> None:
    normalised = normalise("e v i l . e x a m p l e")

    assert normalised.text == "evil.example"
    assert normalised.disguised_dots == {4}


def test_normalise_glued_numbers_ranges_point_at_the_words() -> None:
    normalised = normalise("appelle moi zerosixdouze stp")
    [(start, end)] = normalised.glued_numbers

    assert normalised.text[start:end] == "zero six douze"


def test_normalise_index_points_at_what_was_typed() -> None:
    text = "Mon S N A P : Léa [.] com"
    normalised = normalise(text)

    assert normalised.text == "mon snap: lea.com"
    assert [text[at] for at in normalised.index[4:8]] == ["S", "N", "A", "P"]
    lea = normalised.text.index("lea")
    assert [text[at] for at in normalised.index[lea : lea + 3]] == ["L", "é", "a"]
    assert text[normalised.index[normalised.text.index(".")]] == "["


@pytest.mark.parametrize(
    "text",
    [
        "salut ça va ?",
        "le film commence à 18h30",
        "on a gagné 3-2",
        "ça coûte 15,50 €",
        "c'est un point de vue",
        "j'ai 14 ans",
        "euh... bon...",
        "dix-neuf ans",
        "bien joué. gg",
        "c'est clair. net et précis",
    ],
)
def test_normalise_ordinary_text_unchanged(text: str) -> None:
    view = TextView(text)

    assert normalise_folded(view.folded, view.index) is None
    assert normalised_view(view) is None
    assert not normalise(text).is_changed


@pytest.mark.parametrize(
    "text", ["il y a 2 h", "soixantedixhuit", "jsuis du quatrevingtdix", "a b c", "x y z 1 2 3"]
)
def test_normalised_short_forms_hold_nothing(text: str) -> None:
    verdict = AUTOMOD.evaluate(text, Context.room(is_teen_room=True))

    assert normalise(text).is_changed
    assert verdict.outcome is Outcome.DELIVER and verdict.contact_spans == ()


def test_normalised_view_computed_once_per_message_and_spans_cut_the_original() -> None:
    view = TextView("écris à e v i l . c o m stp")

    first = normalised_view(view)
    assert first is not None and first is normalised_view(view)
    assert first.is_normalised and normalised_view(first) is None
    start = first.folded.index("evil.com")
    span = first.span(start, start + len("evil.com"), SpanKind.LINK)
    assert view.text[span.start : span.end] == "e v i l . c o m"


@settings(max_examples=400, database=None, deadline=None)
@given(
    st.one_of(
        st.text(max_size=80),
        st.lists(
            st.sampled_from(
                [" ", "  ", "a", "b", ".", "[.]", "(dot)", " point ", "com", "six", "douze",
                 "zero", "et", "un", "@", "(at)", "ѕ", "\u200b", "É", "s", "n", "p", "0", "6",
                 "-", "_", "snap", ":"]
            ),
            max_size=40,
        ).map("".join),
    )
)  # fmt: skip
def test_normalise_any_text_index_is_in_order_and_within_the_text(text: str) -> None:
    normalised = normalise(text)

    assert len(normalised.index) == len(normalised.text)
    assert all(0 <= at < len(text) for at in normalised.index)
    assert list(normalised.index) == sorted(normalised.index)
    assert all(normalised.text[at] == "." for at in normalised.disguised_dots)
    assert all(0 <= s < e <= len(normalised.text) for s, e in normalised.glued_numbers)


# -- the `form` parameter of the contact detectors --------------------------------------------

RULES = """
version = 1
[[rules]]
id = "disguised-link"
detector = "link"
params = { form = "disguised" }
action = "hold"
severity = 4
"""


@pytest.mark.parametrize(
    ("text", "held"),
    [
        ("evil[.]example", True),
        ("e v i l . c o m", True),
        ("evil point com", True),
        ("𝐞𝐯𝐢𝐥.𝐜𝐨𝐦", True),
        ("еvil.com", True),  # Cyrillic е
        ("evil.com", False),
        ("Evil.COM", False),
        ("https://wikipédia.org/wiki/Paris", False),
    ],
)
def test_form_disguised_keeps_only_links_written_to_dodge_the_filter(text: str, held: bool) -> None:
    verdict = Automod(load_rules(RULES)).evaluate(text, Context.room(is_teen_room=False))

    assert (verdict.outcome is Outcome.HOLD) is held


def test_form_unknown_value_refused_naming_the_field() -> None:
    with pytest.raises(ConfigError, match=r"params\.form"):
        load_rules(RULES.replace('"disguised"', '"sneaky"'))
