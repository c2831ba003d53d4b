from django.apps import AppConfig
from django.core import checks


class ApplicationsConfig(AppConfig):
    name = "tongban.applications"
    label = "applications"
    verbose_name = "办件"

    def ready(self) -> None:
        from tongban.applications import receivers  # noqa: F401 - connects receivers
        from tongban.applications.checks import answer_encryption_key

        checks.register(answer_encryption_key, checks.Tags.security, deploy=True)
        from tongban.applications.selectors import guide_steps, submitted_numbers
        from tongban.applications.subjects import paused_subjects
        from tongban.catalog import guide_process
        from tongban.sharing import case_refs
        from tongban.workflow import subjects

        # A guide's 办理流程 lists the steps of the process its applications run.
        guide_process.register(guide_steps)
        # 我的数据使用记录 names the 办件编号 of a use made while the application was a draft.
        case_refs.register(submitted_numbers)
        # No timeout action completes a step while the application's clock stands still.
        subjects.register_hold("application:", paused_subjects)
