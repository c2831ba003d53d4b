"""The Chinese font embedded in every PDF the platform makes (licenses, approval sheets).

ReportLab embeds a subset of the TrueType font with a ToUnicode map, so the text stays readable and
searchable in any viewer; the CID font STSong-Light is not embedded and renders only where a reader
ships it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT = "TongbanChinese"


@cache
def _register(path: str) -> str:
    pdfmetrics.registerFont(TTFont(FONT, path, subfontIndex=0))  # subfont 0 of a .ttc
    return FONT


def chinese_font() -> str:
    """The registered font name to use in ReportLab canvases."""
    return _register(settings.TONGBAN_PDF_FONT)


@register()
def pdf_font_exists(app_configs, **kwargs) -> list[CheckMessage]:
    """Start-up check: without the font no license or approval sheet can be made."""
    path = Path(settings.TONGBAN_PDF_FONT)
    if path.is_file():
        return []
    return [
        Error(
            f"The PDF font {path} is missing; e-licenses and approval sheets cannot be made.",
            hint="apt-get install fonts-wqy-zenhei, or set TONGBAN_PDF_FONT to a TrueType font with Chinese.",
            id="core.E001",
        )
    ]
