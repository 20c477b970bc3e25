"""Pictures over HTTP: `POST /api/media` uploads one, `GET /media/{id}[/thumb|/preview]` serves
it to the people allowed to see a message that carries it (docs/media.md).

Both are authorised by the chat session's bearer token (`welcome.token`). The upload is counted
while it streams in and cut off at the limit, so a client cannot make the server hold more than
the limit in memory. Files are served with their real type, `nosniff`, a sandboxing content
security policy and `private` caching; nothing is ever listed.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable
from typing import Any

import msgspec
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from causerie.core.numerals import ascii_int
from causerie.errors import CauserieError, ErrorCode
from causerie.http.openapi import Operation, documented
from causerie.http.session_auth import session_of
from causerie.media.preview import blurred_preview
from causerie.media.records import MediaRecord
from causerie.media.store import Area
from causerie.node.runtime import Node
from causerie.store.base import Origin, StoreUnavailable
from causerie.wire.events import error_body
from causerie.ws.handshake import REAL_PORT_HEADER

MEDIA_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'"  # the only CSP on a picture
PREVIEW_MIME = "image/jpeg"
_SERVED = {
    "full": "A picture, to someone who may see a message carrying it",
    "thumb": "A picture's thumbnail, to someone who may see a message carrying it",
    "preview": "A blurred preview of a picture (private messages arrive blurred)",
}
_STATUS = {
    ErrorCode.INVALID: 400,
    ErrorCode.INVALID_MEDIA: 415,
    ErrorCode.TOO_LARGE: 413,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.RATE_LIMITED: 429,
    ErrorCode.BANNED: 403,
    ErrorCode.UNAVAILABLE: 503,
}


def language_of(request: Request) -> str:
    """English when the browser prefers it; French otherwise (the site's language)."""
    wanted = request.query_params.get("lang") or request.headers.get("accept-language", "")
    return "en" if wanted.strip().lower().startswith("en") else "fr"


def error_response(error: CauserieError, lang: str) -> Response:
    """The HTTP twin of a wire `error` frame: same code, same readable message."""
    headers = {}
    if error.retry_after_s is not None:
        headers["retry-after"] = str(max(1, math.ceil(error.retry_after_s)))
    status = _STATUS.get(error.code, 500)
    if error.key == "session_required":
        status = 401
    return Response(
        msgspec.json.encode({"error": error_body(error, lang)}),
        status,
        headers,
        media_type="application/json",
    )


def origin_of(request: Request) -> Origin:
    """The client's address and source port (behind a trusted proxy, as it forwarded them)."""
    host, port = (request.client.host, request.client.port) if request.client else ("", 0)
    if port == 0:
        port = ascii_int(request.headers.get(REAL_PORT_HEADER, ""), max_digits=5) or 0
    return Origin(host, port if port <= 65535 else 0)


async def _bounded_body(request: Request, max_bytes: int) -> bytes:
    """The request body, refused as soon as it passes `max_bytes` (declared or streamed)."""
    too_large = CauserieError(
        ErrorCode.TOO_LARGE, "media_too_large", max_mb=max(1, max_bytes // (1024 * 1024))
    )
    declared = ascii_int(request.headers.get("content-length", ""), max_digits=19)
    if declared is not None and declared > max_bytes:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def media_routes(node: Node) -> list[Route]:
    pictures = node.pictures

    @documented(
        Operation(
            "Upload a picture for a message (authorised by the chat session's token)",
            {
                201: "{id, width, height, mime}: send it with say or dm {media: id}",
                401: "no chat session",
                403: "refused (removed by moderators, or by the safety check)",
                413: "over the size limit",
                415: "not an accepted picture",
                429: "too many uploads",
            },
            body="the file's bytes (JPEG, PNG, WebP or GIF)",
            body_type="image/*",
            bearer=True,
        )
    )
    async def upload(request: Request) -> Response:
        lang = language_of(request)
        try:
            uploader = await session_of(request, node.store)
            data = await _bounded_body(request, pictures.limits.max_bytes)
            record = await pictures.upload(uploader, data, origin_of(request))
        except CauserieError as error:
            return error_response(error, lang)
        except StoreUnavailable:
            return error_response(CauserieError(ErrorCode.UNAVAILABLE), lang)
        except ClientDisconnect:
            return Response(status_code=400)
        body = {"id": record.id, "width": record.width, "height": record.height}
        return Response(
            msgspec.json.encode({**body, "mime": record.mime}), 201, media_type="application/json"
        )

    def serve(variant: str) -> Callable[[Request], Any]:
        @documented(
            Operation(
                _SERVED[variant],
                {
                    200: "the file",
                    401: "no chat session",
                    404: "unknown, removed, or not yours to see",
                },
                path={"media_id": "the picture's id, as the upload answered"},
                bearer=True,
            )
        )
        async def handler(request: Request) -> Response:
            lang = language_of(request)
            try:
                viewer = await session_of(request, node.store)
                record = await pictures.viewable(viewer, request.path_params["media_id"])
                data, mime = await _file(record, variant)
            except CauserieError as error:
                return error_response(error, lang)
            except StoreUnavailable:
                return error_response(CauserieError(ErrorCode.UNAVAILABLE), lang)
            headers = {
                "cache-control": "private, max-age=3600",
                "content-security-policy": MEDIA_CSP,
                "content-disposition": "inline",
                "cross-origin-resource-policy": "same-origin",
            }
            return Response(data, media_type=mime, headers=headers)

        return handler

    async def _file(record: MediaRecord, variant: str) -> tuple[bytes, str]:
        name = record.sha256 if variant == "full" else record.thumb_sha256
        data = await pictures.files.get(name, Area.PUBLIC)
        if data is None:  # purged, or storage lost it
            raise CauserieError(ErrorCode.NOT_FOUND, "media_unknown")
        if variant == "preview":
            return await asyncio.to_thread(blurred_preview, data), PREVIEW_MIME
        return data, record.mime  # a thumbnail has its picture's format

    return [
        Route("/api/media", upload, methods=["POST"]),
        Route("/media/{media_id}", serve("full"), methods=["GET"]),
        Route("/media/{media_id}/thumb", serve("thumb"), methods=["GET"]),
        Route("/media/{media_id}/preview", serve("preview"), methods=["GET"]),
    ]
