"""`Process`: one `causerie serve` — the node, then its listeners (the IRC listener when
`irc_port` is set, the HTTP server that also takes WebSocket upgrades) and its background job
(the retention purge), started in that order and stopped in the reverse."""

from __future__ import annotations

import socket
from collections.abc import Callable, Sequence

from starlette.applications import Starlette

from causerie.assembly.configured import warn_about_unsafe_settings
from causerie.assembly.node import build_node
from causerie.config import Settings
from causerie.games.interface import GameSpec
from causerie.http.server import Server, build_server
from causerie.irc.transport import IrcListener, start_irc
from causerie.node.runtime import Node
from causerie.retention.purge import PurgeJob, Purger


class Process:
    """One `causerie serve`: the node, its listeners and its background jobs.

    Args:
        on_ready: called once everything listens (the command line prints the address).
        handle_signals: whether SIGINT/SIGTERM stop it (off when embedded, as in tests).
    """

    def __init__(
        self,
        settings: Settings,
        *,
        on_ready: Callable[[], None] | None = None,
        handle_signals: bool = True,
        games: Sequence[GameSpec] | None = None,
    ) -> None:
        self.settings = settings
        self._games = games  # the games' catalogue (games/catalog.py's unless a test's)
        self._on_ready = on_ready
        self._handle_signals = handle_signals
        self._node: Node | None = None
        self._http: Server | None = None
        self.irc: IrcListener | None = None
        self._purge: PurgeJob | None = None
        self._is_node_running = False

    @property
    def node(self) -> Node:
        assert self._node is not None, "the process is not started"
        return self._node

    @property
    def http(self) -> Server:
        assert self._http is not None, "the process is not started"
        return self._http

    @property
    def app(self) -> Starlette:
        app = self.http.config.app
        assert isinstance(app, Starlette)
        return app

    @property
    def started(self) -> bool:
        """Whether the HTTP server accepts connections (everything else is up by then)."""
        return self._http is not None and self._http.started

    @property
    def should_exit(self) -> bool:
        return self._http is not None and self._http.should_exit

    @should_exit.setter
    def should_exit(self, value: bool) -> None:
        """Ask `serve` to stop (as SIGTERM does)."""
        if self._http is not None:
            self._http.should_exit = value

    async def start(self) -> None:
        """Build and start the node, then the IRC listener and the purge job; the HTTP server
        is built, and serves once `serve` runs it."""
        settings = self.settings
        warn_about_unsafe_settings(settings)
        node = self._node = await build_node(settings, games=self._games)
        self._is_node_running = True
        try:
            await node.start()
            self.irc = await start_irc(node)  # None unless CAUSERIE_IRC_PORT is set
            purger = Purger.from_settings(node.store, settings)
            self._purge = PurgeJob(purger, settings.purge_interval_s)
            self._purge.start()
        except BaseException:
            await self.stop()
            raise
        self._http = build_server(node, settings, handle_signals=self._handle_signals)

    async def serve(self, sockets: list[socket.socket]) -> None:
        """Start, serve HTTP and WebSocket on `sockets` until asked to stop, then stop."""
        await self.start()
        try:
            if self._on_ready is not None:
                self._on_ready()
            await self.http.serve(sockets=sockets)
        finally:
            await self.stop()

    async def stop(self) -> None:
        """Everything started, stopped in the reverse order; the node last."""
        if self._purge is not None:
            await self._purge.stop()
            self._purge = None
        if self.irc is not None:
            await self.irc.stop()
        if self._node is not None and self._is_node_running:
            self._is_node_running = False
            await self._node.stop()
