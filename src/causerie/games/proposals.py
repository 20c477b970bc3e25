"""What a line typed in a word game proposes: one word as a board holds it, or nothing.

Players type "Maison !", "la maison", "MAISON" or "maison?" for the same proposal; a line of
several words is chat. Pure, shared by the word games (pendu, Motus, chaîne, le mot le plus
long).
"""

from __future__ import annotations

from causerie.games.answers import fold, fold_word


def proposed_word(text: str) -> str:
    """The single word `text` proposes, folded to A-Z ("Éléphant !" gives "ELEPHANT", "e"
    gives "E"); "" when it is chat: several words, digits, or nothing but punctuation.

    A leading article is set aside ("l'éléphant", "la maison"), as `fold` does for answers;
    so is a lone "a" or "l"'s apostrophe, never a one-letter proposal itself.
    """
    folded = fold(text)
    if not folded or " " in folded:
        return ""
    return fold_word(folded)
