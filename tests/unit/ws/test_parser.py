"""Client frames read back exactly as a real RFC 6455 client (websockets) writes them, however
the bytes are cut; and `ProtocolViolation`, with the right close code, is the only failure."""

from __future__ import annotations

import os
import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st
from websockets.frames import Frame, Opcode

from causerie.errors import ProtocolError
from causerie.ws.parser import (
    CLOSE_NO_STATUS,
    OP_BINARY,
    OP_CLOSE,
    OP_PING,
    OP_TEXT,
    FrameParser,
    ProtocolViolation,
    _python_mask,
    apply_mask,
    parse_close,
)

CAP = 4096


def client_frame(opcode: Opcode, data: bytes, fin: bool = True) -> bytes:
    """A masked frame serialised by the websockets library, as its client sends it."""
    return Frame(opcode, data, fin).serialize(mask=True, extensions=[])


def raw_frame(first: int, payload: bytes, *, masked: bool = True) -> bytes:
    """A frame built by hand, for what a well-behaved library would never write."""
    length = len(payload)
    mask_bit = 0x80 if masked else 0
    if length < 126:
        header = bytes((first, mask_bit | length))
    elif length < 65536:
        header = struct.pack("!BBH", first, mask_bit | 126, length)
    else:
        header = struct.pack("!BBQ", first, mask_bit | 127, length)
    if not masked:
        return header + payload
    mask = b"\x37\xfa\x21\x3d"  # fixed: the test ids (and xdist's collection) stay the same
    return header + mask + _python_mask(payload, mask)


def feed_in_pieces(parser: FrameParser, data: bytes, cuts: list[int]) -> list[tuple[int, bytes]]:
    messages: list[tuple[int, bytes]] = []
    start = 0
    for cut in [*sorted({min(c, len(data)) for c in cuts}), len(data)]:
        messages += parser.feed(data[start:cut])
        start = cut
    return messages


@given(
    st.lists(st.binary(max_size=300), min_size=1, max_size=6),
    st.lists(st.integers(min_value=0, max_value=2000), max_size=8),
)
def test_parser_messages_come_back_whole_however_the_bytes_are_cut(
    payloads: list[bytes], cuts: list[int]
) -> None:
    data = b"".join(client_frame(Opcode.BINARY, payload) for payload in payloads)
    messages = feed_in_pieces(FrameParser(CAP), data, cuts)
    assert messages == [(OP_BINARY, payload) for payload in payloads]


@given(st.text(max_size=2000), st.integers(min_value=1, max_value=5))
def test_parser_fragments_are_joined_into_one_message(text: str, parts: int) -> None:
    data = text.encode()
    step = max(1, len(data) // parts)
    chunks = [data[i : i + step] for i in range(0, len(data), step)] or [b""]
    frames = [
        client_frame(Opcode.TEXT if i == 0 else Opcode.CONT, chunk, fin=i == len(chunks) - 1)
        for i, chunk in enumerate(chunks)
    ]
    # A ping may come between fragments (section 5.4) and is handed over at once.
    if len(frames) > 1:
        frames.insert(1, client_frame(Opcode.PING, b"p"))
    messages = FrameParser(8 * CAP).feed(b"".join(frames))
    assert (OP_TEXT, data) in messages
    assert messages[-1] == (OP_TEXT, data)
    assert messages[0] == (OP_PING, b"p") or len(frames) == 1


def test_parser_lengths_of_the_three_header_sizes_are_read() -> None:
    parser = FrameParser(100_000)
    for size in (0, 125, 126, 65_535, 65_536):
        payload = os.urandom(size)
        assert parser.feed(client_frame(Opcode.BINARY, payload)) == [(OP_BINARY, payload)]


def test_parser_over_the_cap_is_refused_from_the_header_alone() -> None:
    parser = FrameParser(CAP)
    header_only = raw_frame(0x82, b"x" * (CAP + 1))[:8]
    with pytest.raises(ProtocolViolation) as refused:
        parser.feed(header_only)
    assert refused.value.close_code == 1009


def test_parser_fragments_adding_up_past_the_cap_are_refused() -> None:
    parser = FrameParser(CAP)
    parser.feed(client_frame(Opcode.TEXT, b"a" * (CAP - 10), fin=False))
    with pytest.raises(ProtocolViolation) as refused:
        parser.feed(client_frame(Opcode.CONT, b"b" * 20))
    assert refused.value.close_code == 1009


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (raw_frame(0x81, b"hi", masked=False), "unmasked"),
        (raw_frame(0xC1, b"hi"), "reserved bit"),
        (raw_frame(0x83, b"hi"), "unknown opcode"),
        (raw_frame(0x80, b"hi"), "continuation without a message"),
        (raw_frame(0x09, b"hi"), "fragmented ping"),
        (raw_frame(0x89, b"x" * 126), "ping over 125 bytes"),
        (raw_frame(0x01, b"a") + raw_frame(0x81, b"b"), "new message inside a fragmented one"),
    ],
)
def test_parser_malformed_frames_are_protocol_errors_1002(data: bytes, why: str) -> None:
    with pytest.raises(ProtocolViolation) as refused:
        FrameParser(CAP).feed(data)
    assert refused.value.close_code == 1002, why


@given(st.binary(max_size=400))
def test_parser_any_bytes_give_messages_or_a_protocol_error(data: bytes) -> None:
    parser = FrameParser(CAP)
    try:
        for opcode, payload in parser.feed(data):
            assert opcode in (0x1, 0x2, 0x8, 0x9, 0xA)
            assert len(payload) <= CAP
    except ProtocolError as error:
        assert isinstance(error, ProtocolViolation)
        assert error.close_code in (1002, 1009)


def test_parse_close_reads_code_and_reason() -> None:
    assert parse_close(b"") == (CLOSE_NO_STATUS, "")
    assert parse_close((1000).to_bytes(2, "big") + "à bientôt".encode()) == (1000, "à bientôt")
    assert parse_close((4001).to_bytes(2, "big")) == (4001, "")


@pytest.mark.parametrize(
    ("payload", "code"),
    [(b"\x03", 1002), ((1005).to_bytes(2, "big"), 1002), (b"\x03\xe8\xff", 1007)],
)
def test_parse_close_bad_payloads_are_refused(payload: bytes, code: int) -> None:
    with pytest.raises(ProtocolViolation) as refused:
        parse_close(payload)
    assert refused.value.close_code == code


def test_parser_close_frame_is_handed_over() -> None:
    frame = client_frame(Opcode.CLOSE, (1000).to_bytes(2, "big") + b"bye")
    assert FrameParser(CAP).feed(frame) == [(OP_CLOSE, b"\x03\xe8bye")]


@given(st.binary(max_size=200), st.binary(min_size=4, max_size=4))
def test_mask_fast_and_python_versions_agree(data: bytes, mask: bytes) -> None:
    assert apply_mask(data, mask) == _python_mask(data, mask)
    assert _python_mask(_python_mask(data, mask), mask) == data
