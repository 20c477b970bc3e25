"""What players type to the node in a room: `!jeux`, `!<game> [options]`, `!stop`, `!score`,
`!top [jour|semaine|tout]`, and a duel's `!oui`/`!non`. Pure: a line in, a command or None out.

The line reaches the node as an ordinary room message, after the room's pipeline, so the web and
IRC play the same way; anything that is not one of these is chat (and a running game's `Said`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum


class Period(StrEnum):
    """A leaderboard's span; the values are the words `!top` takes and the wire's `period`."""

    DAY = "jour"
    WEEK = "semaine"
    ALL = "tout"


PERIOD_WORDS = {
    "jour": Period.DAY,
    "day": Period.DAY,
    "aujourdhui": Period.DAY,
    "semaine": Period.WEEK,
    "week": Period.WEEK,
    "tout": Period.ALL,
    "all": Period.ALL,
}


@dataclass(frozen=True, slots=True)
class ListGames:
    """`!jeux`; with names (`!jeux quiz pendu`, `!jeux aucun`) a member room's owner or
    operators choose its games."""

    names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StartGame:
    name: str
    options: str = ""


@dataclass(frozen=True, slots=True)
class StopGame:
    pass


@dataclass(frozen=True, slots=True)
class ShowScore:
    pass


@dataclass(frozen=True, slots=True)
class ShowTop:
    period: Period = Period.ALL


@dataclass(frozen=True, slots=True)
class Answer:
    """A duel's invitation answered: `!oui` accepts, `!non` declines."""

    accepts: bool


GameCommand = ListGames | StartGame | StopGame | ShowScore | ShowTop | Answer
MAX_WORD_CHARS = 20


def parse_command(text: str) -> GameCommand | None:
    """The command a line is, or None when it is chat. `!Quiz  facile` starts `quiz` with
    options "facile"; an unknown period of `!top` reads as all time."""
    line = text.strip()
    if len(line) < 2 or line[0] != "!" or line[1].isspace():
        return None
    word, _, rest = line[1:].partition(" ")
    word = word.lower()
    rest = rest.strip()
    if not word.isascii() or not word.isalnum() or len(word) > MAX_WORD_CHARS:
        return None
    match word:
        case "jeux" | "jeu" | "games":
            return ListGames(tuple(rest.lower().split()))
        case "stop":
            return StopGame()
        case "score":
            return ShowScore()
        case "top":
            return ShowTop(PERIOD_WORDS.get(rest.lower(), Period.ALL))
        case "oui":
            return Answer(True)
        case "non":
            return Answer(False)
    return StartGame(word, rest)


def period_start_ms(period: Period, now_ms: int) -> int:
    """When a period began: today and this week (from Monday) in UTC; 0 for all time."""
    if period is Period.ALL:
        return 0
    now = datetime.fromtimestamp(now_ms / 1000, UTC)
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if period is Period.WEEK:
        start -= timedelta(days=start.weekday())
    return int(start.timestamp() * 1000)
