"""The normalised view of a message: the disguises people put on contact details taken off.

A contact detail written to slip past a filter still has to be read by a person, so it keeps
its shape under a few cheap disguises. This module takes them off and keeps, for every
character of the result, the position in the original message it came from, so that what a
detector finds there is a `Span` of what the sender typed. The contact detectors read this
view *as well as* the folded one (`detectors.py`), never instead of it: a disguise can only
add findings. A conversation-level detector can read it too (`normalise(text)`).

How a message is normalised, in order (each step works on the previous one's output, and the
first one on the folded text: lower case, no accents, fancy letters made plain, see
`folding.py`):

1. Hidden and look-alike characters: default-ignorable code points (zero-width, bidi
   controls, variation selectors) go; a non-ASCII letter or digit that reads as exactly one
   ASCII one (UTS #39: Cyrillic `ѕ`, Greek `ο`, `𝟔`) becomes it. `ѕnар` -> `snap`.
2. Spaced-out letters: three or more single characters in a row, separated by spaces (`e v i l
   . c o m`, `s n a p : l e a 2 0 1 0`) or all by one same punctuation mark (`s.n.a.p`,
   `s-n-a-p`, `l _ e _ a`), are joined. Where the spaces are wider than the narrowest gap of
   the run, a word ends (`t r o p   b i e n` -> `trop bien`). Then an app's name written in
   leetspeak reads as the app (`sn@p`, `1nsta`, `d1sc0rd`).
3. Glued spelled numbers: a run of letters made only of number words, French or English
   (`zerosixdouzetrentequatre`, `sixdouze`, `vingtetun`), or holding three number words or
   more in a row (`appellemoizerosixdouze…`), is cut into words, which the phone detector
   reads like any spelled number.
4. Disguised dots and at signs: `[.]`, `(.)`, `{.}`, `<.>`, `(dot)`, `[point]`, `(pt)`…
   become `.` and are remembered as *disguised* (a domain written that way is a link
   whatever its ending: `evil[.]example`; so is a dot spelled out between letters in step 2,
   `e v i l . e x a m p l e`); `[at]`, `(a)`, `{arobase}`… and the word `arobase` become
   `@`; the words `dot`/`point` and a dot with spaces around it become `.`
   when a known top-level domain follows (`evil point com`, `evil . fr`).

What it leaves alone: ordinary French and English chat (the corpus in
tests/unit/safety/automod/corpus/ holds a few hundred lines that must come out unheld),
prices, scores (`3-2`), times (`18h30`), initials and lists (`a b c` becomes `abc`, which no
detector reads as anything). Leetspeak stays the word lists' business (`folding.leet`) but for
app names: in a contact detail, `0` and `1` are digits.

Pure and deterministic; a message with nothing to take off costs a few cheap tests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from causerie.core.policy.lookalikes import ascii_lookalike, is_default_ignorable
from causerie.safety.automod.contacts import APP_NAMES
from causerie.safety.automod.folding import TextView, fold, leet
from causerie.safety.automod.phones import SPELLED_NUMBER_WORDS

# Top-level domains after a spelled or spaced dot: common ones that are no French or English
# word (`point de vue`, `point info`, `bien joué. gg`, `c'est clair. Net` stay words).
_SPELLED_TLDS = "com|fr|org|biz|ch|uk|ru|io|xyz|onion|ovh"
# Step 2. Cheap hints that it may have work (the step checks precisely): two single
# characters in a row between spaces; a letter or digit between two same punctuation marks.
# Runs separated by whitespace are then found token by token, runs separated by one mark
# (with optional spaces around it, the same mark all along) by `_PUNCTUATED`.
_SPACED_HINT = re.compile(r"\s\S\s+\S\s")
_PUNCTUATED_HINT = re.compile(r"([.\-_*/|+~,])\s*[a-z0-9]\s*\1")
_PUNCTUATED = re.compile(
    r"(?<![a-z0-9])[a-z0-9](?:\s*(?P<mark>[.\-_*/|+~,])\s*[a-z0-9])(?:\s*(?P=mark)\s*[a-z0-9])+"
    r"(?![a-z0-9])"
)
_TOKEN = re.compile(r"\S+")
# Step 2b: an app's name in leetspeak (`sn@p`, `1nsta`, `d1sc0rd`), read as the app.
_LEET_HINT = re.compile(r"[a-z][0-9@$]|[0-9@$][a-z]")
_LEET_WORD = re.compile(r"[a-z0-9@$]{2,}")
_MIN_SPACED = 3
# Step 3.
_LETTER_RUN = re.compile(r"[a-z]{5,}")
_NUMBER_WORDS = tuple(sorted(SPELLED_NUMBER_WORDS - {"o", "oh"}, key=len, reverse=True))
_MIN_GLUED_LETTERS = 5  # `unsix`
_MIN_HIDING_LETTERS = 12  # a run long enough to hide a row of number words inside it
_TWO_NUMBER_WORDS = re.compile(f"(?:{'|'.join(_NUMBER_WORDS)}){{2}}")
_LETTERS = re.compile(r"[a-z]+")
_JOINERS = ("et", "and")  # `vingtetun`, `twentyandone`
_MIN_WINDOW_WORDS = 3
_MAX_RUN_LETTERS = 240
# Step 4.
_DISGUISED = re.compile(
    r"\s*[(\[{<]\s*(?P<what>\.|dot|point|pt|at|a|@|arobase|arrobase)\s*[)\]}>]\s*"
)
_DOTS = frozenset({".", "dot", "point", "pt"})
_TLD_WORDS = frozenset(_SPELLED_TLDS.split("|"))
_SPELLED_DOT = re.compile(
    rf"(?<=[a-z0-9])(?:\s+(?:dot|point)\s+|\s+\.\s*|\s*\.\s+)(?=(?:{_SPELLED_TLDS})(?![a-z0-9]))"
)
_AROBASE = re.compile(r"\s*(?<![a-z])arr?obase(?![a-z])\s*")
_MEMO_KEY = "normalised"
_UNSET = object()


@dataclass(frozen=True, slots=True)
class Normalised:
    """A message's normalised text and where each of its characters came from.

    `text` is lower case without accents (as `folding.fold`), disguises taken off;
    `index[i]` is the position in the original message of the character `text[i]` came from
    (a joined or replaced piece maps to its first character); `disguised_dots` are the
    positions in `text` of dots that were written as `[.]`, `(dot)`…; `glued_numbers` the
    ranges `[start, end)` of `text` that were number words glued together; `changes` names
    the steps that changed something (`lookalikes`, `spacing`, `numbers`, `dots`).
    """

    text: str
    index: tuple[int, ...]
    disguised_dots: frozenset[int] = frozenset()
    glued_numbers: tuple[tuple[int, int], ...] = ()
    changes: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_changed(self) -> bool:
        return bool(self.changes)


def normalise(text: str) -> Normalised:
    """The normalised view of `text` (see the module docstring). Never raises."""
    folded, index = fold(text)
    return normalise_folded(folded, index) or Normalised(
        folded, tuple(index) if index is not None else tuple(range(len(folded)))
    )


def normalise_folded(
    folded: str, index: list[int] | None = None, words: frozenset[str] | None = None
) -> Normalised | None:
    """The normalised view of an already folded text, or None when nothing changes.

    Args:
        folded: the folded text (`folding.fold`).
        index: its index map into the original text (None: the identity).
        words: its runs of letters a-z (`TextView.words`), when already known.
    """
    work = _Working(folded)
    if not folded.isascii():
        _lookalikes(work)
    if _SPACED_HINT.search(" " + work.text) or _PUNCTUATED_HINT.search(work.text):
        _join_spaced(work)
    if _LEET_HINT.search(work.text):
        _leet_app_names(work)
    if words is None or work.changes:
        words = frozenset(_LETTERS.findall(work.text))
    if any(_may_glue_numbers(word) for word in words if len(word) >= _MIN_GLUED_LETTERS):
        _split_numbers(work)
    text = work.text
    if (
        "(" in text
        or "[" in text
        or "{" in text
        or "<" in text
        or "obase" in text
        or "dot" in words
        or "point" in words
        or (not words.isdisjoint(_TLD_WORDS) and _SPELLED_DOT.search(text))
    ):
        _undisguise(work)
    if not work.changes:
        return None
    where = work.positions()
    positions = tuple(where) if index is None else tuple(index[at] for at in where)
    marks = work.marks or [0] * len(work.text)
    dots = frozenset(i for i, mark in enumerate(marks) if mark & _DOT)
    glued = tuple(
        (match.start(), match.end())
        for match in re.finditer(r"g+", "".join("g" if mark & _GLUED else "-" for mark in marks))
    )
    return Normalised(work.text, positions, dots, glued, frozenset(work.changes))


def _may_glue_numbers(run: str) -> bool:
    """A cheap test: `run` starts with a number word, or is long and holds two in a row."""
    return run.startswith(_NUMBER_WORDS) or (
        len(run) >= _MIN_HIDING_LETTERS and _TWO_NUMBER_WORDS.search(run) is not None
    )


def normalised_view(view: TextView) -> TextView | None:
    """The normalised view of `view`'s message as a `TextView` whose spans cut the original
    text, or None when normalising changes nothing (computed once per message, shared by the
    detectors through `view.memo`)."""
    if view.is_normalised:
        return None
    cached = view.memo.get(_MEMO_KEY, _UNSET)
    if cached is _UNSET:
        normalised = normalise_folded(view.folded, view.index, view.words)
        cached = (
            None
            if normalised is None
            else TextView.derived(
                view.text,
                normalised.text,
                list(normalised.index),
                disguised_dots=normalised.disguised_dots,
                glued_numbers=normalised.glued_numbers,
            )
        )
        view.memo[_MEMO_KEY] = cached
    return cached if isinstance(cached, TextView) else None


# -- the steps --------------------------------------------------------------------------------

_DOT = 1  # a mark: this `.` was written in disguise
_GLUED = 2  # a mark: this character was part of glued number words


class _Working:
    """The text being normalised: its characters, for each the position in the folded text it
    came from and its marks (both lists made on the first change: the identity and no marks
    until then); each step rebuilds it (`rebuild`) from what it keeps and adds."""

    def __init__(self, folded: str) -> None:
        self.text = folded
        self.where: list[int] | None = None
        self.marks: list[int] | None = None
        self.changes: set[str] = set()

    def positions(self) -> list[int]:
        return self.where if self.where is not None else list(range(len(self.text)))

    def rebuild(self, pieces: list[tuple[str, int, int]], change: str) -> None:
        """`pieces`: (character, position in the folded text, marks), in order."""
        self.text = "".join(ch for ch, _at, _mark in pieces)
        self.where = [at for _ch, at, _mark in pieces]
        self.marks = [mark for _ch, _at, mark in pieces]
        self.changes.add(change)

    def piece(self, position: int, ch: str | None = None, mark: int = 0) -> tuple[str, int, int]:
        """The character at `position` (or `ch` in its place), keeping its origin and marks."""
        return (
            self.text[position] if ch is None else ch,
            position if self.where is None else self.where[position],
            mark if self.marks is None else self.marks[position] | mark,
        )


def _lookalikes(work: _Working) -> None:
    """Step 1."""
    pieces: list[tuple[str, int, int]] = []
    changed = False
    for position, ch in enumerate(work.text):
        if ch.isascii():
            pieces.append(work.piece(position))
        elif is_default_ignorable(ch):
            changed = True
        else:
            plain = ascii_lookalike(ch)
            changed = changed or plain is not None
            pieces.append(work.piece(position, plain))
    if changed:
        work.rebuild(pieces, "lookalikes")


def _join_spaced(work: _Working) -> None:
    """Step 2: whitespace-separated runs first, then punctuation-separated ones."""
    text = work.text
    drop: set[int] = set()
    spaces: set[int] = set()  # whitespace kept as one space: a word break inside a run
    dots: set[int] = set()
    tokens = list(_TOKEN.finditer(text))
    start = 0
    while start < len(tokens):
        end = start
        while end < len(tokens) and len(tokens[end].group()) == 1:
            end += 1
        if end - start >= _MIN_SPACED:
            run = tokens[start:end]
            gaps = [(a.end(), b.start()) for a, b in pairwise(run)]
            narrowest = min(stop - begin for begin, stop in gaps)
            for begin, stop in gaps:
                drop.update(range(begin, stop))
                if stop - begin > narrowest:
                    spaces.add(begin)
            # A dot spelled out between letters (`e v i l . e x a m p l e`) hides a domain.
            dots.update(
                middle.start()
                for before, middle, after in zip(run, run[1:], run[2:], strict=False)
                if middle.group() == "." and before.group().isalnum() and after.group().isalnum()
            )
        start = max(end, start + 1)
    if drop:
        work.rebuild(
            [
                work.piece(
                    position,
                    " " if position in spaces else None,
                    _DOT if position in dots else 0,
                )
                for position in range(len(text))
                if position not in drop or position in spaces
            ],
            "spacing",
        )
    text = work.text
    separators = {
        position
        for match in _PUNCTUATED.finditer(text)
        for position in range(match.start(), match.end())
        if not text[position].isalnum()
    }
    if separators:
        work.rebuild(
            [work.piece(position) for position in range(len(text)) if position not in separators],
            "spacing",
        )


def _leet_app_names(work: _Working) -> None:
    """Step 2b: one character for one, so positions and marks stay."""
    text = work.text
    names = [
        match
        for match in _LEET_WORD.finditer(text)
        if not match.group().isalpha() and leet(match.group()) in APP_NAMES
    ]
    if names:
        chars = list(text)
        for match in names:
            chars[match.start() : match.end()] = leet(match.group())
        work.rebuild([work.piece(position, ch) for position, ch in enumerate(chars)], "lookalikes")


def _split_numbers(work: _Working) -> None:
    """Step 3: spaces put between glued number words, which are marked."""
    text = work.text
    cuts: set[int] = set()  # positions in `text` before which a space goes
    glued: set[int] = set()
    for match in _LETTER_RUN.finditer(text):
        run = match.group()
        if len(run) > _MAX_RUN_LETTERS or run in SPELLED_NUMBER_WORDS:
            continue
        if not _may_glue_numbers(run):
            continue
        for start, ends in _number_windows(run):
            first = match.start() + start
            cuts.update(match.start() + end for end in ends[:-1])
            glued.update(range(first, match.start() + ends[-1]))
            if start:
                cuts.add(first)
            if ends[-1] < len(run):
                cuts.add(match.start() + ends[-1])
    if not cuts:
        return
    pieces: list[tuple[str, int, int]] = []
    for position in range(len(text)):
        mark = _GLUED if position in glued else 0
        if position in cuts:
            inside = position in glued and position - 1 in glued
            pieces.append(work.piece(position, " ", _GLUED if inside else 0))
        pieces.append(work.piece(position, mark=mark))
    work.rebuild(pieces, "numbers")


def _number_windows(run: str) -> list[tuple[int, list[int]]]:
    """Where `run` holds glued number words: (start, ends of each word) for the whole run when
    it is made of number words only (two or more), else for each stretch of three or more."""
    whole = _segment(run, 0)
    if whole is not None and len(whole) >= 2:
        return [(0, whole)]
    windows: list[tuple[int, list[int]]] = []
    start = 0
    while start < len(run) - 5:
        ends = _longest_chain(run, start)
        if len(ends) >= _MIN_WINDOW_WORDS:
            windows.append((start, ends))
            start = ends[-1]
        else:
            start += 1
    return windows


def _words_at(run: str, start: int) -> list[str]:
    return [word for word in (*_NUMBER_WORDS, *_JOINERS) if run.startswith(word, start)]


def _segment(run: str, start: int) -> list[int] | None:
    """The ends of number words covering `run[start:]` exactly (longest words first), or None.

    A joiner (`et`) may stand only between two number words."""
    best: dict[int, list[int] | None] = {len(run): []}
    for position in range(len(run) - 1, start - 1, -1):
        best[position] = None
        for word in _words_at(run, position):
            rest = best.get(position + len(word))
            if rest is None or (word in _JOINERS and (position == start or not rest)):
                continue
            best[position] = [position + len(word), *rest]
            break
    return best[start]


def _longest_chain(run: str, start: int) -> list[int]:
    """The ends of the longest row of number words starting at `start` (greedy, longest first;
    a joiner only between two number words)."""
    row: list[tuple[str, int]] = []
    position = start
    while True:
        words = [w for w in _words_at(run, position) if w not in _JOINERS or row]
        if not words:
            break
        position += len(words[0])
        row.append((words[0], position))
    while row and row[-1][0] in _JOINERS:
        row.pop()
    return [end for _word, end in row]


def _undisguise(work: _Working) -> None:
    """Step 4: disguised dots and at signs, spelled and spaced dots before a domain ending."""
    text = work.text
    pieces: list[tuple[str, int, int]] = []
    position = 0
    for match in _sign_matches(text):
        if match.start() < position:
            continue
        pieces.extend(work.piece(at) for at in range(position, match.start()))
        what = match.groupdict().get("what")
        if what is None:
            sign, mark = ("@" if "obase" in match.group() else "."), 0
        else:
            sign, mark = ("." if what in _DOTS else "@"), (_DOT if what in _DOTS else 0)
        typed = match.start() + len(match.group()) - len(match.group().lstrip())
        pieces.append(work.piece(typed, sign, mark))
        position = match.end()
    if pieces:
        pieces.extend(work.piece(at) for at in range(position, len(text)))
        work.rebuild(pieces, "dots")


def _sign_matches(text: str) -> list[re.Match[str]]:
    matches = [*_DISGUISED.finditer(text), *_SPELLED_DOT.finditer(text), *_AROBASE.finditer(text)]
    return sorted(matches, key=lambda match: (match.start(), -match.end()))
