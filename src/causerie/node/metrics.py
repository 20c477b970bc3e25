"""Prometheus metrics of one node, in a registry of its own (several nodes may share a process
in tests).

The metrics a message passes on its way (commands, messages, frames, fan-out time) are counted
by `LoopCounter` and `LoopHistogram`: plain numbers, changed only from the event loop's thread
and read when the registry is scraped. prometheus_client's own take a lock on every change,
and its histogram walks its buckets in Python: a few microseconds of each message.
"""

from __future__ import annotations

import time
from bisect import bisect_left
from collections.abc import Awaitable, Callable, Iterator, Sequence
from math import inf
from typing import TypeVar

from prometheus_client import CollectorRegistry, Counter, Gauge
from prometheus_client.metrics_core import CounterMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.utils import floatToGoString

T = TypeVar("T")
_bound_text: Callable[[float], str] = floatToGoString  # `le` as prometheus_client writes it


class LoopCounter:
    """A counter with at most one label, added to only from the event loop's thread."""

    def __init__(
        self, name: str, documentation: str, label: str | None, registry: CollectorRegistry
    ) -> None:
        self._name, self._documentation = name, documentation
        self._labels = [label] if label is not None else []
        # By label value; a counter without a label shows 0 before its first count.
        self._values: dict[str, float] = {} if label is not None else {"": 0}
        registry.register(self)

    def inc(self, amount: float = 1, label: str = "") -> None:
        self._values[label] = self._values.get(label, 0) + amount

    def value(self, label: str = "") -> float:
        return self._values.get(label, 0)

    def describe(self) -> list[Metric]:
        return [CounterMetricFamily(self._name, self._documentation, labels=self._labels)]

    def collect(self) -> Iterator[Metric]:
        family = CounterMetricFamily(self._name, self._documentation, labels=self._labels)
        for label, value in list(self._values.items()):
            family.add_metric([label] if self._labels else [], value)
        yield family


class LoopHistogram:
    """A histogram without labels, observed only from the event loop's thread."""

    def __init__(
        self,
        name: str,
        documentation: str,
        buckets: Sequence[float],
        registry: CollectorRegistry,
    ) -> None:
        self._name, self._documentation = name, documentation
        self._bounds = tuple(sorted(float(bound) for bound in buckets))
        self._counts = [0] * (len(self._bounds) + 1)  # the last one: above every bound
        self._sum = 0.0
        registry.register(self)

    def observe(self, amount: float) -> None:
        self._counts[bisect_left(self._bounds, amount)] += 1  # `le`: amount <= bound
        self._sum += amount

    def describe(self) -> list[Metric]:
        return [HistogramMetricFamily(self._name, self._documentation)]

    def collect(self) -> Iterator[Metric]:
        cumulative, buckets = 0, []
        for bound, count in zip((*self._bounds, inf), list(self._counts), strict=True):
            cumulative += count
            buckets.append((_bound_text(bound), float(cumulative)))
        family = HistogramMetricFamily(self._name, self._documentation)
        family.add_metric([], buckets, self._sum)
        yield family


class NodeMetrics:
    def __init__(self) -> None:
        registry = self.registry = CollectorRegistry()
        self.connections = Gauge(
            "causerie_connections", "Open client connections", ["protocol"], registry=registry
        )
        self.sessions = Gauge("causerie_sessions", "People who said hello", registry=registry)
        self.commands = LoopCounter(
            "causerie_commands_total", "Commands received", "type", registry
        )
        self.messages_in = LoopCounter(
            "causerie_messages_in_total", "Messages accepted", "kind", registry
        )
        self.frames_out = LoopCounter(
            "causerie_frames_out_total", "Frames queued to clients", None, registry
        )
        self.errors = Counter(
            "causerie_errors_total", "Error frames sent, by code", ["code"], registry=registry
        )
        self.store_seconds = LoopHistogram(
            "causerie_store_batch_seconds",
            "Time to commit one batch of messages",
            (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
            registry,
        )
        self.store_batch_size = LoopHistogram(
            "causerie_store_batch_messages",
            "Messages per committed batch",
            (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000),
            registry,
        )
        self.fanout_seconds = LoopHistogram(
            "causerie_fanout_seconds",
            "Time to queue one broadcast frame to this node's members",
            (0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05),
            registry,
        )
        self.outgoing_bytes = Gauge(
            "causerie_outgoing_queue_bytes",
            "Bytes waiting in client connections' outgoing queues",
            registry=registry,
        )
        self.slow_clients = Counter(
            "causerie_slow_clients_total",
            "Connections closed for not reading",
            registry=registry,
        )


def timed_save(
    save: Callable[[Sequence[T]], Awaitable[None]], metrics: NodeMetrics
) -> Callable[[Sequence[T]], Awaitable[None]]:
    """`save` (the group commit's), its time and batch size observed in `metrics`."""

    async def timed(items: Sequence[T]) -> None:
        started = time.perf_counter()
        await save(items)
        metrics.store_seconds.observe(time.perf_counter() - started)
        metrics.store_batch_size.observe(len(items))

    return timed
