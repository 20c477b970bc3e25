"""The blurred stand-in a private message's picture shows until its receiver chooses to see it.

Made from our own thumbnail (already re-encoded, so safe to decode), so coarse that nothing of
the picture but its colours survives: the receiver's browser never holds the real pixels before
they click "Voir l'image".
"""

from __future__ import annotations

import io

from PIL import Image, ImageFilter

COARSE_SIDE_PX = 12
BLUR_RADIUS_PX = 6
QUALITY = 60


def blurred_preview(thumb: bytes) -> bytes:
    """A JPEG the thumbnail's size, of its colours only."""
    with Image.open(io.BytesIO(thumb)) as source:
        image = source.convert("RGBA")
    backdrop = Image.new("RGBA", image.size, (255, 255, 255, 255))
    flat = Image.alpha_composite(backdrop, image).convert("RGB")
    scale = COARSE_SIDE_PX / max(flat.size)
    coarse = flat.resize(
        (max(1, round(flat.width * scale)), max(1, round(flat.height * scale))),
        Image.Resampling.BOX,
    )
    smooth = coarse.resize(flat.size, Image.Resampling.BILINEAR)
    out = io.BytesIO()
    smooth.filter(ImageFilter.GaussianBlur(BLUR_RADIUS_PX)).save(out, "JPEG", quality=QUALITY)
    return out.getvalue()
