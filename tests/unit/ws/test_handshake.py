"""The opening handshake of RFC 6455 section 4.2, and who is believed about the client's
address."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from causerie.errors import ProtocolError
from causerie.ws.handshake import (
    HandshakeRefused,
    TrustedProxies,
    accept_key,
    accept_response,
    client_address,
    parse_upgrade,
    refusal_response,
    wants_websocket,
)

KEY = "dGhlIHNhbXBsZSBub25jZQ=="  # the sample key of section 1.3


def request(*headers: str, line: str = "GET /ws?v=1 HTTP/1.1") -> bytes:
    base = [
        "host: 127.0.0.1",
        "upgrade: websocket",
        "connection: Upgrade",
        f"sec-websocket-key: {KEY}",
        "sec-websocket-version: 13",
    ]
    return ("\r\n".join([line, *base, *headers]) + "\r\n\r\n").encode()


def test_accept_key_is_the_rfc_sample() -> None:
    assert accept_key(KEY) == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="


def test_upgrade_reads_path_headers_and_cookie() -> None:
    upgrade = parse_upgrade(
        request("Cookie: a=1; causerie_device=abc-123", "User-Agent: test/1", "cookie: b=2")
    )
    assert upgrade.path == "/ws"
    assert upgrade.cookie("causerie_device") == "abc-123"
    assert upgrade.cookie("b") == "2"
    assert upgrade.cookie("missing") == ""
    assert upgrade.headers["user-agent"] == "test/1"
    response = accept_response(upgrade)
    assert response.startswith(b"HTTP/1.1 101 Switching Protocols\r\n")
    assert b"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n" in response
    assert b"Sec-WebSocket-Extensions" not in response  # permessage-deflate never negotiated


@pytest.mark.parametrize(
    ("data", "status"),
    [
        (request(line="POST /ws HTTP/1.1"), 405),
        (request(line="GET"), 400),
        (request("bad header line"), 400),
        (request().replace(b"version: 13", b"version: 8"), 426),
        (request().replace(KEY.encode(), b"short"), 400),
        (request().replace(b"upgrade: websocket", b"upgrade: h2c"), 400),
    ],
)
def test_upgrade_bad_requests_are_refused_with_a_status(data: bytes, status: int) -> None:
    with pytest.raises(HandshakeRefused) as refused:
        parse_upgrade(data)
    assert refused.value.status == status
    response = refusal_response(refused.value)
    assert response.startswith(f"HTTP/1.1 {status} ".encode())
    assert response.endswith((refused.value.reason + "\n").encode())


@given(st.binary(max_size=300))
def test_upgrade_any_bytes_parse_or_are_a_protocol_error(data: bytes) -> None:
    try:
        parse_upgrade(data + b"\r\n\r\n")
    except ProtocolError as error:
        assert isinstance(error, HandshakeRefused)


def test_client_address_believes_only_trusted_proxies() -> None:
    trusted = TrustedProxies("127.0.0.1,::1,10.0.1.0/24")
    forwarded = {"x-forwarded-for": "203.0.113.7, 10.0.1.9", "x-real-port": "51234"}
    assert client_address(("127.0.0.1", 4000), forwarded, trusted) == ("203.0.113.7", 51234)
    assert client_address(("198.51.100.2", 4000), forwarded, trusted) == ("198.51.100.2", 4000)
    assert client_address(("::1", 4000), {}, trusted) == ("::1", 4000)
    bad_port = {"x-forwarded-for": "203.0.113.7", "x-real-port": "99999"}
    assert client_address(("10.0.1.3", 1), bad_port, trusted) == ("203.0.113.7", 0)
    assert "10.0.2.1" not in trusted and "not an address" not in trusted
    assert "192.0.2.1" in TrustedProxies("*")


def test_a_websocket_upgrade_is_recognised_once_its_head_is_complete() -> None:
    head = request()
    assert wants_websocket(head) is True
    assert wants_websocket(head + b"\x81\x85") is True  # a first frame already behind it
    assert all(wants_websocket(head[:cut]) is None for cut in range(len(head) - 1))
    lower = request().replace(b"connection: Upgrade", b"Connection: keep-alive, UPGRADE")
    assert wants_websocket(lower) is True


@pytest.mark.parametrize(
    "data",
    [
        b"POST /api HTTP/1.1\r\n",
        b"HEAD / HTTP/1.1\r\n\r\n",
        b"G\x00",
        b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n",
        b"GET /ws HTTP/1.1\r\nupgrade: websocket\r\n\r\n",  # no Connection: upgrade
        b"GET /ws HTTP/1.1\r\nconnection: upgrade\r\nupgrade: h2c\r\n\r\n",
        b"GET / HTTP/1.0\n\n",  # bare newlines: uvicorn's to answer
        b"GET /" + b"a" * (70 * 1024),  # a head past the limit
    ],
)
def test_anything_else_is_plain_http(data: bytes) -> None:
    assert wants_websocket(data) is False


@given(st.binary(max_size=300))
def test_any_bytes_get_an_answer_or_a_wait(data: bytes) -> None:
    assert wants_websocket(data) in (True, False, None)
