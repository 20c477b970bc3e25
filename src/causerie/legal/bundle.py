"""The export bundle: one ZIP archive, tamper-evident, and its verification. Pure: bytes in,
bytes out; the caller gathers rows and files and writes the result.

Layout (docs/legal.md):

- `<kind>.jsonl` for each kind of `EXPORT_KINDS`: one JSON object per line, keys sorted;
- `media/<sha256>`: the picture files the `media` rows name (the file's name is its hash);
- `manifest.json`: the request (reference, operator, scope, period), counts per kind, and for
  every file above its name, size and SHA-256, in order; then a hash chain over those entries
  (``link_0 = sha256("causerie-legal-export/1")``, ``link_i = sha256(link_{i-1} + "\\n" + name
  + "\\n" + sha256_i)``) whose last link is `chain_head`; and the signer's public key;
- `manifest.sig`: the Ed25519 signature of `manifest.json`'s exact bytes (base64url).

`verify` reads everything and names each file that was altered, added or removed.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from causerie.legal import keys

FORMAT: Final = "causerie-legal-export/1"
MANIFEST: Final = "manifest.json"
SIGNATURE: Final = "manifest.sig"
_FIXED_TIME: Final = (1980, 1, 1, 0, 0, 0)  # same bytes for the same content


def jsonl(rows: Sequence[Mapping[str, Any]]) -> bytes:
    lines = [
        json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":")) for row in rows
    ]
    return "".join(f"{line}\n" for line in lines).encode("utf-8")


def chain(entries: Sequence[tuple[str, str]]) -> list[str]:
    """The links of the hash chain over (name, sha256) entries, in order."""
    link = hashlib.sha256(FORMAT.encode()).hexdigest()
    links = []
    for name, digest in entries:
        link = hashlib.sha256(f"{link}\n{name}\n{digest}".encode()).hexdigest()
        links.append(link)
    return links


def build(
    *,
    header: Mapping[str, Any],
    kinds: Mapping[str, Sequence[Mapping[str, Any]]],
    media: Mapping[str, bytes],
    key: Ed25519PrivateKey,
) -> tuple[bytes, dict[str, Any]]:
    """The archive's bytes and its manifest.

    Args:
        header: what the request was (reference, operator, scope, generated_at…).
        kinds: rows per kind, written in the order given.
        media: file name (its SHA-256) -> bytes.
        key: the operator's signing key.
    """
    files: list[tuple[str, bytes, int | None]] = [
        (f"{kind}.jsonl", jsonl(rows), len(rows)) for kind, rows in kinds.items()
    ]
    files += [(f"media/{name}", data, None) for name, data in sorted(media.items())]
    listed = []
    for name, data, records in files:
        entry: dict[str, Any] = {
            "name": name,
            "sha256": hashlib.sha256(data).hexdigest(),
            "bytes": len(data),
        }
        if records is not None:
            entry["records"] = records
        listed.append(entry)
    links = chain([(f["name"], f["sha256"]) for f in listed])
    manifest = {
        "format": FORMAT,
        **header,
        "counts": {kind: len(rows) for kind, rows in kinds.items()},
        "files": listed,
        "chain": links,
        "chain_head": links[-1] if links else "",
        "public_key": keys.public_text(key),
        "key_fingerprint": keys.fingerprint(key),
    }
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()
    signature = keys.sign(key, manifest_bytes).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data, _records in [
            *files,
            (MANIFEST, manifest_bytes, None),
            (SIGNATURE, signature, None),
        ]:
            archive.writestr(zipfile.ZipInfo(name, _FIXED_TIME), data, zipfile.ZIP_DEFLATED)
    return out.getvalue(), manifest


@dataclass(slots=True)
class Verification:
    """What `verify` found. `problems` are sentences naming the altered file; empty when ok."""

    problems: list[str] = field(default_factory=list)
    fingerprint: str = ""
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def _read_all(data: bytes, found: Verification) -> dict[str, bytes] | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        found.problems.append("the bundle is not a readable ZIP archive (altered or truncated)")
        return None
    contents: dict[str, bytes] = {}
    with archive:
        for info in archive.infolist():
            try:
                contents[info.filename] = archive.read(info)
            except (zipfile.BadZipFile, zlib.error, EOFError, ValueError):
                found.problems.append(
                    f"{info.filename} was altered (its bytes no longer match the archive's "
                    "checksum)"
                )
                contents[info.filename] = b""
    return contents


def verify(data: bytes, trusted_key: Ed25519PublicKey | None = None) -> Verification:
    """Check a bundle: signature, hash chain, every file's SHA-256, nothing added or missing.

    Args:
        data: the archive's bytes.
        trusted_key: the operator's public key as known to the checker; without it the key in
            the manifest is used, and its fingerprint is reported for comparison.
    """
    found = Verification()
    contents = _read_all(data, found)
    if contents is None:
        return found
    manifest_bytes, signature = contents.get(MANIFEST), contents.get(SIGNATURE)
    if manifest_bytes is None or signature is None:
        missing = [n for n in (MANIFEST, SIGNATURE) if n not in contents]
        found.problems.append(f"{' and '.join(missing)} missing from the bundle")
        return found
    try:
        manifest = json.loads(manifest_bytes)
        if not isinstance(manifest, dict):
            raise ValueError("not an object")
        public = keys.public_from_text(str(manifest.get("public_key", "")))
    except ValueError:
        found.problems.append(f"{MANIFEST} was altered (it no longer reads as a manifest)")
        return found
    found.manifest = manifest
    found.fingerprint = keys.fingerprint(public)
    if trusted_key is not None and keys.public_bytes(trusted_key) != keys.public_bytes(public):
        found.problems.append(f"{MANIFEST} names a signing key other than the trusted one")
    if not keys.signature_ok(trusted_key or public, manifest_bytes, signature.decode("latin-1")):
        found.problems.append(
            f"{MANIFEST} or {SIGNATURE} was altered (the signature does not match the manifest)"
        )
    _check_files(manifest, contents, found)
    return found


def _check_files(manifest: dict[str, Any], contents: dict[str, bytes], found: Verification) -> None:
    listed = manifest.get("files")
    if not isinstance(listed, list) or not all(isinstance(f, dict) for f in listed):
        found.problems.append(f"{MANIFEST} was altered (its file list is unreadable)")
        return
    entries = [(str(f.get("name")), str(f.get("sha256"))) for f in listed]
    links = chain(entries)
    stored = manifest.get("chain")
    if stored != links or manifest.get("chain_head") != (links[-1] if links else ""):
        broken = next(
            (
                name
                for (name, _d), link, kept in zip(entries, links, stored or [], strict=False)
                if link != kept
            ),
            "its end",
        )
        found.problems.append(f"{MANIFEST} was altered (the hash chain breaks at {broken})")
    for name, digest in entries:
        if name not in contents:
            found.problems.append(f"{name} is missing from the bundle")
        elif hashlib.sha256(contents[name]).hexdigest() != digest:
            found.problems.append(f"{name} was altered (its SHA-256 differs from the manifest)")
    names = {name for name, _digest in entries} | {MANIFEST, SIGNATURE}
    for extra in sorted(set(contents) - names):
        found.problems.append(f"{extra} was added (it is not in the manifest)")
