"""Region-scoped administration (issue 20): the 区县系统管理员 joins the built-in roles."""

from django.db import migrations

CODE, NAME = "region_admin", "区县系统管理员"
DESCRIPTION = "管理本区县（含下级区划）的部门、工作人员、服务事项和流程；不得兼任安全管理员或审计管理员"


def seed(apps, schema_editor):
    apps.get_model("organizations", "Role").objects.update_or_create(
        code=CODE, defaults={"name": NAME, "description": DESCRIPTION, "is_builtin": True, "is_active": True}
    )


def unseed(apps, schema_editor):
    apps.get_model("organizations", "Role").objects.filter(code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [("organizations", "0007_seed_security_and_audit_admins")]

    operations = [migrations.RunPython(seed, unseed)]
