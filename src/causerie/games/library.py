"""The data games read, shipped in `games/data/` and read once per process.

- `data/words.txt.gz`: every accepted word, one per line, already folded to A-Z (see
  `data/SOURCE.md` for where it comes from, its licence and how it is rebuilt);
- `data/drawn.txt.gz`: the words a game may draw to be guessed (pendu, Motus), fit for any
  room, a subset of the former, in the same form;
- `data/questions/*.tsv`: the quiz bank, one question per line:
  `category<TAB>teens<TAB>question<TAB>answer|other accepted answer…<TAB>hint`, where `teens` is
  1 when the question suits the teen space and 0 when only adult rooms get it. Lines starting
  with `#` are comments;
- `data/blind.tsv`: the blind test's items, one a line:
  `category<TAB>teens<TAB>answer|other accepted answer…<TAB>clue<TAB>clue…` (two clues at
  least, the hardest first), comments as above.

The node builds one `PackagedLibrary` and hands it to every game's `Setup`; games never read
files themselves (tests give them a small library instead).
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Iterator, Sequence
from functools import cached_property
from importlib.resources import files
from importlib.resources.abc import Traversable

from causerie.games.interface import Question, Riddle


class LibraryDataError(ValueError):
    """A shipped data file is malformed: names the file and line."""


def _rows(lines: Iterable[str]) -> Iterator[tuple[int, list[str]]]:
    """Each line of a data file that is neither blank nor a `#` comment, as its number (from 1,
    for error messages) and its tab-separated cells."""
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\n")
        if line.strip() and not line.startswith("#"):
            yield number, line.split("\t")


def parse_questions(lines: Iterable[str], source: str) -> list[Question]:
    questions = []
    for number, cells in _rows(lines):
        if len(cells) != 5 or cells[1] not in ("0", "1"):
            raise LibraryDataError(
                f"{source}:{number}: expected category, 0/1, question, answers, hint"
            )
        category, teens, text, answers, hint = cells
        accepted = tuple(answer.strip() for answer in answers.split("|") if answer.strip())
        if not text.strip() or not accepted:
            raise LibraryDataError(f"{source}:{number}: a question needs a text and an answer")
        questions.append(Question(category, text.strip(), accepted, hint.strip(), teens == "1"))
    return questions


def parse_riddles(lines: Iterable[str], source: str) -> list[Riddle]:
    riddles = []
    for number, cells in _rows(lines):
        clues = tuple(clue.strip() for clue in cells[3:] if clue.strip())
        if len(cells) < 5 or cells[1] not in ("0", "1") or len(clues) < 2:
            raise LibraryDataError(f"{source}:{number}: expected category, 0/1, answers, clues")
        accepted = tuple(answer.strip() for answer in cells[2].split("|") if answer.strip())
        if not accepted:
            raise LibraryDataError(f"{source}:{number}: a riddle needs an answer")
        riddles.append(Riddle(cells[0], accepted, clues, cells[1] == "1"))
    return riddles


class PackagedLibrary:
    """The shipped word list and quiz bank, each read the first time a game asks."""

    def __init__(self, root: Traversable | None = None) -> None:
        self._root = root if root is not None else files("causerie.games") / "data"

    def _word_file(self, name: str) -> frozenset[str]:
        source = self._root / name
        if not source.is_file():
            return frozenset()
        with source.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
            return frozenset(line.strip() for line in text if line.strip())

    @cached_property
    def _words(self) -> frozenset[str]:
        return self._word_file("words.txt.gz")

    @cached_property
    def _drawn(self) -> frozenset[str]:
        return self._word_file("drawn.txt.gz")

    @cached_property
    def _questions(self) -> tuple[Question, ...]:
        folder = self._root / "questions"
        if not folder.is_dir():
            return ()
        found: list[Question] = []
        for item in sorted(folder.iterdir(), key=lambda entry: entry.name):
            if item.name.endswith(".tsv"):
                with item.open(encoding="utf-8") as lines:
                    found.extend(parse_questions(lines, f"games/data/questions/{item.name}"))
        return tuple(found)

    @cached_property
    def _riddles(self) -> tuple[Riddle, ...]:
        source = self._root / "blind.tsv"
        if not source.is_file():
            return ()
        with source.open(encoding="utf-8") as lines:
            return tuple(parse_riddles(lines, "games/data/blind.tsv"))

    def words(self) -> frozenset[str]:
        return self._words

    def drawable_words(self) -> frozenset[str]:
        return self._drawn

    def questions(self) -> Sequence[Question]:
        return self._questions

    def riddles(self) -> Sequence[Riddle]:
        return self._riddles
