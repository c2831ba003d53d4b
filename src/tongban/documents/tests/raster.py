"""Pages of a PDF as pixels (poppler's pdftoppm), and PDF points mapped onto them."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from PIL import Image
from reportlab.lib.pagesizes import A4

DPI = 50
SCALE = DPI / 72


def rasterise(pdf: bytes, dpi: int = DPI) -> list[Image.Image]:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "document.pdf"
        source.write_bytes(pdf)
        subprocess.run(  # noqa: S603
            [
                shutil.which("pdftoppm") or "pdftoppm",
                "-r",
                str(dpi),
                "-png",
                str(source),
                str(Path(folder) / "page"),
            ],
            check=True,
        )
        return [Image.open(path).convert("RGB") for path in sorted(Path(folder).glob("page-*.png"))]


def region(left: float, bottom: float, right: float, top: float) -> tuple[int, int, int, int]:
    """A box in PDF points (from the bottom-left) as a pixel box (left, upper, right, lower)."""
    height = A4[1]
    return (
        int(left * SCALE),
        int((height - top) * SCALE),
        int(right * SCALE) + 1,
        int((height - bottom) * SCALE) + 1,
    )


def is_red(pixel: tuple[int, int, int]) -> bool:
    r, g, b = pixel
    return r > 150 and g < 110 and b < 110


def is_dark(pixel: tuple[int, int, int]) -> bool:
    return max(pixel) < 170


def pixels(image: Image.Image) -> list[tuple[int, int, int]]:
    data = image.tobytes()
    return [(data[i], data[i + 1], data[i + 2]) for i in range(0, len(data), 3)]


def count(image: Image.Image, box: tuple[int, int, int, int], test) -> int:
    return sum(1 for pixel in pixels(image.crop(box)) if test(pixel))


def is_ink(pixel: tuple[int, int, int]) -> bool:
    """Anything that is not paper (thin strokes come out grey at 50 dpi)."""
    return min(pixel) < 200
