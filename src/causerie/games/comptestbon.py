"""Le compte est bon: the numbers round of Des chiffres et des lettres, played by a room.

The game draws six plaques from the classic set (1 to 10 twice, 25, 50, 75, 100) and a target
from 101 to 999. Players type one calculation over the plaques (`(75+25)*3-7`); the game says
what it makes. The first exact calculation wins at once; otherwise, when the time is up, the
closest wins (the first to reach that distance, in the order the lines came). At the end the
solver says whether the target could be reached and shows one way (or the closest).

How this works: `Began` draws and arms the round's timer; each `Said` that looks like a
calculation (digits, operators, parentheses only: other lines are chat) is read by
`parse_calculation`. A refusal is whispered to its player alone, so a mistake does not fill the
room; a value is said in the room. A player who leaves takes their proposals with them.
`TimerFired("end")` or `Stopped` ends with the best and the solver's answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from causerie.games.calculation import CalculationError, looks_like_calculation, parse_calculation
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
from causerie.games.numbers_solver import Solution, solve

PLAQUES = (*range(1, 11), *range(1, 11), 25, 50, 75, 100)
DRAWN = 6
LOWEST_TARGET, HIGHEST_TARGET = 101, 999
ROUND_MS = 90_000
EXACT_POINTS = 10


def closest_points(distance: int) -> int:
    """Points for the closest calculation when nobody found the target."""
    if distance <= 5:
        return 5
    return 3 if distance <= 10 else 1


@dataclass(frozen=True, slots=True)
class _Proposal:
    nick: str
    text: str
    value: int
    distance: int


class CompteEstBon:
    def __init__(self, setup: Setup) -> None:
        self._rng = setup.rng
        self._plaques: tuple[int, ...] = ()
        self._target = 0
        self._deadline_ms = 0
        self._best: _Proposal | None = None
        self._proposals: list[_Proposal] = []

    @property
    def plaques(self) -> tuple[int, ...]:
        return self._plaques

    @property
    def target(self) -> int:
        return self._target

    def answer(self, event: GameEvent) -> Sequence[GameAction]:
        match event:
            case Began(now_ms=now_ms):
                return self._begin(now_ms)
            case Said(nick=nick, text=text):
                return self._propose(nick, text)
            case Left(nick=nick):
                self._proposals = [p for p in self._proposals if p.nick != nick]
                self._best = self._closest()
                return []
            case TimerFired(key="end"):
                return self._finish("Temps écoulé !")
            case Stopped():
                return self._finish("Partie arrêtée.")
        return []

    def _begin(self, now_ms: int) -> Sequence[GameAction]:
        self._plaques = tuple(self._rng.sample(PLAQUES, DRAWN))
        self._target = self._rng.randint(LOWEST_TARGET, HIGHEST_TARGET)
        self._deadline_ms = now_ms + ROUND_MS
        plaques = " ".join(str(p) for p in self._plaques)
        text = (
            f"Le compte est bon ! Plaques : {plaques}. Trouvez {self._target}. "
            f"Tapez un calcul, par exemple (75+25)*3-7, en {ROUND_MS // 1000} secondes."
        )
        return [Say(text, self._view()), SetTimer("end", ROUND_MS)]

    def _propose(self, nick: str, text: str) -> Sequence[GameAction]:
        if not looks_like_calculation(text):
            return []
        try:
            calculation = parse_calculation(text, self._plaques)
        except CalculationError as refusal:
            return [Whisper(nick, str(refusal))]
        distance = abs(calculation.value - self._target)
        proposal = _Proposal(nick, text.strip(), calculation.value, distance)
        self._proposals.append(proposal)
        if distance == 0:
            return [
                Award(nick, EXACT_POINTS),
                End(
                    f"Le compte est bon ! {nick} trouve {self._target} avec {proposal.text}. "
                    f"+{EXACT_POINTS} points.",
                    self._view(proposal),
                ),
            ]
        if self._best is None or distance < self._best.distance:
            self._best = proposal
        return [Say(f"{nick} : {calculation.value} (à {distance} du compte).", self._view())]

    def _closest(self) -> _Proposal | None:
        best: _Proposal | None = None
        for proposal in self._proposals:  # in the order received: the first keeps a tie
            if best is None or proposal.distance < best.distance:
                best = proposal
        return best

    def _finish(self, opening: str) -> Sequence[GameAction]:
        solution = solve(self._plaques, self._target)
        told = _tell_solution(solution, self._target)
        best = self._best
        if best is None:
            return [End(f"{opening} Personne n'a proposé de calcul. {told}", self._view())]
        points = closest_points(best.distance)
        return [
            Award(best.nick, points),
            End(
                f"{opening} Le plus proche : {best.nick} avec {best.value} "
                f"(à {best.distance}), +{points} points. {told}",
                self._view(best),
            ),
        ]

    def _view(self, best: _Proposal | None = None) -> dict[str, JsonValue]:
        view: dict[str, JsonValue] = {
            "kind": "numbers",
            "plaques": list(self._plaques),
            "target": self._target,
            "deadline_ms": self._deadline_ms,
        }
        if best is not None:
            view |= {"best": best.value, "best_nick": best.nick, "best_text": best.text}
        return view


def _tell_solution(solution: Solution, target: int) -> str:
    if solution.is_exact:
        return f"Une solution : {solution.text} = {target}."
    return (
        f"Le compte n'était pas possible : au plus près, {solution.text} = {solution.value} "
        f"(à {abs(solution.value - target)})."
    )


GAME = GameSpec(
    name="comptestbon",
    title="Le compte est bon",
    summary="Six plaques, un nombre à trouver : le calcul exact ou le plus proche gagne.",
    kind=GameKind.ROOM,
    create=silent_after_end(CompteEstBon),
    aliases=("compte", "lcb"),
)
