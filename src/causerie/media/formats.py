"""Recognises an upload's format from its first bytes and checks its container, without decoding.

Nothing the client says (file name, declared type) is used: the format comes from the magic
bytes, and only JPEG, PNG, WebP and GIF go further. For PNG, GIF and WebP the container is walked
chunk by chunk (lengths only, no pixel data) to find where the picture really ends: a file with
bytes after that end is a polyglot (a GIF that is also a script, a picture with an archive glued
on) and is refused, as is a file that stops before its end. The walk also counts the frames of
an animation, so an animation longer than the limit is refused before any frame is decoded.

JPEG is the exception: phones legitimately append data after the end-of-image marker (a second
picture for depth or HDR, vendor trailers), so trailing bytes are accepted there and simply never
leave the server, since only the re-encoded pixels are stored and served.

Pure functions of bytes: they raise `CauserieError(INVALID_MEDIA)` with a precise key.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from enum import StrEnum

from causerie.errors import CauserieError, ErrorCode

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# Bounds every walk (chunks, blocks and sub-blocks read): real encoders write PNG data in 8-64 KiB
# chunks and GIF data in 255-byte sub-blocks, so even a 10 MB animation stays below this, while a
# file made of millions of empty blocks (a cheap way to burn CPU) is refused as damaged.
MAX_STEPS = 200_000

# Picture formats that exist but are not accepted: the user gets "format not accepted" rather
# than "not a picture". Text formats (SVG) are matched on their lowercased first bytes.
_OTHER_PICTURES: tuple[tuple[bytes, str], ...] = (
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"\x00\x00\x01\x00", "ICO"),
    (b"\x00\x00\x02\x00", "CUR"),
    (b"8BPS", "PSD"),
    (b"\x00\x00\x00\x0cjP  ", "JPEG 2000"),
    (b"\xff\x4f\xff\x51", "JPEG 2000"),
    (b"\xff\x0a", "JPEG XL"),
    (b"\x00\x00\x00\x0cJXL ", "JPEG XL"),
    (b"qoif", "QOI"),
)
_ISO_BRANDS = (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis")


class Format(StrEnum):
    JPEG = "JPEG"
    PNG = "PNG"
    GIF = "GIF"
    WEBP = "WEBP"


@dataclass(frozen=True)
class Container:
    """What the container walk found."""

    format: Format
    frames: int  # 1 for a still picture; JPEG is always counted as 1


def _refuse(key: str, **params: int) -> CauserieError:
    error = CauserieError(ErrorCode.INVALID_MEDIA, key)
    error.params = dict(params)  # set apart: mypy cannot tell these from the keyword options
    return error


def sniff(data: bytes) -> Format:
    """The accepted format `data` starts like.

    Raises:
        CauserieError: `media_format` for a picture format that is not accepted (BMP, TIFF,
            HEIC, SVG…), `media_not_picture` for anything else.
    """
    if data.startswith(b"\xff\xd8\xff"):
        return Format.JPEG
    if data.startswith(PNG_SIGNATURE):
        return Format.PNG
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return Format.GIF
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return Format.WEBP
    if _is_other_picture(data):
        raise _refuse("media_format")
    raise _refuse("media_not_picture")


def _is_other_picture(data: bytes) -> bool:
    if any(data.startswith(magic) for magic, _ in _OTHER_PICTURES):
        return True
    if data[4:8] == b"ftyp" and data[8:12] in _ISO_BRANDS:
        return True
    head = data[:512].lstrip().lower()
    return head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in head)


def check_container(data: bytes, max_frames: int) -> Container:
    """Sniffs `data` and walks its container; see the module docstring for what is refused.

    Raises:
        CauserieError: the keys of `sniff`, plus `media_damaged` (stops early, bad structure),
            `media_trailing_data` (bytes after the end) and `media_too_many_frames`.
    """
    kind = sniff(data)
    if kind is Format.JPEG:
        return Container(kind, 1)
    if kind is Format.PNG:
        frames = _walk_png(data)
    elif kind is Format.GIF:
        frames = _walk_gif(data, max_frames)
    else:
        frames = _walk_webp(data)
    if frames > max_frames:
        raise _refuse("media_too_many_frames", max_frames=max_frames)
    return Container(kind, max(frames, 1))


def _walk_png(data: bytes) -> int:
    """Frames of a PNG (APNG: its fcTL chunks) after checking that IEND ends the file."""
    offset = len(PNG_SIGNATURE)
    frames = 0
    for _ in range(MAX_STEPS):
        if offset + 12 > len(data):
            raise _refuse("media_damaged")
        length, kind = struct.unpack_from(">I4s", data, offset)
        offset += 12 + length
        if offset > len(data):
            raise _refuse("media_damaged")
        if kind == b"fcTL":
            frames += 1
        elif kind == b"IEND":
            if offset != len(data):
                raise _refuse("media_trailing_data")
            return frames
    raise _refuse("media_damaged")


class _GifReader:
    """Walks GIF blocks with a budget of steps (see MAX_STEPS)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.steps = 0

    def step(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise _refuse("media_damaged")

    def skip_sub_blocks(self, offset: int) -> int:
        """Offset just after a chain of data sub-blocks (each: one length byte, then data)."""
        while True:
            self.step()
            if offset >= len(self.data):
                raise _refuse("media_damaged")
            size = self.data[offset]
            offset += 1 + size
            if size == 0:
                return offset


def _walk_gif(data: bytes, max_frames: int) -> int:
    """Frames of a GIF after checking that its trailer (0x3B) ends the file.

    Stops counting past `max_frames` so that a file of tiny frames costs a bounded walk.
    """
    if len(data) < 13:
        raise _refuse("media_damaged")
    flags = data[10]
    offset = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
    frames = 0
    reader = _GifReader(data)
    while offset < len(data):
        reader.step()
        introducer = data[offset]
        if introducer == 0x3B:
            if offset + 1 != len(data):
                raise _refuse("media_trailing_data")
            return frames
        if introducer == 0x21:  # extension: label, then sub-blocks
            offset = reader.skip_sub_blocks(offset + 2)
        elif introducer == 0x2C:  # image: descriptor, optional colour table, LZW data
            frames += 1
            if frames > max_frames:
                raise _refuse("media_too_many_frames", max_frames=max_frames)
            if offset + 10 > len(data):
                raise _refuse("media_damaged")
            local = data[offset + 9]
            offset += 10 + (3 << ((local & 7) + 1) if local & 0x80 else 0)
            offset = reader.skip_sub_blocks(offset + 1)  # +1: the LZW minimum code size
        else:
            raise _refuse("media_damaged")
    raise _refuse("media_damaged")


def _walk_webp(data: bytes) -> int:
    """Frames of a WebP (its ANMF chunks) after checking that the RIFF size matches the file."""
    if len(data) < 12:
        raise _refuse("media_damaged")
    (riff_size,) = struct.unpack_from("<I", data, 4)
    end = 8 + riff_size
    if end < len(data):
        raise _refuse("media_trailing_data")
    if end > len(data):
        raise _refuse("media_damaged")
    offset = 12
    frames = 0
    for _ in range(MAX_STEPS):
        if offset == end:
            return frames
        if offset + 8 > end:
            raise _refuse("media_damaged")
        kind, size = struct.unpack_from("<4sI", data, offset)
        if kind == b"ANMF":
            frames += 1
        offset += 8 + size + (size & 1)  # chunks are padded to an even length
        if offset > end:
            raise _refuse("media_damaged")
    raise _refuse("media_damaged")
