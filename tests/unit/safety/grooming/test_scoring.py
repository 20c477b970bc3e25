"""Conversations scored over time: stages, fading, the line crossed once, ordinary chat alone."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from causerie.safety.grooming.rules import load_default_grooming_rules, load_grooming_rules
from causerie.safety.grooming.scoring import ConversationTracker

RULES = load_default_grooming_rules()
MINUTE_MS = 60_000
HOUR_MS = 3_600_000

# The ten lines of the issue, as a self-declared 15-year-old sent them to a 14-year-old.
TEN_LINES = [
    "tu m'envoies une photo de toi en maillot ?",
    "ne dis rien à tes parents, c'est notre secret",
    "je peux te payer ton forfait de téléphone si tu veux",
    "tu es très mature pour ton âge",
    "on peut parler sur une autre appli plus tranquille",
    "efface nos messages après",
    "montre moi une photo de ta chambre",
    "t'as déjà eu un copain plus vieux ?",
    "t'es seule chez toi ce soir ?",
    "tu habites où exactement ?",
]
HELD_STAGES = {
    0: "pictures",
    1: "secrecy",
    2: "gifts",
    4: "other_app",
    5: "deletion",
    6: "pictures",
}


def _tracker(text: str | None = None) -> ConversationTracker:
    return ConversationTracker(load_grooming_rules(text) if text else RULES)


@pytest.mark.parametrize(("index", "stage"), sorted(HELD_STAGES.items()))
def test_ten_lines_riskiest_are_held(index: int, stage: str) -> None:
    observation = _tracker().observe("a", "b", TEN_LINES[index], 0)
    assert observation.held_stage == stage


@pytest.mark.parametrize("index", [3, 7, 8, 9])
def test_ten_lines_others_are_scored_not_held(index: int) -> None:
    observation = _tracker().observe("a", "b", TEN_LINES[index], 0)
    assert observation.stages and observation.held_stage is None


def test_ten_lines_conversation_crosses_once_early() -> None:
    tracker = _tracker()
    crossed = [
        i
        for i, line in enumerate(TEN_LINES)
        if tracker.observe("pretend15", "nina14", line, i * MINUTE_MS).has_crossed
    ]
    assert len(crossed) == 1
    assert crossed[0] <= 4  # by the fifth risky message


@pytest.mark.parametrize(
    "line",
    [
        "envoie une photo de ton chat",
        "je te dis un secret : je kiffe Lucas",
        "t'as vu le dernier tiktok de Léa ?",
        "mes parents checkent mon tel c'est relou",
        "on se voit au parc demain avec les autres ?",
        "je t'ai acheté un cadeau pour ton anniv hihi",
        "j'ai supprimé la photo moche de moi",
        "trop bien ta nouvelle coupe",
        "tu fais quoi ce week-end ?",
        "ma mère m'a offert des robux pour mon anniv",
    ],
)
def test_ordinary_teen_line_is_not_held(line: str) -> None:
    assert _tracker().observe("a", "b", line, 0).held_stage is None


def test_directions_are_scored_apart() -> None:
    tracker = _tracker()
    for i, line in enumerate(TEN_LINES[:4]):
        tracker.observe("a", "b", line, i * MINUTE_MS)
    assert tracker.conversation("b", "a") is None
    assert tracker.observe("b", "a", "ok", 5 * MINUTE_MS).score == 0


_ONE_STAGE = """
version = 1
[scoring]
threshold = 10
half_life_h = 1
repeat_share = 0.5
stage_cap = 2
stage_bonus = [0, 0, 0]
[stages.secrecy]
weight = 4
phrases = ["notre secret"]
[stages.gifts]
weight = 4
phrases = ["je te paye"]
[stages.pictures]
weight = 4
phrases = ["photo de toi"]
"""


def test_stage_repeated_adds_a_share_up_to_its_cap() -> None:
    tracker = _tracker(_ONE_STAGE)
    scores = [tracker.observe("a", "b", "notre secret", 0).score for _ in range(5)]
    assert scores[:3] == [4.0, 6.0, 8.0]
    assert scores[-1] == 8.0  # capped at twice its weight: one theme cannot cross alone


def test_score_fades_by_half_each_half_life() -> None:
    tracker = _tracker(_ONE_STAGE)
    tracker.observe("a", "b", "notre secret", 0)
    conversation = tracker.conversation("a", "b")
    assert conversation is not None
    assert conversation.score(tracker.rules, HOUR_MS) == pytest.approx(2.0)
    assert conversation.score(tracker.rules, 2 * HOUR_MS) == pytest.approx(1.0)


def test_crossing_is_reported_once_until_released() -> None:
    tracker = _tracker(_ONE_STAGE)
    lines = ["notre secret", "je te paye", "photo de toi", "notre secret", "je te paye"]
    crossed = [tracker.observe("a", "b", line, 0).has_crossed for line in lines]
    assert crossed == [False, False, True, False, False]
    tracker.release("a")
    assert tracker.observe("a", "b", "photo de toi", 0).has_crossed


def test_quiet_conversations_are_forgotten_but_not_escalated_ones() -> None:
    tracker = _tracker(_ONE_STAGE)
    tracker.observe("a", "b", "notre secret", 0)
    for line in ("notre secret", "je te paye", "photo de toi"):
        tracker.observe("x", "y", line, 0)
    forget_ms = int(tracker.rules.scoring.forget_after_h * HOUR_MS)
    assert tracker.forget_quiet(forget_ms) == 1
    assert tracker.conversation("a", "b") is None
    assert tracker.conversation("x", "y") is not None


def test_memory_is_bounded_least_recent_first() -> None:
    tracker = ConversationTracker(RULES, max_conversations=3)
    for i in range(5):
        tracker.observe(f"s{i}", "b", "notre secret", i)
    assert len(tracker) == 3
    assert tracker.conversation("s0", "b") is None
    assert tracker.conversation("s4", "b") is not None


# -- variants never score lower than the plain line -----------------------------------------

_LEET = {"o": "0", "e": "3", "a": "4", "i": "1", "s": "5"}
_SMS = [("qu'", "k"), ("que", "ke"), ("quoi", "koi"), ("pourquoi", "pk"), ("c'est", "c")]


def _variant(line: str, data: st.DataObject) -> str:
    out = line
    for plain, sms in _SMS:
        if plain in out and data.draw(st.booleans()):
            out = out.replace(plain, sms)
    chars: list[str] = []
    for ch in out:
        # Leetspeak inside a word: a word made of digits only is a number, not a disguise.
        if ch.isalpha() and chars and chars[-1][:1].isalpha() and data.draw(st.integers(0, 9)) == 0:
            ch = _LEET.get(ch, ch)
        if ch.isalpha() and data.draw(st.integers(0, 9)) == 0:
            ch = ch * 3
        if data.draw(st.integers(0, 15)) == 0:
            ch = ch + "\u200b"
        chars.append(ch.upper() if data.draw(st.integers(0, 5)) == 0 else ch)
    return "".join(chars)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(TEN_LINES), st.data())
def test_variant_never_scores_lower_than_plain(line: str, data: st.DataObject) -> None:
    variant = _variant(line, data)
    plain = _tracker().observe("a", "b", line, 0)
    varied = _tracker().observe("a", "b", variant, 0)
    assert varied.score >= plain.score, variant
    assert (varied.held_stage is not None) >= (plain.held_stage is not None), variant
