"""Yams: five dice, three rolls a turn, thirteen categories to fill, played by a room in turns.

How this works, in three states:

- JOINING (30 s from `Began`): `!moi` seats a player (the one who started the game is seated
  at once; six at most). `TimerFired("join")` starts the game in the order players sat down.
- PLAYING: turns go round the table. The player whose turn it is types `!lance` (first roll:
  five dice; later: all five again), `!garde 66 5` (keep those values among the dice, roll the
  others), up to three rolls in all, then `!note brelan` (write the dice in an open category of
  their sheet, `yams_scores.py`; 0 if they do not fit). Other players' commands are refused to
  them alone; ordinary chat passes in silence.
- A turn lasts `TURN_MS`: when it runs out the game rolls if nothing was rolled and writes the
  dice where they are worth most; a player timed out twice in a row is taken off the table,
  like a player who leaves. When every sheet is full (13 turns each), the highest total wins
  (ties share the win); points only if two or more played. No players left, or `Stopped`, ends
  the game with the totals so far.

Randomness is `setup.rng` alone: the dice come from it, in order, so a replay rolls the same.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from enum import Enum

from causerie.games.ending import silent_after_end
from causerie.games.interface import (
    Award,
    Began,
    End,
    GameAction,
    GameEvent,
    GameKind,
    GameSpec,
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
from causerie.games.yams_scores import (
    LABELS,
    Category,
    best_open,
    read_category,
    score,
    total,
)

JOIN_MS = 30_000
TURN_MS = 60_000
MAX_PLAYERS = 6
ROLLS = 3
DICE = 5
WIN_POINTS = 10
STRIKES_OUT = 2
_COMMAND = re.compile(r"^!(\w+)\s*(.*)$")


class _Phase(Enum):
    JOINING = "joining"
    PLAYING = "playing"


class Yams:
    def __init__(self, setup: Setup) -> None:
        self._rng = setup.rng
        self._phase = _Phase.JOINING
        self._players: list[str] = [setup.started_by]
        self._sheets: dict[str, dict[Category, int]] = {setup.started_by: {}}
        self._strikes: dict[str, int] = {}
        self._started_with = 0
        self._turn = 0
        self._dice: list[int] = []
        self._rolls = 0
        self._held = 0

    def answer(self, event: GameEvent) -> Sequence[GameAction]:
        match event:
            case Began():
                text = (
                    f"Yams ! Tapez !moi pour jouer ({JOIN_MS // 1000} s, {MAX_PLAYERS} joueurs "
                    f"au plus). Déjà inscrit : {self._players[0]}."
                )
                return [Say(text, self._view()), SetTimer("join", JOIN_MS)]
            case Said(nick=nick, text=text):
                found = _COMMAND.match(text.strip())
                if found is None:
                    return []
                return self._command(nick, found.group(1).lower(), found.group(2).strip())
            case TimerFired(key="join") if self._phase is _Phase.JOINING:
                return self._start()
            case TimerFired(key="turn") if self._phase is _Phase.PLAYING:
                return self._time_out()
            case Left(nick=nick) if nick in self._players:
                return self._remove(nick, f"{nick} quitte la partie.")
            case Stopped():
                return [End(f"Partie arrêtée. {self._totals()}", self._view())]
        return []

    # -- joining ----------------------------------------------------------------------------

    def _command(self, nick: str, word: str, rest: str) -> Sequence[GameAction]:
        if word == "moi":
            return self._join(nick)
        if word not in ("lance", "garde", "note"):
            return []
        if self._phase is _Phase.JOINING:
            return [Whisper(nick, "La partie n'a pas commencé : tapez !moi pour jouer.")]
        if nick not in self._players:
            return [Whisper(nick, "Tu ne joues pas dans cette partie.")]
        if nick != self._current:
            return [Whisper(nick, f"Ce n'est pas ton tour : on attend {self._current}.")]
        self._strikes[nick] = 0
        if word == "lance":
            return self._roll(keep=[])
        if word == "garde":
            return self._keep(rest)
        return self._note(rest)

    def _join(self, nick: str) -> Sequence[GameAction]:
        if self._phase is not _Phase.JOINING:
            return [Whisper(nick, "La partie est commencée : attends la prochaine.")]
        if nick in self._players:
            return []
        if len(self._players) >= MAX_PLAYERS:
            return [Whisper(nick, f"La table est complète ({MAX_PLAYERS} joueurs).")]
        self._players.append(nick)
        self._sheets[nick] = {}
        return [Say(f"{nick} rejoint la partie ({len(self._players)} joueurs).", self._view())]

    def _start(self) -> Sequence[GameAction]:
        self._phase = _Phase.PLAYING
        self._started_with = len(self._players)
        order = ", ".join(self._players)
        return [
            Say(
                f"C'est parti ! Ordre : {order}. !lance pour lancer, !garde 66 pour garder "
                f"des dés et relancer les autres, !note brelan pour noter. À toi, {self._current}.",
                self._view(),
            ),
            SetTimer("turn", TURN_MS),
        ]

    # -- a turn -----------------------------------------------------------------------------

    @property
    def _current(self) -> str:
        return self._players[self._turn]

    def _roll(self, keep: list[int]) -> Sequence[GameAction]:
        nick = self._current
        if self._rolls >= ROLLS:
            return [Whisper(nick, "Plus de lancer : note avec !note et une catégorie.")]
        self._dice = keep + [self._rng.randint(1, 6) for _ in range(DICE - len(keep))]
        self._held = len(keep)
        self._rolls += 1
        text = f"{nick} : {_show(self._dice)} (lancer {self._rolls}/{ROLLS}). {self._hints()}"
        return [Say(text, self._view())]

    def _keep(self, rest: str) -> Sequence[GameAction]:
        nick = self._current
        if self._rolls == 0:
            return [Whisper(nick, "Lance d'abord les dés avec !lance.")]
        wanted = [int(ch) for ch in rest if ch in "123456"]
        if not wanted or any(ch not in "123456 ," for ch in rest):
            return [Whisper(nick, "Dis les valeurs à garder : !garde 66 5")]
        if Counter(wanted) - Counter(self._dice):
            return [Whisper(nick, f"Tu n'as pas ces dés : {_show(self._dice)}.")]
        return self._roll(keep=sorted(wanted))

    def _note(self, rest: str) -> Sequence[GameAction]:
        nick = self._current
        if self._rolls == 0:
            return [Whisper(nick, "Lance d'abord les dés avec !lance.")]
        category = read_category(rest)
        if category is None:
            return [Whisper(nick, f"Catégorie inconnue. Ouvertes : {self._open_list()}.")]
        if category in self._sheets[nick]:
            return [Whisper(nick, f"{LABELS[category]} est déjà noté.")]
        return self._write(category, f"{nick} note")

    def _write(self, category: Category, who: str) -> Sequence[GameAction]:
        nick = self._current
        sheet = self._sheets[nick]
        sheet[category] = score(category, self._dice)
        text = (
            f"{who} {sheet[category]} en {LABELS[category]} ({_show(self._dice)}) : "
            f"total {total(sheet)}."
        )
        return [Say(text, self._view()), *self._next_turn()]

    def _next_turn(self) -> Sequence[GameAction]:
        self._dice, self._rolls, self._held = [], 0, 0
        if all(len(self._sheets[p]) == len(Category) for p in self._players):
            return self._finish()
        self._turn = (self._turn + 1) % len(self._players)
        turns_left = len(Category) - len(self._sheets[self._current])
        return [
            Say(f"À toi, {self._current} ({turns_left} cases à remplir) : !lance", self._view()),
            SetTimer("turn", TURN_MS),
        ]

    def _time_out(self) -> Sequence[GameAction]:
        nick = self._current
        self._strikes[nick] = self._strikes.get(nick, 0) + 1
        if self._strikes[nick] >= STRIKES_OUT:
            return self._remove(nick, f"{nick} ne joue plus : retiré de la partie.")
        if self._rolls == 0:
            self._dice = [self._rng.randint(1, 6) for _ in range(DICE)]
        category = best_open(self._sheets[nick], self._dice)
        return self._write(category, f"Temps écoulé : {nick} marque")

    def _remove(self, nick: str, why: str) -> Sequence[GameAction]:
        index = self._players.index(nick)
        was_current = self._phase is _Phase.PLAYING and index == self._turn
        self._players.remove(nick)
        del self._sheets[nick]
        if not self._players:
            return [End(f"{why} Plus personne à la table : partie terminée.", self._view())]
        if index < self._turn:
            self._turn -= 1
        elif was_current:  # the one before, so that the turn passes to whoever sat after them
            self._turn = (index - 1) % len(self._players)
        out: list[GameAction] = [Say(why, self._view())]
        if was_current:
            out.extend(self._next_turn())
        return out

    # -- the end ----------------------------------------------------------------------------

    def _finish(self) -> Sequence[GameAction]:
        best = max(total(self._sheets[p]) for p in self._players)
        winners = [p for p in self._players if total(self._sheets[p]) == best]
        if self._started_with < 2:
            return [End(f"Partie finie : {self._totals()}", self._view())]
        awards: list[GameAction] = [Award(p, WIN_POINTS) for p in winners]
        text = f"Partie finie ! {' et '.join(winners)} gagne avec {best}, +{WIN_POINTS} points. "
        return [*awards, End(text + self._totals(), self._view())]

    def _totals(self) -> str:
        ranked = sorted(self._players, key=lambda p: -total(self._sheets[p]))
        return "Scores : " + ", ".join(f"{p} {total(self._sheets[p])}" for p in ranked) + "."

    def _open_list(self) -> str:
        sheet = self._sheets[self._current]
        return ", ".join(LABELS[c] for c in Category if c not in sheet)

    def _hints(self) -> str:
        sheet = self._sheets[self._current]
        options = sorted(
            (c for c in Category if c not in sheet), key=lambda c: -score(c, self._dice)
        )
        shown = ", ".join(f"{LABELS[c]} {score(c, self._dice)}" for c in options[:4])
        return f"Possible : {shown}…" if len(options) > 4 else f"Possible : {shown}."

    def _view(self) -> dict[str, JsonValue]:
        playing = self._phase is _Phase.PLAYING and bool(self._players)
        return {
            "kind": "dice",
            "game": "yams",
            "phase": self._phase.value,
            "players": list(self._players),
            "turn": self._current if playing else None,
            "player": self._current if playing else None,
            "dice": list(self._dice),
            "held": list(range(self._held)),
            "roll": self._rolls,
            "max_rolls": ROLLS,
            "sheets": {p: {c.value: v for c, v in self._sheets[p].items()} for p in self._players},
            "totals": {p: total(self._sheets[p]) for p in self._players},
        }


def _show(dice: Sequence[int]) -> str:
    return " ".join(str(d) for d in dice)


GAME = GameSpec(
    name="yams",
    title="Yams",
    summary="Cinq dés, trois lancers, treize cases à remplir : le plus gros total gagne.",
    kind=GameKind.ROOM,
    create=silent_after_end(Yams),
    aliases=("yahtzee",),
)
