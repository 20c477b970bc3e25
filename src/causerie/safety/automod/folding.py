"""Folded views of a message: lower case, no accents, fancy letters made plain.

Detectors match the folded text, so a rule written `rendez-vous` also catches `RENDEZ-VOUS`,
`rendéz-vous` or `𝐫𝐞𝐧𝐝𝐞𝐳-𝐯𝐨𝐮𝐬`, and report positions in the original text through an index map.

How this works: most characters fold to exactly one character (`É` -> `e`, `𝟔` -> `6`,
fullwidth `Ａ` -> `a`, `’` -> `'`). ASCII text is only lower-cased; otherwise a table built
once at import folds the non-ASCII characters one for one, and the index map is the identity
(None). Only when the message holds a character that folds to zero or several characters (a
combining accent, `ß`, `œ`, a ligature, a zero-width character) are those characters folded
one by one, recording for each folded character the index of the original character it
came from.

The leet view goes one step further for word lists only (`c0nn4rd` -> `connard`); it swaps
one character for one character, so it shares the folded view's index map.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from causerie.safety.automod.spans import Span, SpanKind

# Blocks whose characters commonly fold (accented Latin, fullwidth, mathematical letters,
# circled and super/subscript digits). Characters elsewhere are only lower-cased.
_FOLDED_BLOCKS = (
    (0x00A0, 0x024F),
    (0x1E00, 0x1EFF),
    (0x2070, 0x209F),
    (0x2460, 0x24FF),
    (0xFB00, 0xFB06),
    (0xFF01, 0xFF5E),
    (0x1D400, 0x1D7FF),
)
# Typographic quotes, dashes and spaces, made plain so that patterns need only write `'`, `-`, ` `.
_PUNCTUATION = {
    **dict.fromkeys([0x2018, 0x2019, 0x201B, 0x02BC, 0x2032, 0x00B4], "'"),
    **dict.fromkeys(range(0x2010, 0x2016), "-"),
    **dict.fromkeys([*range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000], " "),
}
_COMBINING = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "@": "a", "$": "s"}
_LIGATURES = {"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae"}  # letters of their own to Unicode
# Invisible characters slipped inside a word to break a filter (`sn\u200bap`): dropped.
_INVISIBLE = "\u00ad\u034f\u180e\u200b\u200c\u200d\u2060\ufeff"


@lru_cache(maxsize=4096)
def fold_char(ch: str) -> str:
    """One character without case and accents, compatibility-decomposed (may be 0-n chars)."""
    if ch in _LIGATURES:
        return _LIGATURES[ch]
    if ch in _INVISIBLE:
        return ""
    decomposed = unicodedata.normalize("NFKD", ch)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _build_tables() -> tuple[dict[int, str], re.Pattern[str]]:
    table: dict[int, str] = dict(_PUNCTUATION)
    slow: list[str] = []
    for low, high in _FOLDED_BLOCKS:
        for code in range(low, high + 1):
            if code in table:
                continue
            ch = chr(code)
            folded = fold_char(ch)
            if len(folded) == 1:
                if folded != ch:
                    table[code] = folded
            else:
                slow.append(re.escape(ch))
    return table, re.compile(f"[{_COMBINING}{_INVISIBLE}{''.join(slow)}]+")


_TABLE, _NEEDS_SLOW_PATH = _build_tables()
_ONE_TO_ONE = {chr(code): folded for code, folded in _TABLE.items()}
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_LEET_BYTES = bytes.maketrans("".join(_LEET).encode(), "".join(_LEET.values()).encode())
_LEET_CHARS = re.compile(r"[01345@$]")
_LETTERS = re.compile(r"[a-z]+")
# Bytes that are not a-z become spaces: for ASCII text, `split` then gives `_LETTERS`' runs
# at a third of the regex's cost.
_LETTERS_ONLY = bytes(code if 97 <= code <= 122 else 32 for code in range(256))


def _fold_one(match: re.Match[str]) -> str:
    ch = match.group()
    return _ONE_TO_ONE.get(ch, ch)


def fold(text: str) -> tuple[str, list[int] | None]:
    """Fold `text`; return the folded text and its index map (None when it is the identity).

    `index[i]` is the position in `text` of the character folded text position `i` came from.
    """
    if text.isascii():
        return text.lower(), None
    if not _NEEDS_SLOW_PATH.search(text):
        folded = _NON_ASCII.sub(_fold_one, text).lower()
        if len(folded) == len(text):
            return folded, None
    pieces: list[str] = []
    index: list[int] = []
    position = 0
    for match in _NEEDS_SLOW_PATH.finditer(text):
        _fold_chunk(text, position, match.start(), pieces, index)
        for offset, ch in enumerate(match.group(), start=match.start()):
            folded_ch = fold_char(ch)
            pieces.append(folded_ch)
            index.extend([offset] * len(folded_ch))
        position = match.end()
    _fold_chunk(text, position, len(text), pieces, index)
    return "".join(pieces), index


def _fold_chunk(text: str, start: int, end: int, pieces: list[str], index: list[int]) -> None:
    """Fold `text[start:end]`, which holds no slow-path character, appending to the map."""
    chunk = _NON_ASCII.sub(_fold_one, text[start:end]).lower()
    if len(chunk) == end - start:
        pieces.append(chunk)
        index.extend(range(start, end))
        return
    for position in range(start, end):  # a character whose lower case is longer: rare
        folded_ch = fold_char(text[position])
        pieces.append(folded_ch)
        index.extend([position] * len(folded_ch))


def leet(folded: str) -> str:
    """Folded text with common leetspeak undone; one character for one, so offsets hold."""
    if folded.isascii():
        return folded.encode("ascii").translate(_LEET_BYTES).decode("ascii")
    return _LEET_CHARS.sub(lambda m: _LEET[m.group()], folded)


def is_letter(ch: str) -> bool:
    return "a" <= ch <= "z"


class TextView:
    """A message and its folded views, each computed at most once (one view per evaluation).

    Detectors share one view, so the folding, the set of words and any result a detector
    stores in `memo` are paid once per message. The folded text is made at once (every
    evaluation reads it, several times: a plain attribute is not a call each time); the others
    when first asked for.
    """

    # Plain lazy slots: functools.cached_property takes a lock on each first use, three per
    # message, and every message in a room is looked at.
    __slots__ = (
        "_leet",
        "_words",
        "disguised_dots",
        "folded",
        "glued_numbers",
        "index",
        "is_normalised",
        "memo",
        "text",
    )

    def __init__(self, text: str) -> None:
        self.text = text
        self.memo: dict[str, object] = {}
        # Lower case, accents removed, compatibility characters made plain; `index` maps it
        # into `text` (None: the identity), see `fold`.
        self.folded: str
        self.index: list[int] | None
        self.folded, self.index = fold(text)
        self._leet: str | None = None
        self._words: frozenset[str] | None = None
        # Set on a normalised view only (`normalising.normalised_view`).
        self.is_normalised = False
        self.disguised_dots: frozenset[int] = frozenset()
        self.glued_numbers: tuple[tuple[int, int], ...] = ()

    @classmethod
    def derived(
        cls,
        text: str,
        folded: str,
        index: list[int],
        *,
        disguised_dots: frozenset[int] = frozenset(),
        glued_numbers: tuple[tuple[int, int], ...] = (),
    ) -> TextView:
        """A view of `text` whose folded form is `folded` (its normalised form, see
        `normalising`); `index[i]` is the position in `text` of `folded[i]`, so spans still
        cut `text`. `disguised_dots` and `glued_numbers` say where disguises were taken off."""
        view = cls.__new__(cls)
        view.text, view.memo = text, {}
        view.folded, view.index = folded, index
        view._leet = view._words = None
        view.is_normalised = True
        view.disguised_dots, view.glued_numbers = disguised_dots, glued_numbers
        return view

    @property
    def leet(self) -> str:
        """The folded text with common leetspeak undone (0->o, 1->i, 3->e, 4->a, 5->s, @, $)."""
        if self._leet is None:
            self._leet = leet(self.folded)
        return self._leet

    @property
    def words(self) -> frozenset[str]:
        """The runs of letters a-z in the folded text: a cheap first test for most patterns."""
        if self._words is None:
            folded = self.folded
            if folded.isascii():
                runs = folded.encode("ascii").translate(_LETTERS_ONLY).decode("ascii").split()
            else:
                runs = _LETTERS.findall(folded)
            self._words = frozenset(runs)
        return self._words

    def has_any(self, words: frozenset[str]) -> bool:
        return not self.words.isdisjoint(words)

    def find_word(self, word: str) -> list[int]:
        """Folded positions of `word` standing alone (no letter a-z on either side)."""
        folded = self.folded
        found: list[int] = []
        start = folded.find(word)
        while start >= 0:
            end = start + len(word)
            if (start == 0 or not is_letter(folded[start - 1])) and (
                end == len(folded) or not is_letter(folded[end])
            ):
                found.append(start)
            start = folded.find(word, start + 1)
        return found

    def span(self, start: int, end: int, kind: SpanKind) -> Span:
        """The original-text span of folded positions `[start, end)` (end > start)."""
        index = self.index
        if index is None:
            return Span(start, end, kind)
        return Span(index[start], index[end - 1] + 1, kind)
