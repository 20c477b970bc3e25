"""HTTP routes for the operator's rooms on the `/admin` page (admins only, the admin token of
http/admin.py), the same commands as `causerie rooms` (node/room_admin.py):

- `GET /api/admin/rooms[?archived=1]`: the rooms with their settings;
- `POST /api/admin/rooms` `{id, name, kind, audience, topic?, pictures?, slow_mode_s?,
  member_limit?, position?, reason?}`: make an official room (201);
- `PATCH /api/admin/rooms/{room_id}` `{…the settings to change, reason?}`: change a room;
- `POST /api/admin/rooms/{room_id}/archive` `{reason}`: close a room;
- `GET|PUT /api/admin/rooms/{room_id}/games` `{games: [name, …], reason?}`: the games a room
  allows (the answer adds `available`: the room games it may allow, with title and summary).

A refusal is `{error, message, field?}` with the wire's code (`invalid` 400, `not_found` 404),
its message in the language the page asks for (`?lang=en`, French by default). The change
reaches the people connected on every node at once (the control channel's `"rooms"`).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from causerie.core.policy.room_rules import RoomSpec
from causerie.errors import CauserieError, ErrorCode
from causerie.http.openapi import Operation, Query, documented
from causerie.http.session_auth import bearer_of
from causerie.node.room_admin import EDITABLE, settings_of
from causerie.store.base import StoreUnavailable
from causerie.wire.events import error_body

if TYPE_CHECKING:
    from causerie.node.runtime import Node

MAX_BODY_BYTES = 8192
_STATUS = {ErrorCode.NOT_FOUND: 404, ErrorCode.INVALID: 400}
_TYPES: dict[str, tuple[type, ...]] = {
    "id": (str,),
    "name": (str,),
    "kind": (str,),
    "audience": (str,),
    "topic": (str,),
    "pictures": (bool,),
    "slow_mode_s": (int, float),
    "member_limit": (int,),
    "position": (int,),
    "reason": (str,),
    "games": (list,),
}


def _refusal(error: CauserieError, lang: str) -> Response:
    body = error_body(error, lang)
    body["error"] = body.pop("code")
    return JSONResponse(body, _STATUS.get(error.code, 400))


def _invalid(field: str | None = None) -> CauserieError:
    return CauserieError(ErrorCode.INVALID, "invalid", field=field)


async def _form(request: Request) -> dict[str, Any]:
    """The JSON object of the body, each known field of its type.

    Raises:
        CauserieError: `invalid`, naming the field at fault when there is one.
    """
    body = await request.body()
    try:
        form = json.loads(body) if len(body) <= MAX_BODY_BYTES else None
    except ValueError:
        form = None
    if not isinstance(form, dict):
        raise _invalid()
    for key, value in form.items():
        kinds = _TYPES.get(key)
        is_bool_as_number = isinstance(value, bool) and bool not in (kinds or ())
        if kinds is None or not isinstance(value, kinds) or is_bool_as_number:
            raise _invalid(key)
    return form


def room_routes(node: Node, admin_of: Callable[[str | None], str | None]) -> list[Route]:
    """The routes above; `admin_of(token)` names the admin a bearer token was issued to."""
    editor = node.rooms

    def lang_of(request: Request) -> str:
        return "en" if request.query_params.get("lang") == "en" else "fr"

    async def answer(
        request: Request, act: Callable[[str, Request], Awaitable[Response]]
    ) -> Response:
        admin = admin_of(bearer_of(request))
        if admin is None:
            return JSONResponse({"error": "forbidden", "message": "log in as an admin"}, 403)
        try:
            return await act(admin, request)
        except CauserieError as refused:
            return _refusal(refused, lang_of(request))
        except StoreUnavailable:
            return JSONResponse({"error": "unavailable", "message": "try again shortly"}, 503)

    @documented(
        Operation(
            "The rooms and their settings (admins only)",
            {200: "{rooms: [{id, name, topic, kind, audience, …}]}", 403: "no admin token"},
            query=(Query("archived", "1: archived rooms too"),),
            bearer=True,
        )
    )
    async def list_rooms(request: Request) -> Response:
        async def act(_admin: str, request: Request) -> Response:
            archived = request.query_params.get("archived") == "1"
            rows = await editor.rooms(archived=archived)
            return JSONResponse({"rooms": [settings_of(row) for row in rows]})

        return await answer(request, act)

    @documented(
        Operation(
            "Make an official room (admins only)",
            {201: "{room}", 400: "{error, message, field}", 403: "no admin token"},
            body="{id, name, kind, audience, topic?, pictures?, slow_mode_s?, member_limit?, "
            "position?, reason?}",
            bearer=True,
        )
    )
    async def add_room(request: Request) -> Response:
        async def act(admin: str, request: Request) -> Response:
            form = await _form(request)
            reason = form.pop("reason", "")
            missing = [key for key in ("id", "name", "kind", "audience") if key not in form]
            if missing:
                raise _invalid(missing[0])
            added = await editor.add(RoomSpec(**form), admin, reason)
            return JSONResponse({"room": settings_of(added)}, 201)

        return await answer(request, act)

    @documented(
        Operation(
            "Change a room's settings (admins only)",
            {
                200: "{room}",
                400: "{error, message, field}",
                403: "no admin token",
                404: "no such room",
            },
            path={"room_id": "the room's id"},
            body="{name?, topic?, kind?, audience?, pictures?, slow_mode_s?, member_limit?, "
            "position?, reason?}",
            bearer=True,
        )
    )
    async def edit_room(request: Request) -> Response:
        async def act(admin: str, request: Request) -> Response:
            form = await _form(request)
            reason = form.pop("reason", "")
            changes = {key: value for key, value in form.items() if key in EDITABLE}
            if set(form) - set(changes):
                raise _invalid(sorted(set(form) - set(changes))[0])
            room_id = request.path_params["room_id"]
            edited = await editor.edit(room_id, changes, admin, reason)
            return JSONResponse({"room": settings_of(edited)})

        return await answer(request, act)

    @documented(
        Operation(
            "Archive a room: members out, joins refused, messages kept (admins only)",
            {200: "{archived}", 400: "no reason", 403: "no admin token", 404: "no such room"},
            path={"room_id": "the room's id"},
            body="{reason}",
            bearer=True,
        )
    )
    async def archive_room(request: Request) -> Response:
        async def act(admin: str, request: Request) -> Response:
            form = await _form(request)
            reason = str(form.get("reason", "")).strip()
            if not reason:
                raise _invalid("reason")
            room_id = request.path_params["room_id"]
            await editor.archive(room_id, admin, reason)
            return JSONResponse({"archived": room_id})

        return await answer(request, act)

    @documented(
        Operation(
            "The games a room allows, and those it may allow; PUT sets them (admins only)",
            {
                200: "{room, games: [name, …], available: [{name, title, summary}, …]}",
                400: "{error, message, field}",
                403: "no admin token",
                404: "no such room",
            },
            path={"room_id": "the room's id"},
            body="PUT: {games: [name, …], reason?}",
            bearer=True,
        )
    )
    async def room_games(request: Request) -> Response:
        async def act(admin: str, request: Request) -> Response:
            room_id = request.path_params["room_id"]
            room = node.hub.room(room_id)
            if room is None:
                raise CauserieError(ErrorCode.NOT_FOUND, "room_not_found")
            fit = node.games.offer.fit(room)
            if request.method == "PUT":
                form = await _form(request)
                names = form.get("games")
                if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                    raise _invalid("games")
                reason = str(form.get("reason", ""))
                fit_names = [spec.name for spec in fit]
                games = await editor.set_games(room_id, names, fit_names, admin, reason)
            else:
                games = await node.store.room_games(room_id)
            available = [
                {"name": spec.name, "title": spec.title, "summary": spec.summary} for spec in fit
            ]
            return JSONResponse({"room": room_id, "games": list(games), "available": available})

        return await answer(request, act)

    return [
        Route("/api/admin/rooms/{room_id}/games", room_games, methods=["GET", "PUT"]),
        Route("/api/admin/rooms", list_rooms, methods=["GET"]),
        Route("/api/admin/rooms", add_room, methods=["POST"]),
        Route("/api/admin/rooms/{room_id}", edit_room, methods=["PATCH"]),
        Route("/api/admin/rooms/{room_id}/archive", archive_room, methods=["POST"]),
    ]
