"""Nickname rules (DESIGN.md, rule 1): 2-20 characters, unique among connected people, no
impersonation of staff.

Uniqueness and reservation compare a *key*: the nickname without case and accents, so `Élodie`
and `elodie` cannot both be connected and `Modérateur` is caught as `moderateur`.
"""

from __future__ import annotations

import unicodedata

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
    }
)


def nick_key(nick: str) -> str:
    """The form two nicknames are compared in: no case, no accents, compatibility-folded."""
    decomposed = unicodedata.normalize("NFKD", nick)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


def _is_allowed_char(ch: str) -> bool:
    return (
        ch in _PUNCTUATION or (ch.isdigit() and ch.isascii()) or unicodedata.category(ch)[0] == "L"
    )


def is_reserved(nick: str) -> bool:
    key = nick_key(nick)
    squashed = "".join(ch for ch in key if ch not in _PUNCTUATION)
    return squashed in _RESERVED_WHOLE or any(part in squashed for part in _RESERVED_PARTS)


def validate_nick(raw: str) -> str:
    """Return the nickname to use, or raise `CauserieError` with `field="nick"`.

    Raises:
        CauserieError: `invalid` for length or characters, `nick_taken` for a reserved word.
    """
    nick = unicodedata.normalize("NFC", raw.strip())
    if not MIN_NICK_CHARS <= len(nick) <= MAX_NICK_CHARS:
        raise CauserieError(
            ErrorCode.INVALID, "nick_length", field="nick", min=MIN_NICK_CHARS, max=MAX_NICK_CHARS
        )
    if not all(_is_allowed_char(ch) for ch in nick) or nick[0] in _PUNCTUATION:
        raise CauserieError(ErrorCode.INVALID, "nick_chars", field="nick")
    if is_reserved(nick):
        raise CauserieError(ErrorCode.NICK_TAKEN, "nick_reserved", field="nick")
    return nick
