"""The ASGI application: routes and security headers, and nothing else.

`create_app` takes a `Node` already built and started by the composition root
(causerie/assembly/), which also starts and stops the listeners and background jobs. Static
files are served from the package; `/` sets the long-lived device cookie that later ban and
rate-limit rules key on. Every response gets the
security headers once: a response that sets its own (a picture's sandboxing CSP) keeps it.
"""

from __future__ import annotations

import secrets
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import msgspec
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from causerie.geo import load_directory
from causerie.http.admin import admin_routes
from causerie.http.dev_provider import dev_provider_routes
from causerie.http.media import media_routes
from causerie.http.openapi import Operation, documented, openapi_document
from causerie.node.runtime import Node
from causerie.wire.views import room_view
from causerie.ws.origins import connect_sources
from causerie.ws.protocol import DEVICE_COOKIE

STATIC_DIR = Path(str(files("causerie.web") / "static"))
DEVICE_COOKIE_MAX_AGE_S = 400 * 24 * 3600
_CSP = (
    "default-src 'self'; connect-src {connect}; img-src 'self' data: blob:; "
    "style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
API_TITLE, API_VERSION = "Causerie API", "1"


def content_security_policy(scheme: str, host: str | None) -> str:
    """The pages' policy: scripts, styles and connections to this site only, the WebSocket
    named (`wss://host` over https; `'self'` alone does not cover it in every browser)."""
    return _CSP.format(connect=connect_sources(scheme, host))


@lru_cache(maxsize=256)  # one per site name a request came to: a handful in practice
def security_headers(scheme: str, host: str | None) -> tuple[tuple[bytes, bytes], ...]:
    return (
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"x-frame-options", b"DENY"),
        (b"content-security-policy", content_security_policy(scheme, host).encode()),
    )


def _host_of(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"host":
            return bytes(value).decode("latin-1")
    return None


class SecurityHeaders:
    """Adds the security headers to every HTTP response, each once: one the response already
    has (a picture's own, stricter CSP) is left as it is."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {bytes(name).lower() for name, _value in headers}
                extra = security_headers(scope.get("scheme", "http"), _host_of(scope))
                headers += [header for header in extra if header[0] not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


class JSON(JSONResponse):
    def render(self, content: Any) -> bytes:
        return msgspec.json.encode(content)


def create_app(node: Node) -> Starlette:
    directory = load_directory()

    async def index(request: Request) -> Response:
        response = FileResponse(STATIC_DIR / "index.html", media_type="text/html")
        response.headers["cache-control"] = "no-cache"
        if DEVICE_COOKIE not in request.cookies:
            response.set_cookie(
                DEVICE_COOKIE,
                secrets.token_urlsafe(16),
                max_age=DEVICE_COOKIE_MAX_AGE_S,
                httponly=True,
                samesite="lax",
                secure=request.url.scheme == "https",
            )
        return response

    async def moderation_console(_request: Request) -> Response:
        response = FileResponse(STATIC_DIR / "mod" / "index.html", media_type="text/html")
        response.headers["cache-control"] = "no-cache"
        return response

    def root_file(name: str, media_type: str) -> Route:
        async def serve(_request: Request) -> Response:
            response = FileResponse(STATIC_DIR / name, media_type=media_type)
            response.headers["cache-control"] = "no-cache"
            return response

        return Route(f"/{name}", serve, include_in_schema=False)

    @documented(
        Operation(
            "Whether this node is ready",
            {200: "ready", 503: "not ready (starting, or the database is unreachable)"},
        )
    )
    async def healthz(_request: Request) -> Response:
        if node.is_ready:
            return JSON({"status": "ok"})
        return JSON({"status": "unavailable", "store": node.is_store_reachable}, 503)

    async def metrics(_request: Request) -> Response:
        return Response(generate_latest(node.metrics.registry), media_type=CONTENT_TYPE_LATEST)

    @documented(
        Operation(
            "Room directory with member counts",
            {200: "{rooms: [{id, name, kind, audience, topic, members}]}"},
        )
    )
    async def api_rooms(_request: Request) -> Response:
        return JSON({"rooms": [room_view(view) for view in await node.room_views()]})

    @documented(
        Operation(
            "Regions and départements, for the user-list filters",
            {200: "{regions: [...], departments: [{code, name, region}]}"},
        )
    )
    async def api_geo(_request: Request) -> Response:
        return JSON(
            {
                "regions": directory.regions(),
                "departments": [
                    {"code": d.department, "name": d.department_name, "region": d.region}
                    for d in directory.departments()
                ],
            }
        )

    @documented(
        Operation(
            "Where a French postal code lies (for the join form's live check)",
            {200: "{dept, dept_name, region}", 404: "not a French postal code"},
            path={"code": "a French postal code, 5 digits"},
        )
    )
    async def api_postcode(request: Request) -> Response:
        place = directory.locate(request.path_params["code"])
        if place is None:
            return JSON({"error": "not_found"}, 404)
        return JSON(
            {"dept": place.department, "dept_name": place.department_name, "region": place.region}
        )

    api_document: dict[str, Any] = {}  # built once the routes exist, below

    async def openapi(_request: Request) -> Response:
        return JSON(api_document)

    app = Starlette(
        routes=[
            Route("/", index, include_in_schema=False),
            Route("/mod", moderation_console, include_in_schema=False),
            root_file("sw.js", "text/javascript"),
            root_file("manifest.webmanifest", "application/manifest+json"),
            root_file("favicon.ico", "image/x-icon"),  # asked for by every browser
            Route("/healthz", healthz),
            Route("/metrics", metrics, include_in_schema=False),
            Route("/api/rooms", api_rooms),
            Route("/api/geo", api_geo),
            Route("/api/postcode/{code}", api_postcode),
            Route("/api/openapi.json", openapi, include_in_schema=False),
            *admin_routes(node, STATIC_DIR),
            *media_routes(node),
            *dev_provider_routes(node),  # none unless CAUSERIE_AGE_TEST_PROVIDER=on
            Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
        ],
    )
    api_document.update(openapi_document(app.routes, API_TITLE, API_VERSION))
    app.add_middleware(SecurityHeaders)
    return app
