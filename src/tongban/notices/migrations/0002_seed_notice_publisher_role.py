"""The role of 通知公告 (notices.roles) becomes a row of the role table."""

from django.db import migrations

ROLES = (("notice_publisher", "通知发布员", "起草、发布和撤回本部门的通知公告，查看阅知情况"),)


def seed(apps, schema_editor):
    Role = apps.get_model("organizations", "Role")
    for code, name, description in ROLES:
        Role.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "is_builtin": True, "is_active": True}
        )


def unseed(apps, schema_editor):
    apps.get_model("organizations", "Role").objects.filter(code__in=[code for code, _, _ in ROLES]).delete()


class Migration(migrations.Migration):
    dependencies = [("notices", "0001_notices"), ("organizations", "0005_seed_builtin_roles")]

    operations = [migrations.RunPython(seed, unseed)]
