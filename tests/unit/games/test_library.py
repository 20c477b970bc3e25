import gzip
from pathlib import Path

import pytest

from causerie.games.interface import Question
from causerie.games.library import LibraryDataError, PackagedLibrary, parse_questions


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
