import gzip
from pathlib import Path

import pytest

from causerie.games.interface import Question, Riddle
from causerie.games.library import LibraryDataError, PackagedLibrary, parse_questions, parse_riddles


def test_parse_questions_reads_answers_hint_and_teen_flag() -> None:
    lines = ["# a comment\n", "\n", "Géographie\t1\tCapitale de l'Italie ?\tRome| Roma \tR...\n"]

    assert parse_questions(lines, "x.tsv") == [
        Question("Géographie", "Capitale de l'Italie ?", ("Rome", "Roma"), "R...", True)
    ]


@pytest.mark.parametrize(
    "line", ["Cat\t2\tQ ?\tA\th", "Cat\t1\tQ ?\tA", "Cat\t1\t \tA\th", "Cat\t1\tQ ?\t | \th"]
)
def test_parse_questions_names_the_bad_line(line: str) -> None:
    with pytest.raises(LibraryDataError, match=r"x\.tsv:2"):
        parse_questions(["# ok\n", line], "x.tsv")


def test_packaged_library_reads_a_data_folder(tmp_path: Path) -> None:
    with gzip.open(tmp_path / "words.txt.gz", "wt", encoding="utf-8") as out:
        out.write("CHAT\nCHIEN\n\n")
    (tmp_path / "questions").mkdir()
    (tmp_path / "questions" / "a.tsv").write_text("Sport\t0\tQ ?\tA\t\n", encoding="utf-8")

    with gzip.open(tmp_path / "drawn.txt.gz", "wt", encoding="utf-8") as out:
        out.write("CHIEN\n")
    library = PackagedLibrary(tmp_path)

    assert library.words() == {"CHAT", "CHIEN"}
    assert library.drawable_words() == {"CHIEN"}
    assert [q.text for q in library.questions()] == ["Q ?"]
    assert library.questions()[0].for_teens is False


def test_packaged_library_without_data_is_empty(tmp_path: Path) -> None:
    library = PackagedLibrary(tmp_path)

    assert library.words() == frozenset()
    assert library.drawable_words() == frozenset()
    assert library.questions() == ()


def test_parse_riddles_reads_answers_clues_and_teen_flag() -> None:
    lines = ["# c\n", "Films\t0\tLe Parrain|Parrain\t1972.\tMafia.\tCorleone.\n"]

    assert parse_riddles(lines, "b.tsv") == [
        Riddle("Films", ("Le Parrain", "Parrain"), ("1972.", "Mafia.", "Corleone."), False)
    ]


@pytest.mark.parametrize(
    "line", ["Films\t2\tA\tc1\tc2", "Films\t1\tA\tc1", "Films\t1\t | \tc1\tc2", "Films\t1\tA"]
)
def test_parse_riddles_names_the_bad_line(line: str) -> None:
    with pytest.raises(LibraryDataError, match=r"b\.tsv:1"):
        parse_riddles([line], "b.tsv")


def test_packaged_library_reads_blind_file(tmp_path: Path) -> None:
    (tmp_path / "blind.tsv").write_text("Pays\t1\tJapon\tYen.\tAsie.\n", encoding="utf-8")

    assert PackagedLibrary(tmp_path).riddles() == (
        Riddle("Pays", ("Japon",), ("Yen.", "Asie."), True),
    )
    assert PackagedLibrary(tmp_path / "none").riddles() == ()
