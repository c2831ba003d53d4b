from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "tongban.sharing"
    label = "sharing"
    verbose_name = "数据共享"

    def ready(self) -> None:
        # Built-in data providers (the base registries); other apps register theirs in their own ready().
        from tongban.sharing.providers import registries  # noqa: F401
