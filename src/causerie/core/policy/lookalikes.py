"""What a piece of text reads as: Unicode's confusables (UTS #39), without case or accents.

`lookalike_key` is the form in which two nicknames are compared for uniqueness (DESIGN.md,
rule 1): two nicknames that read the same get the same key, so only one of them can be
connected. It is the UTS #39 *skeleton* (https://www.unicode.org/reports/tr39/#Confusable_Detection)
made insensitive to case and accents, as nicknames always were here.

How this works, for each character (the key of a text is the keys of its characters joined):

1. the character is replaced by its UTS #39 prototype (`confusables.py`: Unicode's
   confusables.txt, converted to `confusables.tsv`), on its *original* case: capital Greek
   Eta `Η` reads `H` while
   small eta `η` reads `n`, so mapping after case folding would pair the wrong letters;
2. NFKD, so full-width, mathematical, circled and ligature forms become plain letters and
   accents split off; default-ignorable code points (zero-width, bidi controls, variation
   selectors, Hangul fillers) and combining marks (accents, overlays) are dropped;
3. prototypes again, for what NFKD made (`ｍ` -> `m` -> `rn`);
4. case folding, then step 2 again (some prototypes carry accents or capitals);
5. `i` becomes `l`: UTS #39 reads capital `I` as `l` (and `1`, `|` as `l`), and case
   folding pairs `I` with `i`, so `i`, `I`, `l`, `1` and `|` can only be one letter;
6. steps 1-5 repeat until nothing changes (twice at most for today's data).

Every pair of confusables.txt gets one key (a test checks all of them), and so does every
pair that differs only by case or accents, but for a few capitals of other scripts.

What follows for nicknames: `Nіnateen` (Cyrillic і) = `Ninateen` = `NINATEEN` = `Nlnateen`,
`Élodie` = `elodie`, `Ｓｏｐｈｉｅ` = `𝐒𝐨𝐩𝐡𝐢𝐞` = `Sophie`, `S0phie` = `Sophie` (UTS #39 reads `0` as
`O`), `Ernma` = `Emma` (`m` reads `rn`), `Søren` = `Soren`. Other digits stay digits:
`Lea2010` and `Lea2011` are two people. Separators count: `Nina_teen` is not `Ninateen`.
Those few capitals of other scripts read as another Latin letter than their small form
(Greek `Η`/`η`, Cyrillic `Б`/`б`): their case is compared by shape, so `Ηλιος` and `ηλιος`
differ.

The key of a key is itself (`lookalike_key(lookalike_key(x)) == lookalike_key(x)`); keys are
for comparing, never shown. Pure, no I/O: the table is read once, when `confusables` is
imported.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from causerie.core.policy.confusables import PROTOTYPES

# Default_Ignorable_Code_Point (Unicode DerivedCoreProperties.txt, unchanged since 6.x):
# invisible, or rendered as nothing, wherever they stand.
_DEFAULT_IGNORABLE_RANGES = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
# Letters (category Lo) that are default-ignorable: a nickname holding one looks like one
# without it, so `normalize_nick` refuses them.
INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
# Step 4: letters that case folding and UTS #39 together make one.
_MERGED = {"i": "l"}
_MAX_ROUNDS = 8


def is_default_ignorable(ch: str) -> bool:
    code = ord(ch)
    return any(low <= code <= high for low, high in _DEFAULT_IGNORABLE_RANGES)


def _visible(text: str) -> str:
    """`text` without default-ignorable code points and combining marks."""
    return "".join(
        ch for ch in text if not unicodedata.combining(ch) and not is_default_ignorable(ch)
    )


def _prototypes(text: str) -> str:
    return "".join(PROTOTYPES.get(ord(ch), ch) for ch in text)


def _round(text: str) -> str:
    """Steps 1-5 once."""
    text = _prototypes(_visible(unicodedata.normalize("NFKD", _prototypes(text))))
    text = _visible(unicodedata.normalize("NFKD", text.casefold()))
    return "".join(_MERGED.get(ch, ch) for ch in text)


@lru_cache(maxsize=8192)
def lookalike_char(ch: str) -> str:
    """The key of one character (0 to a few characters), a fixed point of the steps."""
    text = ch
    for _ in range(_MAX_ROUNDS):
        folded = _round(text)
        if folded == text:
            return text
        text = folded
    return text  # not reached with Unicode's data: the build tests check every character


_ASCII = {code: lookalike_char(chr(code)) for code in range(128)}


def lookalike_key(text: str) -> str:
    """The form in which `text` is compared with other texts: look-alikes read the same.

    Case, accents, compatibility forms, invisible characters and UTS #39 confusables are
    folded (see the module docstring). Never raises; idempotent.
    """
    if text.isascii():
        return text.translate(_ASCII)
    return "".join(lookalike_char(ch) for ch in text)


@lru_cache(maxsize=4096)
def ascii_lookalike(ch: str) -> str | None:
    """The ASCII letter or digit a non-ASCII character passes for, or None.

    For text that is searched rather than compared (automatic moderation): only characters
    that read as exactly one ASCII letter or digit, lower case (`а` Cyrillic -> `a`, `ｓ`
    -> `s`, `𝟔` -> `6`), so a message keeps its length and its punctuation. Unlike
    `lookalike_key`, `i` stays `i` and `0` stays `0`.
    """
    if ch.isascii():
        return None
    # UTS #39 first, as `lookalike_key` reads it; NFKD first for what only NFKD knows (`²`).
    for text in (_prototypes(ch), ch):
        text = _prototypes(_visible(unicodedata.normalize("NFKD", text))).casefold()
        if len(text) == 1 and text.isascii() and text.isalnum():
            return text
    return None
