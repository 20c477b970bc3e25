"""Limits on the way in that outlive a session: logins (`hello`) per address and per device,
joins and parts per device and address. Charged to the flood gate, so they hold across
reconnections and, with Redis, across nodes (a client may reconnect to any of them).

How the limits are sized (docs/operations.md, "Connections per address"): an address is shared
by everyone behind one router (a lycée behind one NAT, a mobile carrier's CGNAT), so its
buckets are large; an IPv6 address counts as its /64 (`address_key`); a device cookie is one
browser. Each limit is a token bucket: `hello`s per
minute means that many at once, then that many spread over each minute. A program that opens
1,500 sessions in a fraction of a second gets 120 and then two a second.

Both doors share these (the WebSocket and the IRC listener both `hello` through the node). The
sockets open at once per address and device are counted at each door on each node
(`node.throttle`), before a login costs anything.
"""

from __future__ import annotations

from collections.abc import Callable

from causerie.config import Settings
from causerie.core.policy.ratelimits import RateLimit
from causerie.errors import CauserieError, ErrorCode
from causerie.node.connections import Peer
from causerie.node.floodgate import FloodGate, person_charges
from causerie.node.throttle import address_key

NEW_DEVICE_PREFIX = "new-"  # a connection without our device cookie: nothing to count it under


def per_minute(count: int) -> RateLimit:
    """`count` at once, then `count` spread over each minute."""
    return RateLimit(count, count / 60)


def join_part_limit(settings: Settings) -> RateLimit | None:
    """One session's joins and parts (the hub's bucket, and a device's): a burst of at least
    `max_rooms_per_session`, so that a client coming back rejoins all its rooms at once."""
    if not settings.rate_limits:
        return None
    burst = max(settings.join_part_burst, settings.max_rooms_per_session)
    return RateLimit(burst, settings.join_part_per_s)


class Admission:
    def __init__(self, settings: Settings, floodgate: FloodGate, clock: Callable[[], float]):
        self._floodgate = floodgate
        self._clock = clock
        on = settings.rate_limits
        self._hello_by_address = per_minute(settings.hellos_per_minute_per_address) if on else None
        self._hello_by_device = per_minute(settings.hellos_per_minute_per_device) if on else None
        self._join_part = join_part_limit(settings)

    async def charge_hello(self, peer: Peer) -> None:
        """A login from this address and device.

        Raises:
            CauserieError: `rate_limited` with `retry_after`; the caller closes the connection.
        """
        if self._hello_by_address is None or self._hello_by_device is None:
            return
        charges = [(f"hello:address:{address_key(peer.origin.address)}", self._hello_by_address)]
        if not peer.device.startswith(NEW_DEVICE_PREFIX):
            charges.append((f"hello:device:{peer.device}", self._hello_by_device))
        wait_s = await self._floodgate.take_all(charges, self._clock())
        if wait_s > 0:
            raise CauserieError(ErrorCode.RATE_LIMITED, "hello_rate_limited", retry_after_s=wait_s)

    async def charge_join_part(self, peer: Peer) -> None:
        """A join or a part: charged to the device (as much as a session may) and to the
        address (ten times that), so many sessions of one person or one address do not
        multiply what one session may.

        Raises:
            CauserieError: `rate_limited` with `retry_after`.
        """
        if self._join_part is None:
            return
        address = address_key(peer.origin.address)
        charges = person_charges("joinpart:", peer.device, address, self._join_part)
        wait_s = await self._floodgate.take_all(charges, self._clock())
        if wait_s > 0:
            raise CauserieError(ErrorCode.RATE_LIMITED, "join_rate_limited", retry_after_s=wait_s)
