from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tongban.core"
    label = "core"
    verbose_name = "平台基础"

    def ready(self) -> None:
        from django.urls import register_converter

        from tongban.core import pdf_fonts  # noqa: F401 - registers the font check
        from tongban.core.converters import IdConverter

        register_converter(IdConverter, "id")
