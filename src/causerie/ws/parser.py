"""Client frames of RFC 6455 read without I/O: bytes in, whole messages out.

`FrameParser.feed` takes whatever the socket gave and returns the complete messages in it, as
`(opcode, payload)` pairs with the payload unmasked and fragments joined; a partial frame waits
for the next call. Whatever breaks the protocol raises `ProtocolViolation` with the close code
the server must answer with (section 7.4.1): 1002 for a malformed frame, 1009 for a message over
the cap, 1007 for a close reason that is not UTF-8. A claimed length over the cap is refused as
soon as the header is read, before any of the payload is buffered.
"""

from __future__ import annotations

from collections.abc import Callable

from causerie.errors import ProtocolError

OP_CONTINUATION = 0x0
OP_TEXT = 0x1
OP_BINARY = 0x2
OP_CLOSE = 0x8
OP_PING = 0x9
OP_PONG = 0xA
_DATA_OPCODES = (OP_TEXT, OP_BINARY)
_CONTROL_OPCODES = (OP_CLOSE, OP_PING, OP_PONG)

CLOSE_NO_STATUS = 1005  # section 7.4.1: never on the wire, "no code was given"
_CLOSE_CODES_ALLOWED = frozenset((1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012))

Message = tuple[int, bytes]


class ProtocolViolation(ProtocolError):
    """Framing the peer got wrong; the connection ends with `close_code`."""

    def __init__(self, close_code: int, reason: str) -> None:
        super().__init__()
        self.close_code = close_code
        self.reason = reason


def _python_mask(data: bytes, mask: bytes) -> bytes:
    length = len(data)
    key = (mask * (length // 4 + 1))[:length]
    return (int.from_bytes(data, "big") ^ int.from_bytes(key, "big")).to_bytes(length, "big")


def _mask_function() -> Callable[[bytes, bytes], bytes]:
    try:  # the C helper that ships with websockets (a dependency of uvicorn[standard])
        from websockets.speedups import apply_mask
    except ImportError:  # pragma: no cover - depends on the installed wheels
        return _python_mask
    return apply_mask


apply_mask = _mask_function()


def parse_close(payload: bytes) -> tuple[int, str]:
    """The code and reason of a close frame's payload (section 5.5.1)."""
    if not payload:
        return CLOSE_NO_STATUS, ""
    if len(payload) == 1:
        raise ProtocolViolation(1002, "close frame of one byte")
    code = int.from_bytes(payload[:2], "big")
    if code not in _CLOSE_CODES_ALLOWED and not 3000 <= code <= 4999:
        raise ProtocolViolation(1002, "close code not allowed")
    try:
        reason = payload[2:].decode()
    except UnicodeDecodeError:
        raise ProtocolViolation(1007, "close reason is not UTF-8") from None
    return code, reason


class FrameParser:
    __slots__ = ("_fragments", "_fragments_size", "_kept", "_max", "_opcode")

    def __init__(self, max_message_bytes: int) -> None:
        self._max = max_message_bytes
        self._kept = b""  # the start of a frame not yet complete
        self._opcode = 0  # of the fragmented message being assembled, 0 when there is none
        self._fragments: list[bytes] = []
        self._fragments_size = 0

    def feed(self, data: bytes) -> list[Message]:
        if self._kept:
            data, self._kept = self._kept + data, b""
        messages: list[Message] = []
        position, end = 0, len(data)
        while end - position >= 2:
            first, second = data[position], data[position + 1]
            if first & 0x70:
                raise ProtocolViolation(1002, "reserved bits set")
            if not second & 0x80:
                raise ProtocolViolation(1002, "client frame not masked")
            length, header = second & 0x7F, 6
            if length == 126:
                if end - position < 4:
                    break
                length, header = int.from_bytes(data[position + 2 : position + 4], "big"), 8
            elif length == 127:
                if end - position < 10:
                    break
                length, header = int.from_bytes(data[position + 2 : position + 10], "big"), 14
            opcode, final = first & 0x0F, first & 0x80
            if opcode in _CONTROL_OPCODES:
                if not final or length > 125:
                    raise ProtocolViolation(1002, "control frame fragmented or too long")
            elif self._fragments_size + length > self._max:
                raise ProtocolViolation(1009, "message too big")
            if end - position < header + length:
                break
            start = position + header
            payload = apply_mask(data[start : start + length], data[start - 4 : start])
            position = start + length
            message = self._message(opcode, bool(final), payload)
            if message is not None:
                messages.append(message)
        if position < end:
            self._kept = data[position:]
        return messages

    def _message(self, opcode: int, final: bool, payload: bytes) -> Message | None:
        if opcode in _CONTROL_OPCODES:
            return opcode, payload
        if opcode in _DATA_OPCODES:
            if self._opcode:
                raise ProtocolViolation(1002, "new message inside a fragmented one")
            if final:
                return opcode, payload
            self._opcode = opcode
        elif opcode == OP_CONTINUATION:
            if not self._opcode:
                raise ProtocolViolation(1002, "continuation without a message")
        else:
            raise ProtocolViolation(1002, "unknown opcode")
        self._fragments.append(payload)
        self._fragments_size += len(payload)
        if not final:
            return None
        whole = (self._opcode, b"".join(self._fragments))
        self._opcode, self._fragments, self._fragments_size = 0, [], 0
        return whole
