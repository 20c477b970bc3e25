"""Moderators' restrictions on posting: mutes (in a room or everywhere), locked rooms and slow
mode. Pure: callers pass `now_ms`; expired mutes are forgotten lazily.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from causerie.errors import CauserieError, ErrorCode


@dataclass(slots=True)
class RoomRestrictions:
    locked: bool = False
    slow_mode_s: float = 0.0
    last_post_ms: dict[str, int] = field(default_factory=dict)  # session -> time


class Restrictions:
    def __init__(self) -> None:
        self._mutes: dict[tuple[str, str | None], int | None] = {}  # (session, room) -> until
        self._rooms: dict[str, RoomRestrictions] = {}

    def room(self, room: str) -> RoomRestrictions:
        return self._rooms.setdefault(room, RoomRestrictions())

    def mute(self, session: str, room: str | None, until_ms: int | None) -> None:
        """`room` None mutes everywhere; `until_ms` None until unmuted."""
        self._mutes[(session, room)] = until_ms

    def unmute(self, session: str, room: str | None) -> None:
        self._mutes.pop((session, room), None)

    def forget(self, session: str) -> None:
        for key in [k for k in self._mutes if k[0] == session]:
            del self._mutes[key]
        for state in self._rooms.values():
            state.last_post_ms.pop(session, None)

    def check_post(
        self, session: str, room: str | None, now_ms: int, *, is_staff: bool = False
    ) -> None:
        """Raise the refusal that applies to posting now, if any.

        Raises:
            CauserieError: `muted` (with `retry_after` when timed), `forbidden` for a locked
                room, `rate_limited` in slow mode.
        """
        for key in ((session, None), (session, room)):
            if key not in self._mutes:
                continue
            until = self._mutes[key]
            if until is not None and until <= now_ms:
                del self._mutes[key]
                continue
            retry = None if until is None else (until - now_ms) / 1000
            raise CauserieError(ErrorCode.MUTED, "muted", retry_after_s=retry)
        if room is None or is_staff or room not in self._rooms:
            return
        state = self._rooms[room]
        if state.locked:
            raise CauserieError(ErrorCode.FORBIDDEN, "room_locked", field="room")
        if state.slow_mode_s > 0:
            last = state.last_post_ms.get(session)
            wait_ms = 0 if last is None else last + state.slow_mode_s * 1000 - now_ms
            if wait_ms > 0:
                raise CauserieError(
                    ErrorCode.RATE_LIMITED, "slow_mode", retry_after_s=wait_ms / 1000
                )

    def record_post(self, session: str, room: str, now_ms: int) -> None:
        state = self._rooms.get(room)
        if state is not None and state.slow_mode_s > 0:
            state.last_post_ms[session] = now_ms
