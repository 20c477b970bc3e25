"""The WebSocket opening handshake (RFC 6455 section 4.2), without I/O.

`wants_websocket` tells from the first bytes of a connection whether it asks for a WebSocket
(`http.front` then gives it to `ws.protocol`, anything else to uvicorn's HTTP);
`parse_upgrade` reads the request head and either returns what the endpoint needs (path,
headers, the key) or raises `HandshakeRefused` with the HTTP status to answer.
`client_address` believes `X-Forwarded-For` / `X-Real-Port` only from a trusted proxy.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import ipaddress
from contextlib import suppress
from dataclasses import dataclass
from http import HTTPStatus

from causerie.core.numerals import ascii_int
from causerie.errors import ProtocolError

MAX_HEAD_BYTES = 64 * 1024
_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # section 1.3
_VERSION = "13"
REAL_PORT_HEADER = "x-real-port"


class HandshakeRefused(ProtocolError):
    """An upgrade request we cannot accept; answered with `status` and the connection closed."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__()
        self.status = status
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Upgrade:
    path: str
    headers: dict[str, str]  # names lower-cased; repeated headers joined
    key: str

    def cookie(self, name: str) -> str:
        for pair in self.headers.get("cookie", "").split(";"):
            key, _, value = pair.strip().partition("=")
            if key == name:
                return value.strip('"')
        return ""


def wants_websocket(data: bytes) -> bool | None:
    """Whether a connection's first bytes ask for a WebSocket (a GET with `Connection: upgrade`
    and `Upgrade: websocket`, the test uvicorn makes); None while the head is incomplete."""
    if len(data) < 4:
        return None if b"GET ".startswith(data) else False
    if not data.startswith(b"GET "):
        return False
    end = data.find(b"\r\n\r\n")
    if end < 0:
        return None if len(data) <= MAX_HEAD_BYTES and b"\n\n" not in data else False
    connection: list[bytes] = []
    upgrade = b""
    for line in data[:end].split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"connection":
            connection += [token.strip().lower() for token in value.split(b",")]
        elif name == b"upgrade":
            upgrade = value.strip().lower()
    return b"upgrade" in connection and upgrade == b"websocket"


def parse_upgrade(head: bytes) -> Upgrade:
    try:
        text = head.decode("latin-1")
        request_line, *lines = text.split("\r\n\r\n", 1)[0].split("\r\n")
        method, target, _version = request_line.split(" ")
    except ValueError:
        raise HandshakeRefused(400, "malformed request") from None
    headers: dict[str, str] = {}
    for line in lines:
        name, colon, value = line.partition(":")
        if not colon:
            raise HandshakeRefused(400, "malformed header")
        name, value = name.strip().lower(), value.strip()
        if name in headers:  # repeated: one list, cookies with their own separator
            value = headers[name] + ("; " if name == "cookie" else ", ") + value
        headers[name] = value
    if method != "GET":
        raise HandshakeRefused(405, "a WebSocket opens with GET")
    if "websocket" not in headers.get("upgrade", "").lower():
        raise HandshakeRefused(400, "not a WebSocket upgrade")
    if headers.get("sec-websocket-version") != _VERSION:
        raise HandshakeRefused(426, "WebSocket version 13 only")
    key = headers.get("sec-websocket-key", "")
    try:
        valid_key = len(base64.b64decode(key, validate=True)) == 16
    except (binascii.Error, ValueError):
        valid_key = False
    if not valid_key:
        raise HandshakeRefused(400, "bad Sec-WebSocket-Key")
    return Upgrade(target.split("?", 1)[0], headers, key)


def accept_key(key: str) -> str:
    return base64.b64encode(hashlib.sha1(key.encode() + _GUID).digest()).decode()


def accept_response(upgrade: Upgrade) -> bytes:
    return (
        "HTTP/1.1 101 Switching Protocols\r\n"
        "Upgrade: websocket\r\n"
        "Connection: Upgrade\r\n"
        f"Sec-WebSocket-Accept: {accept_key(upgrade.key)}\r\n\r\n"
    ).encode()


def refusal_response(refused: HandshakeRefused) -> bytes:
    body = (refused.reason + "\n").encode()
    extra = f"Sec-WebSocket-Version: {_VERSION}\r\n" if refused.status == 426 else ""
    return (
        f"HTTP/1.1 {refused.status} {HTTPStatus(refused.status).phrase}\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\n"
        f"{extra}Connection: close\r\n\r\n"
    ).encode() + body


class TrustedProxies:
    """Addresses and networks (`127.0.0.1,::1,10.0.1.0/24`, or `*`) whose forwarding headers
    are believed."""

    def __init__(self, spec: str) -> None:
        items = [item.strip() for item in spec.split(",") if item.strip()]
        self._everyone = "*" in items
        self._networks = []
        for item in items:
            with suppress(ValueError):
                self._networks.append(ipaddress.ip_network(item, strict=False))

    def __contains__(self, host: str) -> bool:
        if self._everyone:
            return True
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return any(address in network for network in self._networks)


def client_address(
    peer: tuple[str, int], headers: dict[str, str], trusted: TrustedProxies
) -> tuple[str, int]:
    """The client's address and source port: the peer's, unless the peer is a trusted proxy
    that forwarded them (the nearest hop that is not itself a trusted proxy)."""
    host, port = peer
    forwarded = headers.get("x-forwarded-for")
    if not forwarded or host not in trusted:
        return host, port
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    client = next((hop for hop in reversed(hops) if hop not in trusted), hops[0] if hops else host)
    real_port = ascii_int(headers.get(REAL_PORT_HEADER, ""), max_digits=5) or 0
    return client, real_port if real_port <= 65535 else 0
