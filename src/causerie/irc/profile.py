"""The join-form profile as IRC clients give it: "age gender postcode [lang]".

It comes in the realname (`USER x 0 * :25 f 75011`) or in `PROFILE 25 f 75011`. Only the shape
is checked here; the node checks the values (minimum age, postcode that exists) exactly as for
a web visitor, and its refusal is shown to the person.
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
class Profile:
    age: int
    gender: str
    postcode: str
    lang: str = "fr"


def parse_profile(text: str) -> Profile | None:
    """`25 f 75011`, `25/f/75011`, `f 25 75011 en`…: the profile, or None when it is not one.

    The age is the number of 1–3 digits, the postcode the 5 digits (Corsica's are 20xxx too),
    the gender one of `GENDERS`, the language `fr` or `en`; their order does not matter. Digits
    are ASCII only: '²' or '٣' is no number here (`str.isdigit` says they are, `int` refuses
    the first and reads the second), so such a realname is no profile and gets the help NOTICE.
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
    return Profile(age, gender, postcode, lang)


PROFILE_HELP = (
    "Pour discuter, donnez votre profil : /quote PROFILE <âge> <genre> <code postal> "
    "(ex. /quote PROFILE 25 f 75011 ; genre : h, f, autre ou x), "
    "ou mettez-le dans votre « realname » (ex. 25 f 75011).",
    "To chat, give your profile: /quote PROFILE <age> <gender> <postcode> "
    "(e.g. /quote PROFILE 25 f 75011; gender: m, f, other or x), "
    "or put it in your realname (e.g. 25 f 75011).",
    "Le code postal n'est jamais montré : les autres voient seulement le département. "
    "/ Your postcode is never shown: others only see the département.",
)
