"""The development-only test provider (`age_test_provider`, docs/age-verification.md): off by
default (its pages do not exist), on a loopback server its page and token endpoint work, its
tokens say what was asked, and the server's verifier trusts them, for `assure_age` as for
`verify_age`."""

from __future__ import annotations

import base64
import json
import logging
from pathlib import Path

import httpx
import pytest

from tests.support.chat import Client, RunningServer, start_server, stop_server

pytestmark = pytest.mark.integration
PAGES = ("/dev/age-provider", "/dev/age-provider.js")


def _claims(token: str) -> dict[str, object]:
    payload = token.split(".")[0]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert isinstance(claims, dict)
    return claims


async def _token(server: RunningServer, claim: object) -> httpx.Response:
    async with httpx.AsyncClient(base_url=server.url) as http:
        return await http.post("/dev/age-provider/token", json={"claim": claim})


async def test_test_provider_off_by_default_has_no_pages(server: RunningServer) -> None:
    async with httpx.AsyncClient(base_url=server.url) as http:
        statuses = [(await http.get(path)).status_code for path in PAGES]
        token = await http.post("/dev/age-provider/token", json={"claim": "minor"})

    assert statuses == [404, 404]
    assert token.status_code in (404, 405)
    assert server.node.assurance.test_provider is None


async def test_test_provider_on_serves_page_tokens_and_is_trusted(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        running, server, task = await start_server(
            tmp_path, teen_assurance="dm", age_test_provider=True
        )
    try:
        async with httpx.AsyncClient(base_url=running.url) as http:
            page = await http.get("/dev/age-provider")
            script = await http.get("/dev/age-provider.js")
        tokens = {
            claim: (await _token(running, claim)).json()["token"]
            for claim in ("minor_range", "minor", "straddle", "adult")
        }
        refused = [(await _token(running, bad)).status_code for bad in ("teen", 5, None)]
        teen = await Client.connect(running)
        welcome = await teen.hello("Lou", age=15)
        assured = await teen.request("assure_age", token=tokens["minor_range"])
        adult = await Client.connect(running)
        await adult.hello("Alice", age=30)
        verified = await adult.request("verify_age", token=tokens["adult"])
        await teen.close()
        await adult.close()
    finally:
        await stop_server(server, task)

    assert page.status_code == 200 and "Fournisseur de TEST" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert script.status_code == 200 and "postMessage" in script.text
    assert _claims(tokens["minor_range"])["age_range"] == [13, 16]
    assert _claims(tokens["minor"])["over18"] is False
    assert _claims(tokens["straddle"])["age_range"] == [16, 20]
    assert _claims(tokens["adult"])["over18"] is True
    assert refused == [400, 400, 400]
    assert welcome["assurance"]["provider_url"] == "/dev/age-provider"
    assert assured["type"] == "age_assured"
    assert verified["type"] == "age_verified"
    assert "AGE TEST PROVIDER IS ON" in caplog.text
