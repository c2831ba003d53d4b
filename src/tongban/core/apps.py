from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tongban.core"
    label = "core"
    verbose_name = "平台基础"

    def ready(self) -> None:
        from django.core import checks
        from django.urls import register_converter

        from tongban.core import pdf_fonts  # noqa: F401 - registers the font check
        from tongban.core.converters import IdConverter
        from tongban.core.deploy_checks import allowed_hosts_are_explicit, virus_scanner_scans

        register_converter(IdConverter, "id")
        checks.register(virus_scanner_scans, checks.Tags.security, deploy=True)
        checks.register(allowed_hosts_are_explicit, checks.Tags.security, deploy=True)
