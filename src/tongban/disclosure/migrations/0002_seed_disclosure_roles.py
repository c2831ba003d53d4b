"""The 政务公开 roles (disclosure.roles) become rows of the role table."""

from django.db import migrations

ROLES = (
    ("disclosure_editor", "信息公开编辑", "拟稿、修改和送审本部门主动公开的政府信息"),
    ("disclosure_secrecy_reviewer", "保密审查员", "对拟公开的政府信息进行保密审查"),
    ("disclosure_approver", "公开审核领导", "审核并发布本部门主动公开的政府信息"),
    ("disclosure_admin", "政务公开管理员", "维护政府信息公开指南，查看全市公开时效，编写月通报和季点评"),
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
    dependencies = [("disclosure", "0001_disclosure_items"), ("organizations", "0005_seed_builtin_roles")]

    operations = [migrations.RunPython(seed, unseed)]
