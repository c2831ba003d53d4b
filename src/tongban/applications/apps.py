from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "tongban.applications"
    label = "applications"
    verbose_name = "办件"

    def ready(self) -> None:
        from tongban.applications import receivers  # noqa: F401 - connects receivers
