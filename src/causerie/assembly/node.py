"""`build_node`: the node's parts, each given what it needs (docs/architecture.md, "The
node"). The order below is the order of their dependencies: nothing is given a part built
after it, so no part reaches another through the node."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from causerie.assembly.backends import Backends, open_backends
from causerie.assembly.configured import (
    age_verifier,
    conversation_watch,
    hash_list,
    text_reviewer,
)
from causerie.config import Settings
from causerie.core.events import Record
from causerie.core.hub import Hub
from causerie.core.policy.adult_signals import AddressRule, ReachRule
from causerie.core.policy.assurance import AssuranceGate
from causerie.core.policy.bans import BanList
from causerie.core.policy.ratelimits import RateLimit
from causerie.core.policy.seeking import SeekingRule
from causerie.games.catalog import GAMES
from causerie.games.interface import GameSpec
from causerie.games.library import PackagedLibrary
from causerie.geo import load_directory
from causerie.media.pipeline import MediaLimits
from causerie.media.store import LocalMediaStore
from causerie.node.admission import Admission
from causerie.node.age_proofs import AgeProofs
from causerie.node.assurance import TeenAssurance
from causerie.node.bans import BanKeeper
from causerie.node.cluster import Cluster
from causerie.node.continuity import Continuity
from causerie.node.directory import Directory
from causerie.node.fanout import FanOut
from causerie.node.games.leases import Leases, MemoryLeases, RedisLeases
from causerie.node.games.offer import seeded_games
from causerie.node.games.runner import GameRunner
from causerie.node.grooming import BanPauses, GroomingAlerts
from causerie.node.lifecycle import Lifecycle, member_room_limits, open_hub
from causerie.node.logins import LoginLimits, StaffLogins
from causerie.node.lookups import Lookups
from causerie.node.member_room_door import MemberRoomDoor
from causerie.node.member_room_ends import RoomEnds
from causerie.node.member_rooms import MemberRooms
from causerie.node.metrics import NodeMetrics, timed_save
from causerie.node.moderation.actions import ModeratorActions
from causerie.node.moderation.appeals import Appeals
from causerie.node.moderation.decisions import Decisions
from causerie.node.moderation.desk import StaffDesk
from causerie.node.moderation.flags import Flags
from causerie.node.moderation.held import HeldMessages
from causerie.node.moderation.measures import Measures
from causerie.node.moderation.queue import Queue
from causerie.node.moderation.reports import Reports, TrustedFlaggers
from causerie.node.moderation.tickets import Tickets
from causerie.node.orders import Orders
from causerie.node.outbox import Outbox
from causerie.node.pictures import Pictures
from causerie.node.pipeline import command_pipeline
from causerie.node.ports import Clock, Tasks
from causerie.node.publisher import Publisher
from causerie.node.replies import Replies
from causerie.node.room_admin import RoomEditor
from causerie.node.room_sync import RoomSync
from causerie.node.router import CommandRouter
from causerie.node.runtime import Node
from causerie.node.scope import RoomTies
from causerie.node.seeking import SeekingFlags
from causerie.node.session_table import SessionTable
from causerie.node.sessions import Sessions
from causerie.node.signals import AdultSignals
from causerie.node.teen_space import TeenSpace
from causerie.node.writer import BatchWriter
from causerie.safety.ageverify import TestAgeProvider
from causerie.store.base import Origin


async def build_node(
    settings: Settings,
    backends: Backends | None = None,
    clock: Callable[[], float] = time.time,
    games: Sequence[GameSpec] | None = None,
) -> Node:
    """The node for these settings, its store migrated and its hub loaded; not started.
    `games`: the catalogue of games it runs (games/catalog.py's by default; tests inject)."""
    files = LocalMediaStore(settings.effective_media_dir)
    hashes = hash_list(settings)
    # A key made at each start: its proofs are good on this process only (docs/operations.md).
    test_provider = TestAgeProvider.generate("dev-test") if settings.age_test_provider else None
    verifier = age_verifier(settings, test_provider)
    reviewer, watch = text_reviewer(settings), conversation_watch(settings)
    catalogue = GAMES if games is None else games
    backends = backends or open_backends(settings)
    store, broker, presence, floodgate = (
        backends.store,
        backends.broker,
        backends.presence,
        backends.floodgate,
    )
    limits_on = settings.rate_limits

    ticks, tasks, metrics, table = Clock(clock), Tasks(), NodeMetrics(), SessionTable()
    spawn = tasks.spawn
    metrics.outgoing_bytes.set_function(lambda: float(table.pending_bytes()))
    replies = Replies(metrics)
    publisher = Publisher(broker, table.lang_of)
    try:
        hub = await open_hub(
            settings,
            store,
            load_directory().locate,
            ticks,
            reviewer=reviewer,
            watch=watch,
            room_games=seeded_games(catalogue),
        )
    except BaseException:
        await broker.close()
        await store.close()
        raise
    cluster = Cluster(presence, hub, publisher, table, ticks) if presence is not None else None
    directory = Directory(hub, store, cluster)
    writer: BatchWriter[tuple[Record, Origin]] = BatchWriter(
        timed_save(store.save, metrics), settings.commit_batch_max
    )
    leases: Leases = (
        RedisLeases(presence.client, settings.redis_prefix)
        if presence is not None
        else MemoryLeases(ticks.now_ms)
    )
    game_runner = GameRunner(
        catalogue=catalogue,
        library=PackagedLibrary(),
        store=store,
        hub=hub,
        publisher=publisher,
        store_message=writer.submit,
        find_person=directory.find_person,
        orders=publisher,
        leases=leases,
        replies=replies,
        member_room_games=[g.strip() for g in settings.member_room_games.split(",") if g.strip()]
        or None,
        clock=ticks,
        spawn=spawn,
    )
    orders = Orders(hub, table, publisher, replies, spawn, cluster)
    known_bans = BanList()
    bans = BanKeeper(
        known_bans, store, directory, hub, table, replies, orders, publisher, spawn, ticks
    )
    admission = Admission(settings, floodgate, ticks.now_s)
    # Every door's staff logins: one limiter (the floodgate's buckets) and one hashing pool.
    logins = StaffLogins(store, floodgate, ticks.now_s, LoginLimits.from_settings(settings))

    # Moderation, by topic (node/moderation/).
    queue = Queue(store, publisher, ticks)
    decisions = Decisions(
        store, publisher, table.lang_of, bans, directory, ticks, room_name=_room_name_of(hub)
    )
    flags = Flags(store, queue, decisions, ticks)
    grooming = GroomingAlerts(
        store, flags.flag_with_evidence, BanPauses(bans.ban, bans.lift), publisher.control
    )
    tickets = Tickets(store, queue, grooming, publisher, ticks)
    flaggers = TrustedFlaggers(settings.trusted_flaggers.split(","))
    reports = Reports(store, hub, known_bans, flaggers, directory, queue, flags, replies, ticks)
    pictures = Pictures(
        store=store,
        files=files,
        hash_list=hashes,
        limits=MediaLimits(
            max_bytes=settings.media_max_bytes,
            max_pixels=settings.media_max_pixels,
            max_side_px=settings.media_max_side_px,
        ),
        room_of=hub.room,
        flags=flags,
        decisions=decisions,
        spawn=spawn,
        clock=ticks,
        max_distance=settings.media_match_distance,
        uploads_per_hour=settings.media_uploads_per_hour if limits_on else None,
    )
    measures = Measures(hub, store, pictures, publisher, ticks)
    teen_space = TeenSpace(
        known_bans=known_bans,
        hub=hub,
        store=store,
        directory=directory,
        decisions=decisions,
        bans=bans,
        flags=flags,
        spawn=spawn,
        clock=ticks,
    )
    appeals = Appeals(store, hub, teen_space, bans, queue, tickets, publisher, replies, ticks)
    desk = StaffDesk(logins, store, queue, files, replies, ticks)
    actions = ModeratorActions(
        desk=desk,
        games=game_runner,
        store=store,
        hub=hub,
        directory=directory,
        ties=RoomTies(hub, store, cluster, ticks),
        queue=queue,
        tickets=tickets,
        decisions=decisions,
        measures=measures,
        bans=bans,
        teen_space=teen_space,
        appeals=appeals,
        held=HeldMessages(
            store=store, hub=hub, directory=directory, publisher=publisher, clock=ticks
        ),
        publisher=publisher,
        replies=replies,
        clock=ticks,
    )

    # Child safety around the chat.
    proofs = AgeProofs(verifier, hub, cluster, ticks)
    assurance = TeenAssurance(
        gate=AssuranceGate(settings.teen_assurance),
        provider_url=settings.age_provider_url,
        proofs=proofs,
        hub=hub,
        flags=flags,
        spawn=spawn,
        clock=ticks,
        cluster=cluster,
        test_provider=test_provider,
    )
    signals = AdultSignals(  # signals that a "teen" is an adult (node/signals.py)
        hub=hub,
        store=store,
        flag_person=flags.flag_person,
        spawn=spawn,
        clock=ticks,
        cluster=cluster,
        address_rule=AddressRule(
            settings.adult_address_window_s, settings.adult_address_min_weight
        ),
        reach_rule=ReachRule(settings.reaching_minors, settings.reaching_minors_window_s),
    )

    def nick_of(session: str) -> str:
        return hub.profile_of(session).nick

    seeking = SeekingFlags(
        SeekingRule(settings.minor_seeking_attempts, settings.minor_seeking_window_s),
        nick_of,
        flags.flag_person,
        spawn,
    )
    lookups = Lookups(hub, presence, ticks.now_ms)

    # Writing, fan-out and the node's life.
    # Connection records too: a burst of arrivals shares one transaction, and each welcome
    # still waits for its own record (the law's record comes before the chat)…
    arrivals = BatchWriter(store.open_connections, settings.commit_batch_max)
    # …and their ends: when thousands leave at once, one transaction per thousand.
    departures = BatchWriter(store.close_connections, settings.commit_batch_max)
    # Every connection here writes through it; the fan-out owns it, room changes use it too.
    outbox = Outbox()
    room_sync = RoomSync(
        hub=hub,
        outbox=outbox,
        store=store,
        table=table,
        publisher=publisher,
        subscriptions=broker,
        cluster=cluster,
        spawn=spawn,
    )
    room_ends = RoomEnds(
        hub=hub,
        store=store,
        directory=directory,
        cluster=cluster,
        announce=lambda: _announce_rooms(publisher, room_sync),
        idle_end_s=settings.member_room_end_s,
        clock=ticks,
    )
    fanout = FanOut(
        hub=hub,
        table=table,
        metrics=metrics,
        is_cluster=cluster is not None,
        on_bans_changed=bans.refresh_soon,
        on_staff_frame=desk.on_staff_frame,
        on_order=orders.obey,
        on_rooms_changed=room_sync.follow_soon,
        on_room_frame=game_runner.on_room_frame,
        on_dm_frame=game_runner.on_dm_frame,
        on_game_stop=game_runner.on_stop_order,
        outbox=outbox,
    )
    lifecycle = Lifecycle(
        store=store,
        broker=broker,
        on_broadcast=fanout.on_broadcast,
        hub=hub,
        table=table,
        tasks=tasks,
        writer=writer,
        record_writers=(arrivals, departures),
        bans=bans,
        flaggers=flaggers,
        cluster=cluster,
        logins=logins,
        floodgate=floodgate,
        reviewer=reviewer,
        watch=watch,
        clock=ticks,
        node_id=settings.node_id,
        room_sync=room_sync,
        sweeps=(room_ends.sweep, game_runner.sweep),
        on_stop=(game_runner.close,),
    )

    continuity = Continuity(
        hub=hub,
        store=store,
        holders=cluster,
        clock=ticks,
        grace_s=settings.resume_grace_s,
    )
    door = Sessions(
        hub=hub,
        table=table,
        replies=replies,
        publisher=publisher,
        subscriptions=broker,
        admission=admission,
        bans=bans,
        teen_space=teen_space,
        assurance=assurance,
        signals=signals,
        cluster=cluster,
        arrivals=arrivals,
        departures=departures,
        desk=desk,
        continuity=continuity,
        metrics=metrics,
        clock=ticks,
        health=lifecycle,
        spawn=spawn,
    )
    per_hour = settings.new_conversations_per_hour
    pipeline = command_pipeline(
        hub=hub,
        nick_of=nick_of,
        clock=ticks,
        spawn=spawn,
        answers=replies,
        health=lifecycle,
        assurance=assurance,
        bans=known_bans,
        admission=admission,
        buckets=floodgate,
        flood_limit=RateLimit(settings.say_burst, settings.say_per_s) if limits_on else None,
        new_conversation_limit=RateLimit(per_hour, per_hour / 3600) if limits_on else None,
        new_conversations_per_hour=per_hour,
        flagger=flags,
        pictures=pictures,
        cluster=cluster,
        peers=cluster,
        store=store,
        publisher=publisher,
        flags=flags,
        grooming=grooming,
        signals=signals,
        posted=pictures,
        writer=writer,
        metrics=metrics,
        seeking=seeking,
        member_counts=presence,
        member_door=MemberRoomDoor(hub, room_sync),
    )
    member_rooms = MemberRooms(
        hub=hub,
        store=store,
        directory=directory,
        cluster=cluster,
        publisher=publisher,
        room_sync=room_sync,
        replies=replies,
        reviewer=reviewer,
        limits=member_room_limits(settings),
        clock=ticks,
    )
    router = CommandRouter(
        sessions=door,
        member_rooms=member_rooms,
        pipeline=pipeline,
        desk=desk,
        actions=actions,
        reports=reports,
        appeals=appeals,
        proofs=proofs,
        assurance=assurance,
        lookups=lookups,
        replies=replies,
        metrics=metrics,
        games=game_runner,
    )
    return Node(
        settings=settings,
        clock=ticks,
        tasks=tasks,
        store=store,
        hub=hub,
        metrics=metrics,
        table=table,
        replies=replies,
        directory=directory,
        cluster=cluster,
        bans=bans,
        admission=admission,
        logins=logins,
        desk=desk,
        decisions=decisions,
        measures=measures,
        trusted_flaggers=flaggers,
        pictures=pictures,
        assurance=assurance,
        lookups=lookups,
        door=door,
        pipeline=pipeline,
        router=router,
        lifecycle=lifecycle,
        rooms=RoomEditor(store, reviewer, publisher.rooms_changed, ticks.now_ms),
        room_sync=room_sync,
        room_ends=room_ends,
        outbox=outbox,
        games=game_runner,
    )


async def _announce_rooms(publisher: Publisher, room_sync: RoomSync) -> None:
    """Every node reads the rooms again; this one at once."""
    await publisher.rooms_changed()
    await room_sync.follow(force=True)


def _room_name_of(hub: Hub) -> Callable[[str], str]:
    """A room's name as its members see it; its id for a room this node does not know."""

    def name(room_id: str) -> str:
        room = hub.room(room_id)
        return room.name if room is not None else room_id

    return name
