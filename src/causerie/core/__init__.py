"""The pure domain: people, rooms, messages and the hub that applies commands.

Nothing here does I/O, reads a clock or imports asyncio: callers pass `now` and ids in.
"""
