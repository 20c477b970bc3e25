"""Every game the node can run, by the word that starts it. A new game adds its spec here."""

from __future__ import annotations

from causerie.games import (
    blind,
    chaine,
    comptestbon,
    devine,
    morpion,
    motlepluslong,
    motus,
    pendu,
    puissance4,
    quiz,
    yams,
)
from causerie.games.interface import GameSpec

GAMES: tuple[GameSpec, ...] = (
    devine.GAME,
    pendu.GAME,
    motus.GAME,
    chaine.GAME,
    motlepluslong.GAME,
    quiz.GAME,
    blind.GAME,
    comptestbon.GAME,
    morpion.GAME,
    puissance4.GAME,
    yams.GAME,
)


def find_game(word: str) -> GameSpec | None:
    """The game `!word` starts (its name or an alias, any case), or None."""
    wanted = word.lower()
    for spec in GAMES:
        if wanted == spec.name or wanted in spec.aliases:
            return spec
    return None
