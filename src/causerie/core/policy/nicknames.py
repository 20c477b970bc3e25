"""Nickname rules (DESIGN.md, rule 1): 2-20 characters, unique among connected people, no
impersonation of staff.

Two comparisons live here, for two different jobs:

- `nick_key` decides *uniqueness* among everyone connected (and keys blocks, contacts and the
  nickname claims shared between nodes): no case, no accents, and Unicode's confusables
  (UTS #39, see `lookalikes.py`), so `Élodie` = `elodie`, `Nіnateen` (Cyrillic і) =
  `Ninateen`, `S0phie` = `Sophie` and `Ernma` = `Emma` cannot both be connected, while
  `L3a` and `Lea` can (UTS #39 reads only `0` and `1` as letters).
- `skeleton` decides *impersonation of staff*: it also folds leetspeak, drops separators and
  collapses repeated letters, so `M0dérateur`, `Мoderateur` (Cyrillic М) and `A_d_m_i_n` all
  read as the reserved words they imitate. It is deliberately coarse, which is why it only
  guards the staff's names and never ordinary users' uniqueness.

How `skeleton` folds a nickname:

1. NFKD, which turns full-width and mathematical letters into plain ones and splits accents;
2. uppercase Greek letters whose small form looks different (Η ≈ H but η ≈ n) are mapped first;
3. case folding, then every mark (accent) is dropped;
4. look-alikes become one canonical Latin letter: digits and symbols used as letters
   (0→o, 3→e, @→a…), Cyrillic, Greek, Armenian and small-capital homoglyphs. `i`, `l`, `1`, `|`
   and `!` all become `l`, since a capital I and a small l are the same stroke in most fonts;
5. everything that is not a letter or a digit goes (separators `_-.`, but also anything else);
6. `rn` becomes `m` (they touch in small sizes), then runs of one letter collapse to one.

The result is a fixed point: `skeleton(skeleton(x)) == skeleton(x)`.

The hand-written table of step 4 knows leetspeak, which UTS #39 does not; UTS #39 knows
thousands of look-alikes from every script, which the table does not. So a nickname has two
readings (`skeletons`): its skeleton, and the skeleton of its `nick_key`. It is reserved when
either reading is, or imitates, a staff word or a staff member's name.

The built-in reserved words are matched on the same folding, but a letter that is doubled in a
reserved word must stay doubled in the nickname: `Sttaff` is refused, while `Mustafa` and
`Gustaf` (which only contain the skeleton `staf`) are ordinary names.

Characters that do not show (zero-width, bidi controls, combining overlays, Hangul fillers)
are not nickname characters: `normalize_nick` refuses them, and `nick_key` would drop them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from itertools import groupby

from causerie.core.policy.lookalikes import INVISIBLE_LETTERS, lookalike_key
from causerie.errors import CauserieError, ErrorCode

MIN_NICK_CHARS = 2
MAX_NICK_CHARS = 20
_PUNCTUATION = frozenset("_-.")
# A nickname containing one of these impersonates the staff wherever the word stands.
_RESERVED_PARTS = ("admin", "moderat", "causerie", "staff", "sysop", "ircop")
# These are ordinary words inside longer nicknames, so only the whole nickname is refused.
_RESERVED_WHOLE = frozenset(
    {
        "modo",
        "mod",
        "system",
        "systeme",
        "support",
        "operateur",
        "operator",
        "root",
        "police",
        "server",
        "serveur",
        "service",
        "equipe",
        "team",
        "bot",
        "jeux",  # the games' voice in the rooms (node/games/)
    }
)

# Capital letters whose small form reads as another Latin letter (Η is H, η is n): mapped before
# case folding. Capitals whose small form maps the same way are left to `_CONFUSABLES`.
_CAPITAL_CONFUSABLES = {
    "Η": "h",  # Greek Eta
    "Ν": "n",  # Greek Nu (ν reads v)
    "Υ": "y",  # Greek Upsilon (υ reads u)
    "Μ": "m",  # Greek Mu (μ reads u)
    "Ζ": "z",  # Greek Zeta
    "Β": "b",  # Greek Beta
}

# Small letters, digits and symbols that stand for a Latin letter. Applied after case folding,
# so Cyrillic and Greek capitals arrive here as their small forms.
_CONFUSABLES = {
    # digits and symbols used as letters
    "0": "o",
    "1": "l",
    "!": "l",
    "|": "l",
    "3": "e",
    "4": "a",
    "5": "s",
    "7": "t",
    "8": "b",
    "9": "g",
    "@": "a",
    "$": "s",
    "€": "e",
    # Latin: i and l are one class (see the module docstring); letters NFKD leaves alone
    "i": "l",
    "ı": "l",
    "ɩ": "l",
    "ł": "l",
    "ȷ": "j",
    "ɡ": "g",
    "ɑ": "a",
    "ø": "o",
    "đ": "d",
    "ð": "d",
    "ħ": "h",
    "ŧ": "t",
    "œ": "oe",
    "æ": "ae",
    # Latin small capitals
    "ᴀ": "a",
    "ʙ": "b",
    "ᴄ": "c",
    "ᴅ": "d",
    "ᴇ": "e",
    "ɢ": "g",
    "ʜ": "h",
    "ɪ": "l",
    "ᴊ": "j",
    "ᴋ": "k",
    "ʟ": "l",
    "ᴍ": "m",
    "ɴ": "n",
    "ᴏ": "o",
    "ᴘ": "p",
    "ʀ": "r",
    "ꜱ": "s",
    "ᴛ": "t",
    "ᴜ": "u",
    "ᴠ": "v",
    "ᴡ": "w",
    "ʏ": "y",
    "ᴢ": "z",
    # Cyrillic
    "а": "a",
    "в": "b",
    "е": "e",
    "з": "e",  # reads as the digit 3
    "к": "k",
    "м": "m",
    "н": "h",
    "о": "o",
    "п": "n",
    "р": "p",
    "с": "c",
    "т": "t",
    "у": "y",
    "х": "x",
    "ь": "b",
    "і": "l",
    "ј": "j",
    "ѕ": "s",
    "ԁ": "d",
    "ԛ": "q",
    "ԝ": "w",
    "һ": "h",
    "ӏ": "l",
    "ү": "y",
    # Greek
    "α": "a",
    "β": "b",
    "γ": "y",
    "ε": "e",
    "η": "n",
    "ι": "l",
    "κ": "k",
    "μ": "u",
    "ν": "v",
    "ο": "o",
    "ρ": "p",
    "τ": "t",
    "υ": "u",
    "χ": "x",
    "ω": "w",
    "ϲ": "c",
    "ϳ": "j",
    # Armenian
    "օ": "o",
    "ս": "u",
    "հ": "h",
    "ո": "n",
}


def nick_key(nick: str) -> str:
    """The form two nicknames are compared in for uniqueness: look-alikes read the same.

    No case, no accents, UTS #39 confusables folded (`lookalikes.lookalike_key`). Two people
    whose nicknames have one key cannot be connected at once. Never raises; idempotent.
    """
    return lookalike_key(nick)


def _fold(nick: str) -> str:
    """Steps 1-5 of `skeleton` and the `rn` rule, without collapsing runs."""
    text = unicodedata.normalize("NFKD", nick)
    text = "".join(_CAPITAL_CONFUSABLES.get(ch, ch) for ch in text)
    text = unicodedata.normalize("NFKD", text.casefold())
    mapped = "".join(_CONFUSABLES.get(ch, ch) for ch in text if unicodedata.category(ch)[0] != "M")
    kept = "".join(ch for ch in mapped if ch.isalnum())
    return kept.replace("rn", "m")


def skeleton(nick: str) -> str:
    """The form a nickname is compared in against staff names: look-alikes read the same.

    Case, accents, confusable characters, separators and repeated letters are folded away (see
    the module docstring), so `skeleton("M0dérateur") == skeleton("moderateur")`. Never raises;
    idempotent. Not for uniqueness between ordinary users: that is `nick_key`.
    """
    return "".join(ch for ch, _ in groupby(_fold(nick)))


def skeletons(nick: str) -> frozenset[str]:
    """Both readings of `nick` (see the module docstring): its skeleton, and its key's."""
    return frozenset((skeleton(nick), skeleton(nick_key(nick))))


def staff_skeletons(names: Iterable[str]) -> frozenset[str]:
    """The skeletons of the staff's names, to pass to `validate_nick` and `is_reserved`."""
    return frozenset(reading for name in names for reading in skeletons(name))


def _runs_pattern(word: str) -> str:
    """A regex for `word` after folding: each run of a letter at least as long as in the word."""
    return "".join(
        re.escape(ch) + ("+" if count == 1 else f"{{{count},}}")
        for ch, count in ((ch, len(list(run))) for ch, run in groupby(_fold(word)))
    )


_RESERVED_PARTS_RE = re.compile("|".join(_runs_pattern(part) for part in _RESERVED_PARTS))
_RESERVED_WHOLE_RE = re.compile(
    "|".join(_runs_pattern(word) for word in sorted(_RESERVED_WHOLE, key=len, reverse=True))
)


def is_reserved(nick: str, reserved_skeletons: frozenset[str] = frozenset()) -> bool:
    """Whether `nick` is, contains or imitates a staff word, or imitates a staff member's name.

    Args:
        nick: any text (not necessarily a valid nickname).
        reserved_skeletons: skeletons of the current staff's names (`staff_skeletons`); a nick
            whose skeleton equals one of them is reserved.
    """
    for reading in (nick, nick_key(nick)):
        folded = _fold(reading)
        if _RESERVED_WHOLE_RE.fullmatch(folded) or _RESERVED_PARTS_RE.search(folded):
            return True
    return bool(reserved_skeletons) and not skeletons(nick).isdisjoint(reserved_skeletons)


def normalize_nick(raw: str, *, field: str = "nick") -> str:
    """Check length and characters only (no reserved words) and return the nickname to use.

    Raises:
        CauserieError: `invalid` with key `nick_length` or `nick_chars`, carrying `field`.
    """
    nick = unicodedata.normalize("NFC", raw.strip())
    if not MIN_NICK_CHARS <= len(nick) <= MAX_NICK_CHARS:
        raise CauserieError(
            ErrorCode.INVALID, "nick_length", field=field, min=MIN_NICK_CHARS, max=MAX_NICK_CHARS
        )
    if not all(_is_allowed_char(ch) for ch in nick) or nick[0] in _PUNCTUATION:
        raise CauserieError(ErrorCode.INVALID, "nick_chars", field=field)
    return nick


def _is_allowed_char(ch: str) -> bool:
    if ch in _PUNCTUATION or (ch.isdigit() and ch.isascii()):
        return True
    return unicodedata.category(ch)[0] == "L" and ch not in INVISIBLE_LETTERS


def validate_nick(raw: str, reserved_skeletons: frozenset[str] = frozenset()) -> str:
    """Return the nickname to use, or raise `CauserieError` with `field="nick"`.

    Args:
        raw: the nickname as typed.
        reserved_skeletons: skeletons of the staff's names (`staff_skeletons`), refused along
            with their look-alikes.

    Raises:
        CauserieError: `invalid` for length or characters, `nick_taken` (key `nick_reserved`)
            for a reserved word or a look-alike of one, or of a staff member's name.
    """
    nick = normalize_nick(raw)
    if is_reserved(nick, reserved_skeletons):
        raise CauserieError(ErrorCode.NICK_TAKEN, "nick_reserved", field="nick")
    return nick
