"""Games run by the node as participants of their rooms (docs/games.md, "Running games")."""
