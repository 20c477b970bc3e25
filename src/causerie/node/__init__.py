"""The running node: glues the hub to the store, the broker and live connections (asyncio)."""
