"""The ASGI application: routes, security headers and the node's lifespan.

`create_app` takes a `Node` already built (store, broker, settings), so tests and the command
line assemble it the same way. Static files are served from the package; `/` sets the
long-lived device cookie that later ban and rate-limit rules key on.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any

import msgspec
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.schemas import SchemaGenerator
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from causerie.geo import load_directory
from causerie.http.admin import admin_routes
from causerie.http.media import media_routes
from causerie.irc.transport import start_irc
from causerie.node.runtime import Node
from causerie.retention.purge import PurgeJob, Purger
from causerie.ws.codec import room_view
from causerie.ws.protocol import DEVICE_COOKIE

STATIC_DIR = Path(str(files("causerie.web") / "static"))
DEVICE_COOKIE_MAX_AGE_S = 400 * 24 * 3600
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data: blob:; "
    "style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
_SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
]


class SecurityHeaders:
    """Adds the same security headers to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *_SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers)


class JSON(JSONResponse):
    def render(self, content: Any) -> bytes:
        return msgspec.json.encode(content)


schemas = SchemaGenerator({"openapi": "3.0.3", "info": {"title": "Causerie API", "version": "1"}})


def create_app(node: Node, on_ready: Callable[[], None] | None = None) -> Starlette:
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

    async def healthz(_request: Request) -> Response:
        """
        responses:
          200: {description: ready}
          503: {description: not ready (starting, or the database is unreachable)}
        """
        if node.is_ready:
            return JSON({"status": "ok"})
        return JSON({"status": "unavailable", "store": node.is_store_reachable}, 503)

    async def metrics(_request: Request) -> Response:
        return Response(generate_latest(node.metrics.registry), media_type=CONTENT_TYPE_LATEST)

    async def api_rooms(_request: Request) -> Response:
        """
        summary: Room directory with member counts on this node
        responses:
          200: {description: "list of {id, name, kind, audience, topic, members}"}
        """
        return JSON({"rooms": [room_view(view) for view in await node.room_views()]})

    async def api_geo(_request: Request) -> Response:
        """
        summary: Regions and départements, for the user-list filters
        responses:
          200: {description: "{regions: [...], departments: [{code, name, region}]}"}
        """
        return JSON(
            {
                "regions": directory.regions(),
                "departments": [
                    {"code": d.department, "name": d.department_name, "region": d.region}
                    for d in directory.departments()
                ],
            }
        )

    async def api_postcode(request: Request) -> Response:
        """
        summary: Where a French postal code lies (for the join form's live check)
        parameters:
          - {name: code, in: path, required: true, schema: {type: string}}
        responses:
          200: {description: "{dept, dept_name, region}"}
          404: {description: not a French postal code}
        """
        place = directory.locate(request.path_params["code"])
        if place is None:
            return JSON({"error": "not_found"}, 404)
        return JSON(
            {"dept": place.department, "dept_name": place.department_name, "region": place.region}
        )

    async def openapi(request: Request) -> Response:
        return JSON(schemas.get_schema(routes=app.routes))

    @asynccontextmanager
    async def lifespan(app_: Starlette) -> AsyncIterator[None]:
        await node.start()
        irc = await start_irc(node)  # None unless CAUSERIE_IRC_PORT is set
        app_.state.irc = irc
        purge = PurgeJob(
            Purger.from_settings(node.store, node.settings), node.settings.purge_interval_s
        )
        purge.start()
        if on_ready is not None:
            on_ready()
        try:
            yield
        finally:
            await purge.stop()
            if irc is not None:
                await irc.stop()
            await node.stop()

    app = Starlette(
        routes=[
            Route("/", index, include_in_schema=False),
            Route("/mod", moderation_console, include_in_schema=False),
            root_file("sw.js", "text/javascript"),
            root_file("manifest.webmanifest", "application/manifest+json"),
            Route("/healthz", healthz),
            Route("/metrics", metrics, include_in_schema=False),
            Route("/api/rooms", api_rooms),
            Route("/api/geo", api_geo),
            Route("/api/postcode/{code}", api_postcode),
            Route("/api/openapi.json", openapi, include_in_schema=False),
            *admin_routes(node, STATIC_DIR),
            *media_routes(node),
            Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
        ],
        lifespan=lifespan,
    )
    app.add_middleware(SecurityHeaders)
    return app
