"""The shipped word lists (games/data/words.txt.gz and drawn.txt.gz, built by
scripts/build_words.py): their form, and that a drawn word is fit for any room."""

from scripts.build_words import drawable, fold_entries, inflected

from causerie.games.library import PackagedLibrary
from causerie.safety.automod import Context, load_default_rules
from causerie.safety.automod.engine import Automod

LIBRARY = PackagedLibrary()


def test_shipped_words_are_folded_and_two_to_fifteen_letters() -> None:
    words = LIBRARY.words()

    assert len(words) > 200_000
    assert all(word.isascii() and word.isalpha() and word.isupper() for word in words)
    assert {len(word) for word in words} == set(range(2, 16))
    assert {"ELEPHANT", "MAISON", "ETE", "ABAISSASSIONS"} <= words


def test_build_words_folds_and_leaves_out_proper_nouns_compounds_and_lengths() -> None:
    lines = ["Éléphant\n", "élève\n", "Paris\n", "arc-en-ciel\n", "aujourd'hui\n", "a\n"]
    lines += ["anticonstitutionnellement\n", "où\n", "cœur\n"]

    assert fold_entries(lines) == {"ELEVE", "OU", "COEUR"}


def test_build_words_finds_plurals_and_conjugated_forms() -> None:
    words = {"MAISON", "MAISONS", "CHEVAL", "CHEVAUX", "CHANTER", "CHANTAIT", "CHANTERONS"}
    words |= {"FINIR", "FINISSONS", "MANGER", "MANGEAIT", "PORTER", "PORTE"}

    assert inflected(words) == {
        "MAISONS", "CHEVAUX", "CHANTAIT", "CHANTERONS", "FINISSONS", "MANGEAIT"
    }  # fmt: skip


def test_build_words_never_draws_a_crude_or_flagged_word() -> None:
    words = {"JARDIN", "MERDE", "PUTAIN", "CONNARD", "PORNO", "NUDES", "SEXUEL", "ABC"}

    assert drawable(words) == {"JARDIN"}


def test_drawn_words_are_known_words_of_four_to_twelve_letters() -> None:
    drawn = LIBRARY.drawable_words()

    assert len(drawn) > 30_000
    assert drawn <= LIBRARY.words()
    assert {len(word) for word in drawn} == set(range(4, 13))
    assert {"ELEPHANT", "MAISON", "JARDIN"} <= drawn


def test_drawn_words_leave_inflected_forms_out() -> None:
    assert not {"MAISONS", "ABAISSASSIONS", "CONDUIREZ", "FINISSONS", "MANGEAIT"} & (
        LIBRARY.drawable_words()
    )


def test_drawn_words_are_clean_for_a_teen_room() -> None:
    automod = Automod(load_default_rules())
    teen_room = Context.room(is_teen_room=True)
    drawn = LIBRARY.drawable_words()

    flagged = [w for w in drawn if automod.evaluate(w.lower(), teen_room).matches]

    assert flagged == []
    assert not {"MERDE", "MERDIER", "PUTAIN", "CONNARD", "PORNO", "CHATTE", "BAISER"} & drawn
    assert not {"NEGRO", "YOUPINE", "TRAVELO", "BICOT", "PEDOPHILE", "CANNABIS"} & drawn
    assert {"MERDE", "PUTAIN", "CONNARD"} <= LIBRARY.words()  # accepted from a player
