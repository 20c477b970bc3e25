"""Morpion (tic-tac-toe) between two people, by invitation: three in a row on a 3×3 board.

A move names a cell, in either of two ways (case and spaces aside):

- a digit 1-9, counted like a phone's keypad: 1 2 3 on the top row, 4 5 6, then 7 8 9;
- a column letter a-c (left to right) and a row 1-3 (top to bottom), either way round:
  `b2` or `2b` is the centre, `a1` the top left, `c3` the bottom right.

Any other line is chat. The text board is three monospace lines where a free cell shows its
digit (`X 2 O`), so an IRC player reads the moves left from the board itself. The turns, the
endings and the view are `duel.BoardDuel`'s.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from causerie.games.duel import EMPTY, BoardDuel, MoveRefused
from causerie.games.ending import silent_after_end
from causerie.games.interface import GameKind, GameSpec, Setup

_CELL = re.compile(r"^(?:([1-9])|([abc])([123])|([123])([abc]))$")


class MorpionRules:
    name = "morpion"
    rows = 3
    cols = 3
    to_align = 3
    win_points = 3
    how_to_play = "Jouez une case : de 1 à 9 comme un clavier de téléphone, ou b2, a1…"

    def read_move(self, text: str) -> int | None:
        found = _CELL.match(text.strip().lower())
        if found is None:
            return None
        digit, letter, row, row_first, letter_last = found.groups()
        if digit:
            return int(digit) - 1
        column = letter or letter_last
        row = row or row_first
        return (int(row) - 1) * 3 + "abc".index(column)

    def place(self, cells: Sequence[str], move: int) -> int:
        if cells[move] != EMPTY:
            raise MoveRefused(f"La case {move + 1} est déjà prise.")
        return move

    def draw(self, cells: Sequence[str]) -> str:
        shown = [cell or str(index + 1) for index, cell in enumerate(cells)]
        return "\n".join(" ".join(shown[row * 3 : row * 3 + 3]) for row in range(3))


def start(setup: Setup) -> BoardDuel:
    return BoardDuel(setup, MorpionRules())


GAME = GameSpec(
    name="morpion",
    title="Morpion",
    summary="Trois en ligne sur une grille de 3×3, à deux.",
    kind=GameKind.DUEL,
    create=silent_after_end(start),
    aliases=("tictactoe",),
)
