"""The `causerie` command: serve the chat, manage the database, list rooms.

Every command resolves the settings once (flags > environment > file > defaults) and reports
bad input as one readable line with exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import socket
import sys
from collections.abc import Sequence
from typing import Any

from causerie import __version__
from causerie.config import Settings, load_settings
from causerie.errors import ConfigError
from causerie.logs import configure_logging
from causerie.store.base import StoreUnavailable

log = logging.getLogger("causerie")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="causerie",
        description="Causerie: instant, room-based community chat, safe by design.",
    )
    parser.add_argument("--version", action="version", version=f"causerie {__version__}")
    parser.add_argument("--config", help="TOML configuration file (CAUSERIE_CONFIG)")
    parser.add_argument("--data-dir", help="data directory (CAUSERIE_DATA_DIR, default ./data)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    serve = commands.add_parser("serve", help="serve the chat (web app, WebSocket, API)")
    serve.add_argument("--host", help="address to listen on (CAUSERIE_HOST, default 127.0.0.1)")
    serve.add_argument("--port", help="port, 0 for any free one (CAUSERIE_PORT, default 8000)")
    serve.add_argument("--config", dest="sub_config", help=argparse.SUPPRESS)
    serve.add_argument("--data-dir", dest="sub_data_dir", help=argparse.SUPPRESS)

    db = commands.add_parser("db", help="database schema")
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_commands.add_parser("upgrade", help="apply the migrations (also done by serve)")

    commands.add_parser("rooms", help="list the rooms and their audiences")
    return parser


def _settings(args: argparse.Namespace, environ: dict[str, str]) -> Settings:
    overrides: dict[str, Any] = {
        "config": getattr(args, "sub_config", None) or args.config,
        "data_dir": getattr(args, "sub_data_dir", None) or args.data_dir,
        "host": getattr(args, "host", None),
        "port": getattr(args, "port", None),
    }
    return load_settings(environ, overrides)


def _store(settings: Settings) -> Any:
    from causerie.store.sql import SqlStore

    return SqlStore(settings.effective_database_url)


async def _serve(settings: Settings) -> None:
    import uvicorn

    from causerie.broker.memory import MemoryBroker
    from causerie.geo import load_directory
    from causerie.http.app import create_app
    from causerie.node.runtime import Node

    directory = load_directory()
    node = Node(settings, _store(settings), MemoryBroker(), directory.locate)
    app = create_app(node)
    family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((settings.host, settings.port))
    except OSError as exc:
        raise ConfigError(f"cannot listen on {settings.host}:{settings.port}: {exc.strerror}"
                          ) from None
    sock.listen(2048)
    sock.setblocking(False)
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app,
        log_config=None,
        log_level=settings.log_level,
        access_log=False,
        ws="websockets-sansio",
        ws_max_size=1024 * 1024,
        ws_per_message_deflate=False,
        ws_ping_interval=20.0,
        ws_ping_timeout=20.0,
        lifespan="on",
        timeout_graceful_shutdown=5,
    )
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started and not serving.done():
        await asyncio.sleep(0.02)
    if server.started:
        host = f"[{settings.host}]" if ":" in settings.host else settings.host
        print(f"Causerie est en ligne : http://{host}:{port}/  (Ctrl+C pour arrêter)",
              flush=True)
    await serving
    if not server.started:
        raise SystemExit(1)


async def _upgrade(settings: Settings) -> None:
    store = _store(settings)
    try:
        await store.migrate()
    finally:
        await store.close()
    print("database schema is up to date")


async def _rooms(settings: Settings) -> None:
    from causerie.core.rooms import DEFAULT_ROOMS

    store = _store(settings)
    try:
        await store.migrate()
        rooms = await store.load_rooms() or list(DEFAULT_ROOMS)
    finally:
        await store.close()
    for room in rooms:
        print(f"{room.id:28} {room.kind.value:9} {room.audience.value:15} {room.name}")


def _run_async(settings: Settings, coroutine: Any) -> None:
    try:
        import uvloop

        uvloop.run(coroutine)
    except ImportError:
        asyncio.run(coroutine)


def main(argv: Sequence[str] | None = None, environ: dict[str, str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = _settings(args, dict(os.environ if environ is None else environ))
    except ConfigError as exc:
        print(f"causerie: configuration error: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level, settings.log_json)
    actions = {
        "serve": _serve,
        "db": _upgrade,
        "rooms": _rooms,
    }
    try:
        _run_async(settings, actions[args.command](settings))
    except ConfigError as exc:
        print(f"causerie: {exc}", file=sys.stderr)
        return 2
    except StoreUnavailable as exc:
        print(f"causerie: the database is unreachable: {exc}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        return 130
    return 0
