"""`ScoreBoard`: a room's points as people read them (`!score`, `!top`) and as the web's
leaderboard asks for them (`scores {room, period}`). Points are the stored awards
(store/games.py), summed per nickname over a period (commands.py `period_start_ms`)."""

from __future__ import annotations

from typing import Protocol

from causerie.core.policy.nicknames import nick_key
from causerie.node.games.commands import Period, period_start_ms

TOP_SIZE = 10
PERIOD_TITLES = {Period.DAY: "aujourd'hui", Period.WEEK: "cette semaine", Period.ALL: "au total"}


class ScoreStore(Protocol):
    async def top_scores(self, place: str, since_ms: int, limit: int) -> list[tuple[str, int]]: ...

    async def score_of(self, place: str, nick_key: str, since_ms: int) -> int: ...


class ScoreBoard:
    def __init__(self, store: ScoreStore) -> None:
        self._store = store

    async def top(
        self, room: str, period: Period, now_ms: int, limit: int = TOP_SIZE
    ) -> list[tuple[str, int]]:
        return await self._store.top_scores(room, period_start_ms(period, now_ms), limit)

    async def top_line(self, room: str, period: Period, now_ms: int) -> str:
        rows = await self.top(room, period, now_ms)
        title = PERIOD_TITLES[period]
        if not rows:
            return f"Personne n'a encore marqué de points {title}."
        ranks = " · ".join(f"{i}. {nick} {points}" for i, (nick, points) in enumerate(rows, 1))
        return f"Classement {title} : {ranks}"

    async def score_line(self, room: str, nick: str, now_ms: int) -> str:
        key = nick_key(nick)
        day, week, total = [
            await self._store.score_of(room, key, period_start_ms(p, now_ms))
            for p in (Period.DAY, Period.WEEK, Period.ALL)
        ]
        return f"{nick} : {day} pts aujourd'hui, {week} cette semaine, {total} au total."
