"""The canonical form of a chat message, as the grooming detector reads it.

Grooming lines arrive in every spelling: `t'es`, `tes`, `tu es`, `T ES`; `secret`, `s3cr3t`,
`seeecret`, `s e c r e t`; `koi`, `quoa`, `quoi`. The detector matches its phrases on one
canonical form, and its phrases are put in that same form when they are loaded, so an operator
writes plain French or English and every variant of it matches.

How a text becomes canonical (`canonical(text)`), in order:

1. folding (the automatic moderation's `fold`): lower case, no accents, fancy Unicode letters
   and digits made plain, invisible characters dropped;
2. letters spaced out one by one (`s e c r e t`, `s.e.c.r.e.t`, `s-e-c-r-e-t`), four or more
   in a row, are joined into one word;
3. everything that is not a letter or a digit separates words; French elisions open up
   (`t'ai` -> `te ai`, `j'envoie` -> `je envoie`, while `t'es` and `t'as` read as the SMS
   `tes` and `tas`), and a `j` glued to the next word comes apart (`jte` -> `je te`);
4. in a word that has letters, digits and symbols used as letters are undone
   (`ph0t0` -> `photo`); a word of digits only stays a number;
5. runs of one letter collapse to one (`trooop` -> `trop`, `belle` -> `bele`): stretching a
   word for emphasis or to dodge a filter changes nothing; a final plural `s` goes
   (`photos` -> `photo`) on words of four letters or more;
6. SMS spellings of one word or of a short group of words become one spelling
   (`ke` -> `que`, `pk` -> `pourquoi`, `t es` and `tu es` -> `tes`, `c est` -> `cest`).

Every step maps variants to one form and never splits a word a plain spelling keeps whole, so a
variant of a phrase never reads as less than the phrase itself (a property the tests hold).
Pure and deterministic; the result is words separated by single spaces.
"""

from __future__ import annotations

import re
from functools import lru_cache

from causerie.safety.automod.folding import fold

# Four or more single letters or digits separated by one separator each: one word spelled out.
_SPACED = re.compile(r"(?<![^\W_])(?:[^\W_][ .\-_*/|]){3,}[^\W_](?![^\W_])")
_SPACED_SEPARATORS = re.compile(r"[ .\-_*/|]")
_NON_WORD = re.compile(r"[\W_]+")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b"})
# `@` and `$` stand for letters only inside a word: `@Lea` names someone, `5 $` is a price.
_LEET_SYMBOLS = re.compile(r"(?<=[a-z0-9])[@$](?=[a-z0-9])")
_SYMBOL_LETTERS = {"@": "a", "$": "s"}
# French elisions (`t'ai`, `j'envoie`, `qu'il`): the elided word in full. `t'es` and `t'as`
# keep their SMS spelling (`tes`, `tas`), which `_SMS_PAIRS` also gives to `t es`.
_ELIDED = {
    "qu": "que", "j": "je", "t": "te", "m": "me", "l": "le", "s": "se", "d": "de", "n": "ne",
    "c": "ce",
}  # fmt: skip
_TOKEN = re.compile(r"[^\W_]+'?")
# `jte`, `jsuis`, `jdirai`: no French or English word starts with j and a consonant.
_J_GLUED = re.compile(r"j([bcdfghjklmnpqrstvwxz][a-z]+)")
_HAS_LETTER = re.compile(r"[a-z]")
_RUNS = re.compile(r"([^\W\d_])\1+")
_LONG_RUNS = re.compile(r"([^\W\d_])\1{2,}")
_UNITS = frozenset(
    "ans an h e eme er ere k km m min mn s sec j mois euro eur balles pm am th st nd rd".split()
)
_NUMBER_THEN_WORD = re.compile(r"(\d+)([a-z].*)")

# SMS words an English word also collapses to (`tell`): read as SMS only when typed so.
_NOT_FROM_STRETCHED = frozenset({"tel"})
# One SMS word -> its plain spelling (already collapsed: no double letters).
_SMS_WORDS = {
    # French
    "ke": "que",
    "kel": "quel",
    "kele": "quele",
    "keske": "quesque",
    "koi": "quoi",
    "kwa": "quoi",
    "quoa": "quoi",
    "pk": "pourquoi",
    "pq": "pourquoi",
    "pkoi": "pourquoi",
    "pourkoi": "pourquoi",
    "pourquoa": "pourquoi",
    "qd": "quand",
    "qnd": "quand",
    "kan": "quand",
    "kand": "quand",
    "tjr": "toujours",
    "tjrs": "toujours",
    "tjs": "toujours",
    "ns": "nous",
    "vs": "vous",
    "pr": "pour",
    "pa": "pas",
    "ps": "pas",
    "ri": "rien",
    "bcp": "beaucoup",
    "mm": "meme",
    "msg": "mesage",
    "msgs": "mesages",
    "mess": "mesage",
    "sms": "mesages",
    "conv": "conversation",
    "convo": "conversation",
    "discu": "discusion",
    "discut": "discusion",
    "tel": "telephone",
    "portable": "telephone",
    "phone": "telephone",
    "jsp": "je sais pas",
    "jpp": "je peux pas",
    "jpeu": "je peux",
    "jpx": "je peux",
    "tkt": "tinquiete",
    "stp": "sil te plait",
    "svp": "sil vous plait",
    "dac": "dacord",
    "dak": "dacord",
    "oki": "ok",
    "okay": "ok",
    "slt": "salut",
    "cc": "coucou",
    "bjr": "bonjour",
    "bsr": "bonsoir",
    "dsl": "desole",
    "chui": "je suis",
    "chuis": "je suis",
    "jsuis": "je suis",
    "jsui": "je suis",
    "ss": "suis",
    "g": "jai",
    "sa": "ca",
    "kom": "come",
    "koman": "coment",
    "komen": "coment",
    "komment": "coment",
    "t": "tes",
    "c": "cest",
    "ct": "cetait",
    "pti": "petit",
    "ptit": "petit",
    "ptite": "petite",
    "qqn": "quelqu un",
    "qlq": "quelque",
    "qq": "quelque",
    "auj": "aujourdhui",
    "ajd": "aujourdhui",
    "dem": "demain",
    "2main": "demain",
    "dmain": "demain",
    "ac": "avec",
    "avc": "avec",
    "ak": "avec",
    "dc": "donc",
    "ds": "dans",
    "mtn": "maintenant",
    "mnt": "maintenant",
    "rdv": "rendez vous",
    "tt": "tout",
    "tte": "toute",
    "tts": "tous",
    "bb": "bebe",
    "cho": "chaud",
    "bo": "beau",
    "bel": "bele",
    "meuf": "fille",
    "daron": "pere",
    "daronne": "mere",
    "darone": "mere",
    "darons": "parents",
    "darones": "parents",
    "rents": "parents",
    "reup": "pere",
    "reum": "mere",
    "vrmt": "vraiment",
    "vrm": "vraiment",
    "pcq": "parce que",
    "pck": "parce que",
    "psk": "parce que",
    "paske": "parce que",
    "parske": "parce que",
    "snap": "snapchat",
    "insta": "instagram",
    "ig": "instagram",
    "wtsp": "whatsap",
    "wsp": "whatsap",
    "whatsapp": "whatsap",
    "wa": "whatsap",
    "tg": "telegram",
    "cam": "camera",
    "webcam": "camera",
    "foto": "photo",
    "fotos": "photos",
    "tof": "photo",
    "tofs": "photos",
    "toph": "photo",
    "pic": "photo",
    "pics": "photos",
    "pix": "photos",
    "picture": "photo",
    "pictures": "photos",
    "selfie": "photo",
    "selfies": "photos",
    # English
    "u": "you",
    "yu": "you",
    "ur": "your",
    "r": "are",
    "urself": "yourself",
    "btwn": "between",
    "btw": "by the way",
    "wut": "what",
    "wat": "what",
    "rn": "right now",
    "wyd": "what are you doing",
    "pjs": "pyjama",
    "pj": "pyjama",
    "tho": "though",
    "thru": "through",
    "bf": "boyfriend",
    "gf": "girlfriend",
    "irl": "in real life",
    "ure": "your",
    "youre": "your",
    "yr": "your",
    "pls": "please",
    "plz": "please",
    "thx": "thanks",
    "bc": "because",
    "cuz": "because",
    "coz": "because",
    "cos": "because",
    "wanna": "want to",
    "gonna": "going to",
    "gotta": "got to",
    "gimme": "give me",
    "lemme": "let me",
    "ppl": "people",
    "bday": "birthday",
    "rly": "realy",
    "sry": "sory",
    "im": "i am",
    "ima": "i am going to",
}

# Groups of words written as one (apostrophes and spaces are separators by now).
# The same words with their letters collapsed (`wana`, `gime`): a stretched `wannnaaa` collapses
# there too. Only from four letters, where no ordinary word is met (`mes` is not `mess`).
_SMS_COLLAPSED = {
    collapsed: plain
    for word, plain in _SMS_WORDS.items()
    if (collapsed := _RUNS.sub(r"\1", word)) != word
    and len(collapsed) >= 4
    and collapsed not in _SMS_WORDS
}
_SMS_PAIRS = {
    ("t", "es"): "tes",
    ("tu", "es"): "tes",
    ("t", "as"): "tas",
    ("tu", "as"): "tas",
    ("c", "est"): "cest",
    ("s", "est"): "cest",
    ("j", "ai"): "jai",
    ("je", "ai"): "jai",
    ("ce", "est"): "cest",
    ("se", "est"): "cest",
    ("i", "m"): "i am",
    ("you", "re"): "your",
    ("don", "t"): "dont",
    ("can", "t"): "cant",
    ("won", "t"): "wont",
    ("didn", "t"): "didnt",
    ("doesn", "t"): "doesnt",
    ("isn", "t"): "isnt",
    ("aren", "t"): "arent",
    ("it", "s"): "its",
    ("i", "l"): "i wil",
    ("we", "l"): "we wil",
    ("i", "d"): "i would",
    ("qu", "il"): "quil",
    ("qu", "ils"): "quils",
    ("qu", "on"): "quon",
    ("qu", "ele"): "quele",
    ("s", "il"): "sil",
    ("n", "importe"): "nimporte",
    ("aujourd", "hui"): "aujourdhui",
    ("ajourd", "hui"): "aujourdhui",
}


def canonical_word(word: str) -> str:
    """One folded word (letters and digits) in canonical form: may become several words."""
    return " ".join(_spelled(piece) for piece in _plain(word).split())


@lru_cache(maxsize=65536)
def _plain(word: str) -> str:
    """Leetspeak undone and stretched letters collapsed; a number glued to a unit apart."""
    number = _NUMBER_THEN_WORD.match(word)
    if number is not None and (len(number.group(1)) > 1 or number.group(2) in _UNITS):
        # `15ans`, `14h`, `3e`: a number and a word; `3ffac3` is leetspeak
        return f"{number.group(1)} {_plain(number.group(2))}"
    if _HAS_LETTER.search(word):
        word = word.translate(_LEET)
    word = _RUNS.sub(r"\1", word)
    glued = _J_GLUED.fullmatch(word)
    if glued is not None and word not in _SMS_WORDS:
        return "je " + _plain(glued.group(1))
    return word


@lru_cache(maxsize=65536)
def _spelled(word: str) -> str:
    """A plain word's one spelling: SMS undone, plural dropped."""
    spelled = (
        _SMS_WORDS.get(word) or _SMS_COLLAPSED.get(word) or _SMS_WORDS.get(_singular(word)) or word
    )
    return " ".join(_singular(piece) for piece in spelled.split())


def _spelled_as_typed(typed: str, plain: str) -> str:
    """`_spelled`, looked up first as typed (`cc` is coucou before it is `c`), and keeping
    `tell` from reading as the French `tel` (téléphone) once its letters collapse."""
    typed = _LONG_RUNS.sub(r"\1\1", typed)  # `bbb` is still `bb`, `messs` still `mess`
    if typed in _SMS_WORDS:
        return _spelled(typed)
    if typed != plain and plain in _NOT_FROM_STRETCHED:
        return plain
    return _spelled(plain)


def _singular(word: str) -> str:
    """`photos` -> `photo`: a plural `s` changes nothing a phrase means here."""
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def _join_spaced(match: re.Match[str]) -> str:
    return _SPACED_SEPARATORS.sub("", match.group())


def words_of(text: str) -> list[str]:
    """The canonical words of `text` (see the module docstring)."""
    folded = _LEET_SYMBOLS.sub(lambda m: _SYMBOL_LETTERS[m.group()], fold(text)[0])
    folded = _SPACED.sub(_join_spaced, folded)
    plain: list[str] = []
    typed: list[str] = []  # each plain word as typed, for `_spelled_as_typed`
    for token in _TOKEN.findall(folded):
        is_elided = token.endswith("'")
        pieces = _plain(token.rstrip("'")).split()
        if is_elided and pieces and pieces[-1] in _ELIDED:
            pieces[-1] = pieces[-1] + "'"  # resolved below, once the next word is known
        plain.extend(pieces)
        typed.extend([token.rstrip("'").translate(_LEET)] * len(pieces))
    words: list[str] = []
    i = 0
    while i < len(plain):
        word = plain[i]
        following = plain[i + 1] if i + 1 < len(plain) else ""
        if word.endswith("'"):
            word = word[:-1]
            if not (word == "t" and (word, following) in _SMS_PAIRS):
                word = _ELIDED[word]
        joined = _SMS_PAIRS.get((word, following)) if following else None
        if joined is not None:
            words.extend(joined.split())
            i += 2
            continue
        words.extend(_spelled_as_typed(typed[i], word).split())
        i += 1
    return words


def canonical(text: str) -> str:
    """`text` in canonical form: canonical words separated by single spaces."""
    return " ".join(words_of(text))
