"""Where picture files live: a port, and the local-directory adapter used by default.

Files are named by the SHA-256 of their bytes, so the same picture is stored once and a name
can be checked against its content. Two areas keep apart what users see (`public`) from what is
preserved as evidence (`evidence`: uploads that matched the hash list, never served). Object
storage can follow behind the same port.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
from enum import StrEnum
from pathlib import Path
from typing import Protocol

_NAME = re.compile(r"[0-9a-f]{64}")


class Area(StrEnum):
    PUBLIC = "public"
    EVIDENCE = "evidence"


class MediaStore(Protocol):
    """Content-addressed file storage."""

    async def put(self, data: bytes, area: Area = Area.PUBLIC) -> str:
        """Stores `data` (idempotent) and returns its SHA-256, hex."""
        ...

    async def get(self, sha256: str, area: Area = Area.PUBLIC) -> bytes | None:
        """The file's bytes, or None when it is not (or no longer) there."""
        ...

    async def delete(self, sha256: str, area: Area = Area.PUBLIC) -> bool:
        """Removes the file; True when there was one."""
        ...

    async def exists(self, sha256: str, area: Area = Area.PUBLIC) -> bool: ...


def content_name(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class LocalMediaStore:
    """Files under `root/<area>/<first two hex>/<sha256>`; writes are atomic (rename)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, sha256: str, area: Area = Area.PUBLIC) -> Path:
        if not _NAME.fullmatch(sha256):
            raise ValueError(f"not a SHA-256 name: {sha256!r}")
        return self.root / area.value / sha256[:2] / sha256

    async def put(self, data: bytes, area: Area = Area.PUBLIC) -> str:
        name = content_name(data)
        await asyncio.to_thread(self._write, self.path_of(name, area), data)
        return name

    async def get(self, sha256: str, area: Area = Area.PUBLIC) -> bytes | None:
        return await asyncio.to_thread(self._read, self.path_of(sha256, area))

    async def delete(self, sha256: str, area: Area = Area.PUBLIC) -> bool:
        return await asyncio.to_thread(self._unlink, self.path_of(sha256, area))

    async def exists(self, sha256: str, area: Area = Area.PUBLIC) -> bool:
        return await asyncio.to_thread(self.path_of(sha256, area).is_file)

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        if path.is_file():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}.part")
        with open(partial, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, path)

    @staticmethod
    def _read(path: Path) -> bytes | None:
        try:
            return path.read_bytes()
        except FileNotFoundError:
            return None

    @staticmethod
    def _unlink(path: Path) -> bool:
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        return True
