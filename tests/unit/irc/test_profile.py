"""The realname profile parser, fuzzed: a `Profile` or None, never an exception, and only ASCII
digits ever make an age or a postal code. A session given any realname registers and either
sends its `hello` or tells the person what to send (the documented NOTICE), never an error."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from causerie.irc.profile import GENDERS, PROFILE_HELP, Profile, parse_profile
from tests.unit.irc.helpers import Driver, codes

# Digits of other scripts and look-alikes: str.isdigit() is true of all of these.
FOREIGN_DIGITS = "²³¹⁰⁴⁵₀₁₂٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹०१२३४५६७८९０１２３４５６７８９𝟎𝟏𝟐①②③"
WORD = st.one_of(
    st.text(alphabet=FOREIGN_DIGITS + "0123456789", min_size=1, max_size=6),
    st.sampled_from([*sorted(GENDERS), "fr", "en", "de"]),
    st.text(min_size=1, max_size=8),
)
REALNAME = st.one_of(
    st.text(max_size=60),
    st.lists(WORD, min_size=1, max_size=5).map(" ".join),
)


@given(REALNAME)
@example("² h 75011")
@example("25 h ٧٥٠١١")
@example("٣٣ f 75011")
@example("25 f 7５011")
def test_parse_profile_any_text_gives_a_profile_or_none_never_raises(text: str) -> None:
    found = parse_profile(text)

    assert found is None or isinstance(found, Profile)
    if found is not None:
        assert found.postcode.isascii() and found.postcode.isdigit() and len(found.postcode) == 5
        assert 0 <= found.age <= 999 and str(found.age) in text
        assert found.gender in GENDERS.values() and found.lang in ("fr", "en")


@pytest.mark.parametrize(
    "realname",
    ["² h 75011", "٢٥ h 75011", "25 h ٧٥٠١١", "25 h 7501１", "१५ f 75011", "25 ① 75011"],
)
def test_parse_profile_non_ascii_digits_are_no_number(realname: str) -> None:
    assert parse_profile(realname) is None


def test_parse_profile_ascii_digits_still_parse() -> None:
    assert parse_profile("25 f 75011") == Profile(25, "woman", "75011", "fr")
    assert parse_profile("h/17/20000/en") == Profile(17, "man", "20000", "en")


@given(REALNAME.filter(lambda text: text and not any(char in text for char in "\0\r\n")))
@example("² h 75011")
def test_irc_user_with_any_realname_registers_with_hello_or_the_profile_notice(
    realname: str,
) -> None:
    driver = Driver()
    lines = driver.feed("NICK Alice", f"USER u 0 * :{realname}")

    if driver.requests:
        assert [type(command).__name__ for _id, command in driver.requests] == ["Hello"]
        assert lines == []
    else:
        assert codes(lines)[:5] == ["001", "002", "003", "004", "005"]
        assert any(PROFILE_HELP[0] in line for line in lines if " NOTICE " in line)
        assert not any(line.startswith("ERROR") for line in lines)
        assert driver.closed is None


def test_irc_profile_command_with_a_superscript_age_gets_the_profile_notice() -> None:
    driver = Driver()
    driver.feed("NICK Alice", "USER u 0 * :Alice")

    lines = driver.feed("PROFILE ² h 75011")

    assert driver.requests == [] and driver.closed is None
    assert [line for line in lines if " NOTICE " in line and PROFILE_HELP[0] in line]
