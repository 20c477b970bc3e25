"""The WebSocket adapter: a sans-I/O JSON codec and the asyncio transport around it."""
