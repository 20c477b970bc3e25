"""The IRC listener (docs/irc.md): IRC clients in the same rooms, under the same rules."""
