"""Recognising an upload from its bytes and walking its container (causerie.media.formats), and
the pipeline's one failure mode under fuzzing: any bytes in, a picture or a CauserieError out."""

from __future__ import annotations

import struct

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from causerie.errors import CauserieError, ErrorCode
from causerie.media.formats import MAX_STEPS, Format, check_container, sniff
from causerie.media.pipeline import MediaLimits, process_picture
from tests.unit.media import images


def _key(data: bytes, max_frames: int = 1000) -> str:
    with pytest.raises(CauserieError) as caught:
        check_container(data, max_frames)
    assert caught.value.code is ErrorCode.INVALID_MEDIA
    return caught.value.key


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (images.jpeg(), Format.JPEG),
        (images.png(), Format.PNG),
        (images.gif(), Format.GIF),
        (images.encode(images.photo_like(), "WEBP"), Format.WEBP),
    ],
)
def test_sniff_accepted_formats_recognised_by_content(data: bytes, expected: Format) -> None:
    assert sniff(data) is expected


@pytest.mark.parametrize(
    "data",
    [
        b"BM" + b"\x00" * 60,
        b"II*\x00" + b"\x00" * 60,
        b"\x00\x00\x00\x18ftypheic" + b"\x00" * 20,
        b"\x00\x00\x00\x1cftypavif" + b"\x00" * 20,
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>',
    ],
    ids=["bmp", "tiff", "heic", "avif", "svg-with-prolog"],
)
def test_sniff_other_picture_format_refused_as_format(data: bytes) -> None:
    assert _key(data) == "media_format"


def test_check_container_counts_frames() -> None:
    assert check_container(images.animated("GIF", 3), 1000).frames == 3
    assert check_container(images.animated("PNG", 3), 1000).frames == 3
    assert check_container(images.animated("WEBP", 3), 1000).frames == 3
    assert check_container(images.gif(), 1000).frames == 1
    assert check_container(images.png(), 1000).frames == 1


@pytest.mark.parametrize("fmt", ["GIF", "PNG", "WEBP"])
def test_check_container_too_many_frames_refused(fmt: str) -> None:
    assert _key(images.animated(fmt, 4), max_frames=3) == "media_too_many_frames"


def test_check_container_webp_with_bytes_after_riff_refused() -> None:
    data = images.encode(images.photo_like(), "WEBP")

    assert _key(data + b"<script>") == "media_trailing_data"
    assert _key(data[:-50]) == "media_damaged"


def test_check_container_webp_riff_size_lying_refused() -> None:
    data = bytearray(images.encode(images.photo_like(), "WEBP"))
    data[4:8] = struct.pack("<I", len(data) + 100)

    assert _key(bytes(data)) == "media_damaged"


def test_check_container_gif_of_empty_extensions_bounded() -> None:
    header = images.gif()[:13]
    flags = header[10] & 0x7F  # no global colour table: the blocks start at byte 13
    body = b"\x21\xfe\x00" * (MAX_STEPS + 1)  # empty comment extensions, a cheap CPU burner
    data = header[:10] + bytes([flags]) + header[11:13] + body + b"\x3b"

    assert _key(data) == "media_damaged"


def test_check_container_png_without_iend_refused() -> None:
    data = images.png()

    assert _key(data[:-12]) == "media_damaged"


def test_check_container_gif_with_unknown_block_refused() -> None:
    data = images.gif()

    assert _key(data[:-1] + b"\x99\x3b") == "media_damaged"


# Small valid files of each accepted kind, to be damaged at random below.
_SEEDS = [
    images.jpeg(images.photo_like(48, 32, seed=1), quality=70),
    images.png(images.photo_like(48, 32, seed=2)),
    images.gif(images.photo_like(48, 32, seed=3)),
    images.encode(images.photo_like(48, 32, seed=4), "WEBP"),
    images.animated("PNG", 2),
    images.png_with_gps(),
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2048))
def test_process_picture_random_bytes_only_causerie_error(data: bytes) -> None:
    try:
        process_picture(data, MediaLimits(max_pixels=4_000_000))
    except CauserieError as error:
        assert error.code in (ErrorCode.INVALID_MEDIA, ErrorCode.TOO_LARGE)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(range(len(_SEEDS))),
    st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 255)), min_size=1, max_size=8),
    st.integers(0, 1 << 20),
)
def test_process_picture_damaged_pictures_only_causerie_error(
    which: int, changes: list[tuple[int, int]], cut: int
) -> None:
    data = bytearray(_SEEDS[which])
    for position, value in changes:
        data[position % len(data)] = value
    data = data[: max(1, len(data) - cut % 64)]
    try:
        picture = process_picture(bytes(data), MediaLimits(max_pixels=4_000_000))
    except CauserieError as error:
        assert error.code is ErrorCode.INVALID_MEDIA
    else:
        assert picture.width * picture.height <= 4_000_000
