"""The detector on the project's corpora (tests/corpus/grooming/, synthetic): what
bench/grooming.py prints, held as the issue's aims. The `*_fresh` files were never used to
train the lexicon (scripts/train_grooming_lexicon.py) and stand for conversations nobody tuned
it on."""

from __future__ import annotations

import pytest

from causerie.safety.grooming.rules import load_default_grooming_rules
from tests.support.conversations import corpus_files, load, replay

RULES = load_default_grooming_rules()
CATCH_BY = 5


@pytest.mark.parametrize("name", list(corpus_files("grooming")))
def test_grooming_conversations_caught_by_their_fifth_risky_message(name: str) -> None:
    replays = [replay(conversation, RULES) for conversation in load(name)]
    early = [r for r in replays if r.caught_at_risky is not None and r.caught_at_risky <= CATCH_BY]
    assert len(early) >= 0.9 * len(replays), [r.conversation.id for r in replays if r not in early]


@pytest.mark.parametrize("name", list(corpus_files("ordinary")))
def test_ordinary_conversations_fewer_than_one_in_fifty_touched(name: str) -> None:
    replays = [replay(conversation, RULES) for conversation in load(name)]
    touched = [r for r in replays if r.is_touched]
    assert len(touched) < len(replays) / 50, [(r.conversation.id, r.held) for r in touched]


def test_corpora_are_all_there() -> None:
    names = set(corpus_files(""))
    for kind in ("grooming", "ordinary"):
        for part in ("dev", "holdout", "fresh"):
            assert f"{kind}_{part}.txt" in names
