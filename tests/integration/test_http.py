"""The HTTP side: health, metrics, the REST API, the web app's files and security headers."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support.chat import RunningServer

pytestmark = pytest.mark.integration


async def _get(server: RunningServer, path: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=server.url) as http:
        return await http.get(path)


async def test_healthz_ready_is_200(server: RunningServer) -> None:
    response = await _get(server, "/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_healthz_when_store_unreachable_is_503(server: RunningServer) -> None:
    server.node.lifecycle.is_store_reachable = False
    response = await _get(server, "/healthz")
    assert response.status_code == 503


async def test_index_is_french_join_form_with_device_cookie(server: RunningServer) -> None:
    response = await _get(server, "/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert 'lang="fr"' in response.text
    assert "causerie_device" in response.headers["set-cookie"]
    assert "httponly" in response.headers["set-cookie"].lower()
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self'" in response.headers["content-security-policy"]


@pytest.mark.parametrize("path", ["/sw.js", "/manifest.webmanifest"])
async def test_app_shell_files_are_served(server: RunningServer, path: str) -> None:
    response = await _get(server, path)
    assert response.status_code == 200


async def test_postcode_lookup(server: RunningServer) -> None:
    found = await _get(server, "/api/postcode/20200")
    assert found.json() == {"dept": "2B", "dept_name": "Haute-Corse", "region": "Corse"}
    assert (await _get(server, "/api/postcode/99999")).status_code == 404
    assert (await _get(server, "/api/postcode/abc")).status_code == 404


async def test_geo_lists_regions_and_departments(server: RunningServer) -> None:
    geo = (await _get(server, "/api/geo")).json()
    assert "Île-de-France" in geo["regions"] and geo["regions"][-1] == "Outre-mer"
    codes = {d["code"] for d in geo["departments"]}
    assert {"01", "2A", "2B", "75", "971", "976"} <= codes


async def test_rooms_directory_counts_and_seeds(server: RunningServer, connect: Any) -> None:
    client = await connect()
    await client.hello("Compteur")
    await client.join("general")
    rooms = (await _get(server, "/api/rooms")).json()["rooms"]
    by_kind: dict[str, int] = {}
    for room in rooms:
        by_kind[room["kind"]] = by_kind.get(room["kind"], 0) + 1
    assert by_kind["thematic"] >= 10
    assert by_kind["regional"] == 14  # 13 metropolitan regions and the overseas room
    assert by_kind["teen"] >= 4
    assert next(r for r in rooms if r["id"] == "general")["members"] == 1


async def test_openapi_describes_the_api(server: RunningServer) -> None:
    spec = (await _get(server, "/api/openapi.json")).json()
    assert spec["openapi"].startswith("3.")
    assert {"/api/rooms", "/api/geo", "/api/postcode/{code}", "/healthz"} <= set(spec["paths"])


async def test_metrics_count_messages(server: RunningServer, connect: Any) -> None:
    client = await connect()
    await client.hello("Mesure")
    await client.join("general")
    await client.say("general", "un")
    text = (await _get(server, "/metrics")).text
    assert 'causerie_messages_in_total{kind="room"} 1.0' in text
    assert 'causerie_connections{protocol="ws"} 1.0' in text


async def test_unknown_static_file_is_404_without_listing(server: RunningServer) -> None:
    assert (await _get(server, "/static/")).status_code == 404
    assert (await _get(server, "/static/../pyproject.toml")).status_code == 404


async def test_connection_behind_trusted_proxy_records_client_address_and_port(
    server: RunningServer,
) -> None:
    import sqlite3

    import websockets

    from tests.support.chat import Client

    headers = {"X-Forwarded-For": "203.0.113.7", "X-Real-Port": "51234"}
    client = Client(await websockets.connect(server.ws_url, additional_headers=headers))
    welcome = await client.hello("Derriere")
    await client.close()
    with sqlite3.connect(server.settings.data_dir / "causerie.db") as db:
        row = db.execute(
            "select address, port from connections where session = ?", (welcome["session"],)
        ).fetchone()
    assert row == ("203.0.113.7", 51234)
