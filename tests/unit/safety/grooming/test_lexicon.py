"""The grooming detector's learned vocabulary: trained the same way every time, shipped in
step with the corpora, and read through the canonical spelling."""

from __future__ import annotations

import pytest
from scripts.train_grooming_lexicon import training_lines

from causerie.safety.automod.rules import RulesError
from causerie.safety.grooming.lexicon import (
    features,
    load_default_lexicon,
    parse_lexicon,
    train,
)
from causerie.safety.grooming.rules import LexiconRule, load_grooming_rules

GROOMING = ["c'est notre secret", "efface nos messages", "notre secret ok", "t'es seule ?"]
ORDINARY = ["t'as fait les devoirs ?", "trop bien le match", "on se voit au parc", "ok ok"]


def test_features_are_canonical_words_and_pairs() -> None:
    assert features("C'EST notre seeecret") == features("c'est notre secret")
    assert "notre_secret" in features("c'est notre secret")


def test_training_is_deterministic_and_separates_the_two() -> None:
    first, second = train(GROOMING, ORDINARY), train(GROOMING, ORDINARY)
    assert first == second
    assert first.log_odds("notre secret") > first.log_odds("trop bien le match")


def test_training_needs_both_kinds() -> None:
    with pytest.raises(ValueError):
        train([], ORDINARY)


def test_tsv_round_trip() -> None:
    lexicon = train(GROOMING, ORDINARY)
    assert parse_lexicon(lexicon.to_tsv()) == lexicon


@pytest.mark.parametrize("text", ["secret\tnan", "secret", "secret\tabc", "\t1.0"])
def test_malformed_lexicon_names_the_line(text: str) -> None:
    with pytest.raises(ValueError, match="line 1"):
        parse_lexicon(text)


def test_shipped_lexicon_is_what_the_corpora_train() -> None:
    """scripts/train_grooming_lexicon.py was run after the last change to the corpora or to
    the canonical spelling."""
    grooming, ordinary = training_lines()
    assert load_default_lexicon() == parse_lexicon(train(grooming, ordinary).to_tsv())


def test_rules_lexicon_section_tunes_or_disables_it() -> None:
    base = "[stages.s]\nphrases = ['notre secret']\n"
    tuned = load_grooming_rules(base + "[lexicon]\nmin_log_odds = 2\nweight = 3\ncap = 6\n")
    assert tuned.lexicon is not None
    assert (tuned.lexicon.min_log_odds, tuned.lexicon.weight, tuned.lexicon.cap) == (2, 3, 6)
    assert load_grooming_rules(base + "[lexicon]\nenabled = false\n").lexicon is None


def test_rules_lexicon_file_is_read_through_the_caller() -> None:
    lexicon = train(GROOMING, ORDINARY)
    text = "[stages.s]\nphrases = ['x']\n[lexicon]\nfile = 'mine.tsv'\n"
    rules = load_grooming_rules(text, read_file=lambda path: lexicon.to_tsv())
    assert rules.lexicon is not None and rules.lexicon.lexicon == lexicon
    with pytest.raises(RulesError) as refused:
        load_grooming_rules(text)
    assert refused.value.field == "lexicon.file"


def test_lexicon_adds_to_a_line_only_past_its_threshold() -> None:
    lexicon = train(GROOMING, ORDINARY)
    high = max(GROOMING + ORDINARY, key=lexicon.log_odds)
    low = min(GROOMING + ORDINARY, key=lexicon.log_odds)
    middle = (lexicon.log_odds(high) + lexicon.log_odds(low)) / 2
    rule = LexiconRule(lexicon, min_log_odds=middle, weight=2.0, cap=5.0)
    assert rule.weigh(high) == 2.0
    assert rule.weigh(low) == 0.0
