import pytest
from hypothesis import given
from hypothesis import strategies as st

from causerie.games.interface import (
    Award,
    Began,
    End,
    GameAction,
    Joined,
    Left,
    Said,
    Say,
    SetTimer,
    Stopped,
    TimerFired,
    Whisper,
)
from causerie.games.yams import GAME, JOIN_MS, MAX_PLAYERS, TURN_MS, WIN_POINTS
from causerie.games.yams_scores import (
    BONUS,
    Category,
    best_open,
    read_category,
    score,
    total,
)
from tests.unit.games.replay import Table, seat, texts


@pytest.mark.parametrize(
    ("category", "dice", "points"),
    [
        (Category.SIX, [6, 6, 2, 6, 1], 18),
        (Category.AS, [2, 3, 4, 5, 6], 0),
        (Category.BRELAN, [3, 3, 3, 5, 6], 20),
        (Category.BRELAN, [3, 3, 4, 5, 6], 0),
        (Category.CARRE, [4, 4, 4, 4, 1], 17),
        (Category.CARRE, [4, 4, 4, 1, 1], 0),
        (Category.FULL, [2, 2, 5, 5, 5], 25),
        (Category.FULL, [5, 5, 5, 5, 5], 0),
        (Category.PETITE, [1, 3, 4, 2, 6], 30),
        (Category.PETITE, [1, 2, 3, 5, 6], 0),
        (Category.GRANDE, [2, 3, 4, 5, 6], 40),
        (Category.GRANDE, [1, 2, 3, 4, 6], 0),
        (Category.YAMS, [4, 4, 4, 4, 4], 50),
        (Category.YAMS, [4, 4, 4, 4, 3], 0),
        (Category.CHANCE, [1, 2, 3, 4, 6], 16),
    ],
)
def test_yams_score_of_each_category(category: Category, dice: list[int], points: int) -> None:
    assert score(category, dice) == points


def test_yams_upper_bonus_from_63() -> None:
    sheet = {Category.QUATRE: 12, Category.CINQ: 15, Category.SIX: 18, Category.TROIS: 9}
    assert total(sheet) == 54
    sheet[Category.DEUX] = 6
    sheet[Category.AS] = 3
    assert total(sheet) == 63 + BONUS


def test_yams_category_names_as_players_type_them() -> None:
    assert read_category("Carré") is Category.CARRE
    assert read_category("petite suite") is Category.PETITE
    assert read_category("6") is Category.SIX
    assert read_category("gs") is Category.GRANDE
    assert read_category("poker") is None


def test_yams_best_open_prefers_most_points_then_sheet_order() -> None:
    assert best_open({}, [5, 5, 5, 5, 5]) is Category.YAMS
    # cinq, brelan, carré and chance are all worth 25: the first in sheet order
    assert best_open({Category.YAMS: 50}, [5, 5, 5, 5, 5]) is Category.CINQ
    assert best_open({}, [1, 2, 3, 4, 5]) is Category.GRANDE


def _seated(*others: str, seed: int = 1) -> Table:
    table = seat(GAME, seed=seed, started_by="alice")
    table.send(Began(0))
    table.send(*(Said(nick, "!moi", 1) for nick in others))
    table.send(TimerFired("join", JOIN_MS))
    return table


def _dice(actions: list[GameAction]) -> list[int]:
    say = actions[-1]
    assert isinstance(say, Say) and say.view is not None
    dice = say.view["dice"]
    assert isinstance(dice, list)
    return [int(str(d)) for d in dice]


def _open(table: Table, nick: str) -> list[Category]:
    view = next(a.view for a in reversed(table.log) if isinstance(a, Say) and a.view)
    sheets = view["sheets"]
    assert isinstance(sheets, dict)
    written = sheets[nick]
    assert isinstance(written, dict)
    return [c for c in Category if c.value not in written]


def test_yams_began_seats_the_starter_and_opens_the_table() -> None:
    table = seat(GAME, started_by="alice")

    say, timer = table.send(Began(0))

    assert isinstance(say, Say) and "!moi" in say.text and "alice" in say.text
    assert timer == SetTimer("join", JOIN_MS)


def test_yams_flood_of_joins_seats_in_order_up_to_the_limit() -> None:
    table = seat(GAME, started_by="alice")
    table.send(Began(0))
    nicks = [f"p{n}" for n in range(MAX_PLAYERS + 1)]

    actions = table.send(*(Said(nick, "!moi", 1) for nick in nicks), Said("p0", "!moi", 2))

    seated = [a for a in actions if isinstance(a, Say)]
    assert len(seated) == MAX_PLAYERS - 1
    assert [a for a in actions if isinstance(a, Whisper)] == [
        Whisper(nicks[MAX_PLAYERS - 1], f"La table est complète ({MAX_PLAYERS} joueurs)."),
        Whisper(nicks[MAX_PLAYERS], f"La table est complète ({MAX_PLAYERS} joueurs)."),
    ]


def test_yams_turn_roll_keep_and_note() -> None:
    table = _seated("bob")

    dice = _dice(table.send(Said("alice", "!lance", 2)))
    kept = sorted(dice)[:2]
    kept_roll = table.send(Said("alice", f"!garde {kept[0]}{kept[1]}", 3))
    assert _dice(kept_roll)[:2] == kept
    say = kept_roll[-1]
    view = say.view if isinstance(say, Say) else None
    assert view is not None and view["held"] == [0, 1] and view["player"] == "alice"
    third = table.send(Said("alice", "!lance", 4))
    assert "lancer 3/3" in texts(third)[0]
    assert table.send(Said("alice", "!lance", 5)) == [
        Whisper("alice", "Plus de lancer : note avec !note et une catégorie.")
    ]

    final = _dice(third)
    actions = table.send(Said("alice", "!note chance", 6))

    assert texts(actions)[0] == (
        f"alice note {sum(final)} en chance ({' '.join(map(str, final))}) : total {sum(final)}."
    )
    assert texts(actions)[1].startswith("À toi, bob (13 cases")
    assert actions[-1] == SetTimer("turn", TURN_MS)


def test_yams_wrong_commands_are_refused_privately() -> None:
    table = _seated("bob")

    assert table.send(Said("bob", "!lance", 2)) == [
        Whisper("bob", "Ce n'est pas ton tour : on attend alice.")
    ]
    assert table.send(Said("carla", "!lance", 2)) == [
        Whisper("carla", "Tu ne joues pas dans cette partie.")
    ]
    assert table.send(Said("alice", "!note brelan", 2)) == [
        Whisper("alice", "Lance d'abord les dés avec !lance.")
    ]
    dice = _dice(table.send(Said("alice", "!lance", 3)))
    missing = next(face for face in range(1, 7) if face not in dice)
    assert table.send(Said("alice", f"!garde {missing}", 4))[0] == Whisper(
        "alice", f"Tu n'as pas ces dés : {' '.join(map(str, dice))}."
    )
    assert isinstance(table.send(Said("alice", "!note poker", 5))[0], Whisper)
    table.send(Said("alice", "!note chance", 6))
    table.send(Said("bob", "!lance", 7), Said("bob", "!note six", 8))
    table.send(Said("alice", "!lance", 9))
    assert table.send(Said("alice", "!note chance", 10)) == [
        Whisper("alice", "chance est déjà noté.")
    ]


def test_yams_chat_and_late_joins() -> None:
    table = _seated("bob")

    assert table.send(Said("bob", "bonne chance", 2), Joined("carla", 3)) == []
    assert table.send(Said("carla", "!moi", 4)) == [
        Whisper("carla", "La partie est commencée : attends la prochaine.")
    ]


def test_yams_complete_game_highest_total_wins() -> None:
    table = _seated("bob", seed=5)
    for turn in range(26):
        nick = ("alice", "bob")[turn % 2]
        dice = _dice(table.send(Said(nick, "!lance", turn)))
        category = best_open({c: 0 for c in Category if c not in _open(table, nick)}, dice)
        actions = table.send(Said(nick, f"!note {category.value}", turn))

    (end,) = [a for a in actions if isinstance(a, End)]
    assert end.view is not None
    totals = end.view["totals"]
    assert isinstance(totals, dict)
    best = max(int(str(v)) for v in totals.values())
    winners = [nick for nick, value in totals.items() if value == best]
    assert [a for a in actions if isinstance(a, Award)] == [Award(w, WIN_POINTS) for w in winners]
    assert end.text.startswith("Partie finie !")


def test_yams_solo_game_ends_without_points() -> None:
    table = _seated()
    for turn in range(13):
        table.send(Said("alice", "!lance", turn))
        actions = table.send(Said("alice", f"!note {_open(table, 'alice')[0].value}", turn))

    assert not [a for a in actions if isinstance(a, Award)]
    assert any(isinstance(a, End) and a.text.startswith("Partie finie :") for a in actions)


def test_yams_timeout_writes_best_then_second_strike_removes() -> None:
    table = _seated("bob")

    actions = table.send(TimerFired("turn", TURN_MS))
    assert texts(actions)[0].startswith("Temps écoulé : alice marque")
    assert len(_open(table, "alice")) == 12 and texts(actions)[1].startswith("À toi, bob")

    table.send(Said("bob", "!lance", 2), Said("bob", "!note chance", 3))
    actions = table.send(TimerFired("turn", 2 * TURN_MS))

    assert texts(actions)[0] == "alice ne joue plus : retiré de la partie."
    assert texts(actions)[1].startswith("À toi, bob (12 cases")


def test_yams_playing_resets_strikes() -> None:
    table = _seated("bob")
    table.send(TimerFired("turn", TURN_MS))  # alice: strike 1
    table.send(Said("bob", "!lance", 2), Said("bob", "!note chance", 3))
    table.send(Said("alice", "!lance", 4), Said("alice", "!note six", 5))  # plays: strikes reset
    table.send(Said("bob", "!lance", 6), Said("bob", "!note six", 7))

    actions = table.send(TimerFired("turn", 2 * TURN_MS))

    assert texts(actions)[0].startswith("Temps écoulé : alice marque")


def test_yams_player_leaving_on_their_turn_passes_it_and_last_leaving_ends() -> None:
    table = _seated("bob", "carla")
    table.send(Said("alice", "!lance", 2))

    actions = table.send(Left("alice", 3))
    assert texts(actions) == ["alice quitte la partie.", "À toi, bob (13 cases à remplir) : !lance"]

    table.send(Left("carla", 4))
    actions = table.send(Left("bob", 5))
    (end,) = actions
    assert isinstance(end, End) and "Plus personne" in end.text


def test_yams_stopped_gives_the_totals() -> None:
    table = _seated("bob")
    table.send(Said("alice", "!lance", 2), Said("alice", "!note chance", 3))

    (end,) = table.send(Stopped("staff", 4))

    assert isinstance(end, End) and end.text.startswith("Partie arrêtée. Scores : alice")
    assert table.send(Said("bob", "!lance", 5)) == []


_LINES = st.sampled_from(
    ["!lance", "!garde 6", "!garde 66 5", "!garde 1 2 3 4 5", "!note chance", "!note brelan"]
    + [f"!note {c.value}" for c in Category]
    + ["!moi", "!note", "!garde", "!garde x", "salut", "!lance 3"]
)
_EVENTS = st.one_of(
    st.builds(
        lambda nick, text: Said(nick, text, 1), st.sampled_from(["alice", "bob", "eve"]), _LINES
    ),
    st.just(TimerFired("turn", 2)),
    st.builds(lambda nick: Left(nick, 3), st.sampled_from(["alice", "bob", "eve"])),
)


@given(st.lists(_EVENTS, max_size=120), st.integers(0, 5))
def test_yams_any_lines_keep_sheets_and_totals_consistent(
    events: list[Said | TimerFired | Left], seed: int
) -> None:
    table = _seated("bob", seed=seed)
    ended = False
    for event in events:
        actions = table.send(event)
        if ended:
            assert actions == []
            continue
        for action in actions:
            view = action.view if isinstance(action, Say | End) else None
            if view is None:
                continue
            sheets, totals = view["sheets"], view["totals"]
            assert isinstance(sheets, dict) and isinstance(totals, dict)
            for nick, sheet in sheets.items():
                assert isinstance(sheet, dict) and len(sheet) <= len(Category)
                written = {Category(box): int(str(points)) for box, points in sheet.items()}
                assert totals[nick] == total(written)
            dice = view["dice"]
            assert isinstance(dice, list) and len(dice) in (0, 5)
            assert all(1 <= int(str(d)) <= 6 for d in dice)
        ended = any(isinstance(action, End) for action in actions)
