"""Word lists: whole words, without case, accents or leetspeak; phrases, prefixes, stretching."""

from __future__ import annotations

import pytest

from causerie.safety.automod.folding import TextView
from causerie.safety.automod.words import WordList

INSULTS = WordList.compile("insults", ["connard", "encul*", "plan coke", "nique ta mère"])


def _found(text: str, words: WordList = INSULTS) -> list[str]:
    return [text[s.start : s.end] for s in words(TextView(text))]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("quel connard", "connard"),
        ("QUEL CONNARD", "CONNARD"),
        ("c0nn4rd", "c0nn4rd"),
        ("connnnnard", "connnnnard"),
        ("espèce d'enculé", "enculé"),
        ("plan-coke ce soir", "plan-coke"),
        ("plan   coke", "plan   coke"),
        ("NIQUE TA MÈRE", "NIQUE TA MÈRE"),
        ("nique ta mere", "nique ta mere"),
    ],
)
def test_word_list_entry_found(text: str, found: str) -> None:
    assert _found(text) == [found]


@pytest.mark.parametrize(
    "text", ["connardise", "déconnard", "planche cokeries", "la coke", "con", "encu"]
)
def test_word_list_inside_other_words_not_found(text: str) -> None:
    assert _found(text) == []


def test_word_list_two_entries_both_found() -> None:
    assert _found("connard, plan coke") == ["connard", "plan coke"]


@pytest.mark.parametrize("entry", ["", "   ", "*", "a*b", "!!"])
def test_word_list_bad_entry_refused(entry: str) -> None:
    with pytest.raises(ValueError, match="not a word"):
        WordList.compile("bad", [entry])


def test_word_list_empty_matches_nothing() -> None:
    assert _found("connard", WordList.compile("empty", [])) == []
