"""The notification packet for the police (EU DSA art. 18): when a report suggests a threat to
someone's life or safety, the admin gets a ready-to-send document with the facts, the messages
and the connection records of the people involved. Pure: the caller gathers the records.

Here in legal/, with the other documents made for an authority, rather than in safety/: it
reads the store's connection records, and the store stands above safety (it keeps safety's
reports and audit entries).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from causerie.safety.reports import Report
from causerie.store.base import ConnectionRecord


def _when(at_ms: int) -> str:
    return datetime.fromtimestamp(at_ms / 1000, UTC).isoformat(timespec="seconds")


def _connection(record: ConnectionRecord) -> dict[str, Any]:
    return {
        "nickname": record.nick,
        "session": record.session,
        "address": record.address,
        "source_port": record.port,
        "device": record.device,
        "user_agent": record.user_agent,
        "declared": {"age": record.age, "gender": record.gender, "postcode": record.postcode},
        "connected_at": _when(record.connected_at_ms),
    }


def build_packet(
    report: Report, connections: Sequence[ConnectionRecord], *, service: str, generated_at_ms: int
) -> dict[str, Any]:
    """The packet as a JSON-ready document, with a SHA-256 of its content for integrity."""
    body = {
        "service": service,
        "legal_basis": "Regulation (EU) 2022/2065 (Digital Services Act), article 18",
        "generated_at": _when(generated_at_ms),
        "report": {
            "id": report.id,
            "category": report.category.value,
            "state": report.state.value,
            "received_at": _when(report.created_at_ms),
            "comment": report.comment,
            "reporter": report.reporter_nick,
            "reporter_contact": report.reporter_contact,
            "good_faith_statement": report.good_faith,
        },
        "facts": {
            "reported_person": report.target_nick,
            "room": report.room_id,
            "reported_message": report.evidence.get("message"),
        },
        "messages": report.evidence.get("context", []),
        "connection_records": [_connection(record) for record in connections],
    }
    digest = hashlib.sha256(
        json.dumps(body, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    return {**body, "sha256": digest}
