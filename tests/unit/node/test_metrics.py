"""The node's loop-thread metrics read by Prometheus as prometheus_client's own would be."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

from causerie.node.metrics import LoopCounter, LoopHistogram, NodeMetrics


def _lines(registry: CollectorRegistry) -> set[str]:
    return {
        line
        for line in generate_latest(registry).decode().splitlines()
        if not line.startswith("#") and "_created" not in line
    }


def test_loop_counter_scrapes_like_a_prometheus_counter() -> None:
    ours, theirs = CollectorRegistry(), CollectorRegistry()
    counter = LoopCounter("x_commands_total", "Commands", "type", ours)
    reference = Counter("x_commands_total", "Commands", ["type"], registry=theirs)
    for label, times in (("Say", 3), ("Join", 1)):
        for _ in range(times):
            counter.inc(label=label)
            reference.labels(label).inc()
    plain, plain_reference = (
        LoopCounter("x_frames", "Frames", None, ours),
        Counter("x_frames", "Frames", registry=theirs),
    )

    assert _lines(ours) == _lines(theirs)
    plain.inc(250)
    plain_reference.inc(250)
    assert _lines(ours) == _lines(theirs)
    assert counter.value("Say") == 3 and plain.value() == 250


def test_loop_histogram_puts_each_value_in_the_buckets_prometheus_would() -> None:
    ours, theirs = CollectorRegistry(), CollectorRegistry()
    bounds = (0.001, 0.01, 0.1, 1)
    histogram = LoopHistogram("x_seconds", "Time", bounds, ours)
    reference = Histogram("x_seconds", "Time", buckets=bounds, registry=theirs)
    for value in (0.0, 0.001, 0.0011, 0.05, 0.1, 0.5, 1.0, 7.0):  # on and around each bound
        histogram.observe(value)
        reference.observe(value)

    assert _lines(ours) == _lines(theirs)
    assert 'x_seconds_bucket{le="0.001"} 2.0' in _lines(ours)


def test_node_metrics_registry_names_every_documented_metric() -> None:
    text = generate_latest(NodeMetrics().registry).decode()
    for name in (
        "causerie_commands_total",
        "causerie_messages_in_total",
        "causerie_frames_out_total 0.0",
        "causerie_fanout_seconds_bucket",
        "causerie_store_batch_seconds_count 0.0",
        "causerie_store_batch_messages_sum",
    ):
        assert name in text
