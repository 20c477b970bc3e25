"""The operator's list of PDQ hashes of known abuse material, and matching a picture against it.

File format (docs/media.md): UTF-8 text, one entry per line: 64 hexadecimal characters (the
256-bit PDQ hash), then optionally whitespace or a comma and a free-text source label; `#`
starts a comment; blank lines are ignored.

Matching: the listed hash nearest in Hamming distance, if it is within the threshold (31 of 256
bits by default, the value PDQ's authors recommend). Hashes come as an (N, 4) array of uint64
(four 64-bit words per hash) and are kept transposed, one contiguous array per word: a search
XORs each word array with the query's word, counts bits (`np.bitwise_count`) and adds the four
counts, so a million hashes are searched in about 5 ms without a Python loop. (The row-major
layout works too, but its (N, 4) temporaries make the same search six times slower.)

`HashListFile` follows the file on disk: it looks at its modification time at most once every
few seconds and reloads it when it changed; a file that became unreadable or invalid keeps the
previous list in force and logs an error, so a bad edit never switches the check off.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

log = logging.getLogger(__name__)

DEFAULT_MAX_DISTANCE = 31
RELOAD_CHECK_INTERVAL_S = 5.0

_HEX = re.compile(r"[0-9a-fA-F]{64}")
_WORDS = 4  # 256 bits as four 64-bit words

HashArray = npt.NDArray[np.uint64]


@dataclass(frozen=True)
class HashMatch:
    hash: str  # the listed hash, hex
    label: str  # its source label from the file
    distance: int  # Hamming distance in bits


def _words(pdq_hex: str) -> HashArray:
    """A hash as one row of four big-endian 64-bit words (bit order kept, so XOR is exact)."""
    return np.frombuffer(bytes.fromhex(pdq_hex), dtype=">u8").astype(np.uint64)


def _popcount(values: HashArray) -> npt.NDArray[np.uint8]:
    return np.bitwise_count(values)


class HashList:
    """An immutable set of PDQ hashes with their labels; safe to share between threads."""

    def __init__(self, hashes: HashArray, labels: Sequence[str]) -> None:
        if hashes.shape != (len(labels), _WORDS):
            raise ValueError("one row of four words per label expected")
        self._words = np.ascontiguousarray(hashes.astype(np.uint64).T)  # (4, N)
        self._labels = tuple(labels)

    @classmethod
    def empty(cls) -> HashList:
        return cls(np.zeros((0, _WORDS), dtype=np.uint64), ())

    @classmethod
    def from_entries(cls, entries: Iterable[tuple[str, str]]) -> HashList:
        """From (hex hash, label) pairs. Raises ValueError on a hash that is not 64 hex digits."""
        hexes: list[str] = []
        labels: list[str] = []
        for pdq_hex, label in entries:
            if not _HEX.fullmatch(pdq_hex):
                raise ValueError(f"not a PDQ hash (64 hexadecimal characters): {pdq_hex!r}")
            hexes.append(pdq_hex.lower())
            labels.append(label)
        return cls._build(hexes, labels)

    @classmethod
    def _build(cls, hexes: list[str], labels: list[str]) -> HashList:
        if not hexes:
            return cls.empty()
        raw = bytes.fromhex("".join(hexes))
        hashes = np.frombuffer(raw, dtype=">u8").astype(np.uint64).reshape(len(hexes), _WORDS)
        return cls(hashes, labels)

    @classmethod
    def load(cls, path: Path) -> HashList:
        """Reads the operator's file (format in the module docstring).

        Raises:
            ValueError: a line that is not a hash entry, naming the file and line number.
            OSError: the file cannot be read.
        """
        hexes: list[str] = []
        labels: list[str] = []
        with open(path, encoding="utf-8") as lines:
            try:
                for number, line in enumerate(lines, start=1):
                    entry = parse_line(line)
                    if entry is None:
                        continue
                    if isinstance(entry, str):
                        raise ValueError(f"{path}, line {number}: {entry}")
                    hexes.append(entry[0])
                    labels.append(entry[1])
            except UnicodeDecodeError as exc:
                raise ValueError(f"{path}: not UTF-8 text ({exc.reason})") from exc
        return cls._build(hexes, labels)

    def __len__(self) -> int:
        return len(self._labels)

    def hash_at(self, index: int) -> str:
        row: bytes = self._words[:, index].astype(">u8").tobytes()
        return row.hex()

    def distances(self, pdq_hex: str) -> npt.NDArray[np.uint16]:
        """Hamming distance from `pdq_hex` to every listed hash, in list order."""
        query = _words(pdq_hex)
        total: npt.NDArray[np.uint16] = np.zeros(len(self._labels), dtype=np.uint16)
        for word in range(_WORDS):
            total += _popcount(np.bitwise_xor(self._words[word], query[word]))
        return total

    def match(self, pdq_hex: str, max_distance: int = DEFAULT_MAX_DISTANCE) -> HashMatch | None:
        """The nearest listed hash within `max_distance` bits, or None.

        Raises:
            ValueError: `pdq_hex` is not 64 hexadecimal characters.
        """
        if not _HEX.fullmatch(pdq_hex):
            raise ValueError(f"not a PDQ hash: {pdq_hex!r}")
        if not self._labels:
            return None
        distances = self.distances(pdq_hex)
        nearest = int(np.argmin(distances))
        distance = int(distances[nearest])
        if distance > max_distance:
            return None
        return HashMatch(self.hash_at(nearest), self._labels[nearest], distance)

    def contains_exact(self, pdq_hex: str) -> bool:
        return self.match(pdq_hex, max_distance=0) is not None


def parse_line(line: str) -> tuple[str, str] | str | None:
    """One line of the file: (hash, label), None for a blank or comment line, or the problem."""
    text = line.split("#", 1)[0].strip()
    if not text:
        return None
    candidate, label = text[:64], text[64:]
    if not _HEX.fullmatch(candidate):
        return "expected 64 hexadecimal characters (a PDQ hash) at the start of the line"
    if label and not (label[0].isspace() or label[0] == ","):
        return "the hash must be followed by whitespace or a comma before its label"
    return candidate.lower(), label.lstrip(" \t,").strip()


class HashListFile:
    """The operator's file, reloaded when its modification time changes.

    The file is looked at (one `stat`) at most once every `check_interval_s`, on the first
    `current()` call after that; pass `clock` in tests. That call parses a changed file itself,
    so call `current()` from a worker thread (where `process_picture` runs), not the event loop.

    The first load happens here and raises (ValueError, OSError), so a configured list that
    cannot be read stops the server at startup instead of leaving pictures unchecked.
    """

    def __init__(
        self,
        path: Path | None,
        clock: Callable[[], float] = time.monotonic,
        check_interval_s: float = RELOAD_CHECK_INTERVAL_S,
    ) -> None:
        self.path = path
        self._clock = clock
        self._interval_s = check_interval_s
        self._lock = threading.Lock()
        self._list = HashList.empty()
        self._signature: tuple[int, int, int] | None = None
        self._rejected: tuple[int, int, int] | None = None  # a bad version, not parsed again
        self._problem: str | None = None  # logged once, not at every check
        self._checked_at = clock()
        if path is not None:
            self._signature = _signature(path)
            self._list = HashList.load(path)
            log.info("hash list %s: %d hashes", path, len(self._list))

    def current(self) -> HashList:
        """The list in force (empty when no file is configured)."""
        if self.path is None:
            return self._list
        now = self._clock()
        # One caller checks (and reloads, which takes ~1.6 s per million lines) while the others
        # go on with the list in force rather than wait for it.
        if now - self._checked_at >= self._interval_s and self._lock.acquire(blocking=False):
            try:
                if now - self._checked_at >= self._interval_s:
                    self._checked_at = now
                    self._reload_if_changed(self.path)
            finally:
                self._lock.release()
        return self._list

    def _reload_if_changed(self, path: Path) -> None:
        signature: tuple[int, int, int] | None = None
        try:
            signature = _signature(path)
            if signature in (self._signature, self._rejected):
                return
            fresh = HashList.load(path)
        except (OSError, ValueError) as exc:
            self._rejected = signature
            if str(exc) != self._problem:
                self._problem = str(exc)
                log.error("hash list %s not reloaded, the previous one stays: %s", path, exc)
            return
        self._signature, self._rejected, self._problem = signature, None, None
        self._list = fresh
        log.info("hash list %s reloaded: %d hashes", path, len(fresh))


def _signature(path: Path) -> tuple[int, int, int]:
    """What tells a changed file: modification time, size and inode (a replaced file)."""
    stat = os.stat(path)
    return stat.st_mtime_ns, stat.st_size, stat.st_ino
