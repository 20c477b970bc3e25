"""The wait for new private conversations as the client is told it (issue 19): the refusal
names its reason, and `welcome` says how long is left, so the client counts down before the
first line is typed."""

from __future__ import annotations

import json

from causerie.core.commands import Hello, SendDm
from causerie.core.events import Welcomed
from causerie.core.hub import HubConfig
from causerie.errors import ErrorCode
from causerie.wire.events import encode_event
from tests.unit.core.builders import START_MS, hello, make_hub, refusal


def _welcome(config: HubConfig) -> Welcomed:
    hub = make_hub(config)
    [welcome] = hub.hello("s1", Hello("Alice", "woman", 25, "75011"), START_MS).replies
    assert isinstance(welcome, Welcomed)
    return welcome


def test_send_dm_during_the_wait_refusal_names_dm_wait_reason() -> None:
    hub = make_hub(HubConfig(dm_wait_s=60))
    alice = hello(hub, "Alice")
    hello(hub, "Bruno", gender="man")

    error = refusal(hub, alice, SendDm("Bruno", "salut"), START_MS + 15_000)

    assert (error.code, error.key, error.params.get("reason")) == (
        ErrorCode.RATE_LIMITED,
        "dm_wait",
        "dm_wait",
    )
    assert error.retry_after_s == 45.0


def test_hello_with_a_wait_welcome_carries_it() -> None:
    welcome = _welcome(HubConfig(dm_wait_s=60))

    assert welcome.dm_wait_s == 60.0
    assert json.loads(encode_event(welcome))["dm_wait_s"] == 60


def test_hello_without_a_wait_welcome_frame_unchanged() -> None:
    welcome = _welcome(HubConfig(dm_wait_s=0))

    assert welcome.dm_wait_s == 0.0
    assert "dm_wait_s" not in json.loads(encode_event(welcome))
