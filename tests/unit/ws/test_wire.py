"""Pre-built server frames are exactly what an RFC 6455 client parses back, whatever the size."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from websockets.frames import Frame, Opcode
from websockets.streams import StreamReader

from causerie.ws.wire import close_frame, frame_of, ping_frame, pong_frame, text_frame


def _parse(data: bytes) -> Frame:
    reader = StreamReader()
    reader.feed_data(data)
    reader.feed_eof()
    parser = Frame.parse(reader.read_exact, mask=False)
    try:
        while True:
            next(parser)
    except StopIteration as done:
        frame: Frame = done.value
        return frame


@given(st.text(max_size=70_000))
def test_text_frame_any_text_parses_back_identical(text: str) -> None:
    frame = _parse(frame_of(text))
    assert frame.opcode is Opcode.TEXT and frame.fin
    assert frame.data.decode() == text


def test_text_frame_length_boundaries_use_the_right_header() -> None:
    assert len(text_frame(b"x" * 125)) == 2 + 125
    assert len(text_frame(b"x" * 126)) == 4 + 126
    assert len(text_frame(b"x" * 65_535)) == 4 + 65_535
    assert len(text_frame(b"x" * 65_536)) == 10 + 65_536


def test_close_frame_carries_code_and_a_reason_cut_on_a_character() -> None:
    frame = _parse(close_frame(4001, "trop lent " + "é" * 100))
    assert frame.opcode is Opcode.CLOSE
    assert int.from_bytes(frame.data[:2], "big") == 4001
    reason = frame.data[2:].decode()  # still UTF-8 although cut
    assert reason.startswith("trop lent") and len(frame.data) <= 125


def test_ping_and_pong_frames_parse_back() -> None:
    assert _parse(ping_frame(b"abc")).opcode is Opcode.PING
    pong = _parse(pong_frame(b"abc"))
    assert pong.opcode is Opcode.PONG and pong.data == b"abc"
