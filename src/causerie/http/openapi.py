"""The OpenAPI description of the REST API (`GET /api/openapi.json`), built from the routes.

Each documented endpoint is marked with `@documented(Operation(...))`: summary, responses,
query parameters and request body, written in Python. Not as YAML in the docstring, Starlette's
way: YAML read `{description: refused (removed by moderators, or by the safety check)}` as two
keys, and the served document was invalid. Path parameters are not written by hand at all: they
come from the route's own path, so the document cannot name one the route does not have (the
media routes once declared `id` where the path says `{media_id}`).

Routes with `include_in_schema=False` stay out. A route left undocumented, or a description of a
path parameter the route does not have, raises when the document is built, at start. The tests
validate the served document with openapi-spec-validator.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from starlette.convertors import FloatConvertor, IntegerConvertor
from starlette.routing import BaseRoute, Route

OPENAPI_VERSION = "3.0.3"
_MARK = "openapi_operation"
_CONVERTER = re.compile(r":\w+}")  # "/media/{media_id:int}" is "/media/{media_id}" in OpenAPI
_BINARY = {"type": "string", "format": "binary"}

Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])


@dataclass(frozen=True, slots=True)
class Query:
    """A query-string parameter."""

    name: str
    description: str
    required: bool = False
    format: str | None = None  # "date", "int32"…


@dataclass(frozen=True, slots=True)
class Operation:
    """What the document says about one endpoint."""

    summary: str
    responses: Mapping[int, str]  # status -> description
    path: Mapping[str, str] = field(default_factory=dict)  # path parameter -> description
    query: tuple[Query, ...] = ()
    body: str | None = None  # what the request body holds, when there is one
    body_type: str = "application/json"  # its media type ("image/*": raw bytes)
    bearer: bool = False  # needs `Authorization: Bearer <token>`


def documented(operation: Operation) -> Callable[[Endpoint], Endpoint]:
    """Mark an endpoint with its description for the OpenAPI document."""

    def mark(endpoint: Endpoint) -> Endpoint:
        setattr(endpoint, _MARK, operation)
        return endpoint

    return mark


def path_parameters(route: Route) -> dict[str, str]:
    """The route's path parameters and their OpenAPI types, from its own path."""
    types = {}
    for name, convertor in route.param_convertors.items():
        if isinstance(convertor, IntegerConvertor):
            types[name] = "integer"
        elif isinstance(convertor, FloatConvertor):
            types[name] = "number"
        else:
            types[name] = "string"
    return types


def openapi_document(routes: Sequence[BaseRoute], title: str, version: str) -> dict[str, Any]:
    """The document for the app's routes (top-level `Route`s; mounts hold static files).

    Raises:
        ValueError: a route in the schema without `@documented`, or an operation describing
            a path parameter its route does not have.
    """
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        if not isinstance(route, Route) or not route.include_in_schema:
            continue
        operation = getattr(route.endpoint, _MARK, None)
        if not isinstance(operation, Operation):
            raise ValueError(f"{route.path}: not documented (use @documented)")
        parameters = path_parameters(route)
        unknown = sorted(set(operation.path) - set(parameters))
        if unknown:
            raise ValueError(f"{route.path}: describes path parameters it lacks: {unknown}")
        entry = _operation(operation, parameters)
        for method in sorted((route.methods or {"GET"}) - {"HEAD"}):
            paths.setdefault(_CONVERTER.sub("}", route.path), {})[method.lower()] = entry
    return {
        "openapi": OPENAPI_VERSION,
        "info": {"title": title, "version": version},
        "paths": paths,
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }


def _operation(operation: Operation, path_types: Mapping[str, str]) -> dict[str, Any]:
    parameters: list[dict[str, Any]] = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "description": operation.path.get(name, name),
            "schema": {"type": kind},
        }
        for name, kind in path_types.items()
    ]
    for query in operation.query:
        schema = (
            {"type": "string"}
            if query.format is None
            else {"type": "string", "format": query.format}
        )
        parameters.append(
            {
                "name": query.name,
                "in": "query",
                "required": query.required,
                "description": query.description,
                "schema": schema,
            }
        )
    entry: dict[str, Any] = {
        "summary": operation.summary,
        "responses": {
            str(status): {"description": text}
            for status, text in sorted(operation.responses.items())
        },
    }
    if parameters:
        entry["parameters"] = parameters
    if operation.body is not None:
        is_json = operation.body_type == "application/json"
        entry["requestBody"] = {
            "description": operation.body,
            "required": True,
            "content": {
                operation.body_type: {"schema": {"type": "object"} if is_json else _BINARY}
            },
        }
    if operation.bearer:
        entry["security"] = [{"bearer": []}]
    return entry
