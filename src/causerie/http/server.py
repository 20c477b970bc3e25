"""Serving the app with uvicorn on a socket we bound ourselves (so port 0 works and the address
is known before the first request).

Each accepted socket starts with `http.front`: a WebSocket upgrade goes straight to
`ws.protocol` (no uvicorn HTTP parsing, no ASGI on that path), anything else to uvicorn;
permessage-deflate never negotiated (it costs memory per connection and CPU per frame;
chat frames are small; fan-out writes the same pre-built frame to every socket).
"""

from __future__ import annotations

import contextlib
import signal
import socket
import threading
from collections.abc import Iterator

import uvicorn

from causerie.config import Settings
from causerie.errors import ConfigError
from causerie.http.app import create_app
from causerie.http.front import front_door_for
from causerie.node.runtime import Node
from causerie.ws.protocol import protocol_for

_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def bind(host: str, port: int) -> socket.socket:
    """A listening, non-blocking socket; `ConfigError` when the address cannot be used."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP named explicitly: asyncio turns TCP_NODELAY on only for sockets whose proto
    # says TCP, and without it every small frame waits for the peer's delayed ACK (~40 ms).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.listen(4096)
    sock.setblocking(False)
    return sock


def local_url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


class Server(uvicorn.Server):
    """uvicorn's server, optionally leaving signal handling to the embedding program."""

    def __init__(self, config: uvicorn.Config, handle_signals: bool = True) -> None:
        super().__init__(config)
        self._handle_signals = handle_signals

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        """SIGINT/SIGTERM ask for a graceful stop; unlike uvicorn's own handling the signal is
        not raised again afterwards, so a clean stop exits with status 0."""
        if not self._handle_signals or threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = {sig: signal.signal(sig, self.handle_exit) for sig in _STOP_SIGNALS}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def build_server(node: Node, settings: Settings, handle_signals: bool = True) -> Server:
    """uvicorn serving the app and taking WebSocket upgrades for `node`, which the caller
    (causerie/assembly/) started and stops: no lifespan of its own."""
    websocket = protocol_for(node)
    config = uvicorn.Config(
        create_app(node),
        log_config=None,
        # uvicorn logs every WebSocket with the client's address at info: personal data that
        # belongs in the connection records, not in logs.
        log_level="debug" if settings.log_level == "debug" else "warning",
        access_log=False,
        ws=websocket,  # an upgrade later on a kept-alive HTTP connection
        http=front_door_for(websocket),
        lifespan="off",
        proxy_headers=True,
        forwarded_allow_ips=settings.trusted_proxies,
        timeout_graceful_shutdown=5,
    )
    return Server(config, handle_signals)
