"""The OpenAPI document builder (`http.openapi`): path parameters come from the routes."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route

from causerie.http.openapi import Operation, Query, documented, openapi_document


async def _plain(_request: Request) -> Response:
    return Response()


def _endpoint(operation: Operation | None) -> object:
    async def endpoint(_request: Request) -> Response:
        return Response()

    return endpoint if operation is None else documented(operation)(endpoint)


def test_openapi_path_parameters_taken_from_the_route_with_their_types() -> None:
    op = Operation("a picture", {200: "the file, or not", 404: "unknown, removed, or not yours"})
    routes = [
        Route("/media/{media_id}", _endpoint(op)),
        Route("/rooms/{room_id:int}/page/{n:float}", _endpoint(op)),
    ]

    document = openapi_document(routes, "t", "1")

    validate(document)
    media = document["paths"]["/media/{media_id}"]["get"]
    assert [(p["name"], p["in"], p["schema"]["type"]) for p in media["parameters"]] == [
        ("media_id", "path", "string")
    ]
    rooms = document["paths"]["/rooms/{room_id}/page/{n}"]["get"]
    assert {p["name"]: p["schema"]["type"] for p in rooms["parameters"]} == {
        "room_id": "integer",
        "n": "number",
    }
    assert media["responses"]["404"] == {"description": "unknown, removed, or not yours"}


def test_openapi_describing_a_parameter_the_route_lacks_raises() -> None:
    op = Operation("a picture", {200: "the file"}, path={"id": "its id"})
    with pytest.raises(ValueError, match="id"):
        openapi_document([Route("/media/{media_id}", _endpoint(op))], "t", "1")


def test_openapi_undocumented_route_raises_but_excluded_ones_and_mounts_stay_out() -> None:
    with pytest.raises(ValueError, match="/x"):
        openapi_document([Route("/x", _plain)], "t", "1")

    document = openapi_document(
        [Route("/hidden", _plain, include_in_schema=False), Mount("/static", routes=[])], "t", "1"
    )
    assert document["paths"] == {}


def test_openapi_query_body_and_bearer_and_methods() -> None:
    op = Operation(
        "figures",
        {200: "ok", 400: "bad period"},
        query=(Query("from", "first day", required=True, format="date"),),
        body="{name, password}",
        bearer=True,
    )
    upload = Operation("upload", {201: "made"}, body="bytes", body_type="image/*")
    routes = [
        Route("/figures", _endpoint(op), methods=["GET", "POST"]),
        Route("/upload", _endpoint(upload), methods=["POST"]),
    ]

    document = openapi_document(routes, "t", "1")

    validate(document)
    assert set(document["paths"]["/figures"]) == {"get", "post"}  # HEAD left out
    post = document["paths"]["/figures"]["post"]
    assert post["security"] == [{"bearer": []}]
    assert post["parameters"][0] == {
        "name": "from",
        "in": "query",
        "required": True,
        "description": "first day",
        "schema": {"type": "string", "format": "date"},
    }
    body = document["paths"]["/upload"]["post"]["requestBody"]["content"]
    assert body == {"image/*": {"schema": {"type": "string", "format": "binary"}}}
