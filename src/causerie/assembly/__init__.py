"""The composition root: the one place where Settings become a running process.

How this works, in the order things are built and started:

1. configuration that must be right before anything opens: the picture hash list, the
   age-verification keys, the moderation rules (a bad one stops the start, `ConfigError`);
2. the backends: the store (SQLite or PostgreSQL) and the broker (in process, or Redis with
   the shared presence and flood gate on the same client);
3. the hub, opened from the store (node/lifecycle.py `open_hub`), then the node's parts, each
   given what it needs (`build_node`; docs/architecture.md lists them and their ports);
4. the node started, then the listeners — the IRC listener when `irc_port` is set, the HTTP
   server that also takes WebSocket upgrades — and the background jobs (the retention purge);
5. at stop, the reverse: the HTTP server, the jobs, the IRC listener, then the node, which
   closes every connection left and the backends.

The modules, in that order: `configured.py` (1), `backends.py` (2), `node.py` (3, `build_node`),
`process.py` (4 and 5, `Process`). Nothing else builds a part, opens a backend or starts a
listener: `causerie serve`, the tests' servers and the benchmarks all come through here. This
file imports nothing, so a command that needs only the store does not load the listeners.
"""
