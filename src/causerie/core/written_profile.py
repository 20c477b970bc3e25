"""The join form written in words, "age gender postcode [lang]", as people type it where there
is no form: an IRC client's realname (`USER x 0 * :25 f 75011`) or `PROFILE 25 f 75011`, and the
`irc_default_profile` setting. Pure.

Only the shape is checked here; the node checks the values (minimum age, postcode that exists)
exactly as for a web visitor. `users.Profile` is the profile once declared; this is the text
before it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from causerie.core.numerals import is_ascii_digits

GENDERS = {
    "man": "man",
    "m": "man",
    "h": "man",
    "homme": "man",
    "male": "man",
    "woman": "woman",
    "f": "woman",
    "w": "woman",
    "femme": "woman",
    "female": "woman",
    "other": "other",
    "o": "other",
    "a": "other",
    "autre": "other",
    "nb": "other",
    "unspecified": "unspecified",
    "x": "unspecified",
    "u": "unspecified",
    "?": "unspecified",
    "-": "unspecified",
}
LANGS = frozenset({"fr", "en"})


@dataclass(frozen=True, slots=True)
class WrittenProfile:
    age: int
    gender: str
    postcode: str
    lang: str = "fr"


def parse_profile(text: str) -> WrittenProfile | None:
    """`25 f 75011`, `25/f/75011`, `f 25 75011 en`…: the profile, or None when it is not one.

    The age is the number of 1–3 digits, the postcode the 5 digits (Corsica's are 20xxx too),
    the gender one of `GENDERS`, the language `fr` or `en`; their order does not matter. Digits
    are ASCII only: '²' or '٣' is no number here (`str.isdigit` says they are, `int` refuses
    the first and reads the second), so such a text is no profile (IRC answers with its help
    NOTICE).
    """
    words = text.replace("/", " ").replace(",", " ").lower().split()
    if not 3 <= len(words) <= 4:
        return None
    age: int | None = None
    gender = postcode = None
    lang = "fr"
    for word in words:
        is_number = is_ascii_digits(word)
        if is_number and len(word) == 5 and postcode is None:
            postcode = word
        elif is_number and len(word) <= 3 and age is None:
            age = int(word)
        elif word in GENDERS and gender is None:
            gender = GENDERS[word]
        elif word in LANGS:
            lang = word
        else:
            return None
    if age is None or gender is None or postcode is None:
        return None
    return WrittenProfile(age, gender, postcode, lang)
