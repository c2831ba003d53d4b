from django.apps import AppConfig
from django.core import checks


class DemoConfig(AppConfig):
    name = "tongban.demo"
    label = "demo"
    verbose_name = "演示城市"

    def ready(self) -> None:
        from tongban.demo.checks import no_demo_accounts_in_production

        checks.register(no_demo_accounts_in_production, checks.Tags.security)
