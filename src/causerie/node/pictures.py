"""Pictures on a node: the upload path, what a message may carry, who may see a file, and what
a hash-list match sets off (DESIGN.md rule 4; docs/media.md).

Upload: the bytes arrive over HTTP (already bounded in size), are re-encoded and hashed in a
worker thread (`media.pipeline`), checked against the blocklist of pictures moderators removed
and against the operator's PDQ hash list, then stored by content hash. A match is never
delivered: the upload as received is kept in the evidence area, the sender is suspended pending
review, and a top-severity child-safety flag reaches every moderator.

Any node can serve any picture: who may see it is read from the store (the messages carrying
it), not from this node's memory.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import logging
import secrets
from collections.abc import Callable
from typing import Any

from causerie.core.events import Record
from causerie.core.messages import DirectMessage, MediaRef
from causerie.core.policy.ratelimits import RateLimit, TokenBucket
from causerie.core.rooms import Audience, Room
from causerie.core.users import AgeBand, age_band
from causerie.errors import CauserieError, ErrorCode
from causerie.media.hashlist import HashListFile, HashMatch
from causerie.media.pipeline import MediaLimits, Picture, process_picture
from causerie.media.records import MediaRecord, MediaState
from causerie.media.store import Area, MediaStore
from causerie.node.moderation.decisions import Decisions
from causerie.node.moderation.flags import Flags
from causerie.node.ports import Clock, Spawn
from causerie.store.base import ConnectionRecord, Origin, Store

log = logging.getLogger(__name__)
MATCH_RULE = "picture_hash_match"
MATCH_SEVERITY = 5  # the top of the queue, with child-safety reports
PROCESSING_SLOTS = 2  # pictures decoded at once: each may take tens of MB for a moment
BUCKETS_KEPT = 10_000


class Pictures:
    """Args:
    store: the pictures' records, and who may see them.
    files: where the bytes are kept (public and evidence areas).
    hash_list: the operator's PDQ list of known abuse material.
    limits: what a picture may be (bytes, pixels, side).
    room_of: a room by id (whose band may see a room's pictures).
    flags, decisions: what a hash-list match sets off.
    """

    def __init__(
        self,
        *,
        store: Store,
        files: MediaStore,
        hash_list: HashListFile,
        limits: MediaLimits,
        room_of: Callable[[str], Room | None],
        flags: Flags,
        decisions: Decisions,
        spawn: Spawn,
        clock: Clock,
        max_distance: int = 31,
        uploads_per_hour: int | None = 60,
    ) -> None:
        self._store = store
        self._room_of = room_of
        self._flags = flags
        self._decisions = decisions
        self._spawn = spawn
        self._clock = clock
        self.files = files
        self.hash_list = hash_list
        self.limits = limits
        self.max_distance = max_distance
        self._slots = asyncio.Semaphore(PROCESSING_SLOTS)
        self._upload_limit = (
            None
            if uploads_per_hour is None
            else RateLimit(max(1, uploads_per_hour // 6), uploads_per_hour / 3600)
        )
        self._buckets: dict[str, TokenBucket] = {}

    # -- upload ------------------------------------------------------------------------------

    async def upload(self, uploader: ConnectionRecord, data: bytes, origin: Origin) -> MediaRecord:
        """Check, re-encode and store one picture for `uploader`.

        Raises:
            CauserieError: `too_large`, `invalid_media`, `rate_limited`, or `forbidden`
            (`media_removed`: moderators took these bytes down; `media_refused`: the hash list
            matched, and the sender is being suspended).
        """
        self._charge(uploader.session)
        store = self._store
        removed = CauserieError(ErrorCode.FORBIDDEN, "media_removed")
        if await store.is_media_blocklisted([hashlib.sha256(data).hexdigest()]):
            raise removed  # the same bytes again: not worth decoding
        async with self._slots:
            picture = await asyncio.to_thread(process_picture, data, self.limits)
        if await store.is_media_blocklisted([picture.sha256]):
            raise removed
        # In a worker too: a search of a million hashes takes tens of milliseconds, and a
        # changed list file is parsed by the call that notices it.
        match = await asyncio.to_thread(self._match, picture.pdq)
        record = self._record(uploader, picture, origin, match)
        if match is not None:
            await self._preserve_match(record, data, match, uploader)
            raise CauserieError(ErrorCode.FORBIDDEN, "media_refused")
        await self.files.put(picture.data)
        await self.files.put(picture.thumb)
        await store.add_media(record)
        return record

    def _match(self, pdq: str) -> HashMatch | None:
        return self.hash_list.current().match(pdq, self.max_distance)

    def _charge(self, session: str) -> None:
        if self._upload_limit is None:
            return
        now_s = self._clock.now_ms() / 1000
        bucket = self._buckets.get(session)
        if bucket is None:
            if len(self._buckets) >= BUCKETS_KEPT:
                self._buckets.clear()  # a bounded memory; a refill costs nobody much
            bucket = self._buckets[session] = TokenBucket(self._upload_limit, now_s)
        wait_s = bucket.take(now_s)
        if wait_s > 0:
            raise CauserieError(ErrorCode.RATE_LIMITED, "rate_limited", retry_after_s=wait_s)

    def _record(
        self,
        uploader: ConnectionRecord,
        picture: Picture,
        origin: Origin,
        match: HashMatch | None,
    ) -> MediaRecord:
        return MediaRecord(
            id=secrets.token_urlsafe(16),
            state=MediaState.BLOCKED if match is not None else MediaState.UPLOADED,
            sha256=picture.sha256,
            thumb_sha256=picture.thumb_sha256,
            original_sha256=picture.original_sha256,
            pdq=picture.pdq,
            pdq_quality=picture.pdq_quality,
            mime=picture.mime,
            width=picture.width,
            height=picture.height,
            bytes=len(picture.data),
            uploader_session=uploader.session,
            uploader_nick=uploader.nick,
            source_address=origin.address,
            source_port=origin.port,
            created_at_ms=self._clock.now_ms(),
        )

    async def _preserve_match(
        self, record: MediaRecord, original: bytes, match: HashMatch, uploader: ConnectionRecord
    ) -> None:
        """Evidence first (the upload as received and its context), then the flag, then the
        suspension, so nothing is lost if the sender vanishes meanwhile."""
        await self.files.put(original, Area.EVIDENCE)
        await self._store.add_media(record)
        recent = await self._store.recent_of(uploader.session)
        evidence: dict[str, Any] = {
            "media": {
                "id": record.id,
                "original_sha256": record.original_sha256,
                "sha256": record.sha256,
                "pdq": record.pdq,
                "mime": record.mime,
                "width": record.width,
                "height": record.height,
            },
            "match": dataclasses.asdict(match),
            "uploader": {
                "session": uploader.session,
                "nick": uploader.nick,
                "address": record.source_address,
                "port": record.source_port,
                "device": uploader.device,
                "user_agent": uploader.user_agent,
            },
            "recent_messages": [
                {"id": m.id, "room": m.room, "text": m.text, "ts": m.ts_ms} for m in recent
            ],
        }
        log.warning("picture %s matched the hash list (%s)", record.id, match.label)
        await self._flags.flag_person(
            uploader.session, uploader.nick, MATCH_RULE, "child_safety", MATCH_SEVERITY, evidence
        )
        await self._decisions.suspend_pending_review(uploader.nick, uploader.session, MATCH_RULE)

    # -- posting -----------------------------------------------------------------------------

    async def resolve(self, session: str, media: MediaRef) -> MediaRef:
        """The picture a message names, once checked to be its sender's and still shown.

        Raises:
            CauserieError: `not_found` (`media_unknown`) otherwise.
        """
        record = await self._store.media(media.id)
        if record is None or record.uploader_session != session or not record.is_servable:
            raise CauserieError(ErrorCode.NOT_FOUND, "media_unknown", field="media")
        return MediaRef(record.id, record.width, record.height)

    def note_posted(self, records: list[Record]) -> None:
        """Remember the first message carrying each picture (for moderation and retention)."""
        for record in records:
            if record.media is None:
                continue
            room = None if isinstance(record, DirectMessage) else record.room
            recipient = record.recipient_session if isinstance(record, DirectMessage) else None
            self._spawn(self._store.mark_media_posted(record.media.id, record.id, room, recipient))

    async def remove(self, media_id: str, actor: str, reason: str) -> None:
        """Taken down by a moderator: never served again, and the same bytes are refused."""
        store = self._store
        record = await store.media(media_id)
        if record is None:
            return
        await store.set_media_state(media_id, MediaState.REMOVED)
        await store.blocklist_media(
            [record.original_sha256, record.sha256], media_id, reason, actor, self._clock.now_ms()
        )

    # -- viewing -----------------------------------------------------------------------------

    async def viewable(self, viewer: ConnectionRecord, media_id: str) -> MediaRecord:
        """The picture, if `viewer` may see a message that carries it.

        Raises:
            CauserieError: `not_found` otherwise (never telling whether it exists).
        """
        store = self._store
        record = await store.media(media_id)
        if record is not None and record.is_servable:
            if record.uploader_session == viewer.session:
                return record
            if viewer.session in await store.media_conversations(media_id):
                return record
            band = age_band(viewer.age)
            for room_id in await store.media_rooms(media_id):
                room = self._room_of(room_id)
                if room is not None and _band_sees(band, room):
                    return record
        raise CauserieError(ErrorCode.NOT_FOUND, "media_unknown")


def _band_sees(band: AgeBand, room: Room) -> bool:
    """Rooms of the viewer's band. An `adult_verified` room's pictures are served to adults:
    their ids reach only the room's members, and any node must be able to serve them."""
    if room.audience is Audience.TEEN:
        return band is AgeBand.TEEN
    return band is AgeBand.ADULT
