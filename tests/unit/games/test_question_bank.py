"""The shipped quiz bank: enough questions, every line parses, none asked twice, and the files
are what scripts/build_questions.py writes from its fact tables."""

from collections import Counter

from scripts.build_questions import build

from causerie.games.answers import fold
from causerie.games.interface import Question
from causerie.games.library import PackagedLibrary

BANK = PackagedLibrary().questions()
CATEGORIES = {
    "Arts",
    "Cinéma",
    "Cuisine",
    "France",
    "Géographie",
    "Histoire",
    "Langue française",
    "Littérature",
    "Maths",
    "Musique",
    "Nature",
    "Sciences",
    "Sport",
}


def test_question_bank_has_a_thousand_questions_and_hundreds_for_teens() -> None:
    assert len(BANK) >= 1_000
    assert sum(question.for_teens for question in BANK) >= 300
    assert sum(not question.for_teens for question in BANK) >= 50


def test_question_bank_categories_each_have_questions() -> None:
    counts = Counter(question.category for question in BANK)

    assert set(counts) == CATEGORIES
    assert all(count >= 20 for count in counts.values())


def test_question_bank_asks_no_question_twice() -> None:
    folded = Counter(fold(question.text) for question in BANK)

    assert [text for text, count in folded.items() if count > 1] == []


def test_question_bank_every_question_has_a_hint_and_foldable_answers() -> None:
    assert [q.text for q in BANK if not q.hint] == []
    assert [q.text for q in BANK if not all(fold(answer) for answer in q.answers)] == []


def test_question_bank_files_are_what_the_builder_writes() -> None:
    built = [
        Question(category, text, tuple(answers.split("|")), hint, teens)
        for lines in build().values()
        for category, teens, text, answers, hint in lines
    ]

    assert sorted(built, key=lambda q: q.text) == sorted(BANK, key=lambda q: q.text)


RIDDLES = PackagedLibrary().riddles()


def test_blind_bank_has_a_hundred_items_with_three_clues() -> None:
    assert len(RIDDLES) >= 100
    assert sum(riddle.for_teens for riddle in RIDDLES) >= 100
    assert all(len(riddle.clues) == 3 for riddle in RIDDLES)
    assert {"Films", "Livres", "Personnages", "Monuments", "Pays"} == {
        riddle.category for riddle in RIDDLES
    }


def test_blind_bank_names_nothing_twice() -> None:
    folded = Counter(fold(riddle.answers[0]) for riddle in RIDDLES)

    assert [answer for answer, count in folded.items() if count > 1] == []


def _names(text: str, answers: tuple[str, ...]) -> bool:
    """Whether `text` holds one of the answers as whole words (folded, 2 characters or more)."""
    words = f" {fold(text)} "
    return any(len(fold(answer)) >= 2 and f" {fold(answer)} " in words for answer in answers)


def test_question_bank_hints_never_give_the_answer_away() -> None:
    assert [q.text for q in BANK if _names(q.hint, q.answers)] == []


def test_blind_bank_clues_but_the_last_never_name_the_answer() -> None:
    assert [r.answers[0] for r in RIDDLES if any(_names(c, r.answers) for c in r.clues[:-1])] == []
