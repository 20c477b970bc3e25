"""The upload body is counted as it arrives and refused at the limit: the server stops reading
there, so a client cannot make it hold more than the limit."""

from __future__ import annotations

import pytest
from starlette.requests import Request
from starlette.types import Message

from causerie.errors import CauserieError, ErrorCode
from causerie.http.media import _bounded_body, error_response, origin_of

CHUNK = b"x" * 1000


def _request(
    chunks: int, headers: list[tuple[bytes, bytes]] | None = None
) -> tuple[Request, list[int]]:
    read: list[int] = []

    async def receive() -> Message:
        read.append(1)
        more = len(read) < chunks
        return {"type": "http.request", "body": CHUNK, "more_body": more}

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/media",
        "headers": headers or [],
        "client": ("203.0.113.9", 0),
    }
    return Request(scope, receive), read


async def test_bounded_body_under_limit_returns_every_byte() -> None:
    request, _ = _request(5)

    assert await _bounded_body(request, 10_000) == CHUNK * 5


async def test_bounded_body_stops_reading_at_limit_too_large() -> None:
    request, read = _request(1000)

    with pytest.raises(CauserieError) as caught:
        await _bounded_body(request, 4_500)

    assert (caught.value.code, caught.value.key) == (ErrorCode.TOO_LARGE, "media_too_large")
    assert len(read) == 5  # the fifth chunk crossed the limit; nothing after it was read


async def test_bounded_body_declared_length_over_limit_refused_before_reading() -> None:
    request, read = _request(1000, [(b"content-length", b"999999")])

    with pytest.raises(CauserieError):
        await _bounded_body(request, 4_500)

    assert read == []


def test_origin_behind_proxy_takes_forwarded_port() -> None:
    request, _ = _request(1, [(b"x-real-port", b"51234")])

    assert (origin_of(request).address, origin_of(request).port) == ("203.0.113.9", 51234)


def test_error_response_rate_limited_has_retry_after_and_readable_message() -> None:
    error = CauserieError(ErrorCode.RATE_LIMITED, "rate_limited", retry_after_s=12.3)

    response = error_response(error, "en")

    assert response.status_code == 429
    assert response.headers["retry-after"] == "13"
    assert b"13 s" in response.body
    assert b"Slow down" in response.body
