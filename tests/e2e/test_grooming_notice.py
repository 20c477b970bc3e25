"""A 14-year-old in the web client, written to by a "15-year-old" whose conversation turns to
grooming: she sees a safety notice in her own words in that conversation, with the 3018
helpline and a button that reports him in one click (child safety already chosen)."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from websockets.sync.client import ClientConnection, connect

from tests.e2e.pages import enter_chat, expect_
from tests.unit.safety.grooming.test_scoring import TEN_LINES

pytestmark = pytest.mark.e2e


def _send_dm(ws: ClientConnection, to: str, text: str) -> dict[str, Any]:
    """Send a private message; after a flood limit's wait, send it again."""
    for attempt in range(30):
        request_id = f"dm-{attempt}-{time.monotonic_ns()}"
        ws.send(json.dumps({"type": "dm", "id": request_id, "to": to, "text": text}))
        while True:
            frame = json.loads(ws.recv(timeout=10))
            if frame.get("re") == request_id and frame["type"] in ("ack", "error"):
                break
        if frame.get("code") != "rate_limited":
            return frame
        time.sleep(float(frame.get("retry_after", 1)))
    raise AssertionError("still rate limited")


def test_minor_sees_grooming_notice_with_report_and_helpline(
    server: str, new_page: Callable[..., Any], artifacts_dir: Path
) -> None:
    expect = expect_()
    nina = new_page(width=1366, height=900)
    enter_chat(nina, server, "Nina", "woman", 14, "69001")
    with connect(server.replace("http://", "ws://") + "/ws") as groomer:
        groomer.send(
            json.dumps(
                {"type": "hello", "id": "h", "nick": "Pretend15", "gender": "man", "age": 15,
                 "postcode": "69002"}
            )
        )  # fmt: skip
        assert json.loads(groomer.recv(timeout=10))["type"] == "welcome"
        assert _send_dm(groomer, "Nina", "salut, t'es dans le salon ados ?")["type"] == "ack"
        request = nina.get_by_test_id("dm-request-Pretend15")
        expect(request).to_be_visible()
        request.get_by_test_id("accept").click()
        expect(nina.get_by_test_id("tab-dm-Pretend15")).to_be_visible()
        for line in TEN_LINES:
            _send_dm(groomer, "Nina", line)
        notice = nina.get_by_test_id("safety-notice").filter(has_text="3018")
        expect(notice).to_be_visible()
        expect(notice).to_contain_text("garder un secret")
        nina.screenshot(path=str(artifacts_dir / "grooming-notice.png"))
        notice.get_by_test_id("safety-notice-report").click()
        dialog = nina.locator("#report-dialog")
        expect(dialog).to_be_visible()
        expect(dialog).to_contain_text("Pretend15")
        expect(nina.locator("#report-category")).to_have_value("child_safety")
        # The held lines never reached her.
        messages = nina.get_by_test_id("messages")
        expect(messages).not_to_contain_text(re.compile("notre secret|maillot|forfait"))
