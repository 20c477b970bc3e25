"""The JSON encoding of the core's commands and events (docs/protocol.md): what the WebSocket
carries, and what nodes publish to each other through the broker. Sans-I/O; no socket here."""
