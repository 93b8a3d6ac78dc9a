"""Draws the two Teams app icons with the standard library only (zlib + struct):

- color.png   192×192, the share glyph in white on the accent colour (full bleed, rounded);
- outline.png  32×32, the same glyph as a white outline on a transparent background.

Run `python manifests/teams/make_icons.py` to redraw them; the PNGs are committed.
"""
from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ACCENT = (0x1F, 0x6F, 0xEB)
NODES = ((0.68, 0.27), (0.32, 0.50), (0.68, 0.73))   # the share glyph: three nodes, two links
SAMPLES = 4                                          # 4×4 samples a pixel: smooth edges


def png(width: int, height: int, pixels: list[list[tuple[int, int, int, int]]]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes(v for px in row for v in px) for row in pixels)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def _segment_distance(px: float, py: float, a: tuple[float, float], b: tuple[float, float]) -> float:
    ax, ay = a
    bx, by = b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def glyph(x: float, y: float, *, outline: bool) -> bool:
    """Is the point (unit square) on the glyph? Filled nodes and thick links, or rings and thin links."""
    radius, link = (0.115, 0.035) if outline else (0.105, 0.028)
    ring = 0.05
    for nx, ny in NODES:
        d = math.hypot(x - nx, y - ny)
        if (radius - ring <= d <= radius) if outline else d <= radius:
            return True
    for a, b in ((NODES[0], NODES[1]), (NODES[1], NODES[2])):
        if _segment_distance(x, y, a, b) <= link and all(math.hypot(x - nx, y - ny) > radius for nx, ny in NODES):
            return True
    return False


def rounded(x: float, y: float, r: float = 0.18) -> bool:
    cx, cy = min(max(x, r), 1 - r), min(max(y, r), 1 - r)
    return math.hypot(x - cx, y - cy) <= r


def draw(size: int, *, outline: bool) -> list[list[tuple[int, int, int, int]]]:
    rows = []
    for j in range(size):
        row = []
        for i in range(size):
            hits = back = 0
            for sj in range(SAMPLES):
                for si in range(SAMPLES):
                    x, y = (i + (si + 0.5) / SAMPLES) / size, (j + (sj + 0.5) / SAMPLES) / size
                    hits += glyph(x, y, outline=outline)
                    back += rounded(x, y)
            n = SAMPLES * SAMPLES
            if outline:
                row.append((255, 255, 255, round(255 * hits / n)))
            else:
                share = hits / back if back else 0.0
                color = tuple(round(c + (255 - c) * share) for c in ACCENT)
                row.append((*color, round(255 * back / n)))
        rows.append(row)
    return rows


def main() -> None:
    (HERE / "color.png").write_bytes(png(192, 192, draw(192, outline=False)))
    (HERE / "outline.png").write_bytes(png(32, 32, draw(32, outline=True)))


if __name__ == "__main__":
    main()
