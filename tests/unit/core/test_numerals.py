"""Numbers typed by people are ASCII digits only, in the helpers and in every parser that reads
a number from a client or an operator: a digit of another script ('²', '٣', '５') is refused the
parser's documented way, never read as a number and never an exception."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.requests import Request

from causerie.cli import parse_duration
from causerie.config import load_settings
from causerie.core.commands import Hello, Report
from causerie.core.numerals import ascii_decimal, ascii_int, is_ascii_digits
from causerie.errors import ConfigError, ErrorCode
from causerie.geo import load_directory
from causerie.http.admin import AdminSessions
from causerie.http.media import origin_of
from causerie.ws.handshake import TrustedProxies, client_address
from tests.unit.core.builders import hello_refusal, make_hub
from tests.unit.irc.helpers import Driver

FOREIGN = ["²", "٣", "５", "७", "𝟠", "①", "1_0", " 1", "+1", "-1", "1e3", "nan", "inf", ""]


@given(st.text(max_size=30))
def test_ascii_int_any_text_is_its_ascii_number_or_none(text: str) -> None:
    value = ascii_int(text)

    if all(char in "0123456789" for char in text) and 0 < len(text) <= 18:
        assert value == int(text)
    else:
        assert value is None


@given(st.text(max_size=30))
def test_ascii_decimal_never_raises_and_reads_only_ascii_digits(text: str) -> None:
    value = ascii_decimal(text)

    if value is not None:
        assert set(text) <= set("0123456789.") and value == float(text) and value >= 0


@pytest.mark.parametrize("text", FOREIGN)
def test_helpers_refuse_foreign_digits_and_decorations(text: str) -> None:
    assert not is_ascii_digits(text)
    assert ascii_int(text) is None
    assert ascii_decimal(text) is None


def test_ascii_int_caps_the_number_of_digits() -> None:
    assert ascii_int("9" * 18) == int("9" * 18)
    assert ascii_int("9" * 19) is None
    assert ascii_int("65535", max_digits=5) == 65535 and ascii_int("065535", max_digits=5) is None


# -- every parser of a number, one by one -----------------------------------------------------


@pytest.mark.parametrize("digit", ["²", "٣", "５"])
def test_irc_chathistory_with_foreign_digits_fails_invalid_params(digit: str) -> None:
    driver = Driver()
    driver.register()
    driver.join()

    lines = driver.feed(
        f"CHATHISTORY BEFORE #general msgid={digit} 10",
        f"CHATHISTORY LATEST #general * {digit}",
    )

    assert len(lines) == 2 and all(" FAIL CHATHISTORY INVALID_PARAMS " in line for line in lines)
    assert driver.closed is None


def test_irc_cap_ls_with_a_superscript_version_lists_without_values() -> None:
    lines = Driver().feed("CAP LS ³⁰²")

    assert "CAP * LS " in lines[0] and "sasl=PLAIN" not in lines[0] and " sasl" in lines[0]


def test_irc_report_of_a_superscript_number_is_a_nickname_report() -> None:
    driver = Driver()
    driver.register()

    driver.feed("REPORT ²³ spam")

    assert driver.last_request() == Report("spam", nick="²³")


def test_admin_token_with_a_superscript_expiry_is_refused() -> None:
    sessions = AdminSessions(b"k" * 32, clock_s=lambda: 0.0)
    name, expiry, mac = sessions.issue("admin1").split(".")

    for bad in ("²" * len(expiry), "٣" * len(expiry), f"{expiry[:-1]}５"):
        assert sessions.name_of(f"{name}.{bad}.{mac}") is None


@pytest.mark.parametrize("port", ["٥١٢٣٤", "５１２３４", "5123_4", " 51234", "+51234", "²"])
def test_forwarded_port_in_foreign_digits_is_no_port(port: str) -> None:
    headers = {"x-forwarded-for": "203.0.113.7", "x-real-port": port}

    assert client_address(("127.0.0.1", 1), headers, TrustedProxies("127.0.0.1")) == (
        "203.0.113.7",
        0,
    )


@pytest.mark.parametrize("port", ["٥١٢٣٤", "５１２３４", "²"])
def test_media_origin_port_in_foreign_digits_is_no_port(port: str) -> None:
    scope = {
        "type": "http",
        "headers": [(b"x-real-port", port.encode())],
        "client": ("203.0.113.9", 0),
    }

    assert origin_of(Request(scope)).port == 0


@pytest.mark.parametrize("text", ["٣d", "²h", "1e9", "nan", "inf", "-5m", "1_0m", "99999d"])
def test_cli_duration_refuses_foreign_digits_and_out_of_range(text: str) -> None:
    with pytest.raises(ConfigError, match="--duration"):
        parse_duration(text)


def test_cli_duration_reads_ascii_durations() -> None:
    assert parse_duration("90") == 90
    assert parse_duration("1.5h") == 5400
    assert parse_duration("7d") == 7 * 86400
    assert parse_duration("forever") is None


@pytest.mark.parametrize("value", ["٣٠", "３０", "1_0", "nan", "inf", "1e1"])
def test_config_numbers_refuse_foreign_digits(value: str) -> None:
    with pytest.raises(ConfigError, match="CAUSERIE_MIN_AGE"):
        load_settings({"CAUSERIE_MIN_AGE": value})
    with pytest.raises(ConfigError, match="CAUSERIE_SAY_PER_S"):
        load_settings({"CAUSERIE_SAY_PER_S": value})


def test_config_numbers_in_ascii_still_load() -> None:
    settings = load_settings({"CAUSERIE_IRC_PORT": "-1", "CAUSERIE_SAY_PER_S": "0.5"})

    assert (settings.irc_port, settings.say_per_s) == (-1, 0.5)


@pytest.mark.parametrize("postcode", ["٧٥٠١١", "７５０１１", "7501١", "75 011", "+7501"])
def test_postcode_in_foreign_digits_is_no_postcode(postcode: str) -> None:
    assert load_directory().locate(postcode) is None
    refused = hello_refusal(make_hub(), Hello("Alice", "woman", 25, postcode))
    assert (refused.code, refused.field) == (ErrorCode.INVALID, "postcode")
