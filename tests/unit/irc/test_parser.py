"""The IRC line parser and serializer: Modern IRC's grammar, the 512/8191 limits, bad bytes,
and `LineError` as the only failure mode (fuzzed)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from causerie.irc.parser import (
    MAX_BODY_BYTES,
    Line,
    LineError,
    LineReader,
    escape_tag_value,
    format_line,
    parse_line,
    unescape_tag_value,
)


def test_parse_line_with_tags_source_and_trailing_reads_every_part() -> None:
    line = parse_line(
        b"@time=2024-01-01T00:00:00.000Z;+x=a\\sb :nick!u@h PRIVMSG #general :hi there"
    )

    assert line == Line(
        "PRIVMSG",
        ("#general", "hi there"),
        "nick!u@h",
        {"time": "2024-01-01T00:00:00.000Z", "+x": "a b"},
    )


def test_parse_line_lowercase_command_is_uppercased() -> None:
    assert parse_line(b"join #a,#b").params == ("#a,#b",)
    assert parse_line(b"join #a").command == "JOIN"


def test_parse_line_empty_trailing_is_a_parameter() -> None:
    assert parse_line(b"TOPIC #a :").params == ("#a", "")


def test_parse_line_body_over_512_bytes_is_too_long() -> None:
    error = _error(b"PRIVMSG #a :" + b"x" * MAX_BODY_BYTES)

    assert error.key == "too_long" and error.command == "PRIVMSG"


def test_parse_line_client_tag_data_up_to_4094_bytes_is_accepted() -> None:
    line = parse_line(b"@+x=" + b"y" * (4094 - 3) + b" PING :t")

    assert line.command == "PING" and len(line.tags["+x"]) == 4091


def test_parse_line_client_tag_data_over_4094_bytes_is_too_long_with_its_command() -> None:
    error = _error(b"@+x=" + b"y" * (4094 - 2) + b" PRIVMSG #xyz :hi!")

    assert (error.key, error.command) == ("too_long", "PRIVMSG")


def test_parse_line_invalid_utf8_is_refused_with_its_command() -> None:
    error = _error(b"PRIVMSG #a :\xff\xfe")

    assert (error.key, error.command) == ("invalid_utf8", "PRIVMSG")


def test_parse_line_nul_byte_is_refused() -> None:
    assert _error(b"PRIVMSG #a :a\x00b").key == "bad_character"


def test_parse_line_numeric_or_garbage_command_is_unknown() -> None:
    assert _error(b"PRIV-MSG x").key == "unknown_command"
    assert _error(b":source").key == "no_command"


def test_line_reader_cr_inside_a_line_splits_it_instead_of_injecting() -> None:
    lines = LineReader().feed(b"PRIVMSG #a :hi\rQUIT :x\r\n")

    assert [item.command for item in lines if isinstance(item, Line)] == ["PRIVMSG", "QUIT"]
    assert lines[0] == Line("PRIVMSG", ("#a", "hi"))


def test_line_reader_partial_lines_wait_for_their_end() -> None:
    reader = LineReader()

    assert reader.feed(b"NICK al") == []
    assert reader.feed(b"ice\r\nUSER") == [Line("NICK", ("alice",))]


def test_line_reader_endless_line_is_refused_once_and_dropped_to_its_end() -> None:
    reader = LineReader()

    first = reader.feed(b"PRIVMSG #a :" + b"x" * 9000)
    second = reader.feed(b"y" * 9000)
    third = reader.feed(b"z\r\nPING :ok\r\n")

    assert [e.key for e in first if isinstance(e, LineError)] == ["too_long"]
    assert second == []
    assert third == [Line("PING", ("ok",))]


def test_format_line_trailing_and_middle_parameters() -> None:
    assert format_line("PRIVMSG", "#a", "two words", source="n!u@h") == (
        ":n!u@h PRIVMSG #a :two words\r\n"
    )
    assert format_line("JOIN", "#a") == "JOIN #a\r\n"
    assert format_line("TOPIC", "#a", "") == "TOPIC #a :\r\n"
    assert format_line("X", ":starts") == "X ::starts\r\n"


def test_format_line_cr_lf_nul_in_a_text_never_reach_the_wire() -> None:
    line = format_line("PRIVMSG", "#a", "hi\r\nQUIT :bye\0", source="n!u@h")

    assert line.count("\r\n") == 1 and line.endswith("\r\n") and "\0" not in line


def test_format_line_tags_are_escaped() -> None:
    line = format_line("PRIVMSG", "#a", "x", tags={"time": "t", "+y": "a b;c"})

    assert line.startswith("@time=t;+y=a\\sb\\:c ")


@given(st.text())
def test_tag_value_escape_round_trips(value: str) -> None:
    assert unescape_tag_value(escape_tag_value(value)) == value.replace("\0", "")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.binary(max_size=700), max_size=6))
def test_line_reader_random_bytes_give_only_lines_or_line_errors(chunks: list[bytes]) -> None:
    reader = LineReader()
    for chunk in chunks:
        for item in reader.feed(chunk):
            assert isinstance(item, Line | LineError)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_format_line_any_text_parses_back_as_one_line(text: str) -> None:
    wire = format_line("PRIVMSG", "#a", text, source="n!u@h").encode()
    items = LineReader().feed(wire)

    assert len(items) == 1


def _error(data: bytes) -> LineError:
    try:
        parse_line(data)
    except LineError as error:
        return error
    raise AssertionError("parsed")
