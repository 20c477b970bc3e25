"""Settings: the only place that reads configuration files and environment variables.

Order: defaults < TOML file (`--config` / `CAUSERIE_CONFIG`) < `CAUSERIE_*` environment <
command-line flags. Resolved once at startup into a frozen `Settings` passed down. The loader
takes the environment as a mapping, so tests pass a dict. A bad value fails with the key, the
value and what was expected.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from causerie.core.numerals import ascii_decimal, ascii_int
from causerie.core.written_profile import parse_profile
from causerie.errors import ConfigError

ENV_PREFIX = "CAUSERIE_"
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


@dataclass(frozen=True, slots=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    data_dir: Path = Path("data")
    config: Path | None = None
    database_url: str = ""  # empty: SQLite in data_dir
    database_schema: str = ""  # PostgreSQL schema (search_path); empty: the server's default
    redis_url: str = ""  # empty: in-process broker
    redis_prefix: str = "causerie:"
    node_ttl_s: float = 15.0
    node_id: int = 0
    min_age: int = 13
    history_on_join: int = 50
    max_text_chars: int = 2000
    max_frame_bytes: int = 16 * 1024
    max_rooms_per_session: int = 20
    rate_limits: bool = True
    say_burst: int = 8
    say_per_s: float = 1.0
    # Joins and parts of one session: a burst (at least `max_rooms_per_session`, so a client
    # that comes back rejoins all its rooms at once), then this many per second.
    join_part_burst: int = 30
    join_part_per_s: float = 0.5
    # The door of the WebSocket (docs/operations.md, "Connections per address"): sockets open
    # at once on this node, and `hello`s per minute on every node (Redis), per client address
    # (shared by a school or a mobile carrier's NAT: generous) and per device cookie.
    ws_connections_per_address: int = 300
    ws_connections_per_device: int = 20
    hellos_per_minute_per_address: int = 120
    hellos_per_minute_per_device: int = 20
    allowed_origins: str = ""  # other sites whose pages may open /ws: "https://a.example,…"
    hello_timeout_s: float = 30.0
    ws_ping_interval_s: float = 20.0  # a silent WebSocket is pinged, then dropped one later
    dm_wait_s: float = 60.0  # before a new session may open private conversations
    # How long a WebSocket session outlives a connection lost without a quit: its nickname,
    # rooms and private conversations wait for a `resume` with the welcome's `resume_token`.
    resume_grace_s: float = 300.0
    new_conversations_per_hour: int = 10  # per device and address, across reconnections
    # An adult's private messages to minors, refused as to nobody: this many within the window
    # raise one `seeking_minors` flag (at most one per person per window).
    minor_seeking_attempts: int = 3
    minor_seeking_window_s: float = 3600.0
    # Signals that a "teen" is an adult (docs/moderation.md §4): a minor's hello from an address
    # where an adult profile was declared within the window, weighed, flagged from this weight;
    # first private messages to this many minors sharing no room, within the window.
    adult_address_window_s: float = 86400.0
    adult_address_min_weight: int = 3
    reaching_minors: int = 4
    reaching_minors_window_s: float = 3600.0
    trust_messages: int = 5  # delivered messages before a new identity may post links
    # Rooms people make (docs/operations.md, "Member rooms"); making one needs the trust above.
    member_rooms_owned: int = 3  # member rooms one person owns at once
    member_rooms_per_day: int = 5  # member rooms one person makes in 24 hours
    member_rooms_max: int = 1000  # member rooms open at once on every node together
    member_room_end_s: float = 600.0  # a member room ends this long after its last member left
    member_room_joins_per_minute: int = 10  # member rooms one person joins (10 at once too)
    trust_span_s: float = 120.0  # …over at least this long
    trusted_flaggers: str = ""  # comma-separated nicknames whose reports get their own lane
    # Comma-separated room games owners may choose for member rooms ("": every room game).
    member_room_games: str = ""
    age_verifier_keys: str = ""  # "kid:base64url-ed25519-public-key,…" of trusted providers
    # Age assurance in the teen space (docs/age-verification.md): what a minor must prove being
    # under 18 for (off, dm: sending private messages, space: also joining teen rooms), the
    # provider's page the client opens, and a development-only provider (never in production).
    teen_assurance: str = "off"
    age_provider_url: str = ""
    age_test_provider: bool = False
    automod_rules: Path | None = None  # TOML rules file; empty: the shipped defaults
    grooming_rules: Path | None = None  # grooming detector's TOML file; empty: shipped defaults
    invalid_frames_before_close: int = 10
    outgoing_queue_bytes: int = 1024 * 1024
    commit_batch_max: int = 1000
    trusted_proxies: str = "127.0.0.1,::1"  # whose X-Forwarded-For / X-Real-Port are believed
    log_level: str = "info"
    log_json: bool = False
    # Pictures (docs/media.md).
    media_dir: Path | None = None  # empty: data_dir/media; shared storage with several nodes
    media_max_bytes: int = 10 * 1024 * 1024  # per upload, enforced while it streams in
    media_max_pixels: int = 40_000_000  # declared width × height; bigger is a bomb
    media_max_side_px: int = 2048  # long side of the stored picture
    media_hash_list: Path | None = None  # PDQ hashes of known abuse material, one per line
    media_match_distance: int = 31  # Hamming distance (of 256 bits) that counts as a match
    media_uploads_per_hour: int = 60  # per session
    minors_pictures_from_strangers: bool = False  # DESIGN.md rule 4 says no
    # Retention (docs/retention.md): connection records and message origins are kept one year
    # by law (LCEN art. 6, décret n° 2021-1362); the other periods are the operator's choice.
    retention_connections_days: int = 365
    retention_messages_days: int = 90
    retention_media_days: int = 90
    retention_audit_days: int = 1825
    purge_interval_s: float = 3600.0  # the in-server purge job; 0 turns it off
    purge_batch: int = 500  # rows per transaction, so the chat's writes are never held long
    purge_pause_s: float = 0.01  # between batches, to let the chat's writes through
    legal_key_file: Path | None = None  # Ed25519 signing key; empty: data_dir/legal/…
    # IRC listener (docs/irc.md): -1 is off; 0 takes any free port (tests).
    irc_port: int = -1
    irc_host: str = ""  # empty: the same address as `host`
    irc_tls_cert: Path | None = None  # both cert and key: the listener speaks TLS only
    irc_tls_key: Path | None = None
    irc_server_name: str = "irc.causerie"
    irc_default_profile: str = ""  # e.g. "30 x 75001": given to clients that send none (risky)
    irc_motd: str = ""  # lines separated by \n; empty: ERR_NOMOTD
    irc_password: str = ""  # a server password PASS must give (private deployments); empty: none
    irc_connections_per_address: int = 10  # open at once
    irc_connects_per_minute: int = 30  # new ones, per address
    irc_ping_interval_s: float = 90.0  # idle time before PING, and again before closing
    # Staff logins, on every door (docs/moderation.md §3): failed attempts per address and per
    # name within the window, and the password-check pool (threads, and checks that may wait).
    staff_logins_per_address: int = 10
    staff_logins_per_name: int = 10
    staff_login_window_s: float = 600.0
    staff_login_workers: int = 1
    staff_login_queue: int = 4

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'causerie.db').resolve()}"

    @property
    def effective_media_dir(self) -> Path:
        return self.media_dir or self.data_dir / "media"

    @property
    def effective_legal_key_file(self) -> Path:
        return self.legal_key_file or self.data_dir / "legal" / "operator-ed25519.key"

    @property
    def is_loopback(self) -> bool:
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False


_RANGES: dict[str, tuple[float, float]] = {
    "port": (0, 65535),
    "node_id": (0, 63),
    "min_age": (13, 120),
    "history_on_join": (0, 1000),
    "max_text_chars": (1, 100_000),
    "max_frame_bytes": (1024, 1024 * 1024),
    "max_rooms_per_session": (1, 1000),
    "say_burst": (1, 1_000_000),
    "say_per_s": (0.001, 1_000_000),
    "join_part_burst": (1, 1_000_000),
    "join_part_per_s": (0.001, 1_000_000),
    "ws_connections_per_address": (1, 1_000_000),
    "ws_connections_per_device": (1, 1_000_000),
    "hellos_per_minute_per_address": (1, 1_000_000),
    "hellos_per_minute_per_device": (1, 1_000_000),
    "hello_timeout_s": (0.1, 3600),
    "ws_ping_interval_s": (0.1, 3600),
    "node_ttl_s": (1, 300),
    "dm_wait_s": (0, 86400),
    "resume_grace_s": (0, 86400),
    "trust_messages": (0, 10_000),
    "member_rooms_owned": (0, 1000),
    "member_rooms_per_day": (0, 10_000),
    "member_rooms_max": (0, 1_000_000),
    "member_room_end_s": (1, 30 * 86400),
    "member_room_joins_per_minute": (1, 100_000),
    "trust_span_s": (0, 86400),
    "new_conversations_per_hour": (1, 100_000),
    "minor_seeking_attempts": (1, 1000),
    "minor_seeking_window_s": (60, 7 * 86400),
    "adult_address_window_s": (60, 30 * 86400),
    "adult_address_min_weight": (1, 100),
    "reaching_minors": (2, 1000),
    "reaching_minors_window_s": (60, 7 * 86400),
    "invalid_frames_before_close": (1, 1000),
    "outgoing_queue_bytes": (4096, 1 << 31),
    "commit_batch_max": (1, 100_000),
    "retention_connections_days": (1, 36_500),
    "retention_messages_days": (1, 36_500),
    "retention_media_days": (1, 36_500),
    "retention_audit_days": (1, 36_500),
    "purge_interval_s": (0, 7 * 86400),
    "purge_batch": (1, 1_000_000),
    "purge_pause_s": (0, 10),
    "media_max_bytes": (1024, 1 << 30),
    "media_max_pixels": (1, 1 << 31),
    "media_max_side_px": (64, 16384),
    "media_match_distance": (0, 128),
    "media_uploads_per_hour": (1, 100_000),
    "irc_port": (-1, 65535),
    "irc_connections_per_address": (1, 100_000),
    "irc_connects_per_minute": (1, 100_000),
    "irc_ping_interval_s": (1, 3600),
    "staff_logins_per_address": (1, 100_000),
    "staff_logins_per_name": (1, 100_000),
    "staff_login_window_s": (1, 86400),
    "staff_login_workers": (1, 64),
    "staff_login_queue": (0, 10_000),
}
_CHOICES: dict[str, frozenset[str]] = {
    "log_level": frozenset({"debug", "info", "warning", "error"}),
    "teen_assurance": frozenset({"off", "dm", "space"}),
}


def _convert(name: str, raw: Any, kind: Any, source: str) -> Any:
    def fail(expected: str) -> ConfigError:
        return ConfigError(f"{source}={raw!r}: expected {expected}")

    text = str(raw).strip()
    if kind in ("bool",):
        if isinstance(raw, bool):
            return raw
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise fail("on/off, true/false, yes/no or 1/0")
    if kind in ("int", "float"):
        value = _number(raw, text, is_int=kind == "int")
        if value is None:
            raise fail("an integer" if kind == "int" else "a number")
        low, high = _RANGES.get(name, (float("-inf"), float("inf")))
        if not low <= value <= high:
            raise fail(f"a value from {low:g} to {high:g}")
        return value
    if kind == "Path":
        if not text:
            raise fail("a directory path")
        return Path(text).expanduser()
    if kind == "Path | None":
        return Path(text).expanduser() if text else None
    if name in _CHOICES and text.lower() not in _CHOICES[name]:
        raise fail("one of " + ", ".join(sorted(_CHOICES[name])))
    return text.lower() if name in _CHOICES else text


def _number(raw: Any, text: str, *, is_int: bool) -> float | None:
    """A TOML number as it is; a text in ASCII digits with an optional minus sign (and, for a
    float, one decimal point). `int()`/`float()` would also read '٣', '1_0', 'nan' or 'inf'."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int) or (isinstance(raw, float) and not is_int):
        return raw if math.isfinite(raw) else None
    digits = text.removeprefix("-")
    number = ascii_int(digits) if is_int else ascii_decimal(digits)
    if number is None:
        return None
    return -number if digits != text else number


def load_settings(
    environ: Mapping[str, str],
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Resolve the settings.

    Args:
        environ: the process environment (tests pass a dict).
        overrides: command-line values; `None` values are ignored.

    Raises:
        ConfigError: a value that cannot be used, or an unreadable config file.
    """
    flags = {k: v for k, v in (overrides or {}).items() if v is not None}
    kinds = {f.name: f.type for f in fields(Settings)}
    for key in flags:
        if key not in kinds:
            raise ConfigError(f"unknown option {key!r}")
    values: dict[str, Any] = {}

    config_path = flags.get("config") or environ.get(f"{ENV_PREFIX}CONFIG")
    if config_path:
        path = Path(str(config_path)).expanduser()
        try:
            document = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"config file {path}: {exc}") from None
        section = document.get("causerie", document)
        if not isinstance(section, dict):
            raise ConfigError(f"{path}: causerie={section!r}: expected a [causerie] table")
        for key, raw in section.items():
            if not isinstance(raw, dict):
                if key not in kinds:
                    raise ConfigError(f"{path}: unknown key {key!r}")
                values[key] = _convert(key, raw, kinds[key], f"{path}:{key}")
        values["config"] = path

    for name, kind in kinds.items():
        env_key = f"{ENV_PREFIX}{name.upper()}"
        if env_key in environ and name != "config":
            values[name] = _convert(name, environ[env_key], kind, env_key)

    for name, raw in flags.items():
        values[name] = _convert(name, raw, kinds[name], f"--{name.replace('_', '-')}")

    settings = Settings(**values)
    _check_irc(settings)
    _check_origins(settings)
    _check_assurance(settings)
    if not settings.rate_limits and not settings.is_loopback:
        raise ConfigError(
            f"{ENV_PREFIX}RATE_LIMITS=off is only accepted when listening on a loopback address "
            f"(host is {settings.host!r})"
        )
    return settings


def _check_irc(settings: Settings) -> None:
    if settings.irc_default_profile and parse_profile(settings.irc_default_profile) is None:
        raise ConfigError(
            f"{ENV_PREFIX}IRC_DEFAULT_PROFILE={settings.irc_default_profile!r}: expected "
            "'<age> <gender> <postcode>', e.g. '30 x 75001'"
        )
    if (settings.irc_tls_cert is None) != (settings.irc_tls_key is None):
        raise ConfigError(
            f"{ENV_PREFIX}IRC_TLS_CERT and {ENV_PREFIX}IRC_TLS_KEY: expected both or neither"
        )


def _check_origins(settings: Settings) -> None:
    try:
        parse_origins(settings.allowed_origins)
    except ValueError as exc:
        raise ConfigError(
            f"{ENV_PREFIX}ALLOWED_ORIGINS={settings.allowed_origins!r}: {exc}"
        ) from None


def _check_assurance(settings: Settings) -> None:
    """A gate needs a provider to trust and a page to send minors to; the test provider mints
    proofs for anyone, so it only runs on a loopback address."""
    url = settings.age_provider_url
    parts = urlsplit(url)
    is_page = parts.scheme in ("http", "https") and bool(parts.netloc)
    if url and not (is_page or (url.startswith("/") and not url.startswith("//"))):
        raise ConfigError(
            f"{ENV_PREFIX}AGE_PROVIDER_URL={url!r}: expected an http(s):// address or a path"
        )
    if settings.age_test_provider and not settings.is_loopback:
        raise ConfigError(
            f"{ENV_PREFIX}AGE_TEST_PROVIDER=on is only accepted when listening on a loopback "
            f"address (host is {settings.host!r}): anyone could mint age proofs"
        )
    if settings.teen_assurance == "off" or settings.age_test_provider:
        return
    if not settings.age_verifier_keys or not url:
        raise ConfigError(
            f"{ENV_PREFIX}TEEN_ASSURANCE={settings.teen_assurance}: expected a provider, "
            f"{ENV_PREFIX}AGE_VERIFIER_KEYS and {ENV_PREFIX}AGE_PROVIDER_URL (or, on a "
            f"laptop, {ENV_PREFIX}AGE_TEST_PROVIDER=on)"
        )


def describe(settings: Settings) -> dict[str, Any]:
    """Settings as plain values, secrets masked, for the startup log."""
    shown = dataclasses.asdict(settings)
    for key in ("database_url", "redis_url"):
        if "@" in str(shown[key]):
            shown[key] = str(shown[key]).split("@", 1)[-1]
    if shown["irc_password"]:
        shown["irc_password"] = "***"
    return shown


# -- Web origins, as `allowed_origins` holds them ----------------------------------------------
# Here rather than in ws/origins.py (which checks each upgrade's Origin with them) so that a bad
# setting stops the start like any other, without config importing an adapter.

DEFAULT_PORTS = {"http": 80, "https": 443}
_NAME = re.compile(r"[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?")  # a DNS name or IPv4, lower case


def normalize_origin(text: str) -> str | None:
    """`scheme://host[:port]` serialised (lower case, default port left out), or None when
    `text` is not an http(s) origin (a path, user info, `null`, a bad port…)."""
    scheme, separator, authority = text.strip().partition("://")
    scheme = scheme.lower()
    if not separator or scheme not in DEFAULT_PORTS:
        return None
    authority = authority.removesuffix("/")  # "https://chat.example.org/" in a config file
    serialised = _authority(authority, DEFAULT_PORTS[scheme])
    return None if serialised is None else f"{scheme}://{serialised}"


def _authority(authority: str, default_port: int) -> str | None:
    if authority.startswith("["):  # an IPv6 literal
        end = authority.find("]")
        if end < 0:
            return None
        host, rest = authority[: end + 1].lower(), authority[end + 1 :]
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            return None
    else:
        host, colon, port_text = authority.partition(":")
        host, rest = host.lower(), colon + port_text
        if not _NAME.fullmatch(host):
            return None
    if not rest or rest == ":":
        return host
    port_text = rest[1:]
    if rest[0] != ":" or len(port_text) > 5 or not (port_text.isascii() and port_text.isdigit()):
        return None
    port = int(port_text)
    if not 0 < port <= 65535:
        return None
    return host if port == default_port else f"{host}:{port}"


def parse_origins(spec: str) -> frozenset[str]:
    """The `allowed_origins` setting: comma-separated origins, serialised.

    Raises:
        ValueError: an item that is not an http(s) origin, naming it.
    """
    origins = set()
    for item in (part.strip() for part in spec.split(",")):
        if not item:
            continue
        origin = normalize_origin(item)
        if origin is None:
            raise ValueError(f"{item!r}: expected origins such as https://chat.example.org")
        origins.add(origin)
    return frozenset(origins)
