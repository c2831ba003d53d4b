from django.apps import AppConfig


class LicensesConfig(AppConfig):
    name = "tongban.licenses"
    label = "licenses"
    verbose_name = "电子证照"

    def ready(self) -> None:
        from tongban.licenses import providers, receivers  # noqa: F401 - registers providers, connects receivers
