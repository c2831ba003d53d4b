from django.apps import AppConfig
from django.core import checks


class ApplicationsConfig(AppConfig):
    name = "tongban.applications"
    label = "applications"
    verbose_name = "办件"

    def ready(self) -> None:
        from tongban.applications import receivers  # noqa: F401 - connects receivers
        from tongban.applications.checks import answer_encryption_key

        checks.register(answer_encryption_key, checks.Tags.security, deploy=True)
