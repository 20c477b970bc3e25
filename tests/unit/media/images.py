"""Synthetic pictures and hostile files for the picture pipeline's tests (unit and integration).

Everything is generated here from a seed: photo-like pictures that PDQ hashes with good quality,
pictures carrying private metadata, and the files an attacker would try (a decompression bomb,
a truncated JPEG, HTML named .png, a GIF that is also a script, a GIF with an archive glued on).
Never real pictures, never real hash lists.
"""

from __future__ import annotations

import functools
import io
import struct
import zipfile
import zlib

import numpy as np
from PIL import Image, ImageCms, ImageDraw

# A place in Paris: what must never reach another user.
GPS_LATITUDE = (48.0, 51.0, 29.59)
GPS_LONGITUDE = (2.0, 17.0, 40.2)
XMP_PACKET = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
    b'22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
    b"<dc:creator>Jean Secret</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
    b'<?xpacket end="w"?>'
)
HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
HTML_FILE_NAME = "photo.png"  # what the client claims; the pipeline never sees names
SVG_PICTURE = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script></svg>"
)
PDF_FILE = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
JS_AFTER_GIF = b"*/=1;alert(document.domain);//"


def photo_like(width: int = 640, height: int = 480, seed: int = 0) -> Image.Image:
    """An RGB picture with structure at every scale (gradients, shapes, noise), like a photo.

    PDQ needs structure: flat colours hash with quality 0. Different seeds give unrelated
    pictures.
    """
    rng = np.random.default_rng(seed)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    angle = rng.uniform(0, np.pi)
    ramp = np.cos(angle) * xs / width + np.sin(angle) * ys / height
    base = np.stack(
        [
            127 + 100 * np.sin(2 * np.pi * (ramp * rng.uniform(0.5, 2) + rng.uniform()))
            for _ in range(3)
        ],
        axis=-1,
    )
    image = Image.fromarray(base.clip(0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(image)
    side = min(width, height)
    for _ in range(14):
        x0, y0 = int(rng.integers(0, width)), int(rng.integers(0, height))
        extent = int(rng.integers(side // 10, side // 2))
        box = (x0, y0, x0 + extent, y0 + int(extent * rng.uniform(0.5, 1.5)))
        colour = tuple(int(c) for c in rng.integers(0, 256, 3))
        if rng.integers(0, 2):
            draw.ellipse(box, fill=colour)
        else:
            draw.rectangle(box, fill=colour)
    noise = rng.normal(0, 8, (height, width, 3))
    noisy = np.asarray(image, dtype=np.float32) + noise
    return Image.fromarray(noisy.clip(0, 255).astype(np.uint8), "RGB")


def large_photo(width: int, height: int, seed: int = 0, grain: bool = False) -> Image.Image:
    """A big photo-like picture, made at a quarter of the size and enlarged (quick to build).

    `grain` adds pixel-level noise at full size, as a camera sensor does: the file then
    compresses and decodes like a real photo (for the benchmark; slower to build).
    """
    small = photo_like(max(1, width // 4), max(1, height // 4), seed)
    image = small.resize((width, height), Image.Resampling.BILINEAR)
    if not grain:
        return image
    rng = np.random.default_rng(seed)
    noise = rng.integers(-12, 13, (height, width, 3), dtype=np.int16)
    pixels = np.asarray(image, dtype=np.int16) + noise
    return Image.fromarray(pixels.clip(0, 255).astype(np.uint8), "RGB")


def encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def jpeg(image: Image.Image | None = None, quality: int = 90, **options: object) -> bytes:
    return encode(image or photo_like(), "JPEG", quality=quality, **options)


def png(image: Image.Image | None = None, **options: object) -> bytes:
    return encode(image or photo_like(), "PNG", **options)


def gps_exif(orientation: int | None = None) -> Image.Exif:
    """EXIF with a GPS position, a camera, an owner and a date: all private."""
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x0110] = "Model X"  # Model
    exif[0x013B] = "Jean Secret"  # Artist
    exif[0x0132] = "2026:05:01 12:00:00"  # DateTime
    if orientation is not None:
        exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = GPS_LATITUDE
    gps[3] = "E"
    gps[4] = GPS_LONGITUDE
    return exif


def jpeg_with_gps(seed: int = 1) -> bytes:
    """A JPEG carrying GPS EXIF, XMP, a comment and an ICC profile."""
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return jpeg(
        photo_like(seed=seed),
        exif=gps_exif(),
        xmp=XMP_PACKET,
        comment=b"shot at home, 12 rue Secrete",
        icc_profile=icc,
    )


def png_with_gps(seed: int = 2) -> bytes:
    """A PNG carrying GPS EXIF (eXIf chunk), XMP (iTXt) and a text chunk."""
    from PIL.PngImagePlugin import PngInfo

    text = PngInfo()
    text.add_text("Comment", "shot at home, 12 rue Secrete")
    text.add_itxt("XML:com.adobe.xmp", XMP_PACKET.decode())
    return png(photo_like(seed=seed), exif=gps_exif(), pnginfo=text)


def oriented_jpeg(orientation: int = 6) -> tuple[bytes, Image.Image]:
    """A JPEG stored sideways with the EXIF orientation that makes it upright, and the upright
    picture it must become (640 wide, 320 high, red on the left half, blue on the right)."""
    upright = Image.new("RGB", (640, 320), (0, 0, 255))
    upright.paste((255, 0, 0), (0, 0, 320, 320))
    undo = {3: Image.Transpose.ROTATE_180, 6: Image.Transpose.ROTATE_90}
    stored = upright.transpose(undo[orientation])
    return jpeg(stored, exif=gps_exif(orientation)), upright


@functools.cache
def png_bomb(width: int = 20_000, height: int = 20_000) -> bytes:
    """A valid 1-bit PNG of width x height black pixels: about 50 KB on disk, 400 MB decoded."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", idat) + _chunk(b"IEND")


def gif_bomb() -> bytes:
    """A small GIF whose logical screen claims 65,535 x 65,535 pixels."""
    data = bytearray(gif())
    data[6:10] = struct.pack("<HH", 65535, 65535)
    return bytes(data)


def jpeg_bomb() -> bytes:
    """A small JPEG whose frame header (SOF0) claims 60,000 x 60,000 pixels."""
    data = bytearray(jpeg())
    start = data.index(b"\xff\xc0")
    data[start + 5 : start + 9] = struct.pack(">HH", 60000, 60000)
    return bytes(data)


def webp_bomb() -> bytes:
    """A small animated WebP whose canvas (VP8X) claims 16,383 x 16,383 pixels."""
    data = bytearray(animated("WEBP"))
    assert data[12:16] == b"VP8X"
    data[24:27] = data[27:30] = (16383 - 1).to_bytes(3, "little")
    return bytes(data)


def _chunk(kind: bytes, data: bytes = b"") -> bytes:
    crc = zlib.crc32(kind + data)
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def truncated_jpeg(keep: float = 0.6) -> bytes:
    data = jpeg(photo_like(seed=3))
    return data[: int(len(data) * keep)]


def gif(image: Image.Image | None = None, **options: object) -> bytes:
    return encode(image or photo_like(160, 120, seed=4), "GIF", **options)


def polyglot_gif_js() -> bytes:
    """A GIF that is also JavaScript: its width bytes read "/*", its tail "*/=1;alert(…)".

    As a script: `GIF89a/* …binary… */=1;alert(document.domain);` is valid JavaScript.
    """
    width = struct.unpack("<H", b"/*")[0]  # 10799 pixels
    picture = Image.new("P", (width, 4), 0)
    return gif(picture) + JS_AFTER_GIF


def gifar() -> bytes:
    """A GIF with a ZIP (JAR) archive glued after its trailer."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n")
    return gif() + archive.getvalue()


def animation_frames(count: int = 3, size: tuple[int, int] = (120, 90)) -> list[Image.Image]:
    """Frames of distinct plain colours; the first one is red."""
    colours = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 0)]
    return [Image.new("RGB", size, colours[n % len(colours)]) for n in range(count)]


def animated(fmt: str = "GIF", count: int = 3) -> bytes:
    first, *rest = animation_frames(count)
    return encode(first, fmt, save_all=True, append_images=rest, duration=100, loop=0)


def cmyk_jpeg() -> bytes:
    return jpeg(photo_like(seed=5).convert("CMYK"))


def png_with_alpha() -> bytes:
    """RGBA: an opaque photo-like disc on a fully transparent background."""
    picture = photo_like(320, 240, seed=6).convert("RGBA")
    mask = Image.new("L", picture.size, 0)
    ImageDraw.Draw(mask).ellipse((40, 20, 280, 220), fill=255)
    picture.putalpha(mask)
    return png(picture)


def png_opaque_rgba() -> bytes:
    """RGBA whose alpha is 255 everywhere: no real transparency."""
    return png(photo_like(320, 240, seed=7).convert("RGBA"))


def _s15f16(*values: float) -> bytes:
    return b"".join(struct.pack(">i", round(v * 65536)) for v in values)


def swapped_profile() -> bytes:
    """An RGB ICC profile (v2, matrix and gamma) whose red and blue primaries are swapped.

    A picture tagged with it that stores pure red means pure blue: converting it to sRGB must
    turn it blue, which proves the embedded profile is applied.
    """
    red, green, blue = (0.4361, 0.2225, 0.0139), (0.3851, 0.7169, 0.0971), (0.1431, 0.0606, 0.7141)
    text = b"swapped primaries (test)\x00"
    tags = {
        b"desc": b"desc\x00\x00\x00\x00"
        + struct.pack(">I", len(text))
        + text
        + b"\x00" * 12  # no Unicode, no ScriptCode text
        + b"\x00" * 67,
        b"wtpt": b"XYZ \x00\x00\x00\x00" + _s15f16(0.9642, 1.0, 0.8249),
        b"rXYZ": b"XYZ \x00\x00\x00\x00" + _s15f16(*blue),
        b"gXYZ": b"XYZ \x00\x00\x00\x00" + _s15f16(*green),
        b"bXYZ": b"XYZ \x00\x00\x00\x00" + _s15f16(*red),
        b"rTRC": b"curv\x00\x00\x00\x00" + struct.pack(">IH", 1, 0x0233) + b"\x00\x00",
    }
    tags[b"gTRC"] = tags[b"bTRC"] = tags[b"rTRC"]
    offset = 128 + 4 + 12 * len(tags)
    table, body = [], b""
    for signature, data in tags.items():
        data += b"\x00" * (-len(data) % 4)
        table.append(struct.pack(">4sII", signature, offset + len(body), len(data)))
        body += data
    size = offset + len(body)
    header = (
        struct.pack(">I4sI4s4s4s", size, b"\x00" * 4, 0x02100000, b"mntr", b"RGB ", b"XYZ ")
        + b"\x00" * 12
        + b"acsp"
        + b"\x00" * 24
        + struct.pack(">I", 0)
        + _s15f16(0.9642, 1.0, 0.8249)
        + b"\x00" * 48
    )
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + b"".join(table) + body


def png_16bit() -> bytes:
    """16-bit greyscale: a horizontal ramp from black to full white."""
    ramp = np.tile(np.linspace(0, 65535, 256, dtype=np.uint16), (64, 1))
    return png(Image.fromarray(ramp))


def palette_png(transparent: bool = False) -> bytes:
    picture = photo_like(200, 150, seed=8).quantize(64)
    if transparent:
        return png(picture, transparency=0)
    return png(picture)


def other_format(fmt: str) -> bytes:
    """A picture in a format that is not accepted (BMP, TIFF, ICO, …)."""
    return encode(photo_like(64, 48, seed=9), fmt)
