"""Reading a channel MODE line by the types ISUPPORT announces (RFC 2812 3.2.3, Modern IRC)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from causerie.irc.modes import CHANMODES, ModeChange, mode_text, read_modes


def test_chanmodes_announces_each_letter_by_its_type() -> None:
    assert CHANMODES == "b,k,l,imnst"


def test_flags_take_no_parameter_and_signs_carry_over() -> None:
    line = read_modes("+mi-st", [])

    assert line.changes == (
        ModeChange(True, "m"),
        ModeChange(True, "i"),
        ModeChange(False, "s"),
        ModeChange(False, "t"),
    )
    assert line.unknown == () and line.wants_list == ()


def test_key_limit_operator_and_ban_take_their_parameters_in_order() -> None:
    line = read_modes("+klob", ["secret", "10", "Bob", "Eve!*@*"])

    assert line.changes == (
        ModeChange(True, "k", "secret"),
        ModeChange(True, "l", "10"),
        ModeChange(True, "o", "Bob"),
        ModeChange(True, "b", "Eve!*@*"),
    )


def test_minus_l_takes_no_parameter_and_minus_k_may_have_none() -> None:
    assert read_modes("-l", ["ignored"]).changes == (ModeChange(False, "l"),)
    assert read_modes("-k", []).changes == (ModeChange(False, "k"),)
    assert read_modes("-k", ["old"]).changes == (ModeChange(False, "k", "old"),)


def test_a_list_mode_without_parameter_asks_for_the_list() -> None:
    line = read_modes("+b", [])

    assert line.changes == () and line.wants_list == ("b",)
    assert read_modes("b", []).wants_list == ("b",)


def test_unknown_letters_are_reported_once_and_the_rest_still_read() -> None:
    line = read_modes("+Zm-ZQ", [])

    assert line.unknown == ("Z", "Q")
    assert line.changes == (ModeChange(True, "m"),)


def test_a_mode_whose_parameter_is_missing_is_dropped() -> None:
    assert read_modes("+ko", ["secret"]).changes == (ModeChange(True, "k", "secret"),)
    assert read_modes("+l", []).changes == ()


def test_at_most_four_changes_with_a_parameter_per_line() -> None:
    line = read_modes("+ooooo", ["a", "b", "c", "d", "e"])

    assert [change.argument for change in line.changes] == ["a", "b", "c", "d"]


def test_mode_text_writes_each_sign_once_a_run_then_the_parameters() -> None:
    changes = (
        ModeChange(True, "i"),
        ModeChange(True, "k", "secret"),
        ModeChange(False, "l"),
        ModeChange(False, "o", "Bob"),
    )

    assert mode_text(changes) == ["+ik-lo", "secret", "Bob"]
    assert mode_text(()) == []


@given(st.text(alphabet="+-bklimnstoZ", max_size=12), st.lists(st.text(min_size=1), max_size=6))
def test_any_mode_line_reads_without_error_and_round_trips(modes: str, args: list[str]) -> None:
    line = read_modes(modes, args)

    assert all(change.letter in "bklimnsto" for change in line.changes)
    again = read_modes(*_split(mode_text(line.changes)))
    assert again.changes == line.changes


def _split(words: list[str]) -> tuple[str, list[str]]:
    return (words[0], words[1:]) if words else ("", [])
