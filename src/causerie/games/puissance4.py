"""Puissance 4 (Connect Four) between two people, by invitation: four in a row on 7×6.

A move is a column number from 1 (left) to 7 (right), alone on its line; the mark falls to the
lowest free cell of that column (gravity), and a full column is refused. Four marks in a row,
across, down or on either diagonal, win; a full board is a draw. Any other line is chat.

The text board is six monospace lines from the top (`.` a free cell) over the column numbers.
The turns, the endings and the view are `duel.BoardDuel`'s; the view's cells run row by row
from the top, like the text.
"""

from __future__ import annotations

from collections.abc import Sequence

from causerie.games.duel import EMPTY, BoardDuel, MoveRefused
from causerie.games.ending import silent_after_end
from causerie.games.interface import GameKind, GameSpec, Setup

ROWS, COLS = 6, 7


def landing(cells: Sequence[str], column: int) -> int | None:
    """The cell a mark dropped in `column` (0-6) lands in, or None when the column is full."""
    for row in range(ROWS - 1, -1, -1):
        index = row * COLS + column
        if cells[index] == EMPTY:
            return index
    return None


class Puissance4Rules:
    name = "puissance4"
    rows = ROWS
    cols = COLS
    to_align = 4
    win_points = 5
    how_to_play = "Jouez une colonne de 1 à 7 : le pion tombe tout en bas."

    def read_move(self, text: str) -> int | None:
        word = text.strip()
        if len(word) == 1 and "1" <= word <= "7":
            return int(word) - 1
        return None

    def place(self, cells: Sequence[str], move: int) -> int:
        index = landing(cells, move)
        if index is None:
            raise MoveRefused(f"La colonne {move + 1} est pleine.")
        return index

    def draw(self, cells: Sequence[str]) -> str:
        lines = [
            " ".join(cell or "." for cell in cells[row * COLS : row * COLS + COLS])
            for row in range(ROWS)
        ]
        return "\n".join([*lines, " ".join(str(column + 1) for column in range(COLS))])


def start(setup: Setup) -> BoardDuel:
    return BoardDuel(setup, Puissance4Rules())


GAME = GameSpec(
    name="puissance4",
    title="Puissance 4",
    summary="Quatre pions alignés sur une grille de 7×6, à deux.",
    kind=GameKind.DUEL,
    create=silent_after_end(start),
    aliases=("p4",),
)
