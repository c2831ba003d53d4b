from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "tongban.operations"
    label = "operations"
    verbose_name = "运行监控"

    def ready(self) -> None:
        from tongban.operations import metrics

        metrics.connect_signals()
