"""The node's pure parts of running games: commands typed in a room, periods, leases with an
injected clock, and a game rebuilt from its log (node/games/)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from random import Random

from causerie.games.interface import (
    Award,
    Band,
    Began,
    Said,
    Say,
    SetTimer,
    Setup,
    Stopped,
    TimerFired,
)
from causerie.node.games.commands import (
    Answer,
    ListGames,
    Period,
    ShowScore,
    ShowTop,
    StartGame,
    StopGame,
    parse_command,
    period_start_ms,
)
from causerie.node.games.leases import MemoryLeases
from causerie.node.games.table import Table, event_of, event_text
from tests.support.games import CALCUL, sum_of
from tests.unit.games.replay import SmallLibrary


def test_parse_command_room_words_give_their_commands() -> None:
    assert parse_command("!jeux") == ListGames()
    assert parse_command("!jeux Quiz pendu") == ListGames(("quiz", "pendu"))
    assert parse_command("  !Quiz  facile ") == StartGame("quiz", "facile")
    assert parse_command("!stop") == StopGame()
    assert parse_command("!score") == ShowScore()
    assert parse_command("!top semaine") == ShowTop(Period.WEEK)
    assert parse_command("!top") == ShowTop(Period.ALL)
    assert parse_command("!oui") == Answer(True) and parse_command("!non") == Answer(False)


def test_parse_command_chat_and_odd_lines_are_not_commands() -> None:
    for line in ("bonjour", "!", "! jeux", "!!!", "!été", "42", "!" + "a" * 21):
        assert parse_command(line) is None, line


def test_period_start_day_and_week_begin_at_midnight_monday_utc() -> None:
    now = int(datetime(2026, 12, 5, 15, 30, tzinfo=UTC).timestamp() * 1000)  # a Saturday
    assert period_start_ms(Period.DAY, now) == int(
        datetime(2026, 12, 5, tzinfo=UTC).timestamp() * 1000
    )
    assert period_start_ms(Period.WEEK, now) == int(
        datetime(2026, 11, 30, tzinfo=UTC).timestamp() * 1000
    )
    assert period_start_ms(Period.ALL, now) == 0


def test_lease_held_until_it_lapses_then_another_node_takes_it() -> None:
    now = [1_000]
    leases = MemoryLeases(lambda: now[0])

    async def scenario() -> list[bool]:
        steps = [await leases.acquire("game:jeux", "a", 10_000)]
        steps.append(await leases.acquire("game:jeux", "b", 10_000))  # held by a
        now[0] += 9_000
        steps.append(await leases.renew("game:jeux", "a", 10_000))  # a renews in time
        now[0] += 9_000
        steps.append(await leases.acquire("game:jeux", "b", 10_000))  # still a's
        now[0] += 10_001  # a died: no renewal
        steps.append(await leases.renew("game:jeux", "a", 10_000))
        steps.append(await leases.acquire("game:jeux", "b", 10_000))
        steps.append(await leases.once("cmd:1", 1_000))
        steps.append(await leases.once("cmd:1", 1_000))
        return steps

    assert asyncio.run(scenario()) == [True, False, True, False, False, True, True, False]


def _table(seed: int = 7) -> Table:
    setup = Setup("jeux", Band.ADULT, Random(seed), SmallLibrary(), "alice")
    return Table("run", "jeux", CALCUL, CALCUL.create(setup))


def test_table_replayed_from_its_log_asks_nothing_again_and_keeps_awards_and_timers() -> None:
    first = _table()
    said = first.hand(Began(0)).actions
    question = next(a for a in said if isinstance(a, Say))
    log = [Began(0), Said("bruno", sum_of(question.text), 5_000)]
    after_answer = first.hand(log[1])
    next_question = next(a for a in after_answer.actions if isinstance(a, Say))

    # Another node rebuilds the game from the stored log: same state, no words, same awards.
    stored = [event_of(event_text(event)) for event in log]
    assert stored == log
    taken = _table()
    awarding = taken.replay(stored)
    assert [(h.seq, [a for a in h.actions if isinstance(a, Award)]) for h in awarding] == [
        (1, [Award("bruno", 1)])
    ]
    assert taken.seq == 2 and taken.timers == {"tour": 65_000}
    assert taken.due(60_000) == [("tour", 5_000)]
    # It goes on with the question already asked: the right answer is that question's.
    goes_on = taken.hand(Said("carla", sum_of(next_question.text), 6_000))
    assert Award("carla", 1) in goes_on.actions


def test_table_timer_fired_and_stop_end_the_game_once() -> None:
    table = _table()
    table.hand(Began(0))
    fired = table.hand(TimerFired("tour", 60_000)).actions
    assert any(isinstance(a, Say) and "Trop tard" in a.text for a in fired)
    assert any(isinstance(a, SetTimer) for a in fired)
    stopped = table.hand(Stopped("alice", 61_000))
    assert table.is_over and table.timers == {}
    assert table.hand(Said("bruno", "1", 62_000)).actions == []
    assert stopped.seq == 2


def test_game_message_frame_carries_name_and_view_and_decodes_back() -> None:
    from causerie.core.events import MessagePosted
    from causerie.core.messages import GameLine, Message
    from causerie.node.games.runner import VOICE
    from causerie.wire.events import decode_message_frame, encode_event

    line = GameLine("calcul", {"round": 1, "of": 3})
    frame = encode_event(
        MessagePosted(Message(7, "jeux", VOICE, "Calcul 1 : 2 + 3 ?", 9, game=line))
    )
    assert '"game":{"name":"calcul","view":{"round":1,"of":3}}' in frame
    decoded = decode_message_frame(frame)
    assert decoded is not None and decoded.game == line and decoded.sender.nick == "Jeux"
