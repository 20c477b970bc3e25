"""Settings of the WebSocket's door and of joins and parts: defaults, ranges, origins."""

from __future__ import annotations

import pytest

from causerie.config import load_settings
from causerie.errors import ConfigError


def test_door_defaults_sized_for_shared_addresses() -> None:
    settings = load_settings({})
    assert settings.ws_connections_per_address == 300
    assert settings.ws_connections_per_device == 20
    assert settings.hellos_per_minute_per_address == 120
    assert settings.hellos_per_minute_per_device == 20
    assert (settings.join_part_burst, settings.join_part_per_s) == (30, 0.5)
    assert settings.allowed_origins == ""


def test_door_settings_from_the_environment() -> None:
    settings = load_settings(
        {
            "CAUSERIE_WS_CONNECTIONS_PER_ADDRESS": "500",
            "CAUSERIE_HELLOS_PER_MINUTE_PER_DEVICE": "5",
            "CAUSERIE_JOIN_PART_PER_S": "0.25",
            "CAUSERIE_ALLOWED_ORIGINS": "https://www.example.org, https://chat.example.org:8443",
        }
    )
    assert settings.ws_connections_per_address == 500
    assert settings.hellos_per_minute_per_device == 5
    assert settings.join_part_per_s == 0.25


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("CAUSERIE_WS_CONNECTIONS_PER_ADDRESS", "0"),
        ("CAUSERIE_HELLOS_PER_MINUTE_PER_ADDRESS", "-1"),
        ("CAUSERIE_JOIN_PART_BURST", "beaucoup"),
        ("CAUSERIE_JOIN_PART_PER_S", "0"),
        ("CAUSERIE_ALLOWED_ORIGINS", "chat.example.org"),
        ("CAUSERIE_ALLOWED_ORIGINS", "https://chat.example.org/app"),
        ("CAUSERIE_ALLOWED_ORIGINS", "*"),
    ],
)
def test_door_bad_values_stop_at_start_naming_the_key(key: str, value: str) -> None:
    with pytest.raises(ConfigError) as refused:
        load_settings({key: value})
    assert key in str(refused.value) and repr(value) in str(refused.value)
