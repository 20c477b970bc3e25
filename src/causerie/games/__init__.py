"""Games: bots that live in rooms and private conversations (DESIGN.md, rule 9).

`interface.py` is the contract every game keeps; each other module is one game (or the data
and text helpers games share). The node's side (running games as participants, leases across
a cluster, scores) lives in `causerie.node`; docs/games.md explains both.
"""
