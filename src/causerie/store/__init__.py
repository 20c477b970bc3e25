"""Durable state behind the `Store` port: SQLite by default, PostgreSQL when configured."""
