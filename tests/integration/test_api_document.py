"""The REST API's OpenAPI document and the security headers, over a running server.

The document is validated with a real validator (openapi-spec-validator): descriptions once
written as YAML in docstrings turned commas into keys and the document was invalid. Each path
parameter it names is the route's own. Every kind of response carries exactly one
Content-Security-Policy (a picture once got two: its sandbox and the site's).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from openapi_spec_validator import validate
from starlette.routing import Route

from tests.support.chat import TIMEOUT_S, Client, RunningServer, start_server, stop_server
from tests.unit.media import images

pytestmark = pytest.mark.integration


@pytest.fixture
async def running(tmp_path: Path) -> AsyncIterator[tuple[RunningServer, Any]]:
    server, uv, task = await start_server(tmp_path)
    yield server, uv.app
    await stop_server(uv, task)


async def _document(server: RunningServer) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=server.url, timeout=TIMEOUT_S) as http:
        response = await http.get("/api/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


async def test_openapi_document_served_is_valid(running: tuple[RunningServer, Any]) -> None:
    document = await _document(running[0])

    validate(document)  # raises OpenAPIValidationError with the offending path

    assert {
        "/api/rooms",
        "/api/geo",
        "/api/postcode/{code}",
        "/healthz",
        "/api/media",
        "/media/{media_id}",
        "/media/{media_id}/thumb",
        "/media/{media_id}/preview",
        "/api/admin/login",
        "/api/admin/transparency",
        "/api/me/data",
    } <= set(document["paths"])


async def test_openapi_every_description_is_one_plain_text(
    running: tuple[RunningServer, Any],
) -> None:
    document = await _document(running[0])
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert isinstance(operation["summary"], str) and operation["summary"], (path, method)
            for status, response in operation["responses"].items():
                assert set(response) == {"description"}, (path, method, status)
                assert isinstance(response["description"], str), (path, method, status)


async def test_openapi_path_parameters_are_the_routes_own(
    running: tuple[RunningServer, Any],
) -> None:
    server, app = running
    document = await _document(server)
    routes = {
        re.sub(r":\w+}", "}", route.path): route
        for route in app.routes
        if isinstance(route, Route) and route.include_in_schema
    }
    assert set(routes) == set(document["paths"])  # every route in the schema is documented
    for path, operations in document["paths"].items():
        in_template = set(re.findall(r"{(\w+)}", path))
        assert in_template == set(routes[path].param_convertors), path
        for method, operation in operations.items():
            declared = [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"]
            assert sorted(declared) == sorted(in_template), (path, method)


async def test_every_kind_of_response_has_exactly_one_csp(
    running: tuple[RunningServer, Any],
) -> None:
    server = running[0]
    client = await Client.connect(server)
    welcome = await client.hello("Photographe")
    auth = {"authorization": f"Bearer {welcome['token']}"}
    async with httpx.AsyncClient(base_url=server.url, timeout=TIMEOUT_S) as http:
        uploaded = await http.post("/api/media", content=images.jpeg(), headers=auth)
        assert uploaded.status_code == 201, uploaded.text
        media = f"/media/{uploaded.json()['id']}"
        requests: list[tuple[str, str, dict[str, str], int]] = [
            ("GET", "/", {}, 200),  # pages
            ("GET", "/mod", {}, 200),
            ("GET", "/admin", {}, 200),
            ("GET", "/sw.js", {}, 200),
            ("GET", "/static/app.js", {}, 200),  # static
            ("GET", "/static/nothing-here.js", {}, 404),
            ("GET", "/api/rooms", {}, 200),  # API
            ("GET", "/api/postcode/75011", {}, 200),
            ("GET", "/api/postcode/00000", {}, 404),
            ("GET", "/api/openapi.json", {}, 200),
            ("GET", "/api/me/data", {}, 403),
            ("POST", "/api/media", {}, 401),
            ("GET", "/healthz", {}, 200),
            ("GET", "/metrics", {}, 200),
            ("GET", "/no/such/page", {}, 404),
            ("GET", media, auth, 200),  # media, each variant, and refused
            ("GET", f"{media}/thumb", auth, 200),
            ("GET", f"{media}/preview", auth, 200),
            ("GET", media, {}, 401),
            ("GET", "/media/unknown", auth, 404),
        ]
        for method, path, headers, status in requests:
            response = await http.request(method, path, headers=headers)
            assert response.status_code == status, (path, response.status_code)
            policies = response.headers.get_list("content-security-policy")
            assert len(policies) == 1, (path, policies)
            assert len(response.headers.get_list("x-content-type-options")) == 1, path
            if path.startswith(media) and status == 200:
                assert "sandbox" in policies[0] and "default-src 'none'" in policies[0], path
    await client.close()


async def test_page_csp_names_the_sites_own_websocket(
    running: tuple[RunningServer, Any],
) -> None:
    server = running[0]
    host = server.url.removeprefix("http://")
    async with httpx.AsyncClient(base_url=server.url, timeout=TIMEOUT_S) as http:
        plain = (await http.get("/")).headers["content-security-policy"]
        # Behind a trusted proxy (127.0.0.1 is one by default) that ended TLS.
        tls = (await http.get("/", headers={"x-forwarded-proto": "https"})).headers[
            "content-security-policy"
        ]
        forged = (await http.get("/", headers={"host": "evil.example; script-src *"})).headers[
            "content-security-policy"
        ]

    connect = re.search(r"connect-src ([^;]*)", plain)
    assert connect is not None
    assert connect.group(1).split() == ["'self'", f"ws://{host}"]
    assert " ws: " not in f" {plain} " and "wss:" not in plain.replace("wss://", "")
    assert f"connect-src 'self' wss://{host};" in tls
    assert "connect-src 'self';" in forged and "evil" not in forged
