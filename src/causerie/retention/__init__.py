"""Retention (DESIGN.md rule 7): how long each kind of record is kept, legal holds, the purge."""
