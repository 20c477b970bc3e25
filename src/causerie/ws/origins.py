"""Which web pages may open the WebSocket, and where the site's own pages may connect.

A browser lets a page on any site open a WebSocket to any other site, and sends that page's
`Origin` with the upgrade (and the visitor's cookies: cross-site WebSocket hijacking). So an
upgrade that carries an `Origin` is accepted only from the site itself (the scheme and `Host`
the request came to) or from an origin the operator listed in `allowed_origins`; anything
else is refused with 403 before the upgrade (`ws.protocol`). An upgrade without `Origin`
comes from a program (a bot, an IRC bridge, the test clients), never from a page: browsers
always send it and a page cannot remove it, so it stays allowed.

The scheme of a request is `http`, or `https` when a trusted proxy says so with
`X-Forwarded-Proto` (TLS ends at the proxy). Origins are compared serialised as RFC 6454
section 6.1 does: scheme and host in lower case, the port only when it is not the scheme's
default. `connect_sources` gives the pages' CSP the site's own WebSocket by name, since
`'self'` does not cover `ws:`/`wss:` in every browser. Pure: no I/O.
"""

from __future__ import annotations

import ipaddress
import re

DEFAULT_PORTS = {"http": 80, "https": 443}
_NAME = re.compile(r"[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?")  # a DNS name or IPv4, lower case
FORWARDED_PROTO_HEADER = "x-forwarded-proto"


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


def site_origin(scheme: str, host: str | None) -> str | None:
    """The origin of the site a request came to (its scheme and `Host` header), or None when
    the `Host` header is missing or is not a host."""
    if host is None or "/" in host or "@" in host:
        return None
    return normalize_origin(f"{scheme}://{host}")


def request_scheme(peer_is_trusted: bool, headers: dict[str, str]) -> str:
    """`https` when a trusted proxy says the client came over TLS, else `http`."""
    if not peer_is_trusted:
        return "http"
    proto = headers.get(FORWARDED_PROTO_HEADER, "").split(",")[0].strip().lower()
    return "https" if proto in ("https", "wss") else "http"


class OriginPolicy:
    """The Origin check of a WebSocket upgrade."""

    __slots__ = ("_allowed",)

    def __init__(self, allowed_origins: str = "") -> None:
        self._allowed = parse_origins(allowed_origins)

    def allows(self, origin: str | None, scheme: str, host: str | None) -> bool:
        """Whether an upgrade with this `Origin` header (None: none sent), arriving over
        `scheme` for `host`, may open the WebSocket."""
        if origin is None:
            return True  # not a page: browsers always send Origin with a WebSocket
        serialised = normalize_origin(origin)
        if serialised is None:
            return False  # "null" (a sandboxed page, a file), garbage
        return serialised in self._allowed or serialised == site_origin(scheme, host)


def connect_sources(scheme: str, host: str | None) -> str:
    """The CSP `connect-src` of a page served over `scheme` for `host`: `'self'` and the
    site's own WebSocket (`wss://host` over https, `ws://host` over http). A host CSP cannot
    name (an IPv6 literal) or a bad `Host` header leaves `'self'` alone."""
    origin = site_origin(scheme, host)
    if origin is None or "[" in origin:
        return "'self'"
    socket_scheme = "wss" if scheme == "https" else "ws"
    return f"'self' {socket_scheme}://{origin.partition('://')[2]}"
