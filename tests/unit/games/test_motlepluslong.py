from collections import Counter
from random import Random

from hypothesis import given
from hypothesis import strategies as st

from causerie.games.interface import (
    Award,
    Band,
    Began,
    End,
    Left,
    Said,
    Say,
    SetTimer,
    Stopped,
    TimerFired,
    Whisper,
)
from causerie.games.motlepluslong import (
    CONSONANT_BAG,
    DRAW_SIZE,
    GAME,
    ROUND_MS,
    VOWEL_BAG,
    draw_letters,
    fits,
    longest_words,
)
from tests.unit.games.replay import SmallLibrary, Table, seat

SEED = 5


def _letters(seed: int = SEED, options: str = "") -> list[str]:
    began = seat(GAME, library=SmallLibrary(frozenset({"AA"})), seed=seed, options=options)
    view = began.send(Began(0))[0]
    assert isinstance(view, Say) and view.view is not None
    letters = view.view["letters"]
    assert isinstance(letters, list)
    return [str(letter) for letter in letters]


LETTERS = _letters()
LONG, MIDDLE, SHORT = "".join(LETTERS[:7]), "".join(LETTERS[:5]), "".join(LETTERS[:3])
WORDS = frozenset({LONG, MIDDLE, SHORT, "QQQ", "".join(LETTERS[3:8])})


def _table() -> Table:
    table = seat(GAME, library=SmallLibrary(WORDS), seed=SEED)
    table.send(Began(0))
    return table


def _can_be_made(word: str, letters: list[str]) -> bool:
    """The oracle: take each letter of the word out of the draw, one by one."""
    left = list(letters)
    for letter in word:
        if letter not in left:
            return False
        left.remove(letter)
    return True


def test_draw_letters_takes_the_asked_vowels_from_the_bags() -> None:
    letters = draw_letters(Random(1), 4)

    assert len(letters) == DRAW_SIZE
    assert sum(letter in "AEIOUY" for letter in letters) == 4
    assert Counter(letters) <= Counter(VOWEL_BAG + CONSONANT_BAG)
    assert sum(letter in "AEIOUY" for letter in _letters(options="6")) == 6


def test_motlepluslong_began_shows_letters_and_arms_the_round() -> None:
    actions = seat(GAME, library=SmallLibrary(WORDS), seed=SEED).send(Began(0))

    assert isinstance(actions[0], Say) and " ".join(LETTERS) in actions[0].text
    assert actions[1] == SetTimer("round", ROUND_MS)


def test_motlepluslong_longest_word_wins_and_the_longest_possible_is_shown() -> None:
    table = _table()

    short = table.send(Said("bob", SHORT.lower(), 1))
    long = table.send(Said("eve", LONG, 2))
    result = table.send(TimerFired("round", ROUND_MS))

    assert short[0] == Whisper("bob", f"{SHORT} accepté (3 lettres).")
    assert isinstance(short[1], Say) and short[1].text == "bob propose un mot de 3 lettres."
    assert LONG not in " ".join(a.text for a in long if isinstance(a, Say))  # kept private
    assert result[0] == Award("eve", 7)
    assert isinstance(result[1], End)
    assert f"eve gagne avec {LONG} (7 lettres)" in result[1].text
    assert f"bob {SHORT} (3)" in result[1].text
    assert f"Le plus long possible : {LONG} (7 lettres)" in result[1].text


def test_motlepluslong_refuses_letters_not_drawn_and_unknown_words() -> None:
    table = _table()
    unknown = "".join(LETTERS[:4])

    assert table.send(Said("bob", "QQQ", 1)) == [
        Whisper("bob", "QQQ : ces lettres ne sont pas toutes dans le tirage.")
    ]
    refused = table.send(Said("bob", unknown, 2))
    assert refused == [Whisper("bob", f"{unknown} n'est pas dans le dictionnaire.")]
    assert table.send(Said("bob", "bonjour à tous", 3)) == []
    result = table.send(TimerFired("round", ROUND_MS))
    assert isinstance(result[0], End) and "personne n'a proposé" in result[0].text


def test_motlepluslong_shorter_second_proposal_keeps_the_best() -> None:
    table = _table()
    table.send(Said("bob", MIDDLE, 1))

    again = table.send(Said("bob", SHORT, 2))

    assert again == [Whisper("bob", f"{SHORT} accepté, mais {MIDDLE} est plus long.")]
    assert table.send(TimerFired("round", ROUND_MS))[0] == Award("bob", 5)


def test_motlepluslong_flood_of_equal_words_first_received_wins() -> None:
    table = _table()

    table.send(*(Said(nick, LONG, 5) for nick in ("dan", "eve", "fay")))
    result = table.send(TimerFired("round", ROUND_MS))

    assert [a for a in result if isinstance(a, Award)] == [Award("dan", 7)]


def test_motlepluslong_player_leaving_is_out_of_the_running() -> None:
    table = _table()
    table.send(Said("bob", LONG, 1), Said("eve", SHORT, 2))

    left = table.send(Left("bob", 3), Left("zoe", 3))
    result = table.send(TimerFired("round", ROUND_MS))

    assert left == [Say("bob est parti : sa proposition ne compte plus.")]
    assert result[0] == Award("eve", 3)


def test_motlepluslong_stopped_shows_the_longest_possible() -> None:
    actions = _table().send(Stopped("op", 5))

    assert isinstance(actions[0], End) and LONG in actions[0].text
    assert actions[0].view is not None and actions[0].view["longest"] == [LONG]
    assert not any(isinstance(action, Award) for action in actions)


def test_motlepluslong_shows_headwords_first_among_the_longest() -> None:
    other = "".join(reversed(LONG))
    library = SmallLibrary(frozenset({LONG, other}), drawn=frozenset({max(LONG, other)}))
    table = seat(GAME, library=library, seed=SEED)
    table.send(Began(0))

    ended = table.send(Stopped("op", 1))

    assert isinstance(ended[0], End) and ended[0].view is not None
    assert ended[0].view["longest"] == [max(LONG, other), min(LONG, other)]


def test_motlepluslong_teen_room_is_shown_only_words_fit_for_any_room() -> None:
    library = SmallLibrary(WORDS, drawn=frozenset({MIDDLE}))
    teen = seat(GAME, library=library, seed=SEED, band=Band.TEEN)
    adult = seat(GAME, library=library, seed=SEED, band=Band.ADULT)
    teen.send(Began(0))
    adult.send(Began(0))

    shown_teen = teen.send(TimerFired("round", ROUND_MS))[0]
    shown_adult = adult.send(TimerFired("round", ROUND_MS))[0]

    assert isinstance(shown_teen, End) and shown_teen.view is not None
    assert isinstance(shown_adult, End) and shown_adult.view is not None
    assert shown_teen.view["longest"] == [MIDDLE] and LONG not in shown_teen.text
    assert shown_adult.view["longest"] == [LONG]


def test_motlepluslong_nothing_after_the_end_and_empty_list_ends_at_once() -> None:
    table = _table()
    table.send(TimerFired("round", ROUND_MS))

    assert table.send(Said("bob", LONG, ROUND_MS + 1)) == []
    assert isinstance(seat(GAME).send(Began(0))[0], End)


def test_longest_words_on_the_shipped_list() -> None:
    from causerie.games.library import PackagedLibrary

    words = PackagedLibrary().words()
    letters = list("ELEPHANTSX")

    longest = longest_words(letters, words)

    assert longest and all(fits(word, letters) and word in words for word in longest)
    assert len(longest[0]) >= len("ELEPHANTS")


LETTER = st.sampled_from("AEIRST")
WORD = st.text(alphabet="AEIRST", min_size=1, max_size=7)


@given(st.lists(LETTER, min_size=DRAW_SIZE, max_size=DRAW_SIZE), WORD)
def test_fits_iff_the_word_can_be_taken_out_of_the_draw(letters: list[str], word: str) -> None:
    assert fits(word, letters) == _can_be_made(word, letters)


@given(st.lists(LETTER, min_size=DRAW_SIZE, max_size=DRAW_SIZE), st.frozensets(WORD, max_size=30))
def test_longest_words_are_valid_and_none_valid_is_longer(
    letters: list[str], words: frozenset[str]
) -> None:
    valid = [word for word in words if _can_be_made(word, letters)]

    longest = longest_words(letters, words)

    assert all(word in words and _can_be_made(word, letters) for word in longest)
    if not valid:
        assert longest == ()
    else:
        best = max(len(word) for word in valid)
        assert longest == tuple(sorted(w for w in valid if len(w) == best))


@given(st.integers(0, 2**32), st.frozensets(WORD, max_size=20), st.lists(WORD, max_size=8))
def test_motlepluslong_accepts_a_proposal_iff_it_fits_and_is_listed(
    seed: int, words: frozenset[str], proposals: list[str]
) -> None:
    library = SmallLibrary(words | {"AA"})
    table = seat(GAME, library=library, seed=seed)
    began = table.send(Began(0))[0]
    assert isinstance(began, Say) and began.view is not None
    drawn = began.view["letters"]
    assert isinstance(drawn, list)
    letters = [str(letter) for letter in drawn]

    for n, word in enumerate(proposals):
        said = table.send(Said(f"p{n}", word, n))
        accepted = any(isinstance(a, Whisper) and "accepté" in a.text for a in said)
        expected = len(word) >= 2 and word in library.words() and _can_be_made(word, letters)
        assert accepted == expected
