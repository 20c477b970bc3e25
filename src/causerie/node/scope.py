"""Where a moderator limited to rooms may act: the room of the object an action touches, looked
up on the server — never a field the client chose to name.

- a report (`take`, `dismiss`, any action carrying `report_id`): the room the server gave it
  when it was made — the reported message's room; for an appeal, the decision's room;
- a message (`delete_message`): the stored (or recent) message's room;
- a person (`mute`, `kick`, `ban`): the room the measure applies in, and the person must be tied
  to it: in it now (on any node), the target of the report acted on in that room, or the author
  of one of the room's recent messages (or of a recent message there);
- a room (`lock_room`, `slow_mode`): that room;
- a picture (`media`): the rooms it was posted in;
- an appeal (`decide_appeal`): the room of the decision appealed.

What has no room — a private message, a report about a person, a measure for the whole site,
a picture sent privately — is for unrestricted moderators and admins only (`can_moderate` with
None). A moderator limited to rooms sees nothing of private messages: their parties may share
none of that moderator's rooms, and deciding one is a site-wide decision about a person. Such
tickets are not in their queue either. Why the person must be tied to the room: every human
decision counts towards art. 23's suspension from the whole site, so a room's moderator who
could mute anyone "in their room" could have anyone suspended everywhere.
"""

from __future__ import annotations

import json
from typing import Protocol

from causerie.core.hub import Hub
from causerie.core.messages import DirectMessage, Message
from causerie.core.policy.nicknames import nick_key
from causerie.errors import CauserieError, ErrorCode
from causerie.node.cluster import Cluster
from causerie.node.ports import Clock
from causerie.safety.reports import Report
from causerie.safety.staff import StaffAccount, StaffRole, can_moderate

RECENT_MESSAGES = 50  # a room's last messages, where someone who just left still shows


def require(account: StaffAccount, room: str | None) -> None:
    """Raises `forbidden` (key `mod_scope`) unless `account` may act in `room` (None: on
    something with no room, or site-wide)."""
    if not can_moderate(account, room):
        raise CauserieError(ErrorCode.FORBIDDEN, "mod_scope")


def is_limited(account: StaffAccount) -> bool:
    return account.role is not StaffRole.ADMIN and bool(account.rooms)


def room_of(message: Message | DirectMessage) -> str | None:
    return message.room if isinstance(message, Message) else None


def statement_room(statement: dict[str, object]) -> str | None:
    """The room a stated decision was about (None: site-wide, or a private message)."""
    try:
        body = json.loads(str(statement.get("body") or "{}"))
    except ValueError:
        return None
    room = body.get("room") if isinstance(body, dict) else None
    return room if isinstance(room, str) and room else None


class RecentMessages(Protocol):
    async def recent_messages(self, room: str, limit: int) -> list[Message]: ...

    async def recent_of(self, session: str, limit: int = 20) -> list[Message]: ...


class MediaRooms(Protocol):
    async def media_rooms(self, media_id: str) -> set[str]: ...


class RoomTies:
    """Whether a person is tied to a room (see the module): from this node's hub, every
    node's presence, and the stored messages."""

    def __init__(
        self, hub: Hub, messages: RecentMessages, cluster: Cluster | None, clock: Clock
    ) -> None:
        self._hub = hub
        self._messages = messages
        self._cluster = cluster
        self._clock = clock

    async def is_tied(
        self, room: str, nick: str, session: str | None, report: Report | None
    ) -> bool:
        key = nick_key(nick)
        if report is not None and report.room_id == room and nick_key(report.target_nick) == key:
            return True
        hub = self._hub
        if session is not None and hub.session(session) is not None:
            if room in hub.rooms_of(session):
                return True
        elif self._cluster is not None:
            members = await self._cluster.presence.members(room, self._clock.now_ms())
            if any(nick_key(str(member.get("nick", ""))) == key for member in members):
                return True
        recent = await self._messages.recent_messages(room, RECENT_MESSAGES)
        if any(nick_key(m.sender.nick) == key for m in recent):
            return True
        if session is not None:
            return any(m.room == room for m in await self._messages.recent_of(session))
        return False


async def require_person(
    ties: RoomTies,
    account: StaffAccount,
    room: str | None,
    person: tuple[str, str | None],
    report: Report | None,
) -> None:
    """A measure about a person in `room` (None: site-wide): the room must be the moderator's,
    and for a moderator limited to rooms, the person must be tied to it (see the module)."""
    require(account, room)
    if room is None or not is_limited(account):
        return
    nick, session = person
    if not await ties.is_tied(room, nick, session, report):
        raise CauserieError(ErrorCode.FORBIDDEN, "mod_scope", field="nick")


async def require_media(store: MediaRooms, account: StaffAccount, media_id: str) -> None:
    """A picture may be shown to a moderator limited to rooms only if it was posted in one of
    them (`not_found` otherwise, as for a picture that does not exist)."""
    if not is_limited(account):
        return
    rooms = await store.media_rooms(media_id)
    if not any(can_moderate(account, room) for room in rooms):
        raise CauserieError(ErrorCode.NOT_FOUND, "media_unknown", field="media_id")
