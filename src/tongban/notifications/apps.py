from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "tongban.notifications"
    label = "notifications"
    verbose_name = "消息通知"

    def ready(self) -> None:
        from tongban.notifications import receivers  # noqa: F401 - connects the signal handlers
