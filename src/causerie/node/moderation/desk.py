"""`StaffDesk`: the moderators connected to this node — their login (from the WebSocket or the
IRC listener), the queue they may see (a moderator limited to rooms sees their rooms' tickets,
never those with no room), the pictures they look at (each look audited), and the queue
changes every node publishes on the `staff` channel.
"""

from __future__ import annotations

import json

from causerie.core import commands as cmd
from causerie.core.events import MediaShown, QueueListed, StaffWelcomed
from causerie.errors import CauserieError, ErrorCode
from causerie.media.records import MediaState
from causerie.media.store import MediaStore
from causerie.node import scope
from causerie.node.connections import Connection
from causerie.node.envelope import Envelope
from causerie.node.logins import StaffLogins
from causerie.node.moderation.queue import Queue
from causerie.node.ports import Clock
from causerie.node.replies import Replies
from causerie.safety import audit
from causerie.safety.reports import queue_order
from causerie.safety.staff import StaffAccount, can_moderate
from causerie.store.base import Store
from causerie.wire.commands import RequestId


class StaffDesk:
    def __init__(
        self,
        logins: StaffLogins,
        store: Store,
        queue: Queue,
        files: MediaStore,
        replies: Replies,
        clock: Clock,
    ) -> None:
        self._logins = logins
        self._store = store
        self._queue = queue
        self._files = files
        self._replies = replies
        self._clock = clock
        self.staff: dict[Connection, StaffAccount] = {}

    async def login(
        self, connection: Connection, request_id: RequestId, command: cmd.StaffLogin
    ) -> None:
        """A staff login from the WebSocket or the IRC listener (OPER, SASL PLAIN): limited and
        checked off the event loop by `node.logins`; a refusal counts as a bad frame."""
        if connection.session is not None or connection in self.staff:
            raise CauserieError(ErrorCode.INVALID, "already_joined")
        try:
            account = await self._logins.log_in(
                command.name, command.password, command.totp, connection.peer.origin.address
            )
        except CauserieError:
            connection.strike()
            raise
        if connection.is_closing:  # gone while its password was checked: nothing to keep
            return
        self.staff[connection] = account
        welcomed = StaffWelcomed(account.name, account.role.value, account.rooms)
        self._replies.send(connection, request_id, [welcomed])
        await self.send_queue(connection, None)

    def forget(self, connection: Connection) -> None:
        self.staff.pop(connection, None)

    def account(self, connection: Connection) -> StaffAccount:
        """The staff account logged in on `connection`; `forbidden` for anyone else."""
        account = self.staff.get(connection)
        if account is None:
            raise CauserieError(ErrorCode.FORBIDDEN, "not_staff")
        return account

    async def send_queue(self, connection: Connection, request_id: RequestId) -> None:
        account = self.account(connection)
        reports = queue_order(await self._store.open_reports())
        # Only what this moderator may act on: a moderator limited to rooms sees their rooms'
        # tickets, never those with no room (private messages, people), as `on_staff_frame`.
        items = tuple(
            [await self._queue.item(r) for r in reports if can_moderate(account, r.room_id)]
        )
        self._replies.send(connection, request_id, [QueueListed(items)])

    async def show_media(
        self, connection: Connection, request_id: RequestId, command: cmd.ViewMedia
    ) -> None:
        """A picture's thumbnail, for a moderator deciding a report; each look is audited.
        Pictures the hash list matched are not shown here: they go to the authorities."""
        account = self.account(connection)
        await scope.require_media(self._store, account, command.media_id)
        record = await self._store.media(command.media_id)
        data = None
        if record is not None and record.state is not MediaState.BLOCKED:
            data = await self._files.get(record.thumb_sha256)
        if record is None or data is None:
            raise CauserieError(ErrorCode.NOT_FOUND, "media_unknown", field="media_id")
        await self._store.append_audit(
            at_ms=self._clock.now_ms(),
            actor=account.name,
            actor_kind=audit.ActorKind.HUMAN,
            action=audit.AuditAction.VIEW_MEDIA,
            target=f"media:{record.id}",
            reason="review",
            details={"uploader": record.uploader_nick},
        )
        self._replies.send(connection, request_id, [MediaShown(record.id, record.mime, data)])

    def on_staff_frame(self, payload: str) -> None:
        """A queue change published by some node: show it to the moderators here who may act
        on it (moderators limited to rooms see their rooms' tickets only)."""
        room: str | None = None
        if any(account.rooms for account in self.staff.values()):
            room = json.loads(payload).get("item", {}).get("room")
        for connection, account in list(self.staff.items()):
            if not account.rooms or (room is not None and room in account.rooms):
                # One envelope each: an IRC moderator's notice names its reader, so its bytes
                # are not one kind's to share (only room events are rendered once per kind).
                connection.send(Envelope.of_text(payload))
