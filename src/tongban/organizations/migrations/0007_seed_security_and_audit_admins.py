"""三权分立: the 安全管理员 and 审计管理员 roles join the 系统管理员 (city_admin) as built-in roles."""

from django.db import migrations

ROLES = (
    ("security_admin", "安全管理员", "岗位与授权、安全策略的管理；不得兼任系统管理员或审计管理员"),
    ("audit_admin", "审计管理员", "查阅、检索和导出审计日志，不做其他管理；不得兼任系统管理员或安全管理员"),
)


def seed(apps, schema_editor):
    Role = apps.get_model("organizations", "Role")
    for code, name, description in ROLES:
        Role.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "is_builtin": True, "is_active": True}
        )


def unseed(apps, schema_editor):
    apps.get_model("organizations", "Role").objects.filter(code__in=[code for code, _, _ in ROLES]).delete()


class Migration(migrations.Migration):
    dependencies = [("organizations", "0006_directory_and_general_office")]

    operations = [migrations.RunPython(seed, unseed)]
