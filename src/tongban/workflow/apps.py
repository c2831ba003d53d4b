from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "tongban.workflow"
    label = "workflow"
    verbose_name = "流程"

    def ready(self) -> None:
        from tongban.organizations.open_work import register_open_work_source
        from tongban.workflow import receivers  # noqa: F401 - connects receivers
        from tongban.workflow.selectors import open_work_of

        # A leaver's tasks, listed on the people pages for 重置处理人.
        register_open_work_source(open_work_of)
