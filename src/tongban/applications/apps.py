from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "tongban.applications"
    label = "applications"
    verbose_name = "办件"

    def ready(self) -> None:
        from tongban.applications import receivers  # noqa: F401 - connects receivers
        from tongban.applications.selectors import guide_steps
        from tongban.catalog import guide_process

        # A guide's 办理流程 lists the steps of the process its applications run.
        guide_process.register(guide_steps)
