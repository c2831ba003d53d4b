from django.apps import AppConfig
from django.core import checks


class AccountsConfig(AppConfig):
    name = "tongban.accounts"
    label = "accounts"
    verbose_name = "账户"

    def ready(self) -> None:
        from tongban.accounts.checks import staff_second_factor

        checks.register(staff_second_factor, checks.Tags.security, deploy=True)
