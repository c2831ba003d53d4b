from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "tongban.workflow"
    label = "workflow"
    verbose_name = "流程"

    def ready(self) -> None:
        from tongban.workflow import receivers  # noqa: F401 - connects receivers
