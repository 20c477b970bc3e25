"""What an operator's room change costs a node's hub: a topic change, a new room, an audience
tightened and an archive, with many people connected. Prints one JSON line.

    .venv/bin/python bench/room_changes.py [--adults 10000] [--teens 2000] [--members 500]

Each figure is the best of five runs of `Hub.put_room` / `Hub.archive_room` (pure: the events
are made, not written), in milliseconds, and how many deliveries it made. The node then writes
one encoding of each event to every connection concerned (node/room_sync.py).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time
from collections.abc import Callable

from causerie.core.commands import Hello, Join
from causerie.core.hub import Hub, HubConfig
from causerie.core.rooms import DEFAULT_ROOMS, Audience, Room, RoomKind
from causerie.geo import load_directory


def _hub(adults: int, teens: int, members: int) -> Hub:
    hub = Hub(DEFAULT_ROOMS, load_directory().locate, HubConfig(join_part_limit=None))
    for index in range(adults + teens):
        age = 30 if index < adults else 15
        hub.hello(f"s{index}", Hello(f"p{index}", "woman", age, "75011", "fr"), 0)
        if index < members:
            hub.apply(f"s{index}", Join("general"), 0)
    return hub


def _best(make: Callable[[], Hub], change: Callable[[Hub], object]) -> tuple[float, int]:
    best, deliveries = float("inf"), 0
    for _ in range(5):
        hub = make()
        started = time.perf_counter()
        outcome = change(hub)
        best = min(best, time.perf_counter() - started)
        deliveries = len(outcome.deliveries)  # type: ignore[attr-defined]
    return round(best * 1000, 2), deliveries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--adults", type=int, default=10_000)
    parser.add_argument("--teens", type=int, default=2_000)
    parser.add_argument("--members", type=int, default=500)
    args = parser.parse_args()
    general = next(r for r in DEFAULT_ROOMS if r.id == "general")
    new_room = Room("jardinage", "Jardinage", RoomKind.THEMATIC, Audience.ADULT, 13)

    def make() -> Hub:
        return _hub(args.adults, args.teens, args.members)

    figures = {}
    for name, change in (
        ("topic_ms", lambda hub: hub.put_room(dataclasses.replace(general, topic="Nouveau"))),
        ("new_room_ms", lambda hub: hub.put_room(new_room)),
        (
            "tightened_ms",
            lambda hub: hub.put_room(
                dataclasses.replace(general, audience=Audience.ADULT_VERIFIED)
            ),
        ),
        ("archive_ms", lambda hub: hub.archive_room("general")),
    ):
        elapsed, deliveries = _best(make, change)
        figures[name] = elapsed
        figures[name.replace("_ms", "_deliveries")] = deliveries
    print(
        json.dumps({"adults": args.adults, "teens": args.teens, "members": args.members, **figures})
    )


if __name__ == "__main__":
    main()
