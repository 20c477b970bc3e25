"""`Node`: one server process's chat service.

It owns the hub (pure state), the store (durable), the broker (fan-out) and the live
connections. A protocol transport hands it parsed commands with `dispatch`; the node applies
them to the hub, writes replies to the requester, publishes deliveries once on the broker, and
acknowledges messages once the group-commit writer has stored them.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import secrets
import time
from collections.abc import Callable, Coroutine, Hashable, Iterable, Sequence
from contextlib import suppress
from typing import Any

from causerie.broker.base import Broker, BrokerUnavailable, room_channel, session_channel
from causerie.broker.presence import RedisPresence
from causerie.config import Settings
from causerie.core.commands import (
    LOOKUP_COMMANDS,
    STAFF_COMMANDS,
    Appeal,
    AssureAge,
    Command,
    FetchHistory,
    Hello,
    Join,
    ListMembers,
    ListQueue,
    LookUp,
    Moderate,
    Part,
    Report,
    Say,
    SendDm,
    StaffLogin,
    VerifyAge,
    ViewMedia,
)
from causerie.core.conversations import Arrival
from causerie.core.events import (
    Acked,
    DmRequested,
    Event,
    HistoryLoaded,
    Joined,
    Noticed,
    Outcome,
    Record,
    RoomView,
    ToRoom,
    Welcomed,
)
from causerie.core.hub import (
    DEFAULT_ROOM_LIMIT,
    DEFAULT_UNTRUSTED_LIMIT,
    Hub,
    HubConfig,
    Locator,
)
from causerie.core.messages import Message, MessageIds
from causerie.core.policy.adult_signals import AddressRule, ReachRule
from causerie.core.policy.assurance import AssuranceGate
from causerie.core.policy.bans import BanScope
from causerie.core.policy.nicknames import nick_key, staff_skeletons
from causerie.core.policy.ratelimits import RateLimit
from causerie.core.policy.review import NoReview, TextReviewer
from causerie.core.policy.seeking import SeekingRule
from causerie.core.policy.trust import TrustRule
from causerie.core.policy.visibility import Unreachable
from causerie.core.policy.watch import ConversationWatch, NoWatch
from causerie.core.rooms import DEFAULT_ROOMS
from causerie.core.users import age_band
from causerie.errors import CauserieError, ConfigError, ErrorCode
from causerie.media.hashlist import HashListFile
from causerie.media.pipeline import MediaLimits
from causerie.media.store import LocalMediaStore
from causerie.node.admission import Admission, join_part_limit
from causerie.node.assurance import TeenAssurance
from causerie.node.bans import CONTROL_CHANNEL, BanKeeper
from causerie.node.cluster import TAKEN_OVER, Cluster
from causerie.node.connections import (
    CLOSE_RESTART,
    CLOSE_TAKEN_OVER,
    CLOSE_TOO_MANY,
    Connection,
    send_to_all,
)
from causerie.node.envelope import Envelope
from causerie.node.floodgate import FloodGate, MemoryFloodGate, person_charges
from causerie.node.grooming import BanPauses, GroomingAlerts
from causerie.node.logins import LoginLimits, StaffLogins
from causerie.node.lookups import Lookups
from causerie.node.metrics import NodeMetrics
from causerie.node.moderation import STAFF_CHANNEL, Moderation
from causerie.node.people import CONTROL_PREFIX, People
from causerie.node.pictures import Pictures
from causerie.node.seeking import SeekingFlags
from causerie.node.signals import AdultSignals
from causerie.node.teen_space import TeenSpace
from causerie.node.writer import BatchWriter
from causerie.safety.ageverify import AgeVerifier, TestAgeProvider
from causerie.store.base import ConnectionRecord, Origin, Store, StoreUnavailable, token_digest
from causerie.wire.commands import RequestId
from causerie.wire.events import (
    DM_FRAME_PREFIX,
    MESSAGE_FRAME_PREFIX,
    decode_dm_frame,
    decode_message_frame,
    encode_event,
)

log = logging.getLogger(__name__)
HEALTH_CHECK_INTERVAL_S = 2.0
# Tuples, not `A | B` written in the call: that builds a union for every command.
_SAFETY_COMMANDS = (Report, Appeal, VerifyAge, AssureAge)
_MESSAGES = (Say, SendDm)
_JOIN_PART = (Join, Part)
RESUME_LIMIT = 1000
BAND_MEMORY_MS = 365 * 24 * 3600 * 1000  # as long as connection records are kept
DELETED_FRAME_PREFIX = '{"type":"deleted"'
ROOM_STATE_FRAME_PREFIX = '{"type":"room_state"'


def hub_config(settings: Settings, staff_names: Sequence[str] = ()) -> HubConfig:
    say = RateLimit(settings.say_burst, settings.say_per_s) if settings.rate_limits else None
    return HubConfig(
        min_age=settings.min_age,
        history_on_join=settings.history_on_join,
        max_rooms_per_session=settings.max_rooms_per_session,
        max_text_chars=settings.max_text_chars,
        say_limit=say,
        dm_limit=say,
        dm_wait_s=settings.dm_wait_s,
        room_limit=DEFAULT_ROOM_LIMIT if settings.rate_limits else None,
        untrusted_limit=DEFAULT_UNTRUSTED_LIMIT if settings.rate_limits else None,
        join_part_limit=join_part_limit(settings),
        repeat_max=2 if settings.rate_limits else None,
        trust=TrustRule(settings.trust_messages, settings.trust_span_s),
        reserved_skeletons=staff_skeletons(staff_names),
        minors_get_pictures_from_strangers=settings.minors_pictures_from_strangers,
        teen_assurance=AssuranceGate(settings.teen_assurance),
    )


class Node(People):
    def __init__(
        self,
        settings: Settings,
        store: Store,
        broker: Broker,
        locate: Locator,
        clock: Callable[[], float] = time.time,
        presence: RedisPresence | None = None,
        floodgate: FloodGate | None = None,
        verifier: AgeVerifier | None = None,
        reviewer: TextReviewer | None = None,
        watch: ConversationWatch | None = None,
        age_test_provider: TestAgeProvider | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.broker = broker
        self.cluster = Cluster(self, presence) if presence is not None else None
        self.floodgate = floodgate or MemoryFloodGate()
        self.admission = Admission(settings, self.floodgate, clock)
        self._new_conversations = (
            RateLimit(
                settings.new_conversations_per_hour, settings.new_conversations_per_hour / 3600
            )
            if settings.rate_limits
            else None
        )
        self._flagged_mass_messaging: set[str] = set()
        self._flood_limit = (
            RateLimit(settings.say_burst, settings.say_per_s) if settings.rate_limits else None
        )
        self.node_id = settings.node_id
        self.metrics = NodeMetrics()
        self._reviewer: TextReviewer = reviewer or NoReview()
        self.watch: ConversationWatch = watch or NoWatch()
        self.metrics.outgoing_bytes.set_function(
            lambda: float(sum(c.pending_bytes for c in self._open))
        )
        self._locate = locate
        self._clock = clock
        self.hub = Hub((), locate, hub_config(settings), MessageIds(settings.node_id))
        self.writer: BatchWriter[tuple[Record, Origin]] = BatchWriter(
            self._save_batch, settings.commit_batch_max
        )
        # Connection records too: a burst of arrivals shares one transaction, and each welcome
        # still waits for its own record (the law's record comes before the chat).
        self.arrivals: BatchWriter[ConnectionRecord] = BatchWriter(
            self.store.open_connections, settings.commit_batch_max
        )
        # …and their ends: when thousands leave at once (a restart, a network cut), one
        # transaction per thousand rather than one each.
        self.departures: BatchWriter[tuple[str, int]] = BatchWriter(
            self.store.close_connections, settings.commit_batch_max
        )
        self.bans = BanKeeper(self)
        # Every door's staff logins: one limiter (the floodgate's buckets) and one hashing pool.
        self.logins = StaffLogins(store, self.floodgate, clock, LoginLimits.from_settings(settings))
        self.moderation = Moderation(self, verifier)
        self.assurance = TeenAssurance(self, verifier, age_test_provider)
        self.grooming = GroomingAlerts(
            self.store,
            self.moderation.flag_with_evidence,
            BanPauses(self.bans.ban, self.bans.lift),
            self.control,
        )
        self.seeking = SeekingFlags(
            SeekingRule(settings.minor_seeking_attempts, settings.minor_seeking_window_s),
            lambda session: self.hub.profile_of(session).nick,
            self.moderation.flag_person,
            self._spawn,
        )
        self.signals = AdultSignals(  # signals that a "teen" is an adult (node/signals.py)
            self,
            AddressRule(settings.adult_address_window_s, settings.adult_address_min_weight),
            ReachRule(settings.reaching_minors, settings.reaching_minors_window_s),
        )
        self.teen_space = TeenSpace(self)
        self.lookups = Lookups(lambda: self.hub, presence, self.now_ms)
        try:
            hash_list = HashListFile(settings.media_hash_list)
        except (OSError, ValueError) as exc:  # a safety check silently off is worse
            raise ConfigError(f"media_hash_list: {exc}") from None
        self.pictures = Pictures(
            self,
            LocalMediaStore(settings.effective_media_dir),
            hash_list,
            MediaLimits(
                max_bytes=settings.media_max_bytes,
                max_pixels=settings.media_max_pixels,
                max_side_px=settings.media_max_side_px,
            ),
            max_distance=settings.media_match_distance,
            uploads_per_hour=settings.media_uploads_per_hour if settings.rate_limits else None,
        )
        self.trusted_flaggers = self._configured_flaggers = frozenset(
            nick_key(n) for n in settings.trusted_flaggers.split(",") if n.strip()
        )
        self._connections: dict[str, Connection] = {}  # by session id, once said hello
        self._connections_version = 0  # changes of `_connections` (see `_fan_out`)
        self._open: set[Connection] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._health_task: asyncio.Task[None] | None = None
        self._heartbeat_task: asyncio.Task[None] | None = None
        self.is_started = False
        self.is_store_reachable = False

    def connections(self) -> list[Connection]:
        """The connections of people (not staff) on this node."""
        return list(self._connections.values())

    def spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        """Run in the background; the node waits for it at stop."""
        self._spawn(coroutine)

    def now_ms(self) -> int:
        return int(self._clock() * 1000)

    @property
    def is_ready(self) -> bool:
        return (
            self.is_started
            and self.is_store_reachable
            and self.writer.is_healthy
            and self.broker.is_healthy
            and (self.cluster is None or self.cluster.is_reachable)
        )

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        """Migrate, seed the default rooms, load recent history, start writing and fan-out."""
        if not self.settings.rate_limits:
            log.warning(
                "RATE LIMITS ARE OFF (CAUSERIE_RATE_LIMITS=off): for benchmarks on "
                "loopback only; flood protection is disabled"
            )
        if self.assurance.test_provider is not None:
            log.warning(
                "AGE TEST PROVIDER IS ON (CAUSERIE_AGE_TEST_PROVIDER=on): for development on "
                "loopback only; %s hands out age proofs to anyone who asks",
                self.assurance.provider_url,
            )
        await self.store.migrate()
        added = await self.store.seed_rooms(DEFAULT_ROOMS, self.now_ms())
        if added:
            log.info("seeded %d default rooms", added)
        rooms = await self.store.load_rooms()
        if self.cluster is not None:
            self.node_id = await self.cluster.presence.claim_node_id(self.now_ms())
        config = hub_config(self.settings, await self.store.staff_names())
        self.hub = Hub(
            rooms,
            self._locate,
            config,
            MessageIds(self.node_id),
            reviewer=self._reviewer,
            watch=self.watch,
        )
        for room_id, (locked, slow_mode_s) in (await self.store.room_restrictions()).items():
            self.hub.restrict_room(room_id, locked=locked, slow_mode_s=slow_mode_s)
        self.trusted_flaggers = self._configured_flaggers | frozenset(
            await self.store.trusted_flaggers()
        )
        self.hub.observe_id(await self.store.max_message_id())
        for room in rooms:
            self.hub.preload_history(
                room.id, await self.store.recent_messages(room.id, self.settings.history_on_join)
            )
        await self.bans.refresh()
        await self.broker.start(self._on_broadcast)
        await self.broker.subscribe(CONTROL_CHANNEL)
        await self.broker.subscribe(STAFF_CHANNEL)
        for room in rooms:
            await self.broker.subscribe(room_channel(room.id))
        self.writer.start()
        self.arrivals.start()
        self.departures.start()
        self.is_store_reachable = True
        self.is_started = True
        self._health_task = asyncio.get_running_loop().create_task(self._watch_store())
        if self.cluster is not None:
            self._heartbeat_task = asyncio.get_running_loop().create_task(
                self.cluster.beat_forever()
            )
        log.info("node %d ready: %d rooms", self.node_id, len(rooms))

    async def stop(self) -> None:
        """Close every connection (1012, restarting), store what is pending, release."""
        self.is_started = False
        for connection in list(self._open):
            connection.close(CLOSE_RESTART, "server restarting")
        for background in (self._health_task, self._heartbeat_task):
            if background is not None:
                background.cancel()
                with suppress(asyncio.CancelledError):
                    await background
        await self.writer.stop()
        await self.arrivals.stop()
        await self.departures.stop()
        for task in list(self._tasks):
            with suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(task, timeout=5)
        if self.cluster is not None:
            with suppress(BrokerUnavailable):
                await self.cluster.presence.withdraw(room.id for room in self.hub.rooms())
            await self.cluster.presence.close()
        self.logins.close()
        await self.floodgate.close()
        await self.broker.close()
        await self.store.close()

    async def _watch_store(self) -> None:
        while True:
            await asyncio.sleep(HEALTH_CHECK_INTERVAL_S)
            for part in (self._reviewer, self.watch):
                reload = getattr(part, "reload_if_changed", None)
                if reload is not None:
                    reload()
            forget_quiet = getattr(self.watch, "forget_quiet", None)
            if forget_quiet is not None:
                forget_quiet(self.now_ms())
            try:
                await self.store.ping()
                await self.bans.refresh()
                self.hub.reserve(staff_skeletons(await self.store.staff_names()))
                self.trusted_flaggers = self._configured_flaggers | frozenset(
                    await self.store.trusted_flaggers()
                )
            except StoreUnavailable as exc:
                if self.is_store_reachable:
                    log.warning("store unreachable: %s", exc)
                self.is_store_reachable = False
            else:
                if not self.is_store_reachable:
                    log.info("store reachable again")
                self.is_store_reachable = True
                self.writer.is_healthy = True

    # -- connections -------------------------------------------------------------------------

    def attach(self, connection: Connection) -> None:
        self._open.add(connection)
        connection.on_too_slow = self.metrics.slow_clients.inc
        self.metrics.connections.labels(connection.peer.protocol).inc()

    async def detach(self, connection: Connection) -> None:
        """The transport ended: forget the session and tell its rooms."""
        if connection in self._open:
            self._open.discard(connection)
            self.metrics.connections.labels(connection.peer.protocol).dec()
        self.moderation.forget(connection)
        session = connection.session
        if session is None or self._connections.get(session) is not connection:
            return
        del self._connections[session]
        self._connections_version += 1
        self.metrics.sessions.dec()
        rooms = sorted(self.hub.rooms_of(session))
        nick = self.hub.profile_of(session).nick
        with suppress(BrokerUnavailable):
            await self._deliver(self.hub.leave(session))
        if self.cluster is not None:
            await self.cluster.withdraw(session, nick, rooms)
        await self.broker.unsubscribe(session_channel(session))
        try:
            await self.departures.submit([(session, self.now_ms())])
        except Exception as exc:  # the record stays open; retention work closes stale ones
            log.warning("connection record of %s not closed: %s", session, exc)

    def send_error(
        self, connection: Connection, error: CauserieError, request_id: RequestId = None
    ) -> None:
        self.metrics.errors.labels(error.code.value).inc()
        connection.send(Envelope.refusal(error, request_id, connection.lang))

    # -- commands ----------------------------------------------------------------------------

    async def dispatch(
        self,
        connection: Connection,
        request_id: RequestId,
        command: Command,
        *,
        is_rejoin: bool = False,
    ) -> None:
        """Apply one command from a connection; refusals become error frames. `is_rejoin`: a
        room a `resume` rejoins, not charged to the address (the `hello` was)."""
        self.metrics.commands.inc(label=type(command).__name__)
        try:
            if isinstance(command, Hello):
                await self._hello(connection, request_id, command)
                return
            if isinstance(command, STAFF_COMMANDS):
                await self._staff_command(connection, request_id, command)
                return
            if isinstance(command, LOOKUP_COMMANDS):  # the IRC listener's WHOIS, NAMES…
                await self._look_up(connection, request_id, command)
                return
            if connection.session is None:
                if isinstance(command, Appeal):  # a move-out, from the device it bars
                    await self.moderation.appeal(connection, request_id, command)
                    return
                raise CauserieError(ErrorCode.FORBIDDEN, "hello_first")
            if isinstance(command, _SAFETY_COMMANDS):
                await self._safety_command(connection, request_id, command)
                return
            if isinstance(command, Join):
                self.bans.refuse_if_banned(connection, command.room, connection.session)
            if isinstance(command, _JOIN_PART) and not is_rejoin:
                await self.admission.charge_join_part(connection.peer)
            if isinstance(command, SendDm):  # before any limit is charged for it
                self.assurance.refuse_unless_may_write(connection.session)
            if isinstance(command, _MESSAGES):
                if not self.is_ready:
                    raise CauserieError(ErrorCode.UNAVAILABLE)
                self.bans.refuse_if_muted(
                    connection, command.room if isinstance(command, Say) else None
                )
                await self._charge_flood(connection)
            opens = False  # a private message opening a conversation (node/signals.py)
            if isinstance(command, SendDm):
                await self._charge_new_conversation(connection, command)
                opens = self.signals.opens_conversation(connection.session, command)
            outcome = await self._apply(connection.session, command)
            if self.cluster is not None:
                await self.cluster.share(connection.session, command)
                outcome.replies = [await self.cluster.view(e) for e in outcome.replies]
            if isinstance(command, Join) and command.since is not None:
                outcome.replies = [
                    await self._with_missed(e, command.since) for e in outcome.replies
                ]
            await self._deliver(outcome)
        except CauserieError as error:
            self.send_error(connection, error, request_id)
            if isinstance(error, Unreachable):  # an adult naming a minor? (node/seeking.py)
                self.seeking.note(error, connection, self.now_ms())
            return
        except BrokerUnavailable as exc:
            log.warning("fan-out failed, command refused: %s", exc)
            self.send_error(connection, CauserieError(ErrorCode.UNAVAILABLE), request_id)
            return
        self._reply(connection, request_id, outcome.replies)
        for flag in outcome.flags:
            self._spawn(self.moderation.flag_message(flag))
        for alert in outcome.alerts:
            self._spawn(self.grooming.alert(alert))
        if opens:
            self.signals.after_dm(connection, outcome, opened=True)
        if outcome.error is not None:
            self.send_error(connection, outcome.error, request_id)
        elif outcome.records:
            self._store_then_ack(connection, request_id, outcome.records)
            self.pictures.note_posted(outcome.records)
        if outcome.query is not None:
            self._spawn(self._answer_history(connection, request_id, command))

    async def _refuse_band_change(self, connection: Connection, session: str) -> None:
        """Someone who said 16 cannot come back from the same device saying 25, nor the
        reverse (an adult posing as a teen): refused, and flagged for the moderators."""
        device = connection.peer.device
        if device.startswith("new-"):  # no cookie: nothing links this visit to another
            return
        profile = self.hub.profile_of(session)
        since_ms = self.now_ms() - BAND_MEMORY_MS
        ages = await self.store.declared_ages(device, since_ms)
        if all(age_band(age) is profile.band for age in ages):
            return
        # A moderator decided this device's band (node/teen_space.py): it counts from then.
        start_ms = await self.teen_space.band_memory_start_ms(device, since_ms)
        if start_ms > since_ms:
            ages = await self.store.declared_ages(device, start_ms)
            if all(age_band(age) is profile.band for age in ages):
                return
        self.hub.leave(session)
        self._spawn(
            self.moderation.flag_person(
                None,
                profile.nick,
                "band_changed",
                "child_safety",
                4,
                {"device": device, "declared_ages": sorted({*ages, profile.age})},
            )
        )
        raise CauserieError(ErrorCode.AGE_RESTRICTED, "band_changed", field="age")

    async def _staff_command(
        self, connection: Connection, request_id: RequestId, command: Command
    ) -> None:
        if isinstance(command, StaffLogin):
            await self.moderation.login(connection, request_id, command)
        elif isinstance(command, ListQueue):
            await self.moderation.send_queue(connection, request_id)
        elif isinstance(command, Moderate):
            await self.moderation.moderate(connection, request_id, command)
        elif isinstance(command, ViewMedia):
            await self.moderation.show_media(connection, request_id, command)

    async def _look_up(
        self, connection: Connection, request_id: RequestId, command: Command
    ) -> None:
        session, lookups = connection.session, self.lookups
        if isinstance(command, LookUp):
            answer: Event = await lookups.look_up(session, command)
        else:
            assert isinstance(command, ListMembers)
            is_staff = connection in self.moderation.staff
            answer = await lookups.list_members(session, is_staff, command)
        self._reply(connection, request_id, [answer])

    async def _safety_command(
        self, connection: Connection, request_id: RequestId, command: Command
    ) -> None:
        if isinstance(command, Report):
            await self.moderation.report(connection, request_id, command)
        elif isinstance(command, Appeal):
            await self.moderation.appeal(connection, request_id, command)
        elif isinstance(command, VerifyAge):
            self._reply(
                connection,
                request_id,
                await self.moderation.verify_age(connection, request_id, command),
            )
        elif isinstance(command, AssureAge):
            self._reply(connection, request_id, await self.assurance.assure(connection, command))

    async def _charge_new_conversation(self, connection: Connection, command: SendDm) -> None:
        """At most N new conversations an hour per device and address, across reconnections;
        the first refusal also flags the account (mass-messaging strangers is the predator's
        pattern)."""
        session = connection.session
        assert session is not None
        if self._new_conversations is None or not self.hub.is_new_conversation(session, command.to):
            return
        peer, now_s = connection.peer, self._clock()
        wait_s = await self.floodgate.take_all(
            person_charges("newconv:", peer.device, peer.origin.address, self._new_conversations),
            now_s,
        )
        if wait_s > 0:
            if session not in self._flagged_mass_messaging:
                self._flagged_mass_messaging.add(session)
                nick = self.hub.profile_of(session).nick
                self._spawn(
                    self.moderation.flag_person(
                        session,
                        nick,
                        "mass_messaging",
                        "other",
                        4,
                        {"limit_per_hour": self.settings.new_conversations_per_hour},
                    )
                )
            raise CauserieError(ErrorCode.RATE_LIMITED, "new_conversations", retry_after_s=wait_s)

    async def _hello(self, connection: Connection, request_id: RequestId, command: Hello) -> None:
        if connection.session is not None:
            raise CauserieError(ErrorCode.INVALID, "already_joined")
        if not self.is_ready:
            raise CauserieError(ErrorCode.UNAVAILABLE)
        try:
            await self.admission.charge_hello(connection.peer)
        except CauserieError as error:  # said, then the connection closes: it may come back
            self.send_error(connection, error, request_id)
            connection.close(CLOSE_TOO_MANY, "too many logins from your address or device")
            return
        session = secrets.token_urlsafe(18)
        token = secrets.token_urlsafe(24)
        connection.lang = command.lang if command.lang in ("fr", "en") else "fr"
        resume = command.resume
        self.bans.refuse_if_banned(connection, None, resume.session if resume else None)
        previous = self._connections.get(resume.session) if resume and resume.session else None
        if previous is not None:  # the same person, whose old connection here is half-open
            await self.detach(previous)
            previous.close(CLOSE_TAKEN_OVER, "resumed elsewhere")
        outcome = self.hub.hello(session, command, self.now_ms())
        profile = self.hub.profile_of(session)
        self.teen_space.refuse_if_moved_out(connection, session, resume.session if resume else None)
        await self._refuse_band_change(connection, session)
        if self.cluster is not None:
            try:
                previous_session = resume.session if resume is not None else None
                claimed = await self.cluster.claim(profile.public(), session, previous_session)
                outcome.replies = [await self.cluster.view(e) for e in outcome.replies]
            except BrokerUnavailable:
                await self._forget(session)
                raise CauserieError(ErrorCode.UNAVAILABLE) from None
            if not claimed:
                self.hub.leave(session)
                raise CauserieError(ErrorCode.NICK_TAKEN, "nick_taken", field="nick")
        outcome.replies = await self.assurance.welcome(session, resume, outcome.replies)
        peer = connection.peer
        record = ConnectionRecord(
            session,
            profile.nick,
            profile.gender.value,
            profile.age,
            profile.postcode,
            profile.dept,
            peer.origin.address,
            peer.origin.port,
            peer.device,
            peer.user_agent,
            peer.protocol,
            self.now_ms(),
            token_digest(token),
        )
        try:
            await self.arrivals.submit([record])
        except Exception as exc:
            log.warning("connection record not stored, refusing hello: %s", exc)
            await self._forget(session)
            raise CauserieError(ErrorCode.UNAVAILABLE) from None
        if connection.is_closing:  # gone while the record was written
            await self._forget(session)
            return
        connection.session = session
        self._connections[session] = connection
        self._connections_version += 1
        self.metrics.sessions.inc()
        if self.bans.known.find_scoped(
            BanScope.MINOR_CONTACTS,
            session=resume.session if resume else None,
            device=connection.peer.device,
            address=connection.peer.origin.address,
            now_ms=self.now_ms(),
        ):  # a grooming alert about this person awaits a moderator (node/grooming.py)
            self.hub.pause_with_minors(session, True)
        await self.broker.subscribe(session_channel(session))
        replies = [
            dataclasses.replace(e, token=token) if isinstance(e, Welcomed) else e
            for e in outcome.replies
        ]
        self._reply(connection, request_id, replies)
        self.signals.after_hello(connection, session)  # an address seen with adults?
        if resume is not None:
            for room in resume.rooms:
                await self.dispatch(
                    connection, None, Join(room, since=resume.last_id), is_rejoin=True
                )

    async def _charge_flood(self, connection: Connection) -> None:
        """The device's and the address's buckets, which outlive a reconnection."""
        if self._flood_limit is None:
            return
        peer, now_s = connection.peer, self._clock()
        wait_s = await self.floodgate.take_all(
            person_charges("", peer.device, peer.origin.address, self._flood_limit), now_s
        )
        if wait_s > 0:
            raise CauserieError(ErrorCode.RATE_LIMITED, "rate_limited", retry_after_s=wait_s)

    async def _apply(self, session: str, command: Command) -> Outcome:
        """The hub's answer, after checking the picture a message names and finding a private
        message's recipient on another node."""
        if isinstance(command, _MESSAGES) and command.media is not None:
            media = await self.pictures.resolve(session, command.media)
            command = dataclasses.replace(command, media=media)
        if isinstance(command, SendDm) and self.cluster is not None:
            peer = await self.cluster.peer_elsewhere(session, command)
            if peer is not None:
                return self.hub.send_dm_to_peer(session, command, peer, self.now_ms())
        return self.hub.apply(session, command, self.now_ms())

    async def _with_missed(self, event: Event, since: int) -> Event:
        """A rejoin after a reconnection: every message after `since`, from the store and from
        memory (the newest may not be committed yet), once each, in id order."""
        if not isinstance(event, Joined):
            return event
        stored, _more = await self.store.since(event.room.room.id, since, RESUME_LIMIT)
        merged = {m.id: m for m in stored}
        merged.update((m.id, m) for m in event.history)
        history = tuple(merged[i] for i in sorted(merged))[:RESUME_LIMIT]
        return dataclasses.replace(event, history=history)

    async def _forget(self, session: str) -> None:
        """Undo an admission that did not complete."""
        nick = self.hub.profile_of(session).nick
        self.hub.leave(session)
        if self.cluster is not None:
            await self.cluster.release(nick, session)

    def sessions(self) -> list[str]:
        """The sessions connected to this node."""
        return list(self._connections)

    async def room_views(self) -> tuple[RoomView, ...]:
        """Every room with its member count on every node (for the public directory)."""
        views = self.hub.room_views()
        return views if self.cluster is None else await self.cluster.room_views(views)

    def _reply(
        self, connection: Connection, request_id: RequestId, events: Sequence[Event]
    ) -> None:
        for event in events:
            connection.send(Envelope.reply(event, request_id, connection.lang))

    async def _deliver(self, outcome: Outcome) -> None:
        frames: dict[int, str] = {}  # one encoding per event, shared by every target
        for target, event in outcome.deliveries:
            if isinstance(target, ToRoom):
                channel = room_channel(target.room)
            else:
                channel = session_channel(target.session)
                if isinstance(event, Noticed):  # a text for one person, in their language
                    lang = self.lang_of(target.session)
                    await self.broker.publish(channel, encode_event(event, lang=lang))
                    continue
            frame = frames.get(id(event))
            if frame is None:
                frame = frames[id(event)] = encode_event(event)
            await self.broker.publish(channel, frame)

    def _on_broadcast(self, channel: str, payload: str) -> None:
        """A frame from the broker: write it to this node's recipients."""
        started = time.perf_counter()
        self._fan_out(channel, payload)
        self.metrics.fanout_seconds.observe(time.perf_counter() - started)

    def _fan_out(self, channel: str, payload: str) -> None:
        if channel == CONTROL_CHANNEL:
            self._spawn(self.bans.refresh())  # another node stored a ban: enforce it now
            return
        if channel == STAFF_CHANNEL:
            self.moderation.on_staff_frame(payload)
            return
        kind, _, key = channel.partition(":")
        same_as: Hashable = None
        if kind == "room":
            message = self._learn(payload)
            if message is not None and self.hub.has_blocks:
                readers = self.hub.readers_of(key, message.sender.nick)
            else:
                readers = self.hub.members_of(key)
                # The same members on the same connections: the frames of one loop
                # iteration go to them together (`send_to_all`).
                same_as = (key, self.hub.members_version(key), self._connections_version)
            targets: Iterable[Connection | None] = map(self._connections.get, readers)
        else:
            if payload.startswith(CONTROL_PREFIX):
                self._obey_control(key, payload)
                return
            if payload.startswith(DM_FRAME_PREFIX):
                received = self._as_received(key, payload)
                if received is None:
                    return
                targets = (self._connections.get(key),)
                self.metrics.frames_out.inc(send_to_all(targets, received))
                return
            targets = (self._connections.get(key),)
        # Encoded once per protocol, the same bytes appended to every recipient's buffer.
        self.metrics.frames_out.inc(send_to_all(targets, Envelope.of_text(payload), same_as))

    def _learn(self, payload: str) -> Message | None:
        """Room frames that change what this node remembers: every node applies them.

        Returns the message a `message` frame carries, decoded only when something needs it
        (several nodes, or someone blocking someone) and then once for every use.
        """
        if payload.startswith(MESSAGE_FRAME_PREFIX):
            if self.cluster is None and not self.hub.has_blocks:
                return None
            message = decode_message_frame(payload)
            if message is not None and self.cluster is not None:
                self.hub.remember(message)
            return message
        if payload.startswith(DELETED_FRAME_PREFIX):
            frame = json.loads(payload)
            self.hub.delete_message(frame["message_id"])
        elif payload.startswith(ROOM_STATE_FRAME_PREFIX):
            frame = json.loads(payload)
            self.hub.restrict_room(
                frame["room"], locked=frame["locked"], slow_mode_s=frame["slow_mode_s"]
            )
        return None

    def _obey_control(self, session: str, payload: str) -> None:
        connection = self._connections.get(session)
        if payload == TAKEN_OVER:
            if connection is not None:
                connection.close(CLOSE_TAKEN_OVER, "resumed elsewhere")
            return
        self._obey(session, json.loads(payload[len(CONTROL_PREFIX) :]))

    def _as_received(self, session: str, payload: str) -> Envelope | None:
        """A private message as its recipient gets it: as is, as a masked request from a
        stranger, or not at all (declined). The sender's own copy passes as is."""
        dm = decode_dm_frame(payload)
        profile = self.hub.session(session)
        if dm is None or profile is None or dm.sender.nick == profile.profile.nick:
            return Envelope.of_text(payload)
        arrival = self.hub.arrival(session, dm.sender.nick)
        if arrival is Arrival.DELIVER:
            return Envelope.of_text(payload)
        if arrival is Arrival.DROP:
            return None
        masked = dataclasses.replace(dm, text=self.hub.reviewer.mask(dm.text))
        return Envelope(DmRequested(masked))

    def _store_then_ack(
        self, connection: Connection, request_id: RequestId, records: Sequence[Record]
    ) -> None:
        origin = connection.peer.origin
        for record in records:
            self.metrics.messages_in.inc(label="room" if hasattr(record, "room") else "dm")
        stored = self.writer.submit([(record, origin) for record in records])
        last = records[-1]

        def acknowledge(future: asyncio.Future[None]) -> None:
            if future.cancelled() or future.exception() is not None:
                self.send_error(connection, CauserieError(ErrorCode.UNAVAILABLE), request_id)
            else:
                connection.send(Envelope.reply(Acked(last.id, last.ts_ms), request_id))

        stored.add_done_callback(acknowledge)

    async def _save_batch(self, items: Sequence[tuple[Record, Origin]]) -> None:
        started = time.perf_counter()
        await self.store.save(items)
        self.metrics.store_seconds.observe(time.perf_counter() - started)
        self.metrics.store_batch_size.observe(len(items))

    async def _answer_history(
        self, connection: Connection, request_id: RequestId, command: Command
    ) -> None:
        assert isinstance(command, FetchHistory)
        try:
            messages, more = await self.store.history(command.room, command.before, command.limit)
        except Exception as exc:
            log.warning("history of %s not read: %s", command.room, exc)
            self.send_error(connection, CauserieError(ErrorCode.UNAVAILABLE), request_id)
            return
        event = HistoryLoaded(command.room, tuple(messages), more)
        connection.send(Envelope.reply(event, request_id, connection.lang))

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
