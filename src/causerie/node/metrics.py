"""Prometheus metrics of one node, in a registry of its own (several nodes may share a process
in tests)."""

from __future__ import annotations

from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


class NodeMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.connections = Gauge(
            "causerie_connections", "Open client connections", ["protocol"], registry=self.registry
        )
        self.sessions = Gauge("causerie_sessions", "People who said hello", registry=self.registry)
        self.commands = Counter(
            "causerie_commands_total", "Commands received", ["type"], registry=self.registry
        )
        self.messages_in = Counter(
            "causerie_messages_in_total", "Messages accepted", ["kind"], registry=self.registry
        )
        self.frames_out = Counter(
            "causerie_frames_out_total", "Frames queued to clients", registry=self.registry
        )
        self.errors = Counter(
            "causerie_errors_total", "Error frames sent, by code", ["code"], registry=self.registry
        )
        self.store_seconds = Histogram(
            "causerie_store_batch_seconds",
            "Time to commit one batch of messages",
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
            registry=self.registry,
        )
        self.store_batch_size = Histogram(
            "causerie_store_batch_messages",
            "Messages per committed batch",
            buckets=(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000),
            registry=self.registry,
        )
        self.fanout_seconds = Histogram(
            "causerie_fanout_seconds",
            "Time to queue one broadcast frame to this node's members",
            buckets=(0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05),
            registry=self.registry,
        )
        self.outgoing_bytes = Gauge(
            "causerie_outgoing_queue_bytes",
            "Bytes waiting in client connections' outgoing queues",
            registry=self.registry,
        )
        self.slow_clients = Counter(
            "causerie_slow_clients_total",
            "Connections closed for not reading",
            registry=self.registry,
        )
        self._children: dict[tuple[int, str], Any] = {}

    def count(self, metric: Counter, label: str) -> None:
        """One more for `metric`'s `label`; the child is looked up by prometheus once (its
        `labels` takes a lock and builds a key: a microsecond for each message)."""
        key = (id(metric), label)
        child = self._children.get(key)
        if child is None:
            child = self._children[key] = metric.labels(label)
        child.inc()
