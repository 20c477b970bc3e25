"""Settings: defaults < TOML file < CAUSERIE_* environment < flags; bad values fail at startup
naming the key, the value and what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest

from causerie.config import Settings, describe, load_settings
from causerie.errors import ConfigError


def _config_error(environ: dict[str, str], overrides: dict[str, object] | None = None) -> str:
    with pytest.raises(ConfigError) as caught:
        load_settings(environ, overrides)
    return str(caught.value)


def _write(tmp_path: Path, text: str, name: str = "causerie.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_load_settings_no_configuration_gives_laptop_defaults() -> None:
    settings = load_settings({})

    assert settings == Settings()
    assert (settings.host, settings.port, settings.data_dir) == ("127.0.0.1", 8000, Path("data"))
    assert (settings.database_url, settings.redis_url, settings.config) == ("", "", None)
    assert (settings.min_age, settings.history_on_join, settings.max_text_chars) == (13, 50, 2000)
    assert (settings.max_frame_bytes, settings.max_rooms_per_session) == (16 * 1024, 20)
    assert (settings.rate_limits, settings.say_burst, settings.say_per_s) == (True, 8, 1.0)
    assert (settings.hello_timeout_s, settings.invalid_frames_before_close) == (30.0, 10)


def test_load_settings_unrelated_environment_ignored() -> None:
    assert load_settings({"PORT": "1", "HOME": "/root", "CAUSERIE": "x"}) == Settings()


def test_load_settings_environment_overrides_defaults() -> None:
    settings = load_settings(
        {
            "CAUSERIE_HOST": "0.0.0.0",
            "CAUSERIE_PORT": "9000",
            "CAUSERIE_DATA_DIR": "/var/lib/causerie",
            "CAUSERIE_DATABASE_URL": "postgresql://db/causerie",
            "CAUSERIE_REDIS_URL": "redis://cache:6379/0",
            "CAUSERIE_NODE_ID": "3",
            "CAUSERIE_MIN_AGE": "15",
            "CAUSERIE_SAY_PER_S": "0.5",
            "CAUSERIE_LOG_LEVEL": "DEBUG",
            "CAUSERIE_LOG_JSON": "yes",
        }
    )

    assert (settings.host, settings.port, settings.data_dir) == (
        "0.0.0.0",
        9000,
        Path("/var/lib/causerie"),
    )
    assert settings.database_url == "postgresql://db/causerie"
    assert settings.redis_url == "redis://cache:6379/0"
    assert (settings.node_id, settings.min_age, settings.say_per_s) == (3, 15, 0.5)
    assert (settings.log_level, settings.log_json) == ("debug", True)


@pytest.mark.parametrize(
    ("raw", "value"),
    [("on", True), ("TRUE", True), ("1", True), ("yes", True), ("off", False), ("no", False)],
)
def test_load_settings_boolean_spellings_accepted(raw: str, value: bool) -> None:
    settings = load_settings({"CAUSERIE_RATE_LIMITS": raw})

    assert settings.rate_limits is value


def test_load_settings_file_from_environment_with_causerie_table(tmp_path: Path) -> None:
    path = _write(tmp_path, '[causerie]\nport = 9100\nhost = "::1"\nsay_burst = 4\n')

    settings = load_settings({"CAUSERIE_CONFIG": str(path)})

    assert (settings.port, settings.host, settings.say_burst) == (9100, "::1", 4)
    assert settings.config == path


def test_load_settings_file_from_flag_without_table(tmp_path: Path) -> None:
    path = _write(tmp_path, 'port = 9200\nrate_limits = false\nlog_level = "warning"\n')

    settings = load_settings({}, {"config": str(path)})

    assert (settings.port, settings.rate_limits, settings.log_level) == (9200, False, "warning")
    assert settings.config == path


def test_load_settings_flag_file_wins_over_environment_file(tmp_path: Path) -> None:
    from_env = _write(tmp_path, "port = 1111\n", "env.toml")
    from_flag = _write(tmp_path, "port = 2222\n", "flag.toml")

    settings = load_settings({"CAUSERIE_CONFIG": str(from_env)}, {"config": from_flag})

    assert (settings.port, settings.config) == (2222, from_flag)


def test_load_settings_precedence_file_then_environment_then_flags(tmp_path: Path) -> None:
    path = _write(tmp_path, "[causerie]\nport = 1001\nnode_id = 1\nmin_age = 14\n")
    environ = {"CAUSERIE_CONFIG": str(path), "CAUSERIE_PORT": "1002", "CAUSERIE_NODE_ID": "2"}

    settings = load_settings(environ, {"port": 1003, "node_id": None})

    assert settings.min_age == 14  # only in the file
    assert settings.node_id == 2  # environment over file; a None flag is no flag
    assert settings.port == 1003  # flag over environment


@pytest.mark.parametrize(
    ("environ", "key", "value"),
    [
        ({"CAUSERIE_PORT": "abc"}, "CAUSERIE_PORT", "abc"),
        ({"CAUSERIE_PORT": "70000"}, "CAUSERIE_PORT", "70000"),
        ({"CAUSERIE_PORT": "-1"}, "CAUSERIE_PORT", "-1"),
        ({"CAUSERIE_RATE_LIMITS": "maybe"}, "CAUSERIE_RATE_LIMITS", "maybe"),
        ({"CAUSERIE_NODE_ID": "64"}, "CAUSERIE_NODE_ID", "64"),
        ({"CAUSERIE_MIN_AGE": "12"}, "CAUSERIE_MIN_AGE", "12"),
        ({"CAUSERIE_SAY_PER_S": "nan"}, "CAUSERIE_SAY_PER_S", "nan"),
        ({"CAUSERIE_SAY_PER_S": "0"}, "CAUSERIE_SAY_PER_S", "0"),
        ({"CAUSERIE_LOG_LEVEL": "loud"}, "CAUSERIE_LOG_LEVEL", "loud"),
    ],
)
def test_load_settings_bad_environment_value_names_key_and_value(
    environ: dict[str, str], key: str, value: str
) -> None:
    message = _config_error(environ)

    assert key in message
    assert repr(value) in message
    assert "expected" in message


def test_load_settings_bad_port_says_what_is_expected() -> None:
    assert _config_error({"CAUSERIE_PORT": "abc"}) == "CAUSERIE_PORT='abc': expected an integer"
    assert "65535" in _config_error({"CAUSERIE_PORT": "70000"})


def test_load_settings_bad_flag_names_option_and_value() -> None:
    message = _config_error({}, {"port": "huit"})

    assert "--port" in message and "'huit'" in message


def test_load_settings_unknown_flag_refused() -> None:
    assert "bogus" in _config_error({}, {"bogus": 1})


def test_load_settings_bad_value_in_file_names_file_key_and_value(tmp_path: Path) -> None:
    path = _write(tmp_path, '[causerie]\nport = "quatre-vingts"\n')

    message = _config_error({"CAUSERIE_CONFIG": str(path)})

    assert str(path) in message and "port" in message and "'quatre-vingts'" in message


@pytest.mark.parametrize("text", ["[causerie]\nport = 9000\nprot = 1\n", "prot = 1\n"])
def test_load_settings_unknown_key_in_file_refused_naming_it(tmp_path: Path, text: str) -> None:
    path = _write(tmp_path, text)

    message = _config_error({"CAUSERIE_CONFIG": str(path)})

    assert "'prot'" in message and str(path) in message


@pytest.mark.parametrize("text", ["port = 80\n[oops\n", "port = \n", "\x00"])
def test_load_settings_malformed_file_refused_naming_it(tmp_path: Path, text: str) -> None:
    path = _write(tmp_path, text)

    assert str(path) in _config_error({"CAUSERIE_CONFIG": str(path)})


def test_load_settings_missing_file_refused_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "absent.toml"

    assert str(missing) in _config_error({}, {"config": str(missing)})


def test_load_settings_directory_as_file_refused(tmp_path: Path) -> None:
    assert str(tmp_path) in _config_error({"CAUSERIE_CONFIG": str(tmp_path)})


def test_load_settings_causerie_key_not_a_table_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, 'causerie = "on"\n')

    assert "causerie" in _config_error({"CAUSERIE_CONFIG": str(path)})


def test_load_settings_empty_data_dir_refused() -> None:
    message = _config_error({"CAUSERIE_DATA_DIR": ""})

    assert "CAUSERIE_DATA_DIR" in message


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_load_settings_rate_limits_off_on_loopback_accepted(host: str) -> None:
    settings = load_settings({"CAUSERIE_RATE_LIMITS": "off", "CAUSERIE_HOST": host})

    assert settings.rate_limits is False
    assert settings.is_loopback


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "chat.example.org"])
def test_load_settings_rate_limits_off_on_public_address_refused(host: str) -> None:
    message = _config_error({"CAUSERIE_RATE_LIMITS": "off", "CAUSERIE_HOST": host})

    assert "RATE_LIMITS" in message and repr(host) in message


def test_load_settings_rate_limits_off_refused_when_flag_moves_host(tmp_path: Path) -> None:
    path = _write(tmp_path, "rate_limits = false\n")

    message = _config_error({"CAUSERIE_CONFIG": str(path)}, {"host": "0.0.0.0"})

    assert "'0.0.0.0'" in message


def test_effective_database_url_defaults_to_sqlite_under_data_dir(tmp_path: Path) -> None:
    settings = load_settings({"CAUSERIE_DATA_DIR": str(tmp_path / "donnees")})

    url = settings.effective_database_url

    assert url == f"sqlite+aiosqlite:///{(tmp_path / 'donnees' / 'causerie.db').resolve()}"


def test_effective_database_url_explicit_url_kept() -> None:
    settings = load_settings({"CAUSERIE_DATABASE_URL": "postgresql://u:p@db:5432/causerie"})

    assert settings.effective_database_url == "postgresql://u:p@db:5432/causerie"


def test_describe_masks_credentials_in_urls() -> None:
    settings = load_settings(
        {
            "CAUSERIE_DATABASE_URL": "postgresql://causerie:s3cr3t-pw@db.internal:5432/chat",
            "CAUSERIE_REDIS_URL": "redis://:r3dis-pw@cache.internal:6379/0",
        }
    )

    shown = describe(settings)

    assert "s3cr3t-pw" not in str(shown) and "r3dis-pw" not in str(shown)
    assert "causerie:" not in shown["database_url"]
    assert "db.internal:5432/chat" in shown["database_url"]
    assert "cache.internal:6379/0" in shown["redis_url"]
    assert shown["port"] == 8000


def test_describe_masks_the_irc_server_password() -> None:
    settings = load_settings({"CAUSERIE_IRC_PASSWORD": "mot-de-passe"})

    assert settings.irc_password == "mot-de-passe"
    assert describe(settings)["irc_password"] == "***" and "mot-de-passe" not in str(
        describe(settings)
    )


def test_describe_urls_without_credentials_unchanged() -> None:
    settings = load_settings({"CAUSERIE_REDIS_URL": "redis://cache:6379/0"})

    assert describe(settings)["redis_url"] == "redis://cache:6379/0"


@pytest.mark.parametrize("value", ["trente f 75011", "25 f", "25 f 75011 de", "²5 f 75011"])
def test_irc_default_profile_not_a_profile_stops_at_start(value: str) -> None:
    with pytest.raises(ConfigError) as refused:
        load_settings({"CAUSERIE_IRC_DEFAULT_PROFILE": value})

    assert "CAUSERIE_IRC_DEFAULT_PROFILE" in str(refused.value)
    assert repr(value) in str(refused.value)


def test_irc_default_profile_written_in_words_is_kept() -> None:
    settings = load_settings({"CAUSERIE_IRC_DEFAULT_PROFILE": "30 x 75001"})

    assert settings.irc_default_profile == "30 x 75001"
