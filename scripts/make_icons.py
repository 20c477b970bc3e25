"""Draw the web app's PNG icons and favicon from ``src/causerie/web/static/icon.svg``.

Browsers take the SVG, but iOS wants a PNG ``apple-touch-icon``, installed apps want 192 and
512 px PNGs (and "maskable" ones whose drawing stays inside the safe circle that Android
crops to), and ``/favicon.ico`` is asked for by every browser. Pillow draws no SVG, so this
reads the icon's few shapes (``rect`` with ``rx``, ``circle``, and ``path`` with the commands
M, H, V, L, A and Z, absolute or relative), flattens the arcs into lines, and paints them at
four times the size before scaling down (smooth edges). Run it after changing the SVG::

    .venv/bin/python scripts/make_icons.py

It writes, beside the SVG: icon-192.png, icon-512.png, icon-maskable-192.png,
icon-maskable-512.png, apple-touch-icon.png (180 px, opaque) and favicon.ico (16, 32, 48).
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from PIL import Image, ImageDraw

STATIC = Path(__file__).resolve().parents[1] / "src" / "causerie" / "web" / "static"
SVG = STATIC / "icon.svg"
NS = "{http://www.w3.org/2000/svg}"
SUPERSAMPLE = 4
MASKABLE_SCALE = 0.72  # the drawing within Android's safe circle (80 % of the side)

Point = tuple[float, float]


def _arc_points(start: Point, end: Point, radius: float, large: bool, sweep: bool) -> list[Point]:
    """Points along a circular SVG arc from `start` to `end` (SVG 1.1 F.6.5, rx = ry)."""
    (x1, y1), (x2, y2) = start, end
    dx, dy = (x1 - x2) / 2, (y1 - y2) / 2
    radius = max(radius, math.hypot(dx, dy))
    factor = math.sqrt(max(0.0, radius**2 - dx**2 - dy**2) / (dx**2 + dy**2 or 1))
    if large == sweep:
        factor = -factor
    cx = factor * dy + (x1 + x2) / 2
    cy = -factor * dx + (y1 + y2) / 2
    a1 = math.atan2(y1 - cy, x1 - cx)
    a2 = math.atan2(y2 - cy, x2 - cx)
    delta = a2 - a1
    if sweep and delta < 0:
        delta += 2 * math.pi
    elif not sweep and delta > 0:
        delta -= 2 * math.pi
    steps = max(4, int(abs(delta) * radius / 4))
    angles = [a1 + delta * i / steps for i in range(1, steps + 1)]
    return [(cx + radius * math.cos(a), cy + radius * math.sin(a)) for a in angles]


def _path_points(data: str) -> list[Point]:
    tokens = re.findall(r"[MmHhVvLlAaZz]|-?\d*\.?\d+(?:e-?\d+)?", data)
    points: list[Point] = []
    x = y = 0.0
    command = ""
    i = 0

    def number() -> float:
        nonlocal i
        value = float(tokens[i])
        i += 1
        return value

    while i < len(tokens):
        if tokens[i].isalpha():
            command = tokens[i]
            i += 1
            if command in "Zz":
                continue
        relative = command.islower()
        kind = command.upper()
        if kind in "ML":
            nx, ny = number(), number()
            x, y = (x + nx, y + ny) if relative else (nx, ny)
            points.append((x, y))
        elif kind == "H":
            value = number()
            x = x + value if relative else value
            points.append((x, y))
        elif kind == "V":
            value = number()
            y = y + value if relative else value
            points.append((x, y))
        elif kind == "A":
            radius, _ry, _rotation = number(), number(), number()
            large, sweep = bool(number()), bool(number())
            nx, ny = number(), number()
            end = (x + nx, y + ny) if relative else (nx, ny)
            points.extend(_arc_points((x, y), end, radius, large, sweep))
            x, y = end
        else:
            raise ValueError(f"unsupported path command {command!r} in {SVG}")
    return points


def _draw(size: int, *, maskable: bool = False, opaque: bool = False) -> Image.Image:
    root = ET.parse(SVG).getroot()
    view = [float(v) for v in root.attrib["viewBox"].split()]
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    scale = big / view[2]
    inner = MASKABLE_SCALE if maskable else 1.0
    offset = big * (1 - inner) / 2

    def at(point: Point) -> Point:
        return (offset + point[0] * scale * inner, offset + point[1] * scale * inner)

    for index, node in enumerate(root):
        tag = node.tag.removeprefix(NS)
        fill = node.attrib.get("fill", "#000000")
        if tag == "rect":
            width = float(node.attrib["width"]) * scale
            if index == 0 and (maskable or opaque):
                # The background fills the whole square: Android and iOS round it themselves.
                draw.rectangle((0, 0, big, big), fill=fill)
            else:
                radius = float(node.attrib.get("rx", 0)) * scale
                draw.rounded_rectangle((0, 0, width, width), radius=radius, fill=fill)
        elif tag == "circle":
            cx, cy = at((float(node.attrib["cx"]), float(node.attrib["cy"])))
            radius = float(node.attrib["r"]) * scale * inner
            draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=fill)
        elif tag == "path":
            draw.polygon([at(point) for point in _path_points(node.attrib["d"])], fill=fill)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    outputs = {
        "icon-192.png": _draw(192),
        "icon-512.png": _draw(512),
        "icon-maskable-192.png": _draw(192, maskable=True),
        "icon-maskable-512.png": _draw(512, maskable=True),
        "apple-touch-icon.png": _draw(180, opaque=True).convert("RGB"),
    }
    for name, image in outputs.items():
        image.save(STATIC / name, optimize=True)
        print(f"wrote {STATIC / name}")
    _draw(48).save(STATIC / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
    print(f"wrote {STATIC / 'favicon.ico'}")


if __name__ == "__main__":
    main()
