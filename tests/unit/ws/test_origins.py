"""Which pages may open the WebSocket (`ws.origins`): the Origin check and the CSP's
connect-src. Pure functions, fuzzed: a header never raises."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from causerie.config import normalize_origin, parse_origins
from causerie.ws.origins import OriginPolicy, connect_sources, request_scheme, site_origin


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://Chat.Example.ORG", "https://chat.example.org"),
        ("https://chat.example.org:443", "https://chat.example.org"),
        ("http://chat.example.org:80", "http://chat.example.org"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("https://chat.example.org/", "https://chat.example.org"),
        ("http://[::1]:8000", "http://[::1]:8000"),
        ("HTTP://[0:0::1]:80", "http://[0:0::1]"),
        ("null", None),
        ("file://", None),
        ("ws://chat.example.org", None),
        ("https://chat.example.org/path", None),
        ("https://user@chat.example.org", None),
        ("https://chat.example.org:0", None),
        ("https://chat.example.org:65536", None),
        ("https://chat.example.org:８０", None),  # full-width digits
        ("https://chat.example.org:80:80", None),
        ("https://[::g]", None),
        ("https://exa mple.org", None),
        ("https://", None),
    ],
)
def test_normalize_origin_serialises_or_refuses(text: str, expected: str | None) -> None:
    assert normalize_origin(text) == expected


@given(st.text(max_size=80))
def test_normalize_origin_never_raises_and_is_idempotent(text: str) -> None:
    origin = normalize_origin(text)
    if origin is not None:
        assert normalize_origin(origin) == origin


def test_origin_policy_without_origin_allows_programs() -> None:
    assert OriginPolicy().allows(None, "http", "chat.example.org") is True


def test_origin_policy_same_site_allowed_with_matching_scheme_only() -> None:
    policy = OriginPolicy()
    assert policy.allows("http://127.0.0.1:8000", "http", "127.0.0.1:8000")
    assert policy.allows("https://chat.example.org", "https", "Chat.Example.org:443")
    assert not policy.allows("http://chat.example.org", "https", "chat.example.org")
    assert not policy.allows("https://chat.example.org", "http", "chat.example.org")
    assert not policy.allows("http://127.0.0.1:8001", "http", "127.0.0.1:8000")


def test_origin_policy_foreign_null_and_garbage_refused() -> None:
    policy = OriginPolicy()
    for origin in ("https://evil.example", "null", "", "https://chat.example.org.evil.example"):
        assert not policy.allows(origin, "https", "chat.example.org"), origin
    assert not policy.allows("https://chat.example.org", "https", None)  # no Host to compare


def test_origin_policy_configured_origins_allowed() -> None:
    policy = OriginPolicy("https://www.example.org, https://app.example.org:8443/")
    assert policy.allows("https://www.example.org", "http", "10.0.0.7:8001")
    assert policy.allows("https://APP.example.org:8443", "http", "10.0.0.7:8001")
    assert not policy.allows("https://app.example.org", "http", "10.0.0.7:8001")


def test_parse_origins_refuses_what_is_not_an_origin() -> None:
    assert parse_origins("") == frozenset()
    with pytest.raises(ValueError, match=r"chat\.example\.org/app"):
        parse_origins("https://ok.example, chat.example.org/app")


@pytest.mark.parametrize(
    ("trusted", "proto", "scheme"),
    [
        (True, "https", "https"),
        (True, "HTTPS, http", "https"),
        (True, "http", "http"),
        (True, None, "http"),
        (False, "https", "http"),  # anyone may send the header: believed from proxies only
    ],
)
def test_request_scheme_believes_trusted_proxies_only(
    trusted: bool, proto: str | None, scheme: str
) -> None:
    headers = {} if proto is None else {"x-forwarded-proto": proto}
    assert request_scheme(trusted, headers) == scheme


def test_connect_sources_names_the_sites_websocket() -> None:
    assert connect_sources("https", "chat.example.org") == "'self' wss://chat.example.org"
    assert connect_sources("http", "127.0.0.1:8000") == "'self' ws://127.0.0.1:8000"
    assert connect_sources("https", "chat.example.org:443") == "'self' wss://chat.example.org"
    assert connect_sources("http", "[::1]:8000") == "'self'"  # CSP cannot name an IPv6 literal
    assert connect_sources("http", None) == "'self'"
    assert connect_sources("http", "a; script-src *") == "'self'"
    assert site_origin("http", "evil.example/x") is None


@given(st.text(max_size=60))
def test_connect_sources_never_carries_a_separator(host: str) -> None:
    sources = connect_sources("https", host)
    assert ";" not in sources and "," not in sources and "\n" not in sources
    assert sources.split()[0] == "'self'" and len(sources.split()) <= 2
