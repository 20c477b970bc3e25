"""`GameRunner`: the node's part that runs games as participants of their rooms.

How this works:

- Every node sees every room message in the order the broker delivered it (the order the
  messages were acknowledged in; the room's pipeline — age bands, automatic moderation, flood
  limits — already passed them). The fan-out hands this part the room's `message` frames that
  start with `!`, and every frame of a room whose game this node runs (`on_room_frame`).
- A command (`commands.py`) is answered once across nodes: `!jeux`, `!score`, `!top` by the
  first node to claim the message (`Leases.once`); `!<game>` by the node that takes the
  room's lease; `!stop` and what players type by the node holding the lease (`Table`).
- Each event is appended to the run's log before the game is handed it; a node that finds a
  run not ended whose lease lapsed (`sweep`, every few seconds) takes it over by replaying that
  log (table.py) and re-arming its timers. Awards are stored keyed by (run, event, index).
- The game speaks as `Jeux` (voice.py): its `Say` is a room message like a person's, with a
  `game` field for the web; its `Whisper` is an information notice to one player.
- `!stop` typed in the room is for its owner and operators (roles every node knows). Staff,
  who are not in rooms, stop a game with the moderators' `stop_game` action (`stop_by_staff`)
  on whichever node they are logged in: it stops the game if it runs here, or tells every
  node (`on_stop_order`), and the node running it stops it.

Work is done one item at a time, in arrival order (an asyncio lock is fair), so a game is never
handed two events at once. A room's messages wait in arrival order (`_arrivals`) for one task
that takes them all: the lines for the game between two commands are appended to its log in
one write, so fifty answers at once cost one transaction, not fifty.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections.abc import Awaitable, Sequence
from random import Random

from causerie.core.commands import ShowScores
from causerie.core.events import PresenceState, ScoresShown
from causerie.core.messages import GameLine, Message
from causerie.core.policy.member_rooms import RoomRole, role_of
from causerie.core.policy.nicknames import nick_key
from causerie.core.rooms import Audience, Room
from causerie.errors import CauserieError, ErrorCode
from causerie.games.interface import (
    Award,
    Band,
    Began,
    CancelTimer,
    End,
    GameEvent,
    GameKind,
    GameSpec,
    Joined,
    Left,
    Library,
    Said,
    Say,
    SetTimer,
    Setup,
    Stopped,
    TimerFired,
    Whisper,
)
from causerie.node.connections import Connection
from causerie.node.games.commands import (
    PERIOD_WORDS,
    Answer,
    ListGames,
    Period,
    ShowScore,
    ShowTop,
    StartGame,
    StopGame,
    parse_command,
    period_start_ms,
)
from causerie.node.games.duels import DUEL_PREFIX, Duels
from causerie.node.games.leases import Leases
from causerie.node.games.offer import Offer
from causerie.node.games.ports import (
    ClusterOrders,
    FindPerson,
    GameHub,
    GameStore,
    Replying,
    RoomPublisher,
    Submit,
)
from causerie.node.games.scores import ScoreBoard
from causerie.node.games.table import Handed, Table, event_of, event_text
from causerie.node.games.timers import GameTimers
from causerie.node.games.voice import VOICE, GameVoice
from causerie.node.ports import Clock, Spawn
from causerie.store.games import EventTaken, StoredAward, StoredRun
from causerie.wire.commands import RequestId
from causerie.wire.events import MESSAGE_FRAME_PREFIX, decode_message_frame

log = logging.getLogger(__name__)

STOP_REFUSED = (
    "Seuls la personne qui a lancé la partie, les opérateurs du salon et l'équipe "
    "peuvent l'arrêter."
)
LEASE_TTL_MS = 10_000
PRESENCE_FRAME_PREFIX = '{"type":"presence"'


class GameRunner:
    """Args:
    catalogue: the games this node can run (games/catalog.py `GAMES`; tests pass their own).
    library: the data games read.
    store: runs, their logs, awards and which games a room allows.
    hub: rooms, and the history a game's message joins.
    publisher: where a game's messages and whispers go.
    store_message: the group commit's `submit` (a game's message is stored like a person's).
    find_person: a nickname's session and profile on any node (whispers).
    orders: what every node is told: stop a room's game (staff's `stop_game` from here), read
        the rooms again (an owner's `!jeux` choice).
    leases: who runs which room's game (leases.py).
    member_room_games: the games owners may choose for member rooms (None: every one).
    """

    def __init__(
        self,
        *,
        catalogue: Sequence[GameSpec],
        library: Library,
        store: GameStore,
        hub: GameHub,
        publisher: RoomPublisher,
        store_message: Submit,
        find_person: FindPerson,
        orders: ClusterOrders,
        leases: Leases,
        replies: Replying,
        clock: Clock,
        spawn: Spawn,
        lease_ttl_ms: int = LEASE_TTL_MS,
        member_room_games: Sequence[str] | None = None,
    ) -> None:
        self._offer = self.offer = Offer(
            catalogue, store, member_room_games, clock.now_ms, orders.rooms_changed
        )
        self._library = library
        self._store = store
        self._hub = hub
        self._voice = GameVoice(hub, publisher, store_message, find_person, clock)
        self._orders = orders
        self._leases = leases
        self._replies = replies
        self._clock = clock
        self._spawn = spawn
        self._ttl_ms = lease_ttl_ms
        self._owner = secrets.token_hex(8)  # this node, as a lease's holder
        self._tables: dict[str, Table] = {}  # place -> the game this node runs there
        self._timers = GameTimers(self._fire)
        self._lock = asyncio.Lock()
        self._arrivals: dict[str, list[Message]] = {}  # room -> its messages not yet taken
        self._is_closed = False
        self.board = ScoreBoard(store)
        self.duels = Duels(self, leases, self._owner, lease_ttl_ms, clock, spawn)

    # -- what arrives --------------------------------------------------------------------

    def on_room_frame(self, room: str, payload: str) -> None:
        """A room's frame as the broker delivered it (node/fanout.py). Cheap when it is not
        for a game: no decoding unless it is a command or the room's game runs here."""
        if not payload.startswith(MESSAGE_FRAME_PREFIX):
            if room in self._tables and payload.startswith(PRESENCE_FRAME_PREFIX):
                self._on_presence(room, payload)
            return
        if room not in self._tables and '"text":"!' not in payload:
            return
        message = decode_message_frame(payload)
        if message is None or message.game is not None or message.sender.nick == VOICE.nick:
            return
        waiting = self._arrivals.setdefault(room, [])
        waiting.append(message)
        if len(waiting) == 1:  # the first since the last drain: one task takes them all
            self._spawn(self._serially(self._drain(room)))

    def _on_presence(self, room: str, payload: str) -> None:
        """Someone came into or left the room of a game run here: `Joined`/`Left`."""
        frame = json.loads(payload)
        nick, now_ms = frame["user"]["nick"], self._clock.now_ms()
        event: GameEvent = (
            Joined(nick, now_ms) if frame["state"] == PresenceState.JOINED else Left(nick, now_ms)
        )

        async def tell() -> None:
            table = self._tables.get(room)
            if table is not None:
                await self._feed(table, event)

        self._spawn(self._serially(tell()))

    def on_dm_frame(self, payload: str) -> None:
        """A private message's frame (node/fanout.py): duels (duels.py)."""
        self.duels.on_dm_frame(payload)

    def runs(self, place: str) -> bool:
        return place in self._tables

    def has_duels(self) -> bool:
        return any(table.players for table in self._tables.values())

    async def serially(self, work: Awaitable[None]) -> None:
        await self._serially(work)

    async def _serially(self, work: Awaitable[None]) -> None:
        async with self._lock:
            if self._is_closed:
                return
            try:
                await work
            except Exception:
                log.exception("game work failed")

    async def _drain(self, room: str) -> None:
        """The room's messages in arrival order: commands one by one, and between them the
        lines for the game, logged together."""
        said: list[GameEvent] = []
        for message in self._arrivals.pop(room, []):
            command = parse_command(message.text)
            if self._is_for_game(command):
                if room in self._tables:
                    said.append(Said(message.sender.nick, message.text, message.ts_ms))
                continue
            if said:  # the lines before a command first
                await self._feed_lines(room, said)
                said = []
            await self._on_command(message, command)
        if said:
            await self._feed_lines(room, said)

    def _is_for_game(self, command: object) -> bool:
        """A line the game reads: chat, `!oui`/`!non`, or `!word` that names no room game."""
        match command:
            case Answer() | None:
                return True
            case StartGame(name=name):
                spec = self._find(name)
                return spec is None or spec.kind is not GameKind.ROOM
        return False

    async def _feed_lines(self, room: str, said: list[GameEvent]) -> None:
        table = self._tables.get(room)
        if table is not None:
            await self._feed(table, *said)

    async def _on_command(self, message: Message, command: object) -> None:
        room, nick, now_ms = message.room, message.sender.nick, message.ts_ms
        table = self._tables.get(room)
        match command:
            case ListGames(names=names):
                if await self._leases.once(f"cmd:{message.id}", self._ttl_ms):
                    await self._list_games(room, nick, names)
            case ShowScore():
                if await self._leases.once(f"cmd:{message.id}", self._ttl_ms):
                    await self._say(room, await self.board.score_line(room, nick, now_ms))
            case ShowTop(period=period):
                if await self._leases.once(f"cmd:{message.id}", self._ttl_ms):
                    await self._say(room, await self.board.top_line(room, period, now_ms))
            case StopGame():
                if table is not None:
                    await self._stop(table, nick, now_ms)
            case StartGame(name=name, options=options):
                spec = self._find(name)
                if spec is None:
                    return
                if table is not None:
                    await self._say(room, f"Une partie de {table.spec.title} est en cours.")
                else:
                    await self._start(spec, room, nick, options, now_ms)

    async def show_scores(
        self, connection: Connection, request_id: RequestId, command: ShowScores
    ) -> None:
        """`scores {room, period}`: the leaderboard of a room one is in (the web's panel).

        Raises:
            CauserieError: `invalid` period; `forbidden` for a room one is not in.
        """
        period = PERIOD_WORDS.get(command.period)
        if period is None:
            raise CauserieError(ErrorCode.INVALID, "invalid_period", field="period")
        session = connection.session
        if session is None or command.room not in self._hub.rooms_of(session):
            raise CauserieError(ErrorCode.FORBIDDEN, "not_in_room", field="room")
        rows = await self.board.top(command.room, period, self._clock.now_ms())
        shown = ScoresShown(command.room, period.value, tuple(rows))
        self._replies.send(connection, request_id, [shown])

    # -- commands --------------------------------------------------------------------------

    def _find(self, word: str) -> GameSpec | None:
        return self._offer.find(word)

    async def allowed_games(self, room: Room) -> list[GameSpec]:
        return await self._offer.allowed(room)

    async def _list_games(self, room_id: str, nick: str, names: tuple[str, ...]) -> None:
        room = self._hub.room(room_id)
        if room is not None and names:
            await self._say(room_id, await self._offer.choose(room, nick, names))
        elif room is not None:
            await self._say(room_id, await self._offer.listing(room))

    async def _start(
        self, spec: GameSpec, room_id: str, nick: str, options: str, now_ms: int
    ) -> None:
        room = self._hub.room(room_id)
        key = "game:" + room_id
        if room is None or not await self._leases.acquire(key, self._owner, self._ttl_ms):
            return  # another node runs (or is starting) this room's game: it answers
        if spec not in await self.allowed_games(room):
            await self._say(room_id, f"Le jeu {spec.name} n'est pas proposé ici. Tapez !jeux.")
            await self._leases.release(key, self._owner)
            return
        if any(run.place == room_id for run in await self._store.open_runs()):
            await self._leases.release(key, self._owner)  # one to take over, not a new one
            return
        band = Band.TEEN if room.audience is Audience.TEEN else Band.ADULT
        await self.start_run(spec, room_id, band, nick, options, (), now_ms)

    async def start_run(
        self,
        spec: GameSpec,
        place: str,
        band: Band,
        nick: str,
        options: str,
        players: tuple[str, ...],
        now_ms: int,
    ) -> None:
        """A new run at a place whose lease this node holds: stored, then `Began`."""
        run = StoredRun(
            id=secrets.token_hex(16),
            place=place,
            game=spec.name,
            seed=secrets.randbits(62),
            band=band.value,
            started_by=nick,
            options=options,
            players=players,
            started_at_ms=now_ms,
        )
        await self._store.start_run(run)
        table = self._table_of(run, spec)
        self._tables[place] = table
        await self._feed(table, Began(self._clock.now_ms()))

    async def feed(self, place: str, event: GameEvent) -> bool:
        """An event for the game this node runs at `place`; False when it runs none there."""
        table = self._tables.get(place)
        if table is None:
            return False
        await self._feed(table, event)
        return True

    def find(self, word: str) -> GameSpec | None:
        return self._find(word)

    async def _stop(self, table: Table, nick: str, now_ms: int) -> None:
        room = self._hub.room(table.place)
        is_starter = nick_key(nick) == nick_key(table.started_by)
        if room is None or (role_of(room, nick) is RoomRole.MEMBER and not is_starter):
            await self._say(table.place, STOP_REFUSED)
            return
        await self._feed(table, Stopped(nick, now_ms))

    async def stop_by_staff(self, room_id: str, name: str) -> None:
        """A moderator's `stop_game` (node/moderation/actions.py, scope already checked).

        Raises:
            CauserieError: `not_found` when no game runs in the room.
        """
        async with self._lock:
            table = self._tables.get(room_id)
            if table is not None:
                await self._feed(table, Stopped(name, self._clock.now_ms()))
                return
            if not any(run.place == room_id for run in await self._store.open_runs()):
                raise CauserieError(ErrorCode.NOT_FOUND, "no_game", field="room")
        await self._orders.stop_game(room_id, name)

    def on_stop_order(self, room: str, nick: str) -> None:
        """A moderator's `stop_game` taken on another node (scope checked there): the node
        running the room's game stops it."""
        if room not in self._tables:
            return

        async def stop() -> None:
            table = self._tables.get(room)
            if table is not None:
                await self._feed(table, Stopped(nick, self._clock.now_ms()))

        self._spawn(self._serially(stop()))

    # -- a game's life -----------------------------------------------------------------------

    def _table_of(self, run: StoredRun, spec: GameSpec) -> Table:
        setup = Setup(
            place=run.place,
            band=Band(run.band),
            rng=Random(run.seed),
            library=self._library,
            started_by=run.started_by,
            options=run.options,
            players=run.players,
        )
        game = spec.create(setup)
        return Table(run.id, run.place, spec, game, players=run.players, started_by=run.started_by)

    async def _feed(self, table: Table, *events: GameEvent) -> None:
        """Append the events to the run's log (one write), then hand each to the game and
        act on its answer before the next."""
        try:
            await self._store.append_events(
                table.run_id, table.seq, [event_text(event) for event in events]
            )
        except EventTaken:
            log.warning("game %s in %s is run elsewhere now", table.run_id, table.place)
            self._forget(table)
            return
        for event in events:
            if table.is_over:  # ended by an earlier one: the rest are only in its log
                break
            await self._act(table, table.hand(event))

    async def _act(self, table: Table, handed: Handed) -> None:
        """Carry out a game's actions in order; its points are stored first, so a score
        asked after its words counts them."""
        now_ms = self._clock.now_ms()
        line = GameLine(table.spec.name)
        await self._store_awards(table, handed)
        if table.is_over:  # ended in the store before its last words: who reads them finds it so
            await self._store.end_run(table.run_id, now_ms)
        for action in handed.actions:
            match action:
                case Say(text=text, view=view) if table.players:  # a duel: to both players
                    for player in table.players:
                        await self.whisper(player, text, line_of(table, view), table.other(player))
                case Say(text=text, view=view):
                    await self._say(table.place, text, GameLine(table.spec.name, view))
                case Whisper(nick=nick, text=text, view=view):
                    await self.whisper(nick, text, line_of(table, view), table.other(nick))
                case SetTimer(key=key):
                    self._timers.arm(table.run_id, key, table.timers.get(key, now_ms) - now_ms)
                case CancelTimer(key=key):
                    self._timers.disarm(table.run_id, key)
                case End(text=text, view=view) if text and table.players:
                    for player in table.players:
                        await self.whisper(player, text, line_of(table, view), table.other(player))
                case End(text=text, view=view):
                    if text:
                        await self._say(table.place, text, GameLine(line.name, view))
        if table.is_over:
            await self._leases.release("game:" + table.place, self._owner)
            self._forget(table)

    async def _store_awards(self, table: Table, handed: Handed) -> None:
        """An event's points, keyed by (run, event, index): storing them again (a node taking
        the game over replays its log) changes nothing."""
        now_ms = self._clock.now_ms()
        await self._store.award(
            [
                StoredAward(
                    table.run_id,
                    handed.seq,
                    index,
                    table.place,
                    table.spec.name,
                    action.nick,
                    nick_key(action.nick),
                    action.points,
                    now_ms,
                )
                for index, action in enumerate(handed.actions)
                if isinstance(action, Award)
            ]
        )

    async def _finish(self, table: Table) -> None:
        await self._store.end_run(table.run_id, self._clock.now_ms())
        await self._leases.release("game:" + table.place, self._owner)
        self._forget(table)

    def _forget(self, table: Table) -> None:
        if self._tables.get(table.place) is table:
            del self._tables[table.place]
        self._timers.forget(table.run_id)

    # -- timers ------------------------------------------------------------------------------

    def _fire(self, run_id: str, key: str) -> None:
        if not self._is_closed:
            self._spawn(self._serially(self._timer_due(run_id, key)))

    async def _timer_due(self, run_id: str, key: str) -> None:
        table = next((t for t in self._tables.values() if t.run_id == run_id), None)
        if table is not None and key in table.timers:
            await self._feed(table, TimerFired(key, self._clock.now_ms()))

    # -- speaking ----------------------------------------------------------------------------

    async def _say(self, room_id: str, text: str, game: GameLine | None = None) -> None:
        await self._voice.say(room_id, text, game)

    async def whisper(
        self, nick: str, text: str, game: GameLine | None = None, about: str | None = None
    ) -> None:
        await self._voice.whisper(nick, text, game, about)

    # -- holding leases, taking games over -------------------------------------------------

    async def sweep(self) -> int:
        """Renew this node's leases; take over the games whose node stopped renewing theirs.
        Returns how many games were taken over."""
        try:
            return await self._sweep()
        except Exception:
            log.exception("games' sweep failed")  # the next sweep tries again
            return 0

    async def _sweep(self) -> int:
        async with self._lock:
            if self._is_closed:
                return 0
            for table in list(self._tables.values()):
                if not await self._leases.renew("game:" + table.place, self._owner, self._ttl_ms):
                    self._forget(table)
            await self.duels.renew()
            taken = 0
            for run in await self._store.open_runs():
                is_duel = run.place.startswith(DUEL_PREFIX)
                if run.place in self._tables or (self._hub.room(run.place) is None and not is_duel):
                    continue
                if await self._leases.acquire("game:" + run.place, self._owner, self._ttl_ms):
                    await self._take_over(run)
                    taken += 1
            return taken

    async def _take_over(self, run: StoredRun) -> None:
        spec = self._find(run.game)
        if spec is None:
            await self._store.end_run(run.id, self._clock.now_ms())
            return
        table = self._table_of(run, spec)
        events = [event_of(text) for text in await self._store.run_events(run.id)]
        for handed in table.replay(events):
            await self._store_awards(table, handed)
        if table.is_over:
            await self._finish(table)
            return
        self._tables[run.place] = table
        log.info("game %s in %s taken over after %d events", run.id, run.place, len(events))
        if not events:
            await self._feed(table, Began(self._clock.now_ms()))
            return
        for key, left_ms in table.due(self._clock.now_ms()):
            self._timers.arm(run.id, key, left_ms)

    def close(self) -> None:
        """The node stops: no timer fires after this (the leases lapse by themselves)."""
        self._is_closed = True
        self._timers.close()

    def running(self) -> dict[str, str]:
        """The games this node runs: place -> game name."""
        return {place: table.spec.name for place, table in self._tables.items()}


def line_of(table: Table, view: object) -> GameLine:
    return GameLine(table.spec.name, view)


__all__ = ["VOICE", "GameRunner", "Period", "period_start_ms"]
