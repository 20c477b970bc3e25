"""Lawful requests carried out: export a scope as a signed bundle, search the archive, place and
release legal holds. Each of them writes an audit entry with the reference and the operator
before it returns, so no access to the archive goes unrecorded.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from causerie.legal import bundle
from causerie.media.store import Area, LocalMediaStore
from causerie.retention.policy import Hold
from causerie.safety.audit import ActorKind, AuditAction, AuditEntry
from causerie.store.archive import EXPORT_KINDS, Scope


class LegalStore(Protocol):
    async def export_rows(self, scope: Scope) -> dict[str, list[dict[str, Any]]]: ...

    async def audit_head(self) -> tuple[int, str] | None: ...

    async def add_hold(self, hold: Hold) -> bool: ...

    async def release_hold(self, reference: str, by: str, now_ms: int) -> Hold | None: ...

    async def append_audit(self, **fields: Any) -> AuditEntry: ...


def iso(at_ms: int) -> str:
    return datetime.fromtimestamp(at_ms / 1000, UTC).isoformat(timespec="milliseconds")


def scope_target(scope: Scope) -> str:
    return f"{scope.kind.value}:{scope.value}"


@dataclass(frozen=True, slots=True)
class ExportSummary:
    path: Path
    counts: dict[str, int]
    files: int
    sha256: str
    fingerprint: str


async def export(
    store: LegalStore,
    media: LocalMediaStore | None,
    *,
    scope: Scope,
    reference: str,
    operator: str,
    out: Path,
    key: Ed25519PrivateKey,
    now_ms: int,
) -> ExportSummary:
    """Write the bundle for `scope` to `out` (atomically) and audit the export."""
    rows = await store.export_rows(scope)
    files: dict[str, bytes] = {}
    if media is not None:
        columns = ("sha256", "thumb_sha256", "original_sha256")  # the last: evidence of a match
        names = {row[c] for row in rows["media"] for c in columns if row.get(c)}
        for name in sorted(names):
            for area in (Area.PUBLIC, Area.EVIDENCE):
                found = await media.get(name, area)
                if found is not None:
                    files[name] = found
                    break
    head = await store.audit_head()
    header = {
        "service": "Causerie",
        "reference": reference,
        "operator": operator,
        "scope": {
            "kind": scope.kind.value,
            "value": scope.value,
            "from": iso(scope.from_ms),
            "to": iso(scope.to_ms),
            "from_ms": scope.from_ms,
            "to_ms": scope.to_ms,
        },
        "generated_at": iso(now_ms),
        "audit_head": {"seq": head[0], "hash": head[1]} if head else None,
    }
    kinds = {kind: rows[kind] for kind in EXPORT_KINDS}
    data, manifest = await asyncio.to_thread(
        lambda: bundle.build(header=header, kinds=kinds, media=files, key=key)
    )
    await asyncio.to_thread(_write_atomically, out, data)
    digest = hashlib.sha256(data).hexdigest()
    await store.append_audit(
        at_ms=now_ms,
        actor=operator,
        actor_kind=ActorKind.HUMAN,
        action=AuditAction.LEGAL_EXPORT,
        target=scope_target(scope),
        reason=reference,
        details={
            "reference": reference,
            "from": iso(scope.from_ms),
            "to": iso(scope.to_ms),
            "counts": manifest["counts"],
            "media_files": len(files),
            "bundle_sha256": digest,
            "chain_head": manifest["chain_head"],
        },
    )
    return ExportSummary(out, manifest["counts"], len(files), digest, manifest["key_fingerprint"])


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    with open(partial, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)


async def search(
    store: LegalStore, *, scope: Scope, reference: str, operator: str, now_ms: int
) -> dict[str, list[dict[str, Any]]]:
    """What the archive holds in `scope` (admin-only), audited like an export."""
    rows = await store.export_rows(scope)
    await store.append_audit(
        at_ms=now_ms,
        actor=operator,
        actor_kind=ActorKind.HUMAN,
        action=AuditAction.ARCHIVE_SEARCH,
        target=scope_target(scope),
        reason=reference,
        details={
            "reference": reference,
            "from": iso(scope.from_ms),
            "to": iso(scope.to_ms),
            "counts": {kind: len(found) for kind, found in rows.items()},
        },
    )
    return rows


async def place_hold(store: LegalStore, hold: Hold) -> bool:
    """Store `hold` and audit it; False (nothing audited) when the reference is taken."""
    if not await store.add_hold(hold):
        return False
    target = f"user:{hold.nick}" if hold.nick is not None else f"room:{hold.room}"
    await store.append_audit(
        at_ms=hold.created_at_ms,
        actor=hold.operator,
        actor_kind=ActorKind.HUMAN,
        action=AuditAction.LEGAL_HOLD,
        target=target,
        reason=hold.reference,
        details={
            "reference": hold.reference,
            "scope": hold.scope.value,
            "from": iso(hold.from_ms),
            "to": iso(hold.to_ms),
        },
    )
    return True


async def release_hold(
    store: LegalStore, reference: str, operator: str, now_ms: int
) -> Hold | None:
    """Release the active hold `reference` and audit it; None when there is none."""
    hold = await store.release_hold(reference, operator, now_ms)
    if hold is None:
        return None
    target = f"user:{hold.nick}" if hold.nick is not None else f"room:{hold.room}"
    await store.append_audit(
        at_ms=now_ms,
        actor=operator,
        actor_kind=ActorKind.HUMAN,
        action=AuditAction.LEGAL_HOLD_RELEASED,
        target=target,
        reason=reference,
        details={"reference": reference, "placed_by": hold.operator},
    )
    return hold
