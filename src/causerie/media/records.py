"""What the service keeps about one uploaded picture (the files themselves are in media storage).

States: `uploaded` (checked and stored, not posted yet) -> `posted` (carried by a message);
`blocked` (matched the hash list: never delivered, kept as evidence); `removed` (taken down by a
moderator: no longer served, its exact bytes refused on re-upload).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class MediaState(StrEnum):
    UPLOADED = "uploaded"
    POSTED = "posted"
    BLOCKED = "blocked"
    REMOVED = "removed"


@dataclass(frozen=True, slots=True)
class MediaRecord:
    id: str
    state: MediaState
    sha256: str
    thumb_sha256: str
    original_sha256: str
    pdq: str
    pdq_quality: int
    mime: str
    width: int
    height: int
    bytes: int
    uploader_session: str
    uploader_nick: str
    source_address: str
    source_port: int
    created_at_ms: int
    message_id: int | None = None
    room_id: str | None = None
    recipient_session: str | None = None

    @property
    def is_servable(self) -> bool:
        return self.state in (MediaState.UPLOADED, MediaState.POSTED)
