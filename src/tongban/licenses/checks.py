"""Start-up check: license PDFs need the embedded Chinese font (Debian package fonts-wqy-zenhei)."""

from pathlib import Path

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register()
def license_font_exists(app_configs, **kwargs) -> list[CheckMessage]:
    path = Path(settings.TONGBAN_LICENSE_FONT)
    if path.is_file():
        return []
    return [
        Error(
            f"The e-license font {path} is missing; licenses cannot be issued.",
            hint="apt-get install fonts-wqy-zenhei, or set TONGBAN_LICENSE_FONT to a TrueType font with Chinese.",
            id="licenses.E001",
        )
    ]
