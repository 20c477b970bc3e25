"""Turns an uploaded file into a clean picture: checked, decoded under limits, re-encoded, hashed.

How this works (docs/media.md, DESIGN.md product rule 4):

1. Bytes: empty and oversized uploads are refused; the format comes from the content
   (`formats.check_container`: JPEG, PNG, WebP or GIF only, no trailing data, bounded frames).
2. Header: Pillow opens lazily, with only the sniffed format's parser allowed, and the size the
   header declares is checked against `max_pixels` before a single pixel is decoded, so a
   decompression bomb costs a few bytes of reading.
3. Decode: only the first frame of an animation; a large JPEG is decoded at 1/2, 1/4 or 1/8
   scale straight away (`draft`) when that still leaves 3/4 of `max_side_px`; truncated data
   is an error, never padded with grey.
4. Re-encode: long side bounded, colours converted to sRGB with the embedded ICC profile when
   there is one, EXIF orientation applied, then a fresh file written with no metadata at all:
   JPEG for opaque pictures, WebP (with its alpha) for pictures with real transparency.
   Colours hidden under fully transparent pixels are dropped, so only what is seen is kept.
5. Hash: SHA-256 of the upload, the stored file and the thumbnail; PDQ of what is displayed.

Pure and thread-safe: no state beyond Pillow's process-wide switches set once below. Pillow
releases the GIL while decoding and resizing, so callers run this in worker threads.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pdqhash  # type: ignore[import-untyped]
from PIL import Image, ImageCms, ImageFile

from causerie.errors import CauserieError, ErrorCode
from causerie.media.formats import Format, check_container

log = logging.getLogger(__name__)

# The pipeline compares the declared size with `MediaLimits.max_pixels` itself, before decoding.
# Pillow's own process-wide check would warn, then fail, in the middle of `open`, at a threshold
# that ignores our limits; it is switched off so that our check is the one that answers.
Image.MAX_IMAGE_PIXELS = None
# A truncated file must be refused, not completed with grey.
ImageFile.LOAD_TRUNCATED_IMAGES = False

JPEG_QUALITY = 85
WEBP_QUALITY = 85
# A JPEG decoded at reduced scale keeps at least this share of `max_side_px` (see _draft_size).
DRAFT_MIN_SIDE_RATIO = 0.75
# PDQ reduces to 64x64 itself; feeding it more than this only costs time.
PDQ_INPUT_SIDE_PX = 512

_PILLOW_FORMATS = {
    Format.JPEG: ("JPEG", "MPO"),  # MPO: a JPEG with extra pictures behind it; the first is used
    Format.PNG: ("PNG",),
    Format.GIF: ("GIF",),
    Format.WEBP: ("WEBP",),
}

# EXIF orientation -> the transpose that shows the picture upright (as ImageOps.exif_transpose).
_ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_EXIF_ORIENTATION_TAG = 0x0112


@dataclass(frozen=True)
class MediaLimits:
    max_bytes: int = 10 * 1024 * 1024
    max_pixels: int = 40_000_000  # width*height as declared in the header; bigger: refused
    max_side_px: int = 2048  # long side of the stored picture
    thumb_side_px: int = 320  # long side of the thumbnail
    max_frames: int = 1000  # frames an animated input may have (the first one is kept)


@dataclass(frozen=True)
class Picture:
    data: bytes  # the re-encoded file (what is stored and served)
    mime: str  # "image/jpeg" (opaque) or "image/webp" (transparent)
    width: int
    height: int
    thumb: bytes
    thumb_mime: str
    original_sha256: str  # hex, of the bytes as uploaded
    sha256: str  # hex, of `data`
    thumb_sha256: str  # hex, of `thumb`
    pdq: str  # 64 hex chars (256 bits)
    pdq_quality: int  # 0..100 as given by PDQ


def _refuse(key: str, **params: int) -> CauserieError:
    error = CauserieError(ErrorCode.INVALID_MEDIA, key)
    error.params = dict(params)  # set apart: mypy cannot tell these from the keyword options
    return error


@contextmanager
def _decoding() -> Iterator[None]:
    """Turns whatever a decoder raises on hostile input into one refusal.

    Pillow and its C libraries fail in many ways on crafted files (OSError, ValueError,
    SyntaxError, struct.error, EOFError, MemoryError, a warning turned into an error…); for the
    user they all mean the same thing, and none may escape as a crash.
    """
    try:
        yield
    except CauserieError:
        raise
    except Exception as exc:
        # Debug level: a damaged upload is the sender's problem; the detail helps find our bugs.
        log.debug("picture refused as damaged: %r", exc)
        raise _refuse("media_damaged") from exc


def process_picture(data: bytes, limits: MediaLimits = MediaLimits()) -> Picture:
    """Checks, decodes and re-encodes an upload; see the module docstring.

    Sync, CPU-bound, thread-safe (run it in a worker thread).

    Raises:
        CauserieError: `TOO_LARGE` (`media_too_large`, param `max_mb`), or `INVALID_MEDIA` with
            `media_empty`, `media_not_picture`, `media_format`, `media_damaged`,
            `media_trailing_data`, `media_too_many_frames` (`max_frames`) or
            `media_too_many_pixels` (`max_mp`). Never a Pillow error, OSError or warning.
    """
    if not data:
        raise _refuse("media_empty")
    if len(data) > limits.max_bytes:
        max_mb = limits.max_bytes // (1024 * 1024)
        raise CauserieError(ErrorCode.TOO_LARGE, "media_too_large", max_mb=max_mb)
    if ImageFile.LOAD_TRUNCATED_IMAGES:  # someone flipped the global: fail loudly, not open
        raise RuntimeError("PIL.ImageFile.LOAD_TRUNCATED_IMAGES must stay False")
    container = check_container(data, limits.max_frames)
    with _decoding():
        image = _open_first_frame(data, container.format, limits)
        orientation = _orientation(image)
        icc = image.info.get("icc_profile")
        image = _working_copy(image, limits.max_side_px)
        image = _bounded(image, limits.max_side_px)
        if image.mode == "RGBA":
            # Premultiplying drops the colour of invisible pixels (a hiding place for a second
            # picture) and coarsens that of nearly invisible ones.
            image = image.convert("RGBa").convert("RGBA")
        if icc:
            image = _to_srgb(image, icc)
        if image.mode == "CMYK":
            image = image.convert("RGB")
        if orientation in _ORIENTATION:
            image = image.transpose(_ORIENTATION[orientation])
        stored, mime = _encode(image)
        thumb, thumb_mime = _encode(_bounded(image, limits.thumb_side_px))
        pdq, quality = pdq_hash(image)
    return Picture(
        data=stored,
        mime=mime,
        width=image.width,
        height=image.height,
        thumb=thumb,
        thumb_mime=thumb_mime,
        original_sha256=hashlib.sha256(data).hexdigest(),
        sha256=hashlib.sha256(stored).hexdigest(),
        thumb_sha256=hashlib.sha256(thumb).hexdigest(),
        pdq=pdq,
        pdq_quality=quality,
    )


def _open_first_frame(data: bytes, kind: Format, limits: MediaLimits) -> Image.Image:
    """The decoded first frame, after the declared size has been checked."""
    allowed = _PILLOW_FORMATS[kind]
    image = Image.open(io.BytesIO(data), formats=[allowed[0]])
    if image.format not in allowed:
        raise _refuse("media_format")
    width, height = image.size
    if width < 1 or height < 1:
        raise _refuse("media_damaged")
    if width * height > limits.max_pixels:
        raise _refuse("media_too_many_pixels", max_mp=limits.max_pixels // 1_000_000)
    if image.format in ("JPEG", "MPO"):
        reduced = _draft_size(image.size, limits.max_side_px)
        if reduced is not None:
            image.draft(None, reduced)
    image.load()
    return image


def _orientation(image: Image.Image) -> int:
    """The EXIF orientation, 1 (upright) when absent or unreadable: bad EXIF is not fatal."""
    try:
        value = image.getexif().get(_EXIF_ORIENTATION_TAG, 1)
    except Exception:
        return 1
    return value if isinstance(value, int) else 1


def _working_copy(image: Image.Image, max_side: int) -> Image.Image:
    """The picture in L, RGB, RGBA or CMYK; RGBA only when some pixel is not fully opaque."""
    mode = image.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        return _grey_to_8_bits(image, max_side)
    has_alpha = mode in ("RGBA", "LA", "La", "PA", "RGBa") or "transparency" in image.info
    if mode == "P" and image.palette is not None and image.palette.mode == "RGBA":
        has_alpha = True
    if has_alpha:
        rgba = image if mode == "RGBA" else image.convert("RGBA")
        alpha_low, _ = rgba.getextrema()[3]  # type: ignore[misc]
        return rgba.convert("RGB") if alpha_low == 255 else rgba
    if mode in ("L", "RGB", "CMYK"):
        return image
    return image.convert("RGB")


def _grey_to_8_bits(image: Image.Image, max_side: int) -> Image.Image:
    """16-bit (or 32-bit) greyscale scaled to 8 bits; Pillow's own conversion clips instead.

    Shrunk to `max_side` first, while still in its own mode: scaling costs less on fewer pixels.
    """
    image = _bounded(image, max_side)
    if image.mode.startswith("I;16"):
        peak = 65535.0
    else:
        high = image.getextrema()[1]  # one band: (low, high)
        peak = 65535.0 if isinstance(high, int | float) and high > 255 else 255.0
    factor = 255.0 / peak
    return image.point(lambda value: value * factor + 0.5).convert("L")


def _to_srgb(image: Image.Image, icc: bytes) -> Image.Image:
    """Colours converted from the embedded profile to sRGB; unchanged if the profile is unusable."""
    out_mode = "RGBA" if image.mode == "RGBA" else "RGB"
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if image.mode in ("RGB", "RGBA") and "srgb" in _description(source):
            # Already sRGB: the transform would change nothing and costs ~25 ns a pixel.
            return image
        # A fresh sRGB profile each time: LittleCMS profiles are not safe to share between threads.
        srgb = ImageCms.createProfile("sRGB")
        converted = ImageCms.profileToProfile(image, source, srgb, outputMode=out_mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image
    return converted if converted is not None else image


def _draft_size(size: tuple[int, int], max_side: int) -> tuple[int, int] | None:
    """The size to decode a JPEG at (libjpeg scales by 1/2, 1/4 or 1/8 while decoding), or None.

    Decoding a 12-MP photo at half scale takes a fraction of a full decode, and it spares the
    costly resize of 12 million pixels that would follow. The largest reduction is taken that
    keeps the long side at DRAFT_MIN_SIDE_RATIO of `max_side` or more, so a big JPEG may be
    stored a little under `max_side` (4000 px wide: 2000 px rather than 2048).
    """
    long_side = max(size)
    for scale in (8, 4, 2):
        if -(-long_side // scale) >= max_side * DRAFT_MIN_SIDE_RATIO:
            return -(-size[0] // scale), -(-size[1] // scale)
    return None


def _description(profile: ImageCms.ImageCmsProfile) -> str:
    return str(ImageCms.getProfileDescription(profile) or "").lower()


def _fitted(size: tuple[int, int], max_side: int) -> tuple[int, int]:
    width, height = size
    scale = max_side / max(width, height)
    if scale >= 1:
        return size
    return max(1, round(width * scale)), max(1, round(height * scale))


def _bounded(image: Image.Image, max_side: int) -> Image.Image:
    """The picture with its long side at most `max_side` (a new image, or `image` if it fits)."""
    size = _fitted(image.size, max_side)
    if size == image.size:
        return image
    # reducing_gap: a fast box reduction first, so the filter never runs on more than twice the
    # target; bicubic rather than Lanczos, which costs twice as much for no visible difference.
    return image.resize(size, Image.Resampling.BICUBIC, reducing_gap=2.0)


def _encode(image: Image.Image) -> tuple[bytes, str]:
    """A fresh file holding pixels only: no EXIF, XMP, ICC, comments or text chunks."""
    image.info.clear()  # what Pillow would otherwise carry over from the source
    out = io.BytesIO()
    if image.mode == "RGBA":
        image.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
        return out.getvalue(), "image/webp"
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue(), "image/jpeg"


def pdq_hash(image: Image.Image) -> tuple[str, int]:
    """PDQ hash (64 hex characters) and quality (0..100) of the picture as it is displayed.

    Transparent pictures are hashed as seen over white. Callers that list a picture must hash
    it with this same function (tests build their hash lists this way).
    """
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        backdrop = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(backdrop, rgba)
    small = _bounded(image, PDQ_INPUT_SIDE_PX)
    if small.mode != "RGB":
        small = small.convert("RGB")
    pixels = np.ascontiguousarray(np.asarray(small, dtype=np.uint8))
    bits, quality = pdqhash.compute(pixels)
    packed = np.packbits(np.asarray(bits, dtype=np.uint8))
    return packed.tobytes().hex(), int(quality)
