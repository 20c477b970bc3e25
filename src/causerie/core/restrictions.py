"""Moderators' restrictions on posting: mutes (in a room or everywhere), locked rooms and slow
mode. Pure: callers pass `now_ms`; expired mutes are forgotten lazily.

Whatever reaches it (a moderator's frame, a row stored by an older version, another node's
broadcast), a room's slow mode is kept within `0..MAX_SLOW_MODE_S`: a user's message is checked
against it, so no stored value may ever make that check fail.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from causerie.errors import CauserieError, ErrorCode

MAX_SLOW_MODE_S = 3600.0  # one message an hour; a longer wait is a locked room


def checked_slow_mode_s(interval_s: float, field: str = "interval_s") -> float:
    """`interval_s` if it is a slow-mode interval (0 turns it off).

    Raises:
        CauserieError: `invalid`, key `out_of_range`, with the field and the range, for a
            number outside `0..MAX_SLOW_MODE_S` (NaN and infinities included) or a bool.
    """
    if isinstance(interval_s, bool) or not 0.0 <= interval_s <= MAX_SLOW_MODE_S:
        raise CauserieError(
            ErrorCode.INVALID, "out_of_range", field=field, min=0, max=int(MAX_SLOW_MODE_S)
        )
    return float(interval_s)


def clamped_slow_mode_s(interval_s: float) -> float:
    """The nearest usable interval: NaN and negatives turn slow mode off, more than the maximum
    (infinity too) is the maximum."""
    if math.isnan(interval_s) or interval_s <= 0:
        return 0.0
    return min(float(interval_s), MAX_SLOW_MODE_S)


@dataclass(slots=True)
class RoomRestrictions:
    locked: bool = False
    slow_mode_s: float = 0.0  # set through `set_slow_mode`, which keeps it in range
    last_post_ms: dict[str, int] = field(default_factory=dict)  # session -> time

    def set_slow_mode(self, interval_s: float) -> None:
        self.slow_mode_s = clamped_slow_mode_s(interval_s)


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

    def forget_room(self, room: str) -> None:
        """An archived room: its lock, slow mode and room mutes go with it."""
        self._rooms.pop(room, None)
        for key in [key for key in self._mutes if key[1] == room]:
            del self._mutes[key]

    def rekey(self, old: str, new: str) -> None:
        """A resumed session keeps its mutes and slow-mode waits under its new id."""
        for key in [k for k in self._mutes if k[0] == old]:
            self._mutes[(new, key[1])] = self._mutes.pop(key)
        for state in self._rooms.values():
            if old in state.last_post_ms:
                state.last_post_ms[new] = state.last_post_ms.pop(old)

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
        slow_mode_s = clamped_slow_mode_s(state.slow_mode_s)  # even if set around the setter
        if slow_mode_s > 0:
            last = state.last_post_ms.get(session)
            wait_ms = 0 if last is None else last + slow_mode_s * 1000 - now_ms
            if wait_ms > 0:
                raise CauserieError(
                    ErrorCode.RATE_LIMITED, "slow_mode", retry_after_s=wait_ms / 1000
                )

    def record_post(self, session: str, room: str, now_ms: int) -> None:
        state = self._rooms.get(room)
        if state is not None and state.slow_mode_s > 0:
            state.last_post_ms[session] = now_ms
