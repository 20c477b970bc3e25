"""`Publisher`: what a node sends to the broker, on which channel, in which form.

Channels (the payloads between nodes, which a rolling upgrade must keep as they are):

- `room:<id>`: a room's events, as their JSON frame (`wire/events.py`), encoded once;
- `session:<id>`: events for one person, in their language; or, after `CONTROL_PREFIX`, an
  order for the node that hosts the session (`{"op": "mute"|"kick"|"unpause_minors", …}`), or
  `TAKEN_OVER` when the same person resumed elsewhere;
- `staff`: queue changes, for the moderators on every node;
- `control`: `"ban"`, telling every node to read new bans from the store; `"rooms"`, to read
  the rooms the operator changed (a node of an older version reads its bans then: harmless).

Every frame is encoded here, once per event, whatever the number of channels it goes to.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import suppress
from typing import Any, Protocol

from causerie.broker.base import BrokerUnavailable, room_channel, session_channel
from causerie.core.events import Event, Noticed, NoticeKind, Outcome, ToRoom
from causerie.wire.events import encode_event

STAFF_CHANNEL = "staff"
CONTROL_CHANNEL = "control"  # tells every node to look for new bans in the store
CONTROL_PREFIX = "\x00"  # on a session's channel: an order for the node hosting it, not a frame
# Sent on a session's channel when the same person resumed on another connection: not a frame
# (no JSON starts with a NUL), so it never reaches a client.
TAKEN_OVER = "\x00taken-over"
BANS_CHANGED = "ban"
ROOMS_CHANGED = "rooms"
# On the control channel: a person is gone for good; every node forgets their conversations
# (nodes before this addition read any other control payload as "read the bans": harmless).
PERSON_GONE_PREFIX = "person_gone:"
# On the control channel: stop a room's game (`!stop` allowed by the node hosting its author);
# the node running it does. JSON {"room", "nick"} after the prefix.
GAME_STOP_PREFIX = "game_stop:"


class Publishing(Protocol):
    """The broker's publishing half."""

    async def publish(self, channel: str, payload: str) -> None: ...


class Publisher:
    """Args:
    broker: where publications go.
    lang_of: the language of a session connected here ("fr" for one that is not).
    """

    __slots__ = ("_broker", "_lang_of")

    def __init__(self, broker: Publishing, lang_of: Callable[[str], str]) -> None:
        self._broker = broker
        self._lang_of = lang_of

    async def publish(self, channel: str, payload: str) -> None:
        await self._broker.publish(channel, payload)

    async def deliver(self, outcome: Outcome) -> None:
        """An outcome's deliveries: each event encoded once, shared by every target; a notice
        for one person in their language.

        Raises:
            BrokerUnavailable: the broker did not take one of them.
        """
        frames: dict[int, str] = {}  # one encoding per event, shared by every target
        for target, event in outcome.deliveries:
            if isinstance(target, ToRoom):
                channel = room_channel(target.room)
            else:
                channel = session_channel(target.session)
                if isinstance(event, Noticed):  # a text for one person, in their language
                    lang = self._lang_of(target.session)
                    await self._broker.publish(channel, encode_event(event, lang=lang))
                    continue
            frame = frames.get(id(event))
            if frame is None:
                frame = frames[id(event)] = encode_event(event)
            await self._broker.publish(channel, frame)

    async def to_room(self, room: str, event: Event) -> None:
        await self._broker.publish(room_channel(room), encode_event(event))

    async def to_staff(self, event: Event) -> None:
        await self._broker.publish(STAFF_CHANNEL, encode_event(event))

    async def to_session(self, session: str, event: Event) -> None:
        """An event for one person, in their language; lost quietly when the broker is down
        (what it says is stored, and shown again where it matters)."""
        frame = encode_event(event, lang=self._lang_of(session))
        with suppress(BrokerUnavailable):
            await self._broker.publish(session_channel(session), frame)

    async def inform(self, session: str, key: str, **params: object) -> None:
        """An information notice (`notice {kind: info}`) for one person."""
        await self.to_session(session, Noticed(NoticeKind.INFO, key, tuple(params.items())))

    async def control(self, session: str, order: dict[str, Any]) -> None:
        """An order about a session, carried out by the node that hosts it (node/orders.py)."""
        await self._broker.publish(session_channel(session), CONTROL_PREFIX + json.dumps(order))

    async def taken_over(self, session: str) -> None:
        """The person of `session` resumed on another connection: its node closes it."""
        await self._broker.publish(session_channel(session), TAKEN_OVER)

    async def rooms_changed(self) -> None:
        """Every node reads the rooms again now (they also watch the store every few
        seconds, which is how a change made without the shared broker arrives)."""
        with suppress(BrokerUnavailable):
            await self._broker.publish(CONTROL_CHANNEL, ROOMS_CHANGED)

    async def person_gone(self, key: str) -> None:
        """A person (nickname key) is gone for good: whoever talked with them, on any node,
        forgets it, so that a newcomer with the nickname is a stranger (core/hub/private.py)."""
        with suppress(BrokerUnavailable):
            await self._broker.publish(CONTROL_CHANNEL, PERSON_GONE_PREFIX + key)

    async def stop_game(self, room: str, nick: str) -> None:
        """Every node: stop `room`'s game if you run it (node/games/runner.py)."""
        with suppress(BrokerUnavailable):
            order = json.dumps({"room": room, "nick": nick}, ensure_ascii=False)
            await self._broker.publish(CONTROL_CHANNEL, GAME_STOP_PREFIX + order)

    async def bans_changed(self) -> None:
        """Every node reads the new bans now (they also poll the store every few seconds)."""
        with suppress(BrokerUnavailable):
            await self._broker.publish(CONTROL_CHANNEL, BANS_CHANGED)
