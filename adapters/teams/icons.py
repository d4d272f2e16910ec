"""The two Teams app icons, drawn with the standard library only (zlib + struct).

color.png: 192x192, two interlocking white rings (human + machine) on indigo.
outline.png: 32x32, the same rings in white on a transparent background, as
Teams requires for the outline icon.
Run `python -m adapters.teams.icons [FOLDER]` to (re)write them (default deploy/teams).
"""

from __future__ import annotations

import math
import struct
import sys
import zlib
from pathlib import Path

ACCENT = (0x4F, 0x46, 0xE5)
_SUPERSAMPLE = 4


def _png(width: int, height: int, rows: list[bytes]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + row for row in rows)  # filter type 0 on every scanline
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) \
        + chunk(b"IEND", b"")


def _ring_coverage(size: int, x: int, y: int) -> float:
    """How much of pixel (x, y) the two rings cover, 0..1 (supersampled)."""
    r = size * 0.25
    thickness = max(size * 0.07, 2.0)
    centres = ((size * 0.38, size * 0.5), (size * 0.62, size * 0.5))
    hits = 0
    for sy in range(_SUPERSAMPLE):
        for sx in range(_SUPERSAMPLE):
            px = x + (sx + 0.5) / _SUPERSAMPLE
            py = y + (sy + 0.5) / _SUPERSAMPLE
            if any(abs(math.hypot(px - cx, py - cy) - r) <= thickness / 2 for cx, cy in centres):
                hits += 1
    return hits / _SUPERSAMPLE**2


def color_png(size: int = 192) -> bytes:
    rows = []
    for y in range(size):
        row = bytearray()
        for x in range(size):
            c = _ring_coverage(size, x, y)
            row += bytes(round(a + (255 - a) * c) for a in ACCENT) + b"\xff"
        rows.append(bytes(row))
    return _png(size, size, rows)


def outline_png(size: int = 32) -> bytes:
    rows = []
    for y in range(size):
        row = bytearray()
        for x in range(size):
            row += b"\xff\xff\xff" + bytes([round(255 * _ring_coverage(size, x, y))])
        rows.append(bytes(row))
    return _png(size, size, rows)


def write(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "color.png").write_bytes(color_png())
    (folder / "outline.png").write_bytes(outline_png())


if __name__ == "__main__":  # pragma: no cover
    write(Path(sys.argv[1] if len(sys.argv) > 1 else "deploy/teams"))
