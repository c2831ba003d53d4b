"""QR codes as inline SVG: no image file, no request, no script. The encoder is reportlab's (already
used for the e-license QR code), so no further dependency."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString
from reportlab.graphics.barcode.qrencoder import QR8bitByte, QRCode, QRErrorCorrectLevel

QUIET_ZONE = 4  # modules of white around the code (ISO/IEC 18004)


def qr_modules(data: str) -> list[list[bool]]:
    """The code's dark (True) and light modules, row by row: the smallest version that holds
    ``data`` as UTF-8 bytes, error correction level M."""
    code = QRCode(None, QRErrorCorrectLevel.M)
    code.addData(QR8bitByte(data.encode("utf-8")))
    code.make()
    size = code.getModuleCount()
    return [[bool(code.isDark(row, col)) for col in range(size)] for row in range(size)]


def qr_svg(data: str, *, label: str, pixels_per_module: int = 4) -> SafeString:
    """An ``<svg role="img">`` of the code, named ``label`` for screen readers; each run of dark
    modules in a row is one rectangle of the path."""
    modules = qr_modules(data)
    side = len(modules) + 2 * QUIET_ZONE
    runs = []
    for y, row in enumerate(modules, start=QUIET_ZONE):
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            runs.append(f"M{start + QUIET_ZONE} {y}h{x - start}v1h-{x - start}z")
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="qr-code" viewBox="0 0 {side} {side}" width="{px}" '
        'height="{px}" role="img" aria-label="{label}" shape-rendering="crispEdges">'
        '<rect width="{side}" height="{side}" fill="#fff"/><path fill="#000" d="{path}"/></svg>',
        side=side,
        px=side * pixels_per_module,
        label=label,
        path="".join(runs),
    )
