from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoCity(models.Model):
    """Says that load_demo_city put the demo city's accounts, whose password is published, into this
    database. While the row exists, production (TONGBAN_DEBUG=false) refuses to start: the check
    demo.E001 (demo/checks.py, T-A10). ``manage.py remove_demo_accounts`` disables them and removes it."""

    loaded_at = models.DateTimeField(_("加载时间"))

    class Meta:
        verbose_name = _("演示城市标记")
        verbose_name_plural = _("演示城市标记")

    def __str__(self) -> str:
        return f"演示城市（{self.loaded_at:%Y-%m-%d %H:%M}）"
