"""`causerie rooms …`: the operator's rooms from the command line (list, add, edit, archive,
pictures, games), through the same `RoomEditor` as the `/admin` page (node/room_admin.py).

A change is stored, audited and announced: with Redis (`CAUSERIE_REDIS_URL`) every node applies
it at once; a node that shares no broker with this command (a single node beside it) finds it
in the store within a few seconds. Refusals print the reason on one line, exit status 2.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time
from typing import Any

from causerie.config import Settings
from causerie.errors import CauserieError, ConfigError
from causerie.i18n import translate

_CHOICES_ON_OFF = ("on", "off")


def add_parsers(commands: Any) -> None:
    """The `rooms` command and its actions, on the top-level subparsers."""
    rooms = commands.add_parser(
        "rooms", help="list, add, edit or archive rooms (default: list them)"
    )
    actions = rooms.add_subparsers(dest="rooms_command", metavar="ACTION")
    listing = actions.add_parser("list", help="list the rooms (the default action)")
    listing.add_argument("--archived", action="store_true", help="archived rooms too")
    listing.add_argument("--json", action="store_true", help="one JSON object per line")

    add = actions.add_parser("add", help="make an official room")
    add.add_argument("id", help="a-z, 0-9 and hyphens, 2-48 characters (the IRC channel name)")
    add.add_argument("--name", required=True)
    add.add_argument("--kind", required=True, help="thematic, regional or teen")
    add.add_argument("--audience", required=True, help="teen, adult or adult_verified")
    _settings_options(add)

    edit = actions.add_parser("edit", help="change a room's settings (the others stay)")
    edit.add_argument("id")
    edit.add_argument("--name")
    edit.add_argument("--kind")
    edit.add_argument("--audience", help="only adult -> adult_verified; never across bands")
    _settings_options(edit)

    archive = actions.add_parser(
        "archive", help="close a room: members out, joins refused, messages kept"
    )
    archive.add_argument("id")
    archive.add_argument("--reason", required=True, help="why (for the audit log)")
    archive.add_argument("--actor", default="operator", help="who decides (for the audit log)")

    pictures = actions.add_parser("pictures", help="allow or forbid pictures in a room")
    pictures.add_argument("room", help="the room id, as `causerie rooms` lists it")
    pictures.add_argument("setting", choices=_CHOICES_ON_OFF)
    pictures.add_argument("--actor", default="operator", help="who decides (for the audit log)")

    games = actions.add_parser(
        "games", help="the games a room allows (none given: show them; `none`: no game)"
    )
    games.add_argument("room", help="the room id, as `causerie rooms` lists it")
    games.add_argument("names", nargs="*", help="game names (`!name` in the room), or none")
    games.add_argument("--reason", default="", help="why (for the audit log)")
    games.add_argument("--actor", default="operator", help="who decides (for the audit log)")


def _settings_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--topic")
    parser.add_argument("--pictures", choices=_CHOICES_ON_OFF)
    parser.add_argument("--slow-mode", type=float, help="seconds between one person's messages")
    parser.add_argument("--member-limit", type=int, help="people at once (0: no limit)")
    parser.add_argument("--position", type=int, help="where lists show it (smaller first)")
    parser.add_argument("--reason", default="", help="why (for the audit log)")
    parser.add_argument("--actor", default="operator", help="who decides (for the audit log)")


def _changes(args: argparse.Namespace) -> dict[str, Any]:
    given = {
        "name": args.name,
        "kind": args.kind,
        "audience": args.audience,
        "topic": args.topic,
        "pictures": None if args.pictures is None else args.pictures == "on",
        "slow_mode_s": args.slow_mode,
        "member_limit": args.member_limit,
        "position": args.position,
    }
    return {key: value for key, value in given.items() if value is not None}


def _line(settings: dict[str, Any]) -> str:
    pictures = "pictures" if settings["pictures"] else "-"
    extras = []
    if settings["slow_mode_s"]:
        extras.append(f"slow={settings['slow_mode_s']:g}s")
    if settings["member_limit"]:
        extras.append(f"limit={settings['member_limit']}")
    if settings["archived_at_ms"] is not None:
        extras.append("archived")
    return (
        f"{settings['id']:28} {settings['kind']:9} {settings['audience']:15} {pictures:9} "
        f"{' '.join(extras) or '-':18} {settings['name']}"
    )


async def run(settings: Settings, args: argparse.Namespace) -> None:
    from causerie.assembly.backends import open_backends
    from causerie.assembly.configured import text_reviewer
    from causerie.core.policy.room_rules import RoomSpec
    from causerie.core.rooms import DEFAULT_ROOMS
    from causerie.games.catalog import GAMES
    from causerie.node.games.offer import seeded_games
    from causerie.node.publisher import Publisher
    from causerie.node.room_admin import RoomEditor, settings_of

    backends = open_backends(settings)
    store, broker = backends.store, backends.broker
    try:
        await store.migrate()
        if await store.seed_rooms(DEFAULT_ROOMS, int(time.time() * 1000)):
            for room_id, names in seeded_games(GAMES).items():  # as a node's first start does
                await store.set_room_games(room_id, names)
        action = args.rooms_command or "list"
        if action != "list":
            await broker.start(lambda _channel, _payload: None)
        publisher = Publisher(broker, lambda _session: "en")
        editor = RoomEditor(
            store, text_reviewer(settings), publisher.rooms_changed, lambda: int(time.time() * 1000)
        )
        try:
            if action == "list":
                for row in await editor.rooms(archived=getattr(args, "archived", False)):
                    shown = settings_of(row)
                    as_json = getattr(args, "json", False)
                    print(json.dumps(shown, ensure_ascii=False) if as_json else _line(shown))
            elif action == "add":
                spec = dataclasses.replace(
                    RoomSpec(args.id, args.name, args.kind, args.audience), **_changes(args)
                )
                added = await editor.add(spec, args.actor, args.reason)
                print(f"room {added.room.id} added: {_line(settings_of(added))}")
            elif action == "edit":
                edited = await editor.edit(args.id, _changes(args), args.actor, args.reason)
                print(f"room {edited.room.id} changed: {_line(settings_of(edited))}")
            elif action == "archive":
                await editor.archive(args.id, args.actor, args.reason)
                print(f"room {args.id} archived: members taken out, its messages kept")
            elif action == "games":
                await _room_games(editor, store, args)
            else:  # pictures
                changes = {"pictures": args.setting == "on"}
                await editor.edit(args.room, changes, args.actor, "pictures")
                print(f"pictures {args.setting} in {args.room}")
        except CauserieError as refused:
            raise RoomRefused(refused, getattr(args, "id", None) or args.room) from None
    finally:
        await broker.close()
        await store.close()


async def _room_games(editor: Any, store: Any, args: argparse.Namespace) -> None:
    """Show or set the games a room allows (docs/games.md, "Which games run where"); a change
    is audited and announced like the other room changes (`RoomEditor.set_games`)."""
    from causerie.games.catalog import GAMES
    from causerie.node.games.offer import fit_games

    room_id = args.room.strip().lower()
    rooms = {room.id: room for room in await store.load_rooms()}
    room = rooms.get(room_id)
    if room is None:
        raise ConfigError(f"no room {args.room!r} (see `causerie rooms list`)")
    if args.names:
        wanted = [] if [n.lower() for n in args.names] == ["none"] else args.names
        fit = [spec.name for spec in fit_games(GAMES, room)]
        await editor.set_games(room_id, wanted, fit, args.actor, args.reason)
    allowed = await store.room_games(room_id)
    print(f"games in {room_id}: {', '.join(allowed) or 'none'}")


class RoomRefused(ConfigError):
    """A room command refused: the reason, readable, with the field at fault."""

    def __init__(self, error: CauserieError, room_id: str) -> None:
        text = translate(error.key, "en", fallback=error.code.value, **error.params)
        if error.key == "room_not_found":
            text = f"no room {room_id!r} (see `causerie rooms list`)"
        where = f" ({error.field})" if error.field else ""
        super().__init__(f"{text}{where}")
