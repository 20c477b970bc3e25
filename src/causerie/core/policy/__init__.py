"""Policies the hub consults: nicknames, age bands, rate limits, message text. Pure functions."""
