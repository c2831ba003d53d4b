"""The built-in roles (岗位) become rows of the role table, plus 部门负责人 (department_head)."""

from django.db import migrations

BUILTIN_ROLES = [
    ("catalog_editor", "事项管理员", "维护本部门的政务服务事项"),
    ("clerk", "受理人员", "受理办件"),
    ("reviewer", "审核人员", "审查办件"),
    ("approver", "审批人员", "作出审批决定"),
    ("supervisor", "监察人员", "本部门电子监察、督办"),
    ("department_admin", "部门管理员", "本部门人员、流程定义和流程监控"),
    ("city_supervisor", "全市电子监察", "全市各部门的电子监察"),
    ("city_admin", "全市系统管理员", "全市人员、岗位和系统设置"),
    ("department_head", "部门负责人", "审批本部门发起的内部事项；上级部门负责人即分管领导"),
]


def seed(apps, schema_editor):
    Role = apps.get_model("organizations", "Role")
    for code, name, description in BUILTIN_ROLES:
        Role.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "is_builtin": True, "is_active": True}
        )


def unseed(apps, schema_editor):
    apps.get_model("organizations", "Role").objects.filter(is_builtin=True).delete()


class Migration(migrations.Migration):
    dependencies = [("organizations", "0004_roles_as_data")]

    operations = [migrations.RunPython(seed, unseed)]
