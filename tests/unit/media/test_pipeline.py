"""The picture pipeline (DESIGN.md rule 4, docs/media.md): what comes out is pixels only, upright
and bounded; every hostile or unsupported upload is refused with its own key, never a crash."""

from __future__ import annotations

import hashlib
import io
from concurrent.futures import ThreadPoolExecutor

import pytest
from PIL import Image, ImageFile

from causerie.errors import CauserieError, ErrorCode
from causerie.media.pipeline import MediaLimits, Picture, pdq_hash, process_picture
from tests.unit.media import images

DEFAULTS = MediaLimits()
PRIVATE_INFO_KEYS = ("exif", "xmp", "XML:com.adobe.xmp", "comment", "Comment", "icc_profile")


def _reopen(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _refusal(data: bytes, limits: MediaLimits = DEFAULTS) -> CauserieError:
    with pytest.raises(CauserieError) as caught:
        process_picture(data, limits)
    return caught.value


def _assert_no_metadata(data: bytes) -> None:
    image = _reopen(data)
    assert dict(image.getexif()) == {}
    assert image.getexif().get_ifd(0x8825) == {}  # GPS
    assert [key for key in PRIVATE_INFO_KEYS if key in image.info] == []
    assert b"Secret" not in data and b"Jean" not in data and b"CameraMaker" not in data


@pytest.mark.parametrize("build", [images.jpeg_with_gps, images.png_with_gps])
def test_process_picture_with_gps_exif_comes_out_without_metadata(build: object) -> None:
    assert callable(build)
    picture = process_picture(build())

    _assert_no_metadata(picture.data)
    _assert_no_metadata(picture.thumb)
    assert picture.mime == "image/jpeg"


def test_process_picture_source_really_carried_metadata() -> None:
    source = _reopen(images.jpeg_with_gps())

    assert source.getexif().get_ifd(0x8825)  # the test would prove nothing otherwise
    assert "xmp" in source.info and "comment" in source.info and "icc_profile" in source.info


@pytest.mark.parametrize("orientation", [3, 6])
def test_process_picture_exif_orientation_applied(orientation: int) -> None:
    data, upright = images.oriented_jpeg(orientation)

    out = _reopen(process_picture(data).data).convert("RGB")

    assert out.size == upright.size
    left, right = out.getpixel((80, 160)), out.getpixel((560, 160))
    assert isinstance(left, tuple) and isinstance(right, tuple)
    assert left[0] > 200 and left[2] < 60  # red on the left, as when upright
    assert right[2] > 200 and right[0] < 60


def test_process_picture_large_picture_bounded_and_thumbnail_made() -> None:
    data = images.png(images.large_photo(3000, 1000, seed=11), compress_level=1)

    picture = process_picture(data)

    assert (picture.width, picture.height) == (2048, 683)
    assert _reopen(picture.data).size == (2048, 683)
    assert _reopen(picture.thumb).size == (320, 107)
    assert picture.thumb_mime == "image/jpeg"


def test_process_picture_large_jpeg_decoded_at_reduced_scale_stays_near_bound() -> None:
    data = images.jpeg(images.large_photo(4000, 3000, seed=12))

    picture = process_picture(data)

    assert (picture.width, picture.height) == (2000, 1500)


def test_process_picture_small_picture_keeps_its_size() -> None:
    picture = process_picture(images.png(images.photo_like(300, 200)))

    assert (picture.width, picture.height) == (300, 200)
    assert _reopen(picture.thumb).size == (300, 200)


def test_process_picture_hashes_describe_the_files() -> None:
    data = images.jpeg()

    picture = process_picture(data)

    assert picture.original_sha256 == hashlib.sha256(data).hexdigest()
    assert picture.sha256 == hashlib.sha256(picture.data).hexdigest()
    assert picture.thumb_sha256 == hashlib.sha256(picture.thumb).hexdigest()
    assert len(picture.pdq) == 64 and int(picture.pdq, 16) >= 0
    assert 0 <= picture.pdq_quality <= 100


def test_process_picture_same_input_same_output() -> None:
    data = images.png_with_gps()

    assert process_picture(data) == process_picture(data)


def test_process_picture_real_transparency_kept_as_webp() -> None:
    picture = process_picture(images.png_with_alpha())

    out = _reopen(picture.data)
    assert picture.mime == "image/webp" and out.format == "WEBP"
    assert out.mode == "RGBA"
    assert out.getpixel((0, 0)) == (0, 0, 0, 0)  # no colour survives under transparent pixels
    assert picture.thumb_mime == "image/webp"


def test_process_picture_opaque_alpha_channel_becomes_jpeg() -> None:
    picture = process_picture(images.png_opaque_rgba())

    assert picture.mime == "image/jpeg"


@pytest.mark.parametrize(
    ("build", "mime"),
    [
        (images.cmyk_jpeg, "image/jpeg"),
        (images.png_16bit, "image/jpeg"),
        (images.palette_png, "image/jpeg"),
        (lambda: images.palette_png(transparent=True), "image/webp"),
        (images.gif, "image/jpeg"),
        (lambda: images.encode(images.photo_like(), "WEBP"), "image/jpeg"),
    ],
)
def test_process_picture_every_mode_and_format_accepted(build: object, mime: str) -> None:
    assert callable(build)
    picture = process_picture(build())

    assert picture.mime == mime
    assert _reopen(picture.data).mode in ("RGB", "L", "RGBA")


def test_process_picture_embedded_colour_profile_applied_then_dropped() -> None:
    red_meaning_blue = Image.new("RGB", (64, 64), (255, 0, 0))
    data = images.png(red_meaning_blue, icc_profile=images.swapped_profile())

    out = _reopen(process_picture(data).data)

    red, green, blue = out.getpixel((32, 32))  # type: ignore[misc]
    assert blue > 230 and red < 25 and green < 25
    assert "icc_profile" not in out.info


def test_process_picture_cmyk_colours_kept() -> None:
    data = images.jpeg(Image.new("RGB", (64, 64), (200, 60, 40)).convert("CMYK"))

    out = _reopen(process_picture(data).data)

    red, green, blue = out.getpixel((32, 32))  # type: ignore[misc]
    assert abs(red - 200) < 12 and abs(green - 60) < 12 and abs(blue - 40) < 12


def test_process_picture_16_bit_grey_scaled_not_clipped() -> None:
    out = _reopen(process_picture(images.png_16bit()).data).convert("L")

    assert out.getpixel((2, 32)) < 20  # black stays black
    assert 100 < out.getpixel((128, 32)) < 160  # mid-grey stays mid-grey (clipping gives white)


@pytest.mark.parametrize("fmt", ["GIF", "WEBP", "PNG"])
def test_process_picture_animation_keeps_first_frame(fmt: str) -> None:
    picture = process_picture(images.animated(fmt, count=3))

    out = _reopen(picture.data).convert("RGB")
    assert picture.mime == "image/jpeg"
    red, green, blue = out.getpixel((60, 45))  # type: ignore[misc]
    assert red > 200 and green < 60 and blue < 60


def test_process_picture_mpo_keeps_first_picture() -> None:
    first, *rest = images.animation_frames(2, (200, 100))
    data = images.encode(first, "MPO", save_all=True, append_images=rest)
    assert _reopen(data).format == "MPO"  # a JPEG with a second picture after its end

    out = _reopen(process_picture(data).data).convert("RGB")

    red, green, blue = out.getpixel((50, 50))  # type: ignore[misc]
    assert red > 200 and green < 60 and blue < 60


def test_process_picture_too_many_frames_refused() -> None:
    error = _refusal(images.animated("GIF", count=5), MediaLimits(max_frames=4))

    assert (error.code, error.key, error.params) == (
        ErrorCode.INVALID_MEDIA,
        "media_too_many_frames",
        {"max_frames": 4},
    )


def test_process_picture_decompression_bomb_refused_before_decoding() -> None:
    bomb = images.png_bomb()
    assert len(bomb) < 200_000  # small on disk, 400 MB once decoded

    error = _refusal(bomb)

    assert (error.code, error.key) == (ErrorCode.INVALID_MEDIA, "media_too_many_pixels")
    assert error.params == {"max_mp": 40}


@pytest.mark.parametrize("build", [images.gif_bomb, images.jpeg_bomb, images.webp_bomb])
def test_process_picture_header_claiming_huge_size_refused(build: object) -> None:
    assert callable(build)
    error = _refusal(build())

    assert (error.code, error.key) == (ErrorCode.INVALID_MEDIA, "media_too_many_pixels")


def test_process_picture_pixel_limit_follows_the_limits() -> None:
    data = images.png(images.photo_like(100, 100))

    assert _refusal(data, MediaLimits(max_pixels=9_999)).key == "media_too_many_pixels"
    assert process_picture(data, MediaLimits(max_pixels=10_000)).width == 100


def test_process_picture_too_many_bytes_refused_as_too_large() -> None:
    data = images.jpeg()

    error = _refusal(data, MediaLimits(max_bytes=len(data) - 1))

    assert (error.code, error.key) == (ErrorCode.TOO_LARGE, "media_too_large")
    assert error.params == {"max_mb": 0}


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (b"", "media_empty"),
        (images.HTML_PAGE, "media_not_picture"),
        (images.PDF_FILE, "media_not_picture"),
        (b"\x00" * 100, "media_not_picture"),
        (images.SVG_PICTURE, "media_format"),
        (images.polyglot_gif_js(), "media_trailing_data"),
        (images.gifar(), "media_trailing_data"),
        (images.png() + b"<script>alert(1)</script>", "media_trailing_data"),
        (images.truncated_jpeg(), "media_damaged"),
        (images.png()[:-100], "media_damaged"),
        (images.gif()[:-10], "media_damaged"),
    ],
    ids=[
        "empty",
        "html-named-png",
        "pdf",
        "zeros",
        "svg",
        "gif-js-polyglot",
        "gifar",
        "png-with-script",
        "truncated-jpeg",
        "truncated-png",
        "truncated-gif",
    ],
)
def test_process_picture_hostile_file_refused_with_key(data: bytes, key: str) -> None:
    error = _refusal(data)

    assert (error.code, error.key) == (ErrorCode.INVALID_MEDIA, key)


@pytest.mark.parametrize("fmt", ["BMP", "TIFF", "ICO", "PPM", "TGA"])
def test_process_picture_other_picture_formats_refused(fmt: str) -> None:
    error = _refusal(images.other_format(fmt))

    assert error.code is ErrorCode.INVALID_MEDIA
    assert error.key in ("media_format", "media_not_picture")


def test_process_picture_jpeg_trailing_bytes_accepted_and_dropped() -> None:
    data = images.jpeg() + b"PK\x03\x04 a second picture or a vendor trailer"

    picture = process_picture(data)

    assert b"PK\x03\x04" not in picture.data


def test_process_picture_truncated_images_stay_refused_globally() -> None:
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_process_picture_corrupt_pixels_refused_not_crashed() -> None:
    data = bytearray(images.png())
    data[200:400] = b"\xff" * 200  # inside IDAT: the CRC or the zlib stream fails

    assert _refusal(bytes(data)).key == "media_damaged"


def test_pdq_hash_of_output_close_to_hash_of_source() -> None:
    source = images.photo_like(seed=13)

    picture: Picture = process_picture(images.png(source))
    listed, quality = pdq_hash(source)

    assert quality > 50
    distance = bin(int(listed, 16) ^ int(picture.pdq, 16)).count("1")
    assert distance <= 10


def test_process_picture_threads_give_the_same_results_as_one() -> None:
    swapped = images.png(images.photo_like(seed=21), icc_profile=images.swapped_profile())
    uploads = [
        images.jpeg_with_gps(),
        images.png_with_alpha(),
        images.cmyk_jpeg(),
        images.animated("GIF"),
        swapped,
        images.truncated_jpeg(),
    ] * 3

    def outcome(data: bytes) -> Picture | str:
        try:
            return process_picture(data)
        except CauserieError as error:
            return error.key

    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(outcome, uploads))

    assert together == [outcome(data) for data in uploads]
