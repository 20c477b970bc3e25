"""Two-player board games in turns (Morpion, Puissance 4): the turns, the board, the endings.

A duel is played by the two people of a private conversation (`Setup.players`, the inviter
first). The rules of a particular game (`BoardRules`: how a move is typed, where a mark lands,
how many in a row win) are given to `BoardDuel`, which keeps everything the games share:

- who plays: the first player is drawn with `setup.rng` and plays `X`, the other `O`;
- each line a player types is read by the rules: a line that is not a move is chat and passes
  in silence; a move out of turn or refused (an occupied cell, a full column) is answered to
  that player alone; a legal move is placed and the board said with the next turn;
- the endings: a line of `to_align` marks wins (points to the winner), a full board is a draw
  (a point each), `abandon` concedes, the player whose turn it is letting `TURN_MS` pass loses
  by forfeit, a player leaving the conversation ends it (the one staying wins if both had
  played), `Stopped` ends it with the board as it stands.

Each message carries the text board for IRC (monospace lines) and a view for the web:
`{"kind": "board", "game": …, "rows": …, "cols": …, "cells": [...], "turn": nick,
"winner": nick | None, "players": [...], "marks": [...], "line": [[row, col], ...]}`, cells row
by row from the top, each "X", "O" or "" (empty); `line` the winning cells, once there are.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from causerie.games.interface import (
    Award,
    Began,
    CancelTimer,
    End,
    GameAction,
    GameEvent,
    JsonValue,
    Left,
    Said,
    Say,
    SetTimer,
    Setup,
    Stopped,
    TimerFired,
    Whisper,
)

MARKS = ("X", "O")
EMPTY = ""
TURN_MS = 120_000
DRAW_POINTS = 1
FORFEIT_WORDS = frozenset({"abandon", "!abandon", "j'abandonne"})
_DIRECTIONS = ((0, 1), (1, 0), (1, 1), (1, -1))


class MoveRefused(Exception):
    """A move the rules do not allow; the message says why, in French."""


class BoardRules(Protocol):
    name: str
    """The game's name in the view (`morpion`)."""
    rows: int
    cols: int
    to_align: int
    win_points: int
    how_to_play: str
    """One sentence telling how to type a move."""

    def read_move(self, text: str) -> int | None:
        """The move a line means (the rules' own numbering), or None when it is chat."""
        ...

    def place(self, cells: Sequence[str], move: int) -> int:
        """The cell a legal move fills. Raises `MoveRefused`."""
        ...

    def draw(self, cells: Sequence[str]) -> str:
        """The board as monospace lines for IRC."""
        ...


def winning_line(cells: Sequence[str], rows: int, cols: int, index: int, length: int) -> list[int]:
    """The cells of a line of `length` or more marks through `index` (in order along the line),
    or an empty list when the mark there is not part of one."""
    mark = cells[index]
    if mark == EMPTY:
        return []
    row, col = divmod(index, cols)
    for drow, dcol in _DIRECTIONS:
        line = [index]
        for sign in (1, -1):
            r, c = row + sign * drow, col + sign * dcol
            while 0 <= r < rows and 0 <= c < cols and cells[r * cols + c] == mark:
                line.append(r * cols + c)
                r, c = r + sign * drow, c + sign * dcol
        if len(line) >= length:
            return sorted(line)
    return []


def aligned(cells: Sequence[str], rows: int, cols: int, index: int, length: int) -> bool:
    """Whether the mark at `index` is part of `length` or more in a row, in any direction."""
    return bool(winning_line(cells, rows, cols, index, length))


class BoardDuel:
    def __init__(self, setup: Setup, rules: BoardRules) -> None:
        self._rules = rules
        self._rng = setup.rng
        players = setup.players if len(setup.players) == 2 else (setup.started_by, "")
        self._players: tuple[str, str] = (players[0], players[1])
        self._cells = [EMPTY] * (rules.rows * rules.cols)
        self._turn = 0
        self._moves = [0, 0]
        self._line: list[int] = []

    @property
    def players(self) -> tuple[str, str]:
        """The two players in playing order once the game began: `X` first."""
        return self._players

    def answer(self, event: GameEvent) -> Sequence[GameAction]:
        match event:
            case Began():
                if self._rng.random() < 0.5:
                    self._players = (self._players[1], self._players[0])
                first, second = self._players
                text = (
                    f"{self._rules.name.capitalize()} : {first} (X) contre {second} (O). "
                    f"{self._rules.how_to_play} À toi, {first}."
                )
                return [self._say(text), SetTimer("turn", TURN_MS)]
            case Said(nick=nick, text=text):
                return self._said(nick, text)
            case TimerFired(key="turn"):
                late = self._players[self._turn]
                return self._forfeit(late, f"{late} n'a pas joué à temps.")
            case Left(nick=nick) if nick in self._players:
                return self._forfeit(nick, f"{nick} est parti.")
            case Stopped():
                return [End(self._with_board("Partie arrêtée."), self._view(is_over=True))]
        return []

    def _said(self, nick: str, text: str) -> Sequence[GameAction]:
        if nick not in self._players:
            return []
        if text.strip().lower() in FORFEIT_WORDS:
            return self._forfeit(nick, f"{nick} abandonne.")
        move = self._rules.read_move(text)
        if move is None:
            return []
        if nick != self._players[self._turn]:
            return [
                Whisper(nick, f"Ce n'est pas ton tour : on attend {self._players[self._turn]}.")
            ]
        try:
            index = self._rules.place(self._cells, move)
        except MoveRefused as refusal:
            return [Whisper(nick, str(refusal))]
        self._cells[index] = MARKS[self._turn]
        self._moves[self._turn] += 1
        rules = self._rules
        self._line = winning_line(self._cells, rules.rows, rules.cols, index, rules.to_align)
        if self._line:
            return self._won_by(nick)
        if EMPTY not in self._cells:
            first, second = self._players
            return [
                CancelTimer("turn"),
                Award(first, DRAW_POINTS),
                Award(second, DRAW_POINTS),
                End(
                    self._with_board(f"Match nul ! +{DRAW_POINTS} point chacun."),
                    self._view(is_over=True),
                ),
            ]
        self._turn = 1 - self._turn
        text = f"À toi, {self._players[self._turn]} ({MARKS[self._turn]})."
        return [self._say(text), SetTimer("turn", TURN_MS)]

    def _forfeit(self, loser: str, why: str) -> Sequence[GameAction]:
        """`loser` leaves the game to the other, who scores if both had played (a game that
        never really started gives nothing: invite and concede at once is no way to score)."""
        winner = self._players[1 - self._players.index(loser)]
        if winner and min(self._moves) > 0:
            return self._won_by(winner, why)
        return [
            CancelTimer("turn"),
            End(self._with_board(f"{why} Partie terminée."), self._view(is_over=True)),
        ]

    def _won_by(self, winner: str, why: str = "") -> Sequence[GameAction]:
        """`winner` wins: their points and the last word, after `why` when the other forfeited."""
        points = self._rules.win_points
        said = f"{winner} gagne ! +{points} points."
        return [
            CancelTimer("turn"),
            Award(winner, points),
            End(
                self._with_board(f"{why} {said}" if why else said),
                self._view(winner, is_over=True),
            ),
        ]

    def _with_board(self, text: str) -> str:
        return f"{text}\n{self._rules.draw(self._cells)}"

    def _say(self, text: str) -> Say:
        return Say(self._with_board(text), self._view())

    def _view(self, winner: str | None = None, *, is_over: bool = False) -> dict[str, JsonValue]:
        return {
            "kind": "board",
            "game": self._rules.name,
            "rows": self._rules.rows,
            "cols": self._rules.cols,
            "cells": list(self._cells),
            "turn": None if is_over else self._players[self._turn],
            "winner": winner,
            "players": list(self._players),
            "marks": list(MARKS),
            "line": [list(divmod(index, self._rules.cols)) for index in self._line],
        }
