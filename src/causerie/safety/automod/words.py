"""Word lists: named lists of words and phrases, matched on word boundaries.

Entries and messages are compared in the same form: no case, no accents, common leetspeak
undone (`c0nn4rd` -> `connard`). In an entry, a space or hyphen matches any run of spaces or
punctuation (`plan coke` matches `plan-coke`), a trailing `*` matches any word ending
(`encul*`), and every letter may be stretched (`connard` matches `connnnard`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from causerie.safety.automod.folding import TextView, fold, leet
from causerie.safety.automod.spans import Span, SpanKind

_SEPARATOR = re.compile(r"[\s-]+")
_WORD_CHAR = re.compile(r"\w")
_VALID_ENTRY = re.compile(r"[^\W_](?:[\w' -]*[^\W_])?\*?")


def _entry_pattern(entry: str) -> str:
    """The regex source for one entry; raises ValueError when the entry cannot be a word."""
    normalised = leet(fold(entry.strip())[0])
    if not _VALID_ENTRY.fullmatch(normalised):
        raise ValueError(f"{entry!r} is not a word or phrase")
    is_prefix = normalised.endswith("*")
    words = _SEPARATOR.split(normalised.rstrip("*"))
    # `c` then `c*`, not `c+`: an alternation of literal first letters lets the regex engine
    # skip quickly to the positions where an entry could start.
    stretched = [
        "".join(re.escape(ch) + (re.escape(ch) + "*" if ch.isalpha() else "") for ch in word)
        for word in words
    ]
    return r"[\W_]+".join(stretched) + (r"\w*" if is_prefix else "")


@dataclass(frozen=True, slots=True)
class WordList:
    """A compiled word list; call it on a message to get `word` spans."""

    name: str
    words: tuple[str, ...]
    pattern: re.Pattern[str]

    @classmethod
    def compile(cls, name: str, words: list[str]) -> WordList:
        """Raises ValueError naming the first bad entry."""
        sources = [_entry_pattern(word) for word in words]
        sources.sort(key=len, reverse=True)  # prefer the longest phrase at one position
        body = "|".join(sources) if sources else r"(?!)"
        # No look-behind at the start (it would disable that skipping): `__call__` checks
        # that a match begins a word.
        return cls(name, tuple(words), re.compile(rf"(?:{body})(?!\w)"))

    def __call__(self, view: TextView) -> tuple[Span, ...]:
        text = view.leet
        spans: list[Span] = []
        match = self.pattern.search(text)
        while match is not None:
            start = match.start()
            if start > 0 and _WORD_CHAR.match(text, start - 1):
                match = self.pattern.search(text, start + 1)
                continue
            spans.append(view.span(start, match.end(), SpanKind.WORD))
            match = self.pattern.search(text, max(match.end(), start + 1))
        return tuple(spans)
