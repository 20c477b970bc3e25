from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from causerie.games.interface import (
    Award,
    Began,
    End,
    Left,
    Said,
    Say,
    SetTimer,
    Stopped,
    TimerFired,
)
from causerie.games.motus import GAME, IDLE_MS, MAX_TRIES, Mark, colour, render
from tests.unit.games.replay import SmallLibrary, Table, seat, texts

W, M, A = Mark.WELL, Mark.MISPLACED, Mark.ABSENT
WORDS = frozenset({"SALLES", "SALADE", "SOLEIL", "SAISON", "SOUPER", "SOLDAT", "JARDIN"})


def _table(word: str = "SALLES") -> Table:
    table = seat(GAME, library=SmallLibrary(WORDS, drawn=frozenset({word})))
    table.send(Began(0))
    return table


def test_colour_marks_well_misplaced_absent() -> None:
    assert colour("SALLES", "SOLDAT") == (W, A, W, A, M, A)
    assert colour("SALLES", "SALLES") == (W,) * 6


def test_colour_repeated_letter_in_guess_counts_the_target_once() -> None:
    # One E in the target: the well-placed E takes it, the other E is absent.
    assert colour("SALLES", "EEEEEE") == (A, A, A, A, W, A)
    # Two L in the target, both elsewhere: only the first two L of the guess are misplaced.
    assert colour("ALLXXX", "XXXLLL") == (M, M, M, M, M, A)


@given(
    st.text(alphabet="ABCDE", min_size=6, max_size=8).flatmap(
        lambda target: st.tuples(
            st.just(target), st.text(alphabet="ABCDE", min_size=len(target), max_size=len(target))
        )
    )
)
def test_colour_never_marks_a_letter_more_than_the_target_holds(pair: tuple[str, str]) -> None:
    target, guess = pair
    marks = colour(target, guess)

    marked = Counter(ch for ch, mark in zip(guess, marks, strict=True) if mark is not A)
    assert all(marked[ch] <= target.count(ch) for ch in marked)
    assert all((mark is W) == (t == g) for t, g, mark in zip(target, guess, marks, strict=True))
    # As many marked as the letters guess and target share, counted with repeats.
    assert sum(marked.values()) == sum((Counter(target) & Counter(guess)).values())


def test_render_shows_marks_for_irc() -> None:
    assert render("SOLDAT", colour("SALLES", "SOLDAT")) == "[S] o [L] d (A) t "


def test_motus_began_gives_first_letter_and_length() -> None:
    actions = seat(GAME, library=SmallLibrary(WORDS, drawn=frozenset({"SALLES"}))).send(Began(0))

    assert isinstance(actions[0], Say) and "6 lettres commençant par S" in actions[0].text
    assert actions[0].text.endswith("S _ _ _ _ _")
    assert actions[0].view is not None and actions[0].view["first"] == "S"
    assert "word" not in actions[0].view
    assert actions[1] == SetTimer("idle", IDLE_MS)


def test_motus_proposal_is_coloured_and_the_finder_scores() -> None:
    table = _table()

    first = table.send(Said("bob", "soldat", 1))
    said = [action for action in first if isinstance(action, Say)]
    assert "[S] o [L] d (A) t" in said[0].text and "S _ L _ _ _" in said[0].text
    assert said[0].view is not None and said[0].view["rows"] == [
        {"nick": "bob", "word": "SOLDAT", "marks": ["well", "absent", "well", "absent",
                                                    "misplaced", "absent"]}
    ]  # fmt: skip
    won = table.send(Said("eve", "Salles !", 2))
    assert won[0] == Award("eve", 2 * (MAX_TRIES - 1))
    assert isinstance(won[1], End) and "Bravo eve" in won[1].text
    assert won[1].view is not None and won[1].view["word"] == "SALLES"


def test_motus_unknown_word_takes_no_try_other_shapes_are_chat() -> None:
    table = _table()

    refused = table.send(Said("bob", "sxxxxx", 1))
    assert "pas dans le dictionnaire" in texts(refused)[0]
    assert table.send(Said("bob", "jardin", 2)) == []  # another first letter
    assert table.send(Said("bob", "salut", 3)) == []  # another length
    assert table.send(Said("bob", "salade de fruits", 4)) == []
    tried = table.send(Said("bob", "salade", 5))
    assert isinstance(tried[0], Say) and tried[0].view is not None
    rows = tried[0].view["rows"]
    assert isinstance(rows, list) and len(rows) == 1


def test_motus_tries_run_out_and_the_word_is_shown() -> None:
    table = _table()
    guesses = ["SALADE", "SOLEIL", "SAISON", "SOUPER", "SOLDAT", "SALADE"]

    for n, guess in enumerate(guesses):
        actions = table.send(Said("bob", guess, n))

    assert len(guesses) == MAX_TRIES
    assert isinstance(actions[-1], End) and "Plus d'essais" in actions[-1].text
    assert "SALLES" in actions[-1].text
    assert not any(isinstance(action, Award) for action in table.log)


def test_motus_idle_timer_ends_with_the_word() -> None:
    table = _table()

    actions = table.send(TimerFired("idle", IDLE_MS))

    assert isinstance(actions[0], End) and "SALLES" in actions[0].text
    assert table.send(Said("bob", "salles", IDLE_MS + 1)) == []


def test_motus_flood_of_right_words_first_one_wins_alone() -> None:
    table = _table()

    actions = table.send(*(Said(nick, "salles", 5) for nick in ("dan", "eve", "fay")))

    assert [a for a in actions if isinstance(a, Award)] == [Award("dan", 2 * MAX_TRIES)]
    assert sum(isinstance(a, End) for a in actions) == 1


def test_motus_player_leaving_does_not_stop_the_others() -> None:
    table = _table()
    table.send(Said("bob", "soldat", 1))

    assert table.send(Left("bob", 2)) == []
    assert table.send(Said("eve", "salles", 3))[0] == Award("eve", 2 * (MAX_TRIES - 1))


def test_motus_stopped_says_the_word() -> None:
    actions = _table().send(Stopped("op", 5))

    assert isinstance(actions[0], End) and "SALLES" in actions[0].text


def test_motus_length_option_and_empty_list() -> None:
    library = SmallLibrary(frozenset({"SALLES", "SALADIER", "SOLDATS"}))
    actions = seat(GAME, library=library, options="8").send(Began(0))

    assert isinstance(actions[0], Say) and "8 lettres" in actions[0].text
    ended = seat(GAME, library=SmallLibrary(frozenset({"CHAT"}))).send(Began(0))
    assert len(ended) == 1 and isinstance(ended[0], End)
