"""Prometheus metrics of one app instance (its own registry, so two apps can
live in one process in tests), served at /metrics. docs/deploy.md lists them."""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.clients = Gauge("raati_connected_clients", "Websocket clients connected", registry=r)
        self.events_published = Counter(
            "raati_events_published", "Events this process announced", registry=r)
        self.events_delivered = Counter(
            "raati_events_delivered", "Event copies queued for local clients", registry=r)
        self.gaps_filled = Counter(
            "raati_events_filled_from_database",
            "Events read from the database because the broker missed them", registry=r)
        self.slow_clients = Counter(
            "raati_slow_clients_closed", "Clients closed for falling behind", registry=r)
        self.fanout_delay = Histogram(
            "raati_fanout_delay_seconds", "From recording an event to queuing it for clients",
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
            registry=r)
        self.queue_length = Gauge(
            "raati_moderation_queue_length", "Posts waiting for a moderator", registry=r)

    def set_queue_length_source(self, fn: Callable[[], float]) -> None:
        """The moderation queue's length, read at each scrape (the function must
        be quick and must not touch the database from the event loop)."""
        self.queue_length.set_function(fn)

    def render(self) -> bytes:
        return generate_latest(self.registry)
