"""Age-assurance settings (docs/operations.md): `teen_assurance` off by default, a gate only
with a provider, a provider page that is a web address or a path, and the test provider on a
loopback address only."""

from __future__ import annotations

import pytest

from causerie.config import Settings, load_settings
from causerie.errors import ConfigError

KEYS = "prov:" + "A" * 43  # a key's shape; the verifier checks the key itself at start


def _config_error(environ: dict[str, str]) -> str:
    with pytest.raises(ConfigError) as caught:
        load_settings(environ)
    return str(caught.value)


def test_assurance_defaults_off_without_provider() -> None:
    settings = load_settings({})

    assert (settings.teen_assurance, settings.age_provider_url) == ("off", "")
    assert settings.age_test_provider is False
    assert settings == Settings()


@pytest.mark.parametrize("gate", ["dm", "space", "DM", " Space "])
def test_assurance_gate_with_provider_accepted(gate: str) -> None:
    settings = load_settings(
        {
            "CAUSERIE_TEEN_ASSURANCE": gate,
            "CAUSERIE_AGE_VERIFIER_KEYS": KEYS,
            "CAUSERIE_AGE_PROVIDER_URL": "https://age.example/check",
        }
    )

    assert settings.teen_assurance == gate.strip().lower()


@pytest.mark.parametrize("gate", ["on", "teen", "all", ""])
def test_assurance_unknown_gate_names_the_choices(gate: str) -> None:
    message = _config_error({"CAUSERIE_TEEN_ASSURANCE": gate})

    assert "CAUSERIE_TEEN_ASSURANCE" in message
    assert "dm, off, space" in message


@pytest.mark.parametrize(
    "environ",
    [
        {"CAUSERIE_TEEN_ASSURANCE": "dm"},
        {"CAUSERIE_TEEN_ASSURANCE": "space", "CAUSERIE_AGE_VERIFIER_KEYS": KEYS},
        {"CAUSERIE_TEEN_ASSURANCE": "dm", "CAUSERIE_AGE_PROVIDER_URL": "https://a.example/"},
    ],
)
def test_assurance_gate_without_provider_refused_at_start(environ: dict[str, str]) -> None:
    message = _config_error(environ)

    assert "CAUSERIE_TEEN_ASSURANCE" in message
    assert "CAUSERIE_AGE_VERIFIER_KEYS" in message


def test_assurance_gate_with_test_provider_on_loopback_accepted() -> None:
    settings = load_settings({"CAUSERIE_TEEN_ASSURANCE": "dm", "CAUSERIE_AGE_TEST_PROVIDER": "on"})

    assert (settings.teen_assurance, settings.age_test_provider) == ("dm", True)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "causerie.example"])
def test_assurance_test_provider_refused_off_loopback(host: str) -> None:
    message = _config_error({"CAUSERIE_AGE_TEST_PROVIDER": "on", "CAUSERIE_HOST": host})

    assert "CAUSERIE_AGE_TEST_PROVIDER" in message
    assert host in message


@pytest.mark.parametrize(
    "url", ["https://age.example/check?x=1", "http://127.0.0.1:9000/", "/dev/age-provider"]
)
def test_assurance_provider_url_address_or_path_accepted(url: str) -> None:
    assert load_settings({"CAUSERIE_AGE_PROVIDER_URL": url}).age_provider_url == url


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "//evil.example/x", "age.example/check", "ftp://a.example/"]
)
def test_assurance_provider_url_other_schemes_refused(url: str) -> None:
    message = _config_error({"CAUSERIE_AGE_PROVIDER_URL": url})

    assert "CAUSERIE_AGE_PROVIDER_URL" in message
    assert repr(url) in message
