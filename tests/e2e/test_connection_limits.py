"""The web client tells a person why the server would not let them in: too many connections
from their address or device (close code 4005) or too many logins (`rate_limited`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.pages import enter_chat, expect_, join
from tests.support.process import ServerProcess

pytestmark = pytest.mark.e2e


@pytest.fixture
def one_per_address(tmp_path: Path) -> Iterator[str]:
    with ServerProcess(tmp_path, {"CAUSERIE_WS_CONNECTIONS_PER_ADDRESS": "1"}) as process:
        yield process.url


def test_second_connection_from_the_address_is_told_why(
    one_per_address: str, new_page: Any
) -> None:
    first, second = new_page(), new_page()
    enter_chat(first, one_per_address, "Premiere", "woman", 25, "75011")

    join(second, one_per_address, "Seconde", "woman", 25, "75011")

    error = second.get_by_test_id("join-error")
    expect_()(error).to_contain_text("Trop de connexions depuis ton adresse")
    expect_()(second.get_by_test_id("chat-view")).to_be_hidden()
