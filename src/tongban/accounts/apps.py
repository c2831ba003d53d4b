from django.apps import AppConfig
from django.core import checks


class AccountsConfig(AppConfig):
    name = "tongban.accounts"
    label = "accounts"
    verbose_name = "账户"

    def ready(self) -> None:
        from tongban.accounts.checks import shared_cache, staff_second_factor

        checks.register(staff_second_factor, checks.Tags.security, deploy=True)
        checks.register(shared_cache, checks.Tags.security, checks.Tags.caches, deploy=True)
