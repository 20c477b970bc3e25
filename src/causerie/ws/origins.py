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
`'self'` does not cover `ws:`/`wss:` in every browser. Pure: no I/O. The serialisation itself is
config's (`normalize_origin`), which checks the `allowed_origins` setting with it at start.
"""

from __future__ import annotations

from causerie.config import normalize_origin, parse_origins

FORWARDED_PROTO_HEADER = "x-forwarded-proto"


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
