"""The development-only age provider (`age_test_provider`, docs/age-verification.md): a page
that simulates an age estimation and hands its token back to the page that opened it.

Served only when the setting is on (the node then holds a `TestAgeProvider`, whose key the
verifier trusts; `config.py` accepts it on a loopback address only):

- `GET /dev/age-provider` and `/dev/age-provider.js`: the page and its script (the pages' CSP
  applies: no inline script);
- `POST /dev/age-provider/token` with `{"claim": …}` answers `{"token": …}`: `minor_range` (an
  estimated range 13–16, as a facial age-estimation provider returns), `minor` (`over18:
  false`), `straddle` (16–20, which proves nothing), `adult` (`over18: true`).

Like a real provider, the page is told nothing about the person or the site that opened it;
it posts the token to its opener (here the same origin).
"""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from causerie.node.assurance import TEST_PROVIDER_PATH

if TYPE_CHECKING:
    from causerie.node.runtime import Node
    from causerie.safety.ageverify import TestAgeProvider

DEV_DIR = Path(str(files("causerie.web") / "dev"))
MAX_BODY_BYTES = 256
TOKEN_TTL_MS = 5 * 60 * 1000


def _issue(provider: TestAgeProvider, claim: str, now_ms: int) -> str | None:
    if claim == "minor_range":
        return provider.issue(now_ms, TOKEN_TTL_MS, age_range=(13, 16))
    if claim == "minor":
        return provider.issue(now_ms, TOKEN_TTL_MS, over18=False)
    if claim == "straddle":
        return provider.issue(now_ms, TOKEN_TTL_MS, age_range=(16, 20))
    if claim == "adult":
        return provider.issue(now_ms, TOKEN_TTL_MS, over18=True)
    return None


def dev_provider_routes(node: Node) -> list[Route]:
    """The test provider's routes, or none when `age_test_provider` is off."""
    provider = node.assurance.test_provider
    if provider is None:
        return []

    def serve(name: str, media_type: str) -> Route:
        async def handler(_request: Request) -> Response:
            response = FileResponse(DEV_DIR / name, media_type=media_type)
            response.headers["cache-control"] = "no-store"
            return response

        path = TEST_PROVIDER_PATH + (".js" if name.endswith(".js") else "")
        return Route(path, handler, include_in_schema=False)

    async def token(request: Request) -> Response:
        body = await request.body()
        try:
            form = json.loads(body) if len(body) <= MAX_BODY_BYTES else None
        except ValueError:
            form = None
        claim = form.get("claim") if isinstance(form, dict) else None
        issued = _issue(provider, claim, node.now_ms()) if isinstance(claim, str) else None
        if issued is None:
            expected = "expected {claim: minor_range|minor|straddle|adult}"
            return JSONResponse({"error": expected}, 400)
        return JSONResponse({"token": issued}, headers={"cache-control": "no-store"})

    return [
        serve("age-provider.html", "text/html"),
        serve("age-provider.js", "text/javascript"),
        Route(TEST_PROVIDER_PATH + "/token", token, methods=["POST"], include_in_schema=False),
    ]
