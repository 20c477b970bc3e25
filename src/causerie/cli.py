"""The `causerie` command: serve the chat, manage the database, list rooms.

Every command resolves the settings once (flags > environment > file > defaults) and reports
bad input as one readable line with exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import gc
import logging
import os
import sys
import time
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from causerie import __version__
from causerie.config import Settings, load_settings
from causerie.core.numerals import ascii_decimal
from causerie.errors import CauserieError, ConfigError
from causerie.i18n import translate
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
    serve.add_argument(
        "--irc-port", help="IRC listener port, 0 for any free one (CAUSERIE_IRC_PORT, default off)"
    )
    serve.add_argument("--config", dest="sub_config", help=argparse.SUPPRESS)
    serve.add_argument("--data-dir", dest="sub_data_dir", help=argparse.SUPPRESS)

    db = commands.add_parser("db", help="database schema")
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_commands.add_parser("upgrade", help="apply the migrations (also done by serve)")

    from causerie import room_commands

    room_commands.add_parsers(commands)

    staff = commands.add_parser("staff", help="moderator and admin accounts")
    staff_commands = staff.add_subparsers(dest="staff_command", metavar="ACTION", required=True)
    add = staff_commands.add_parser("add", help="create a staff account (asks the password)")
    add.add_argument("name", help="the staff name (reserved: nobody may imitate it)")
    add.add_argument("--role", choices=["moderator", "admin"], default="moderator")
    add.add_argument("--rooms", default="", help="limit a moderator to these rooms (a,b,c)")
    add.add_argument("--totp", action="store_true", help="require a TOTP second factor")
    add.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input instead of asking",
    )
    staff_commands.add_parser("list", help="list staff accounts")

    flagger = commands.add_parser(
        "flagger", help="trusted flaggers, whose reports get their own priority lane"
    )
    flagger_commands = flagger.add_subparsers(
        dest="flagger_command", metavar="ACTION", required=True
    )
    for action, text in (("add", "trust a nickname's reports"), ("remove", "stop trusting")):
        one = flagger_commands.add_parser(action, help=text)
        one.add_argument("nick")
        one.add_argument("--actor", default="admin", help="who decides (for the audit log)")
    flagger_commands.add_parser("list", help="list trusted flaggers")

    report = commands.add_parser(
        "report", help="reports: the police notification packet, the transparency report"
    )
    report_commands = report.add_subparsers(dest="report_command", metavar="ACTION", required=True)
    police = report_commands.add_parser(
        "police", help="write the notification packet for the police (DSA art. 18)"
    )
    police.add_argument("report_id", type=int)
    police.add_argument("--out", required=True, help="where to write the JSON packet")
    police.add_argument("--actor", default="admin", help="who asks (for the audit log)")

    ban = commands.add_parser(
        "ban", help="ban someone by nickname (their session, device and address), on every node"
    )
    ban.add_argument("nick", help="the nickname, as connected or last seen")
    ban.add_argument("--room", help="only from this room (default: the whole site)")
    ban.add_argument(
        "--duration",
        default="forever",
        help="how long: 30m, 12h, 7d, 3600 (seconds) or forever (default)",
    )
    ban.add_argument("--reason", required=True, help="the ground, told to the person")
    ban.add_argument("--actor", default="operator", help="who decides (for the audit log)")

    from causerie.compliance import add_parsers

    add_parsers(commands, report_commands)
    return parser


def _settings(args: argparse.Namespace, environ: dict[str, str]) -> Settings:
    overrides: dict[str, Any] = {
        "config": getattr(args, "sub_config", None) or args.config,
        "data_dir": getattr(args, "sub_data_dir", None) or args.data_dir,
        "host": getattr(args, "host", None),
        "port": getattr(args, "port", None),
        "irc_port": getattr(args, "irc_port", None),
    }
    return load_settings(environ, overrides)


# Imported when a command runs, so that `causerie --help` stays quick.
def _store(settings: Settings) -> Any:
    from causerie.assembly.backends import build_store

    return build_store(settings)


async def _serve(settings: Settings) -> None:
    from causerie.assembly.process import Process
    from causerie.http.server import bind, local_url

    sock = bind(settings.host, settings.port)
    url = local_url(sock)

    def announce() -> None:
        settle_heap()
        # The socket already listens, so the address works the moment it is printed.
        print(f"Causerie est en ligne : {url}/  (Ctrl+C pour arrêter)", flush=True)

    process = Process(settings, on_ready=announce)
    await process.serve([sock])
    if not process.started:
        raise SystemExit(1)


def settle_heap() -> None:
    """Once started: keep the garbage collector off what lives as long as the process.

    What start-up built (modules, the postal-code directory, compiled moderation rules, the
    schema) never becomes garbage, yet every full collection would walk all of it while the
    chat waits. Frozen, it is skipped; and a larger first generation means fewer collections
    for the short-lived objects each message makes.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_GEN0_THRESHOLD, *gc.get_threshold()[1:])


GC_GEN0_THRESHOLD = 10_000  # allocations between young collections (CPython's default: 700)


async def _upgrade(settings: Settings) -> None:
    store = _store(settings)
    try:
        await store.migrate()
    finally:
        await store.close()
    print("database schema is up to date")


async def _rooms(settings: Settings, args: argparse.Namespace) -> None:
    from causerie import room_commands

    await room_commands.run(settings, args)


def _run_async(settings: Settings, coroutine: Any) -> None:
    try:
        import uvloop

        uvloop.run(coroutine)
    except ImportError:
        asyncio.run(coroutine)


_UNITS_S = {"s": 1, "m": 60, "h": 3600, "d": 86400}
MAX_DURATION_S = 3650 * 86400  # ten years; longer is `forever`


def parse_duration(text: str) -> float | None:
    """`30m`, `12h`, `7d`, `1.5h`, `90` (seconds) or `forever` (None). ASCII digits only: no
    sign, exponent, `nan` or `inf`, and at most ten years.

    Raises:
        ConfigError: anything else, with the value.
    """
    value = text.strip().lower()
    if value in ("forever", "permanent", "0"):
        return None
    number, unit = (value[:-1], value[-1]) if value[-1:] in _UNITS_S else (value, "s")
    amount = ascii_decimal(number, max_digits=12)
    if amount is None:
        raise ConfigError(f"--duration={text!r}: expected 30m, 12h, 7d, seconds or forever")
    seconds = amount * _UNITS_S[unit]
    if not 0 < seconds <= MAX_DURATION_S:
        raise ConfigError(
            f"--duration={text!r}: expected a positive duration of at most 3650d (or forever)"
        )
    return seconds


async def _ban(settings: Settings, args: argparse.Namespace) -> None:
    """Ban through the shared store; every node enforces it within a few seconds (at once when
    they share Redis, which carries the signal)."""
    from causerie.assembly.backends import open_backends
    from causerie.assembly.node import build_node
    from causerie.core.policy.bans import BanScope

    duration_s = parse_duration(args.duration)
    backends = open_backends(settings)
    node = await build_node(settings, backends)  # the store migrated
    await backends.broker.start(lambda _channel, _payload: None)
    try:
        # The statement of reasons and the audit entry first, as for a moderator's ban.
        await node.decisions.decide_as_operator(
            args.actor, nick=args.nick, room=args.room, duration_s=duration_s, reason=args.reason
        )
        ban = await node.bans.ban(
            nick=args.nick,
            scope=BanScope.ROOM if args.room else BanScope.SITE,
            room=args.room,
            duration_s=duration_s,
            reason=args.reason,
            actor=args.actor,
        )
    finally:
        await backends.broker.close()
        await backends.store.close()
    until = "for good" if ban.expires_at_ms is None else f"for {args.duration}"
    where = f"from room {ban.room}" if ban.room else "from the site"
    print(f"ban {ban.id}: {ban.nick} banned {where} {until}")


async def _staff(settings: Settings, args: argparse.Namespace) -> None:
    import getpass

    from causerie.safety import staff
    from causerie.safety.audit import ActorKind, AuditAction

    store = _store(settings)
    await store.migrate()
    try:
        if args.staff_command == "list":
            for name in sorted(await store.staff_names()):
                account = await store.staff_account(name)
                where = ",".join(account.rooms) if account and account.rooms else "all rooms"
                print(f"{name:24} {account.role.value if account else '?':10} {where}")
            return
        name = staff.validate_staff_name(args.name)
        if await store.staff_account(name) is not None:
            raise ConfigError(f"staff account {name!r} exists already")
        if args.password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass(f"password for {name}: ")
        if len(password) < MIN_STAFF_PASSWORD_CHARS:
            raise ConfigError(
                f"the password must have at least {MIN_STAFF_PASSWORD_CHARS} characters"
            )
        secret = staff.new_totp_secret() if args.totp else None
        rooms = tuple(r.strip() for r in args.rooms.split(",") if r.strip())
        account = staff.StaffAccount(
            name, staff.StaffRole(args.role), staff.hash_password(password), secret, rooms
        )
        await store.add_staff(account, int(time.time() * 1000))
        await store.append_audit(
            at_ms=int(time.time() * 1000),
            actor="operator",
            actor_kind=ActorKind.SYSTEM,
            action=AuditAction.STAFF_ADDED,
            target=f"staff:{name}",
            reason=args.role,
            details={"rooms": list(rooms)},
        )
    finally:
        await store.close()
    print(f"staff account {name} ({args.role}) created")
    if secret:
        print(f"TOTP: add this to an authenticator app: {staff.totp_uri(name, secret)}")


MIN_STAFF_PASSWORD_CHARS = 10


async def _flagger(settings: Settings, args: argparse.Namespace) -> None:

    from causerie.core.policy.nicknames import nick_key
    from causerie.safety.audit import ActorKind, AuditAction

    store = _store(settings)
    await store.migrate()
    try:
        if args.flagger_command == "list":
            for nick in sorted((await store.trusted_flaggers()).values()):
                print(nick)
            return
        now_ms = int(time.time() * 1000)
        key = nick_key(args.nick.strip())
        if args.flagger_command == "add":
            await store.add_trusted_flagger(key, args.nick.strip(), args.actor, now_ms)
        elif not await store.remove_trusted_flagger(key):
            raise ConfigError(f"{args.nick!r} is not a trusted flagger")
        await store.append_audit(
            at_ms=now_ms,
            actor=args.actor,
            actor_kind=ActorKind.HUMAN,
            action=AuditAction.STAFF_ADDED
            if args.flagger_command == "add"
            else AuditAction.STAFF_REMOVED,
            target=f"flagger:{args.nick.strip()}",
            reason="trusted flagger",
            details={},
        )
    finally:
        await store.close()
    print(f"trusted flagger {args.nick} {'added' if args.flagger_command == 'add' else 'removed'}")


async def _report(settings: Settings, args: argparse.Namespace) -> None:
    import json
    from pathlib import Path

    from causerie.legal.police import build_packet
    from causerie.safety.audit import ActorKind, AuditAction

    store = _store(settings)
    await store.migrate()
    try:
        if args.report_command == "transparency":
            from causerie.compliance import transparency

            await transparency(settings, args, store)
            return
        report = await store.report(args.report_id)
        if report is None:
            raise ConfigError(f"no report {args.report_id}")
        sessions = {s for s in (report.reporter_session, report.target_session) if s}
        records = [r for r in [await store.connection(s) for s in sorted(sessions)] if r]
        now_ms = int(time.time() * 1000)
        packet = build_packet(report, records, service="Causerie", generated_at_ms=now_ms)
        document = json.dumps(packet, ensure_ascii=False, indent=2)
        await asyncio.to_thread(Path(args.out).write_text, document, encoding="utf-8")
        await store.append_audit(
            at_ms=now_ms,
            actor=args.actor,
            actor_kind=ActorKind.HUMAN,
            action=AuditAction.POLICE_NOTIFICATION,
            target=f"report:{report.id}",
            reason="DSA art. 18",
            details={"sha256": packet["sha256"]},
        )
    finally:
        await store.close()
    print(
        f"packet for report {args.report_id} written to {args.out} "
        f"({len(records)} connection records, sha256 {packet['sha256'][:16]}…)"
    )


async def _retention(settings: Settings, args: argparse.Namespace) -> None:
    from causerie import compliance

    store = _store(settings)
    await store.migrate()
    try:
        await compliance.run(settings, args, store)
    finally:
        await store.close()


def main(argv: Sequence[str] | None = None, environ: dict[str, str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = _settings(args, dict(os.environ if environ is None else environ))
    except ConfigError as exc:
        print(f"causerie: configuration error: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level, settings.log_json)
    actions: dict[str, Callable[[Settings], Coroutine[Any, Any, None]]] = {
        "serve": _serve,
        "db": _upgrade,
        "rooms": functools.partial(_rooms, args=args),
        "ban": functools.partial(_ban, args=args),
        "staff": functools.partial(_staff, args=args),
        "report": functools.partial(_report, args=args),
        "flagger": functools.partial(_flagger, args=args),
        "retention": functools.partial(_retention, args=args),
        "legal": functools.partial(_retention, args=args),
    }
    try:
        _run_async(settings, actions[args.command](settings))
    except ConfigError as exc:
        print(f"causerie: {exc}", file=sys.stderr)
        return 2
    except CauserieError as exc:
        print(f"causerie: {translate(exc.key, 'en', fallback=exc.code.value)}", file=sys.stderr)
        return 2
    except StoreUnavailable as exc:
        print(f"causerie: the database is unreachable: {exc}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        return 130
    return 0
