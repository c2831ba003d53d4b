from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "tongban.workflow"
    label = "workflow"
    verbose_name = "流程"

    def ready(self) -> None:
        from django.utils.translation import gettext as _

        from tongban.organizations.open_work import register_open_work_source
        from tongban.organizations.services import ROLE_USAGE_CHECKS
        from tongban.workflow import receivers  # noqa: F401 - connects receivers
        from tongban.workflow.selectors import definitions_naming_role, open_work_of

        # A leaver's tasks, listed on the people pages for 重置处理人.
        register_open_work_source(open_work_of)

        def named_by_steps(code: str) -> str:
            names = definitions_naming_role(code)
            return _("流程%(names)s的环节指定了该岗位") % {"names": "、".join(names)} if names else ""

        # A role a published process names is not deactivated (岗位管理).
        if named_by_steps not in ROLE_USAGE_CHECKS:
            ROLE_USAGE_CHECKS.append(named_by_steps)
