"""Fixtures for the browser tests: the real server in a subprocess, and system Chromium.

The server runs exactly as an operator would start it (`python -m causerie serve --port 0`)
with its data in the test's `tmp_path`; the test waits for the address it prints and for
`/healthz`. Chromium is Debian's `/usr/bin/chromium`, never a downloaded browser: without it
the tests skip, except under `CI=true` where a missing browser is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.process import ServerProcess

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS_DIR = REPO_ROOT / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
EXPECT_TIMEOUT_MS = 10_000


def _unavailable(reason: str) -> None:
    """Skip with `reason`, or fail when running in CI, where the browser must be there."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the e2e tests must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """Start `causerie serve` on a free port; yields its base URL (`http://127.0.0.1:PORT`)."""
    with ServerProcess(tmp_path) as process:
        yield process.url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """System Chromium, headless, shared by one test module.

    Module scope, not session: Playwright's sync API runs an event loop of its own while it is
    open, which the asyncio tests of other modules must not find running.
    """
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing: install Debian's chromium package (no download)")
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[dev]')")
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """Open a page in a fresh browser context (one person: own cookies, storage, socket).

    Call as `new_page(width=1280, height=800, locale="fr-FR")`; contexts close after the test.
    """
    contexts: list[Any] = []

    def make(width: int = 1280, height: int = 800, locale: str = "fr-FR") -> Any:
        context = browser.new_context(viewport={"width": width, "height": height}, locale=locale)
        context.set_default_timeout(EXPECT_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def artifacts_dir() -> Path:
    """`artifacts/` at the repository root, for screenshots kept after the run."""
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    return ARTIFACTS_DIR
