"""Causerie: an instant, room-based community chat, safe by design."""

__version__ = "0.1.0"
