"""Server frames of RFC 6455, built whole (section 5.2: FIN + opcode, length, unmasked payload).

A room message goes to hundreds of connections; building its frame once and writing the same
bytes to every socket is what keeps fan-out cheap. Permessage-deflate is never negotiated on
this server, so frames go out as they are.
"""

from __future__ import annotations

import struct

from causerie.ws.parser import OP_CLOSE, OP_PING, OP_PONG

_FINAL = 0x80
_TEXT = _FINAL | 0x1


def text_frame(payload: bytes) -> bytes:
    """The whole unmasked server frame carrying `payload` as text."""
    length = len(payload)
    if length < 126:
        return bytes((_TEXT, length)) + payload
    if length < 65536:
        return struct.pack("!BBH", _TEXT, 126, length) + payload
    return struct.pack("!BBQ", _TEXT, 127, length) + payload


def frame_of(text: str) -> bytes:
    return text_frame(text.encode())


def control_frame(opcode: int, payload: bytes = b"") -> bytes:
    """A ping, pong or close frame; control payloads are at most 125 bytes (section 5.5)."""
    payload = payload[:125]
    return bytes((_FINAL | opcode, len(payload))) + payload


def close_frame(code: int, reason: str = "") -> bytes:
    reason_bytes = reason.encode()[:123]
    # A reason cut inside a character would be invalid UTF-8, which the peer must refuse.
    reason_bytes = reason_bytes.decode(errors="ignore").encode()
    return control_frame(OP_CLOSE, code.to_bytes(2, "big") + reason_bytes)


def ping_frame(payload: bytes = b"") -> bytes:
    return control_frame(OP_PING, payload)


def pong_frame(payload: bytes) -> bytes:
    return control_frame(OP_PONG, payload)
