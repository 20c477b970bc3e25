"""How games read what players type: answers compared folded, words as a game board holds them.

Players type on phones and IRC clients: "Éléphant", "elephant !", "l'éléphant" must all count as
the answer "éléphant". Pure functions, shared by every game.
"""

from __future__ import annotations

import re
import unicodedata

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_ARTICLES = re.compile(r"^(?:l|d|le|la|les|un|une|des|du|de|the|a|an) ")


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """An answer as compared: lower case, no accents, punctuation and extra spaces gone, a
    leading article dropped ("L'Everest" and "everest" fold alike)."""
    words = _NOT_WORD.sub(" ", _strip_accents(text).lower()).strip()
    # Every leading article goes, not just one, so that folding twice changes nothing.
    while (bare := _ARTICLES.sub("", words, count=1)) != words:
        words = bare
    return words


def fold_word(text: str) -> str:
    """A single word as a board holds it: upper case A-Z only ("Éléphant" gives "ELEPHANT");
    empty when the text has anything but letters, accents, hyphens or apostrophes."""
    plain = _strip_accents(text.strip()).upper()
    letters = plain.replace("-", "").replace("'", "")
    return letters if letters.isascii() and letters.isalpha() else ""
