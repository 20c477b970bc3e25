"""Table definitions shared by the store and the migrations' tests.

Times are integer milliseconds since the epoch (UTC) so SQLite and PostgreSQL agree. Message
tables keep the sender's public profile as it was when the message was sent.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    false,
    true,
)

metadata = MetaData()

rooms = Table(
    "rooms",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("audience", String(16), nullable=False),
    Column("position", Integer, nullable=False, default=0),
    Column("topic", Text, nullable=False, default=""),
    Column("created_at_ms", BigInteger, nullable=False),
    Column("locked", Boolean, nullable=False, server_default=false()),  # by a moderator
    Column("slow_mode_s", Float, nullable=False, server_default="0"),
    Column("pictures", Boolean, nullable=False, server_default=true()),  # members may post them
    Column("member_limit", Integer, nullable=False, server_default="0"),  # 0: no limit
    Column("owner", String(40), nullable=True),  # None: an official room
    Column("archived_at_ms", BigInteger, nullable=True),  # closed; its messages stay
    Column("updated_at_ms", BigInteger, nullable=False, server_default="0"),
    # A member room's modes and roles (core/rooms.py RoomModes, RoomAccess; migration 0014).
    Column("moderated", Boolean, nullable=False, server_default=false()),
    Column("invite_only", Boolean, nullable=False, server_default=false()),
    Column("room_key", String(32), nullable=False, server_default=""),
    Column("unlisted", Boolean, nullable=False, server_default=false()),
    Column("topic_locked", Boolean, nullable=False, server_default=true()),
    Column("access", Text, nullable=False, server_default="{}"),  # JSON: operators, banned, …
    Column("empty_since_ms", BigInteger, nullable=True),  # a member room with nobody in it
    Column("topic_set_at_ms", BigInteger, nullable=False, server_default="0"),  # 0: no topic
)


def _profile_columns(prefix: str) -> list[Column[object]]:
    """A person's session and public profile as it was when the message was sent."""
    return [
        Column(f"{prefix}_session", String(64), nullable=False),
        Column(f"{prefix}_nick", String(40), nullable=False),
        Column(f"{prefix}_gender", String(16), nullable=False),
        Column(f"{prefix}_age", Integer, nullable=False),
        Column(f"{prefix}_dept", String(3), nullable=False),
        Column(f"{prefix}_region", String(64), nullable=False),
    ]


def _content_columns() -> list[Column[object]]:
    """The text, when it was sent, and where from (kept for the legal retention period)."""
    return [
        Column("text", Text, nullable=False),
        Column("created_at_ms", BigInteger, nullable=False),
        Column("source_address", String(64), nullable=False),
        Column("source_port", Integer, nullable=False),
    ]


messages = Table(
    "messages",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("room_id", String(64), nullable=False),
    *_profile_columns("sender"),
    *_content_columns(),
    Column("deleted_at_ms", BigInteger, nullable=True),  # removed by a moderator or its author
    Column("media_id", String(32), nullable=True),  # the picture it carries
    Column("reply_to", BigInteger, nullable=True),  # the message it answers
    Index("ix_messages_room_id_id", "room_id", "id"),
    Index("ix_messages_media_id", "media_id"),
    Index("ix_messages_created_at_ms", "created_at_ms"),
)

direct_messages = Table(
    "direct_messages",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    *_profile_columns("sender"),
    *_profile_columns("recipient"),
    *_content_columns(),
    Column("media_id", String(32), nullable=True),
    Column("reply_to", BigInteger, nullable=True),  # the message it answers
    Column("deleted_at_ms", BigInteger, nullable=True),  # taken back by its sender
    Index("ix_direct_messages_media_id", "media_id"),
    Index("ix_direct_messages_sender", "sender_session", "id"),
    Index("ix_direct_messages_recipient", "recipient_session", "id"),
    Index("ix_direct_messages_created_at_ms", "created_at_ms"),
)

connections = Table(
    "connections",
    metadata,
    Column("session", String(64), primary_key=True),
    Column("nick", String(40), nullable=False),
    Column("gender", String(16), nullable=False),
    Column("age", Integer, nullable=False),
    Column("postcode", String(5), nullable=False),
    Column("dept", String(3), nullable=False),
    Column("address", String(64), nullable=False),
    Column("port", Integer, nullable=False),
    Column("device", String(64), nullable=False),
    Column("user_agent", String(256), nullable=False),
    Column("protocol", String(8), nullable=False),
    Column("connected_at_ms", BigInteger, nullable=False),
    Column("disconnected_at_ms", BigInteger, nullable=True),
    Column("token_sha256", String(64), nullable=True),  # the session's HTTP bearer, hashed
    # Coming back after a loss (node/continuity.py): the first session of a chain of resumes,
    # the single-use resume secret (hashed), until when it may be used, what the session held.
    Column("person", String(64), nullable=True),
    Column("resume_sha256", String(64), nullable=True),
    Column("resume_until_ms", BigInteger, nullable=True),
    Column("carried", Text, nullable=True),
    Index("ix_connections_nick", "nick"),
    Index("ix_connections_person", "person"),
    Index("ix_connections_resume_until_ms", "resume_until_ms"),
    Index("ix_connections_address", "address"),
    # The profiles declared from one address lately (core/policy/adult_signals.py).
    Index("ix_connections_address_connected_at_ms", "address", "connected_at_ms"),
    Index("ix_connections_connected_at_ms", "connected_at_ms"),
    Index("ix_connections_token_sha256", "token_sha256"),
)

staff = Table(
    "staff",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("role", String(16), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("totp_secret", String(64), nullable=True),
    Column("rooms", Text, nullable=False),  # comma-separated room ids; empty: every room
    Column("disabled", Boolean, nullable=False),
    Column("created_at_ms", BigInteger, nullable=False),
    Column("totp_last_step", BigInteger, nullable=True),  # Unix time // 30 of the last code used
)

bans = Table(
    "bans",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("scope", String(8), nullable=False),  # site or room
    Column("room_id", String(64), nullable=True),
    Column("nick", String(40), nullable=False),
    Column("session", String(64), nullable=True),
    Column("device", String(64), nullable=True),
    Column("address", String(64), nullable=True),
    Column("reason", Text, nullable=False),
    Column("actor", String(40), nullable=False),
    Column("created_at_ms", BigInteger, nullable=False),
    Column("expires_at_ms", BigInteger, nullable=True),  # NULL: for good
    Column("lifted_at_ms", BigInteger, nullable=True),
    Index("ix_bans_created_at_ms", "created_at_ms"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("at_ms", BigInteger, nullable=False),
    Column("actor", String(40), nullable=False),
    Column("actor_kind", String(16), nullable=False),
    Column("action", String(32), nullable=False),
    Column("target", String(128), nullable=False),
    Column("reason", Text, nullable=False),
    Column("details", Text, nullable=False),  # canonical JSON
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

reports = Table(
    "reports",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("kind", String(8), nullable=False),  # report, flag or appeal
    Column("state", String(12), nullable=False),
    Column("category", String(24), nullable=False),
    Column("severity", Integer, nullable=False),
    Column("lane", String(12), nullable=False),  # user, trusted or automatic
    Column("reporter_session", String(64), nullable=True),
    Column("reporter_nick", String(40), nullable=True),
    Column("reporter_contact", String(200), nullable=True),
    Column("good_faith", Boolean, nullable=False),
    Column("comment", Text, nullable=False),
    Column("rule", String(64), nullable=True),
    Column("target_nick", String(40), nullable=False),
    Column("target_session", String(64), nullable=True),
    Column("message_id", BigInteger, nullable=True),
    Column("room_id", String(64), nullable=True),
    Column("evidence", Text, nullable=False),  # JSON: the message and its context, preserved
    Column("statement_id", String(32), nullable=True),
    Column("assigned_to", String(40), nullable=True),
    Column("decided_by", String(40), nullable=True),
    Column("decision", Text, nullable=True),
    Column("created_at_ms", BigInteger, nullable=False),
    Column("updated_at_ms", BigInteger, nullable=False),
    Index("ix_reports_state", "state", "severity"),
    Index("ix_reports_target_session", "target_session"),
    Index("ix_reports_target_nick", "target_nick", "created_at_ms"),  # a person's signals
)

statements = Table(
    "statements",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("session", String(64), nullable=False),
    Column("nick", String(40), nullable=False),
    Column("decision", String(24), nullable=False),
    Column("ground", String(32), nullable=False),
    Column("is_automatic", Boolean, nullable=False),
    Column("actor", String(40), nullable=False),
    Column("body", Text, nullable=False),  # JSON of the Statement
    Column("decided_at_ms", BigInteger, nullable=False),
    Column("appeal_until_ms", BigInteger, nullable=False),
    Column("report_id", BigInteger, nullable=True),
    Column("appealed_at_ms", BigInteger, nullable=True),
    Column("appeal_text", Text, nullable=True),
    Column("appeal_outcome", String(12), nullable=True),
    Index("ix_statements_session", "session"),
)

trusted_flaggers = Table(
    "trusted_flaggers",
    metadata,
    Column("nick_key", String(40), primary_key=True),  # the nickname without case or accents
    Column("nick", String(40), nullable=False),
    Column("added_by", String(40), nullable=False),
    Column("added_at_ms", BigInteger, nullable=False),
)

media = Table(
    "media",
    metadata,
    Column("id", String(32), primary_key=True),  # random: the public name in URLs
    Column("state", String(12), nullable=False),  # uploaded, posted, blocked or removed
    Column("sha256", String(64), nullable=False),  # of the re-encoded file, its name in storage
    Column("thumb_sha256", String(64), nullable=False),
    Column("original_sha256", String(64), nullable=False),  # of the bytes as uploaded
    Column("pdq", String(64), nullable=False),  # perceptual hash, hex
    Column("pdq_quality", Integer, nullable=False),
    Column("mime", String(32), nullable=False),
    Column("width", Integer, nullable=False),
    Column("height", Integer, nullable=False),
    Column("bytes", Integer, nullable=False),
    Column("uploader_session", String(64), nullable=False),
    Column("uploader_nick", String(40), nullable=False),
    Column("source_address", String(64), nullable=False),
    Column("source_port", Integer, nullable=False),
    Column("created_at_ms", BigInteger, nullable=False),
    Column("message_id", BigInteger, nullable=True),  # once posted
    Column("room_id", String(64), nullable=True),
    Column("recipient_session", String(64), nullable=True),  # a private message's receiver
    Index("ix_media_created_at_ms", "created_at_ms"),
    Index("ix_media_sha256", "sha256"),
    Index("ix_media_uploader_session", "uploader_session"),
)

media_blocklist = Table(
    "media_blocklist",
    metadata,
    Column("sha256", String(64), primary_key=True),  # exact bytes moderators removed
    Column("media_id", String(32), nullable=True),
    Column("reason", Text, nullable=False),
    Column("actor", String(40), nullable=False),
    Column("created_at_ms", BigInteger, nullable=False),
)

legal_holds = Table(
    "legal_holds",
    metadata,
    Column("reference", String(128), primary_key=True),  # the authority's case reference
    Column("scope", String(8), nullable=False),  # user or room
    Column("nick", String(40), nullable=True),
    Column("room_id", String(64), nullable=True),
    Column("from_ms", BigInteger, nullable=False),
    Column("to_ms", BigInteger, nullable=False),
    Column("operator", String(40), nullable=False),
    Column("created_at_ms", BigInteger, nullable=False),
    Column("released_at_ms", BigInteger, nullable=True),
    Column("released_by", String(40), nullable=True),
)

message_origins = Table(
    "message_origins",
    metadata,
    # Where a message or picture came from, kept for the connection-record period after its
    # content is purged; written by the purge just before it deletes the content.
    Column("kind", String(8), primary_key=True),  # room, dm or media
    Column("ref", String(32), primary_key=True),  # the message id (as text) or the media id
    Column("room_id", String(64), nullable=True),
    Column("session", String(64), nullable=False),
    Column("nick", String(40), nullable=False),
    Column("address", String(64), nullable=False),
    Column("port", Integer, nullable=False),
    Column("created_at_ms", BigInteger, nullable=False),
    Index("ix_message_origins_created_at_ms", "created_at_ms"),
    Index("ix_message_origins_nick", "nick"),
    Index("ix_message_origins_address", "address"),
)

audit_checkpoints = Table(
    "audit_checkpoints",
    metadata,
    # The last audit entry a purge removed: the rest of the chain verifies from it.
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("hash", String(64), nullable=False),
    Column("purged_at_ms", BigInteger, nullable=False),
)

# Games (node/games/, docs/games.md; migration 0015). Which games a room allows; each game run
# with what it started from and the events it was handed (appended before each is handled, so
# another node rebuilds it by replaying them); the points awarded, keyed by (run, event, index)
# so a replay never counts them twice. An award is personal data under a nickname: the
# retention purge drops it after `game_scores_days` (docs/retention.md).
room_games = Table(
    "room_games",
    metadata,
    Column("room_id", String(64), primary_key=True),
    Column("game", String(32), primary_key=True),
)

game_runs = Table(
    "game_runs",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("place", String(128), nullable=False),  # a room id, or a duel's conversation key
    Column("game", String(32), nullable=False),
    Column("seed", BigInteger, nullable=False),
    Column("band", String(8), nullable=False),
    Column("started_by", String(40), nullable=False),
    Column("options", Text, nullable=False, server_default=""),
    Column("players", Text, nullable=False, server_default="[]"),  # JSON: a duel's two
    Column("started_at_ms", BigInteger, nullable=False),
    Column("ended_at_ms", BigInteger, nullable=True),
    Index("ix_game_runs_place", "place", "ended_at_ms"),
)

game_events = Table(
    "game_events",
    metadata,
    Column("run_id", String(40), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("event", Text, nullable=False),  # JSON (node/games/record.py)
)

game_awards = Table(
    "game_awards",
    metadata,
    Column("run_id", String(40), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("idx", Integer, primary_key=True),
    Column("place", String(128), nullable=False),
    Column("game", String(32), nullable=False),
    Column("nick", String(40), nullable=False),
    Column("nick_key", String(40), nullable=False),
    Column("points", Integer, nullable=False),
    Column("at_ms", BigInteger, nullable=False),
    Index("ix_game_awards_place", "place", "at_ms"),
)
