"""The operator's commands for what the law asks of a host: retention and the purge, lawful
requests, the transparency report (`causerie retention …`, `causerie legal …`, `causerie report
transparency`). cli.py wires the parsers; the handlers live here. Refusals raise `ConfigError`
with one readable sentence.

A module of its own above retention/, legal/ and transparency/, which it drives: in retention/
it made retention import legal, which imports retention's holds.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from pathlib import Path
from typing import Any

from causerie.config import Settings
from causerie.errors import ConfigError
from causerie.retention.policy import DAY_MS, LAW_FIXED, Kind, RetentionPolicy, parse_day

MAX_REPORT_DAYS = 3 * 366


def add_parsers(commands: Any, report_commands: Any) -> None:
    """Add `retention`, `legal` and `report transparency` to the command-line parser."""
    retention = commands.add_parser("retention", help="retention policy and the purge")
    actions = retention.add_subparsers(dest="retention_command", metavar="ACTION", required=True)
    purge = actions.add_parser("purge", help="delete what the retention policy no longer keeps")
    purge.add_argument("--dry-run", action="store_true", help="count, delete nothing")
    actions.add_parser("policy", help="show the retention periods in force")

    legal = commands.add_parser("legal", help="lawful requests: holds, exports, verification")
    legal_actions = legal.add_subparsers(dest="legal_command", metavar="ACTION", required=True)
    hold = legal_actions.add_parser("hold", help="freeze a user's or a room's data from purges")
    _scope_arguments(hold, address=False)
    release = legal_actions.add_parser("release", help="release a legal hold")
    release.add_argument("reference")
    release.add_argument("--operator", default="operator", help="who (for the audit log)")
    legal_actions.add_parser("holds", help="list the legal holds in force")
    export = legal_actions.add_parser("export", help="write a signed export bundle")
    _scope_arguments(export, address=True)
    export.add_argument("--out", required=True, help="the bundle to write (a .zip)")
    search = legal_actions.add_parser("search", help="what the archive holds (audited)")
    _scope_arguments(search, address=True)
    verify = legal_actions.add_parser("verify", help="check a bundle; names what was altered")
    verify.add_argument("bundle")
    verify.add_argument("--key", help="the operator's public key (base64url) to trust")
    legal_actions.add_parser("key", help="print the operator's public key and fingerprint")

    transparency = report_commands.add_parser(
        "transparency", help="the transparency report for a period"
    )
    transparency.add_argument("--from", dest="from_day", required=True, help="YYYY-MM-DD")
    transparency.add_argument("--to", dest="to_day", required=True, help="YYYY-MM-DD")
    transparency.add_argument("--format", choices=["json", "csv", "html"], default="json")
    transparency.add_argument("--out", help="write to this file instead of standard output")


def _scope_arguments(parser: argparse.ArgumentParser, *, address: bool) -> None:
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--user", help="a nickname, as recorded")
    if address:
        who.add_argument("--address", help="an IP address")
    who.add_argument("--room", help="a room id")
    parser.add_argument("--from", dest="from_day", required=True, help="YYYY-MM-DD (UTC)")
    parser.add_argument("--to", dest="to_day", required=True, help="YYYY-MM-DD (UTC, inclusive)")
    parser.add_argument("--reference", required=True, help="the authority's case reference")
    parser.add_argument("--operator", default="operator", help="who (for the audit log)")


def _period(args: argparse.Namespace) -> tuple[int, int]:
    start, end = parse_day(args.from_day), parse_day(args.to_day, end=True)
    if end < start:
        raise ConfigError(f"--to {args.to_day} is before --from {args.from_day}")
    return start, end


def _now_ms() -> int:
    return int(time.time() * 1000)


async def run(settings: Settings, args: argparse.Namespace, store: Any) -> None:
    """Run the `retention` or `legal` command in `args` against an opened, migrated store."""
    if args.command == "retention":
        await _retention(settings, args, store)
    else:
        await _legal(settings, args, store)


async def _retention(settings: Settings, args: argparse.Namespace, store: Any) -> None:
    if args.retention_command == "policy":
        policy = RetentionPolicy.from_settings(settings)
        for kind in Kind:
            fixed = "fixed by law (LCEN art. 6, décret 2021-1362)" if kind in LAW_FIXED else ""
            print(f"{kind.value:18} {policy.days(kind):5} days  {fixed}".rstrip())
        return
    from causerie.retention.purge import Purger
    from causerie.safety.audit import ActorKind, AuditAction

    result = await Purger.from_settings(store, settings).run(dry_run=args.dry_run)
    for line in result.lines():
        print(line)
    print(f"{'total':18} {result.total} rows in {result.elapsed_s:.1f} s")
    if not args.dry_run and (result.total or result.files):
        await store.append_audit(
            at_ms=_now_ms(),
            actor="operator",
            actor_kind=ActorKind.SYSTEM,
            action=AuditAction.RETENTION_PURGE,
            target="retention",
            reason="causerie retention purge",
            details={
                "removed": {k.value: n for k, n in result.removed.items()},
                "files": result.files,
            },
        )


def _scope(args: argparse.Namespace) -> Any:
    from causerie.store.archive import Scope, ScopeKind

    start, end = _period(args)
    if args.user:
        return Scope(ScopeKind.USER, args.user.strip(), start, end)
    if getattr(args, "address", None):
        import ipaddress

        try:
            address = str(ipaddress.ip_address(args.address.strip()))
        except ValueError:
            raise ConfigError(f"--address {args.address!r} is not an IP address") from None
        return Scope(ScopeKind.ADDRESS, address, start, end)
    return Scope(ScopeKind.ROOM, args.room.strip(), start, end)


async def _legal(settings: Settings, args: argparse.Namespace, store: Any) -> None:
    from causerie.legal import export as legal
    from causerie.legal import keys
    from causerie.retention.policy import make_hold

    action = args.legal_command
    if action == "hold":
        start, end = _period(args)
        hold = make_hold(
            reference=args.reference,
            nick=args.user.strip() if args.user else None,
            room=args.room.strip() if args.room else None,
            from_ms=start,
            to_ms=end,
            operator=args.operator,
            now_ms=_now_ms(),
        )
        if not await legal.place_hold(store, hold):
            raise ConfigError(f"a hold with reference {hold.reference!r} exists already")
        what = f"user {hold.nick}" if hold.nick else f"room {hold.room}"
        print(f"hold {hold.reference}: {what} frozen from {args.from_day} to {args.to_day}")
    elif action == "release":
        released = await legal.release_hold(store, args.reference, args.operator, _now_ms())
        if released is None:
            raise ConfigError(f"no hold in force has the reference {args.reference!r}")
        print(f"hold {args.reference} released")
    elif action == "holds":
        holds = await store.holds()
        for hold in holds:
            what = f"user:{hold.nick}" if hold.nick else f"room:{hold.room}"
            print(
                f"{hold.reference:24} {what:28} {legal.iso(hold.from_ms)[:10]} → "
                f"{legal.iso(hold.to_ms)[:10]}  by {hold.operator}"
            )
        if not holds:
            print("no legal hold in force")
    elif action == "export":
        await _export(settings, args, store)
    elif action == "search":
        rows = await legal.search(
            store,
            scope=_scope(args),
            reference=args.reference,
            operator=args.operator,
            now_ms=_now_ms(),
        )
        for kind, found in rows.items():
            print(f"{kind:20} {len(found)}")
        for record in rows["connections"]:
            print(
                f"  {record['nick']:20} {record['address']}:{record['port']}  "
                f"{legal.iso(record['connected_at_ms'])}  device {record['device']}"
            )
    elif action == "verify":
        await _verify(args)
    else:
        key = keys.load_or_create(settings.effective_legal_key_file)
        print(f"public key   {keys.public_text(key)}")
        print(f"fingerprint  {keys.fingerprint(key)}")
        print(f"key file     {settings.effective_legal_key_file}")


async def _export(settings: Settings, args: argparse.Namespace, store: Any) -> None:
    from causerie.legal import export as legal
    from causerie.legal import keys
    from causerie.media.store import LocalMediaStore

    key = keys.load_or_create(settings.effective_legal_key_file)
    out = Path(args.out)
    if await asyncio.to_thread(out.exists):
        raise ConfigError(f"{out} exists already: choose another --out")
    try:
        summary = await legal.export(
            store,
            LocalMediaStore(settings.effective_media_dir),
            scope=_scope(args),
            reference=args.reference,
            operator=args.operator,
            out=out,
            key=key,
            now_ms=_now_ms(),
        )
    except OSError as exc:
        raise ConfigError(f"cannot write {out}: {exc.strerror or exc}") from None
    counts = ", ".join(f"{kind} {n}" for kind, n in summary.counts.items())
    print(f"bundle written to {summary.path}")
    print(f"  {counts}; media files {summary.files}")
    print(f"  sha256 {summary.sha256}")
    print(f"  signed with key {summary.fingerprint}")


async def _verify(args: argparse.Namespace) -> None:
    from causerie.legal import bundle, keys

    try:
        data = await asyncio.to_thread(Path(args.bundle).read_bytes)
    except OSError as exc:
        raise ConfigError(f"cannot read {args.bundle}: {exc.strerror}") from None
    trusted = None
    if args.key:
        try:
            trusted = keys.public_from_text(args.key)
        except ValueError:
            raise ConfigError(f"--key {args.key!r} is not an Ed25519 public key") from None
    found = bundle.verify(data, trusted)
    if not found.ok:
        lines = "\n".join(f"  - {problem}" for problem in found.problems)
        raise ConfigError(f"{args.bundle} does NOT verify:\n{lines}")
    manifest = found.manifest
    print(f"{args.bundle}: OK — signature, hash chain and {len(manifest['files'])} files verified")
    print(f"  reference {manifest.get('reference')}, operator {manifest.get('operator')}")
    print(f"  signed with key {found.fingerprint}")


async def transparency(settings: Settings, args: argparse.Namespace, store: Any) -> None:
    from causerie.transparency.figures import compute
    from causerie.transparency.render import render

    start, end = _period(args)
    if end - start > MAX_REPORT_DAYS * DAY_MS:
        raise ConfigError(f"a report covers at most {MAX_REPORT_DAYS} days")
    figures = compute(await store.transparency_rows(start, end), start, end)
    text = render(figures, args.format)
    if args.out:
        await asyncio.to_thread(Path(args.out).write_text, text, encoding="utf-8")
        print(f"transparency report written to {args.out}")
    else:
        print(text, end="")
