"""`FanOut`: a publication the broker hands this node (its own, back from the broker, or another
node's) written to the connections here that should get it.

How this works, per channel (publisher.py lists them):

- `room:<id>`: first what every node must remember from it (`_learn`: a message from another
  node joins the recent history; a deletion and a room's new restrictions apply here too),
  then the frame to the room's members. The frame is the very text the broker brought, in an
  `Envelope` encoded once per kind of connection; while a room's members and this node's
  sessions stay the same, its frames of one loop iteration go to them together
  (`Outbox.send_to_all` with `same_as`: one `Run`).
- `session:<id>`: a private message as its recipient gets it (`_as_received`), another event
  for that person, or an order for the node hosting them (node/orders.py).
- `staff`: the moderators here (node/moderation/desk.py); `control`: read the new bans, or
  the rooms the operator changed (`"rooms"`, node/room_sync.py).

It runs on the event loop's thread for every frame of every room: it neither awaits nor
decodes a frame it does not need to.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable, Hashable, Iterable

from causerie.core.conversations import Arrival
from causerie.core.events import DmRequested
from causerie.core.hub import Hub
from causerie.core.messages import Message
from causerie.node.connections import Connection
from causerie.node.envelope import Envelope
from causerie.node.metrics import NodeMetrics
from causerie.node.outbox import Outbox
from causerie.node.publisher import (
    CONTROL_CHANNEL,
    CONTROL_PREFIX,
    GAME_STOP_PREFIX,
    PERSON_GONE_PREFIX,
    ROOMS_CHANGED,
    STAFF_CHANNEL,
)
from causerie.node.session_table import SessionTable
from causerie.wire.events import (
    DM_FRAME_PREFIX,
    MESSAGE_FRAME_PREFIX,
    decode_dm_frame,
    decode_message_frame,
    decode_typing_sender,
)

DELETED_FRAME_PREFIX = '{"type":"deleted"'
ROOM_STATE_FRAME_PREFIX = '{"type":"room_state"'


class FanOut:
    """Args:
    hub: who is in which room, and what a node remembers of rooms.
    table: the sessions connected here.
    is_cluster: several nodes share the broker (then every room message is remembered).
    on_bans_changed: another node stored a ban.
    on_staff_frame: a queue change, for the moderators here.
    on_order: `(session, payload)`, an order for the node hosting a session.
    outbox: the node's writer of connections, which this part owns (`Node.outbox` hands it
        to each connection a transport opens).
    on_rooms_changed: the operator changed rooms (read them from the store).
    on_room_frame: `(room, payload)`, every room frame, for the games run here.
    on_dm_frame: a private message's frame, for the duels run here.
    on_game_stop: `(room, nick)`, a `!stop` another node allowed, for the game run here.
    """

    def __init__(
        self,
        *,
        hub: Hub,
        table: SessionTable,
        metrics: NodeMetrics,
        is_cluster: bool,
        on_bans_changed: Callable[[], None],
        on_staff_frame: Callable[[str], None],
        on_order: Callable[[str, str], None],
        on_rooms_changed: Callable[[], None] = lambda: None,
        on_room_frame: Callable[[str, str], None] | None = None,
        on_dm_frame: Callable[[str], None] | None = None,
        on_game_stop: Callable[[str, str], None] = lambda _room, _nick: None,
        outbox: Outbox,
    ) -> None:
        self._hub = hub
        self._table = table
        self._by_session = table.by_session  # the same dict for the node's life
        self._metrics = metrics
        self._is_cluster = is_cluster
        self._on_bans_changed = on_bans_changed
        self._on_staff_frame = on_staff_frame
        self._on_order = on_order
        self._on_rooms_changed = on_rooms_changed
        self._on_room_frame = on_room_frame
        self._on_dm_frame = on_dm_frame
        self._on_game_stop = on_game_stop
        self.outbox = outbox
        self._send_to_all = outbox.send_to_all

    def on_broadcast(self, channel: str, payload: str) -> None:
        """A frame from the broker: write it to this node's recipients."""
        started = time.perf_counter()
        self._fan_out(channel, payload)
        self._metrics.fanout_seconds.observe(time.perf_counter() - started)

    def _fan_out(self, channel: str, payload: str) -> None:
        if channel == CONTROL_CHANNEL:
            if payload == ROOMS_CHANGED:
                self._on_rooms_changed()
            elif payload.startswith(PERSON_GONE_PREFIX):
                self._hub.forget_contact(payload[len(PERSON_GONE_PREFIX) :])
            elif payload.startswith(GAME_STOP_PREFIX):
                order = json.loads(payload[len(GAME_STOP_PREFIX) :])
                self._on_game_stop(str(order["room"]), str(order["nick"]))
            else:
                self._on_bans_changed()  # another node stored a ban: enforce it now
            return
        if channel == STAFF_CHANNEL:
            self._on_staff_frame(payload)
            return
        kind, _, key = channel.partition(":")
        same_as: Hashable = None
        if kind == "room":
            if self._on_room_frame is not None:
                self._on_room_frame(key, payload)  # the games (node/games/runner.py)
            hub = self._hub
            message = self._learn(payload)
            sender = message.sender.nick if message is not None else None
            if sender is None and hub.has_blocks:
                sender = decode_typing_sender(payload)  # typing is hidden by blocks too
            if sender is not None and hub.has_blocks:
                readers = hub.readers_of(key, sender)
            else:
                readers = hub.members_of(key)
                # The same members on the same connections: the frames of one loop
                # iteration go to them together (`Outbox.send_to_all`).
                same_as = (key, hub.members_version(key), self._table.version)
            targets: Iterable[Connection | None] = map(self._by_session.get, readers)
        else:
            if payload.startswith(CONTROL_PREFIX):
                self._on_order(key, payload)
                return
            if payload.startswith(DM_FRAME_PREFIX):
                if self._on_dm_frame is not None:
                    self._on_dm_frame(payload)  # duels (node/games/duels.py)
                received = self._as_received(key, payload)
                if received is None:
                    return
                targets = (self._by_session.get(key),)
                self._metrics.frames_out.inc(self._send_to_all(targets, received))
                return
            targets = (self._by_session.get(key),)
        # Encoded once per protocol, the same bytes appended to every recipient's buffer.
        self._metrics.frames_out.inc(self._send_to_all(targets, Envelope.of_text(payload), same_as))

    def _learn(self, payload: str) -> Message | None:
        """Room frames that change what this node remembers: every node applies them.

        Returns the message a `message` frame carries, decoded only when something needs it
        (several nodes, or someone blocking someone) and then once for every use.
        """
        if payload.startswith(MESSAGE_FRAME_PREFIX):
            if not self._is_cluster and not self._hub.has_blocks:
                return None
            message = decode_message_frame(payload)
            if message is not None and self._is_cluster:
                self._hub.remember(message)
            return message
        if payload.startswith(DELETED_FRAME_PREFIX):
            frame = json.loads(payload)
            self._hub.delete_message(frame["message_id"])
        elif payload.startswith(ROOM_STATE_FRAME_PREFIX):
            frame = json.loads(payload)
            self._hub.restrict_room(
                frame["room"], locked=frame["locked"], slow_mode_s=frame["slow_mode_s"]
            )
        return None

    def _as_received(self, session: str, payload: str) -> Envelope | None:
        """A private message as its recipient gets it: as is, as a masked request from a
        stranger, or not at all (declined). The sender's own copy passes as is."""
        dm = decode_dm_frame(payload)
        hub = self._hub
        profile = hub.session(session)
        if dm is None or profile is None or dm.sender.nick == profile.profile.nick:
            return Envelope.of_text(payload)
        arrival = hub.arrival(session, dm.sender.nick)
        if arrival is Arrival.DELIVER:
            return Envelope.of_text(payload)
        if arrival is Arrival.DROP:
            return None
        masked = dataclasses.replace(dm, text=hub.reviewer.mask(dm.text))
        return Envelope(DmRequested(masked))
