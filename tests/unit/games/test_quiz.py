from random import Random

from causerie.games.catalog import find_game
from causerie.games.interface import (
    Award,
    Band,
    Began,
    CancelTimer,
    End,
    GameAction,
    Joined,
    Left,
    Question,
    Said,
    Say,
    SetTimer,
    Stopped,
    TimerFired,
)
from causerie.games.quiz import (
    ANSWER_MS,
    GAME,
    HINT_MS,
    IDLE_QUESTIONS,
    PAUSE_MS,
    letters_hint,
    points_for,
)
from causerie.games.rounds import draw_balanced, read_options
from tests.unit.games.replay import SmallLibrary, Table, seat, texts

BANK = (
    Question("Géographie", "Capitale de l'Italie ?", ("Rome",), "R…", True),
    Question("Géographie", "Capitale du Japon ?", ("Tokyo", "Tōkyō"), "", True),
    Question("Géographie", "Capitale des Pays-Bas ?", ("Amsterdam",), "A…", True),
    Question("Sciences", "Symbole du fer ?", ("Fe",), "F…", True),
    Question("Sciences", "Symbole de l'or ?", ("Au",), "A…", True),
    Question("Cuisine", "Vin de Bordeaux rouge le plus connu ?", ("Médoc",), "M…", False),
    Question("Cuisine", "Alcool anisé de Marseille ?", ("Pastis",), "P…", False),
)
LIBRARY = SmallLibrary(bank=BANK)
BY_TEXT = {question.text: question for question in BANK}


def _start(options: str = "", band: Band = Band.ADULT, seed: int = 1) -> Table:
    table = seat(GAME, library=LIBRARY, options=options, band=band, seed=seed)
    table.send(Began(0))
    return table


def _asked(actions: list[GameAction]) -> list[Question]:
    """The questions the actions asked, found back in the bank from their view."""
    views = [a.view for a in actions if isinstance(a, Say) and a.view and "Question" in a.text]
    return [BY_TEXT[str(view["question"])] for view in views]


def _current(table: Table) -> Question:
    return _asked(table.log)[-1]


def _ended(actions: list[GameAction]) -> End:
    ends = [action for action in actions if isinstance(action, End)]
    assert len(ends) == 1
    return ends[0]


def test_quiz_is_in_the_catalog() -> None:
    assert find_game("quiz") is GAME


def test_quiz_began_asks_first_question_with_view_and_timers() -> None:
    table = seat(GAME, library=LIBRARY, options="3")

    actions = table.send(Began(1_000))

    question = _asked(actions)[0]
    say = [a for a in actions if isinstance(a, Say)][1]
    assert say.view == {
        "kind": "quiz",
        "question": question.text,
        "category": question.category,
        "number": 1,
        "total": 3,
        "deadline_ms": 1_000 + ANSWER_MS,
        "hint": "",
        "is_open": True,
    }
    assert actions[-2:] == [SetTimer("hint", HINT_MS), SetTimer("answer", ANSWER_MS)]


def test_quiz_right_answer_before_hint_scores_most_and_sets_next() -> None:
    table = _start("3")
    answer = _current(table).answers[-1]

    actions = table.send(Said("bob", f"  {answer.upper()} !", 2_000))

    assert actions[0] == Award("bob", 10)
    assert "Bravo bob" in texts(actions)[0]
    assert actions[2:] == [CancelTimer("hint"), CancelTimer("answer"), SetTimer("next", PAUSE_MS)]


def test_quiz_hint_then_win_scores_less() -> None:
    table = _start("3")
    question = _current(table)

    hint = table.send(TimerFired("hint", HINT_MS))
    actions = table.send(Said("carla", question.answers[0], HINT_MS + 1_000))

    expected = question.hint or letters_hint(question.answers[0])
    assert texts(hint) == [f"Indice : {expected}"]
    assert isinstance(hint[0], Say) and hint[0].view and hint[0].view["hint"] == expected
    assert actions[0] == Award("carla", 5)


def test_quiz_points_fall_with_time_and_more_before_hint() -> None:
    assert [points_for(ms) for ms in (0, 4_999, 5_000, 14_999, 15_000, 29_999)] == [
        10,
        10,
        9,
        8,
        5,
        3,
    ]


def test_quiz_wrong_answers_score_nothing() -> None:
    table = _start("3")

    actions = table.send(Said("bob", "Paris", 1_000), Said("carla", "je sais pas", 2_000))

    assert actions == []


def test_quiz_flood_of_right_answers_only_first_scores() -> None:
    table = _start("3")
    answer = _current(table).answers[0]

    actions = table.send(*(Said(nick, answer, 3_000) for nick in ("dan", "eve", "fay", "gus")))

    assert [a for a in actions if isinstance(a, Award)] == [Award("dan", 10)]
    assert sum("Bravo" in text for text in texts(actions)) == 1


def test_quiz_timeout_tells_answer_then_next_question_comes() -> None:
    table = _start("3")
    first = _current(table)
    table.send(Said("bob", "aucune idée", 1_000))

    timed_out = table.send(TimerFired("answer", ANSWER_MS))
    late = table.send(Said("bob", first.answers[0], ANSWER_MS + 1))
    following = table.send(TimerFired("next", ANSWER_MS + PAUSE_MS))

    assert texts(timed_out)[0] == f"Personne n'a trouvé : c'était « {first.answers[0]} »."
    assert timed_out[-1] == SetTimer("next", PAUSE_MS)
    assert late == []
    second = _asked(following)[0]
    assert second != first
    assert "Question 2/3" in texts(following)[0]


def test_quiz_hint_without_bank_hint_reveals_first_letters() -> None:
    assert letters_hint("Tokyo") == "T _ _ _ _"
    assert letters_hint("Pays-Bas") == "P _ _ _ - B _ _"
    assert letters_hint("Le Mans") == "L _  M _ _ _"


def _play_all(table: Table, winner: str, count: int) -> list[GameAction]:
    out: list[GameAction] = []
    for number in range(count):
        now = number * 10_000
        out += table.send(Said(winner, _current(table).answers[0], now + 1_000))
        if number < count - 1:
            out += table.send(TimerFired("next", now + 10_000))
    return out


def test_quiz_game_of_n_questions_draws_without_repetition_and_ends_with_ranking() -> None:
    table = _start("5")

    actions = _play_all(table, "bob", 5)

    asked = _asked(table.log)
    assert len(asked) == len(set(asked)) == 5
    end = _ended(actions)
    assert "Fin du quiz" in end.text and "1. bob (50)" in end.text
    assert end.view == {"kind": "quiz", "total": 5, "ranking": [{"nick": "bob", "points": 50}]}


def test_quiz_ranking_orders_players_by_points() -> None:
    table = _start("2")
    table.send(Said("bob", _current(table).answers[0], 1_000), TimerFired("next", 10_000))
    actions = table.send(Said("carla", _current(table).answers[0], 10_000 + HINT_MS + 1))

    assert "Classement : 1. bob (10), 2. carla (5)." in _ended(actions).text


def test_quiz_more_questions_than_bank_asks_the_whole_bank() -> None:
    table = _start("50")

    assert "7 questions" in texts(table.log)[0]


def test_quiz_questions_nobody_tried_end_the_game() -> None:
    table = _start("6")
    actions: list[GameAction] = []
    for number in range(IDLE_QUESTIONS):
        actions = table.send(TimerFired("answer", number * 40_000 + ANSWER_MS))
        if number < IDLE_QUESTIONS - 1:
            assert not any(isinstance(action, End) for action in actions)
            table.send(TimerFired("next", number * 40_000 + ANSWER_MS + PAUSE_MS))

    assert "Plus personne ne joue" in _ended(actions).text


def test_quiz_a_tried_question_resets_the_idle_count() -> None:
    table = _start("6")
    for number in range(IDLE_QUESTIONS + 1):
        if number == 1:
            table.send(Said("bob", "euh", number * 40_000 + 1))
        actions = table.send(TimerFired("answer", number * 40_000 + ANSWER_MS))
        table.send(TimerFired("next", number * 40_000 + ANSWER_MS + PAUSE_MS))

    assert not any(isinstance(action, End) for action in actions)


def test_quiz_player_leaving_keeps_score_and_game_goes_on() -> None:
    table = _start("2")
    table.send(Joined("dan", 500), Said("dan", _current(table).answers[0], 1_000))

    assert table.send(Left("dan", 2_000)) == []
    table.send(TimerFired("next", 10_000))
    actions = table.send(TimerFired("answer", 10_000 + ANSWER_MS))

    assert "1. dan (10)" in _ended(actions).text


def test_quiz_teen_band_draws_only_teen_questions() -> None:
    for seed in range(10):
        table = _start("10", band=Band.TEEN, seed=seed)
        _play_all(table, "zoe", 5)

        assert all(question.for_teens for question in _asked(table.log))
        assert len(_asked(table.log)) == 5


def test_quiz_adult_band_may_draw_adult_questions() -> None:
    table = _start("cuisine")

    assert {question.category for question in _asked(table.log)} == {"Cuisine"}


def test_quiz_category_option_draws_only_that_category() -> None:
    table = _start("sciences 5")
    _play_all(table, "bob", 2)

    asked = _asked(table.log)
    assert [question.category for question in asked] == ["Sciences", "Sciences"]
    assert "Quiz de Sciences : 2 questions" in texts(table.log)[0]


def test_quiz_options_read_count_and_category_start_any_case() -> None:
    categories = ["Géographie", "Histoire", "Sciences"]

    assert read_options("12 geo", categories).count == 12
    assert read_options("GEOGRAPHIE", categories).category == "Géographie"
    assert read_options("1000", categories).count == 50
    assert read_options("zoologie", categories).unknown == "zoologie"


def test_quiz_unknown_category_ends_listing_categories() -> None:
    table = seat(GAME, library=LIBRARY, options="zoologie")

    actions = table.send(Began(0))

    assert _ended(actions).text.startswith("Pas de catégorie « zoologie »")
    assert "Géographie" in _ended(actions).text


def test_quiz_empty_bank_ends_at_once() -> None:
    actions = seat(GAME).send(Began(0))

    assert actions == [End("Pas de questions pour ce quiz.")]


def test_quiz_stop_says_ranking_and_nothing_after() -> None:
    table = _start("3")
    table.send(Said("bob", _current(table).answers[0], 1_000))

    actions = table.send(Stopped("op", 2_000))

    assert "Quiz arrêté. Classement : 1. bob (10)." == _ended(actions).text
    assert table.send(TimerFired("next", 10_000)) == []


def test_quiz_same_seed_draws_same_questions() -> None:
    def drawn(seed: int) -> list[Question]:
        table = _start("5", seed=seed)
        _play_all(table, "bob", 5)
        return _asked(table.log)

    assert drawn(4) == drawn(4)
    assert len({tuple(drawn(seed)) for seed in range(6)}) > 1


def test_quiz_draw_gives_each_category_its_chance_whatever_its_size() -> None:
    many = [Question("A", f"a{n} ?", ("x",)) for n in range(90)]
    few = [Question("B", f"b{n} ?", ("x",)) for n in range(10)]

    draws = [draw_balanced(Random(seed), many + few, 10) for seed in range(20)]

    assert all(len(set(drawn)) == 10 for drawn in draws)
    assert sum(q.category == "B" for drawn in draws for q in drawn) >= 60
    assert draw_balanced(Random(1), few, 50) and len(draw_balanced(Random(1), few, 50)) == 10
