"""HTTP routes for the admin page (transparency, rooms) and a person's own data download.

- `GET /admin` serves the page (static files under `web/static/admin/`, strict CSP: no inline
  script or style; the charts are SVG drawn by that script).
- `POST /api/admin/login` takes a staff name, password and TOTP code, like the moderation
  console's login, and answers an admin (never a plain moderator) with a bearer token good
  for `ADMIN_TOKEN_TTL_S` on any node (`AdminSessions`). The login goes through the node's
  `StaffLogins` like every other door: failed attempts limited per address and per name (across
  nodes with Redis), reserved before the password is checked, the hash off the event loop, and
  a TOTP code good once.
- `GET /api/admin/transparency?from=YYYY-MM-DD&to=YYYY-MM-DD` returns the figures.
- `/api/admin/rooms…`: the operator's rooms (http/admin_rooms.py), with the same token.
- `GET /api/me/data` returns, as a JSON download, what the service holds about the calling
  session (bearer from the `welcome` frame, see `session_auth`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from causerie.broker.base import BrokerUnavailable
from causerie.core.numerals import ascii_int
from causerie.errors import CauserieError, ConfigError
from causerie.http.admin_rooms import room_routes
from causerie.http.openapi import Operation, Query, documented
from causerie.http.session_auth import bearer_of, session_of
from causerie.legal import keys
from causerie.retention.policy import DAY_MS, parse_day
from causerie.safety.staff import StaffAuthError, StaffRole
from causerie.transparency.figures import compute

if TYPE_CHECKING:
    from causerie.node.runtime import Node

ADMIN_TOKEN_TTL_S = 15 * 60
MAX_PERIOD_DAYS = 3 * 366
MAX_LOGIN_BODY_BYTES = 4096


@dataclass
class AdminSessions:
    """Admin bearer tokens: `name.expiry.mac`, where the MAC is an HMAC-SHA256 under a secret
    every node derives from the operator's key file (the same file on every node, see
    docs/legal.md). Any node can check a token, so the page works behind a load balancer
    without sticky sessions; tokens end by themselves after `ADMIN_TOKEN_TTL_S`."""

    secret: bytes
    clock_s: Callable[[], float] = time.time

    def _mac(self, name_part: str, expiry: int) -> str:
        message = f"{name_part}.{expiry}".encode()
        return hmac.new(self.secret, message, hashlib.sha256).hexdigest()

    def issue(self, name: str) -> str:
        name_part = base64.urlsafe_b64encode(name.encode()).decode().rstrip("=")
        expiry = int(self.clock_s()) + ADMIN_TOKEN_TTL_S
        return f"{name_part}.{expiry}.{self._mac(name_part, expiry)}"

    def name_of(self, token: str | None) -> str | None:
        """The admin a token was issued to, or None (forged, garbled or expired)."""
        name_part, _, rest = (token or "").partition(".")
        expiry_text, _, mac = rest.partition(".")
        expiry = ascii_int(expiry_text, max_digits=12)
        if expiry is None:
            return None
        if not hmac.compare_digest(mac, self._mac(name_part, expiry)):
            return None
        if expiry <= self.clock_s():
            return None
        try:
            return base64.urlsafe_b64decode(name_part + "=" * (-len(name_part) % 4)).decode()
        except ValueError:
            return None


def token_secret(key_file: Path) -> bytes:
    """The admin tokens' HMAC secret, derived from the operator's signing key (created when
    missing), so it is never stored on its own and is the same on every node."""
    from cryptography.hazmat.primitives import serialization

    key = keys.load_or_create(key_file)
    raw = key.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    return hashlib.sha256(b"causerie admin tokens\0" + raw).digest()


def _error(status: int, code: str, message: str) -> Response:
    return JSONResponse({"error": code, "message": message}, status)


def _limited(refused: CauserieError) -> Response:
    retry_after_s = max(1, math.ceil(min(refused.retry_after_s or 1.0, 86400.0)))
    response = JSONResponse(
        {
            "error": refused.code.value,
            "message": "too many failed logins; try again later",
            "retry_after": retry_after_s,
        },
        429,
    )
    response.headers["retry-after"] = str(retry_after_s)
    return response


def admin_routes(node: Node, static_dir: Path) -> list[Route]:
    sessions = AdminSessions(token_secret(node.settings.effective_legal_key_file))

    async def page(_request: Request) -> Response:
        response = FileResponse(static_dir / "admin" / "index.html", media_type="text/html")
        response.headers["cache-control"] = "no-cache"
        return response

    @documented(
        Operation(
            "Log an admin in for the transparency page",
            {
                200: "{token, expires_in}",
                400: "not {name, password, totp?}",
                403: "not an admin, or wrong credentials",
                429: "too many failed attempts (address or name), or checks busy",
                503: "the shared limiter (Redis) did not answer",
            },
            body="{name, password, totp?}",
        )
    )
    async def login(request: Request) -> Response:
        address = request.client.host if request.client else "?"
        body = await request.body()
        try:
            form = json.loads(body) if len(body) <= MAX_LOGIN_BODY_BYTES else None
            if not isinstance(form, dict):
                raise ValueError("not an object")
            name, password = str(form["name"]).strip(), str(form["password"])
            totp = str(form["totp"]) if form.get("totp") else None
        except (ValueError, TypeError, KeyError):
            return _error(400, "invalid", "expected {name, password, totp?}")
        try:
            account = await node.logins.log_in(name, password, totp, address)
        except StaffAuthError:
            return _error(403, "forbidden", "login refused")
        except CauserieError as refused:  # rate_limited: too many failures, or checks busy
            return _limited(refused)
        except BrokerUnavailable:
            return _error(503, "unavailable", "try again shortly")
        if account.role is not StaffRole.ADMIN:
            return _error(403, "forbidden", "the transparency page is for admins")
        return JSONResponse(
            {"token": sessions.issue(account.name), "expires_in": ADMIN_TOKEN_TTL_S}
        )

    @documented(
        Operation(
            "Transparency figures for a period (admins only)",
            {
                200: "the figures (docs/retention.md, transparency)",
                400: "bad period",
                403: "no admin token",
            },
            query=(
                Query("from", "first day, YYYY-MM-DD", required=True, format="date"),
                Query("to", "last day, YYYY-MM-DD", required=True, format="date"),
            ),
            bearer=True,
        )
    )
    async def transparency(request: Request) -> Response:
        if sessions.name_of(bearer_of(request)) is None:
            return _error(403, "forbidden", "log in as an admin")
        try:
            start = parse_day(request.query_params.get("from", ""))
            end = parse_day(request.query_params.get("to", ""), end=True)
        except ConfigError as exc:
            return _error(400, "invalid", str(exc))
        if end < start or end - start > MAX_PERIOD_DAYS * DAY_MS:
            return _error(400, "invalid", f"a period of 1 to {MAX_PERIOD_DAYS} days")
        rows = await node.store.transparency_rows(start, end)
        return JSONResponse(compute(rows, start, end))

    @documented(
        Operation(
            "Everything the service holds about the calling session (JSON download)",
            {
                200: "connection, messages, DMs, pictures, reports, statements",
                403: "no valid session token",
            },
            bearer=True,
        )
    )
    async def my_data(request: Request) -> Response:
        try:
            record = await session_of(request, node.store)
        except CauserieError:
            return _error(403, "forbidden", "a connected session's token is required")
        data: dict[str, Any] = {
            "service": "Causerie",
            "generated_at_ms": node.now_ms(),
            "session": record.session,
            **await node.store.session_rows(record.session),
        }
        connection = data.get("connection")
        if isinstance(connection, dict):
            connection.pop("token_sha256", None)
        response = JSONResponse(data)
        response.headers["content-disposition"] = (
            f'attachment; filename="causerie-{record.session[:12]}.json"'
        )
        response.headers["cache-control"] = "no-store"
        return response

    return [
        Route("/admin", page, include_in_schema=False),
        Route("/api/admin/login", login, methods=["POST"]),
        Route("/api/admin/transparency", transparency),
        *room_routes(node, sessions.name_of),
        Route("/api/me/data", my_data),
    ]
