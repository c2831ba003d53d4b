"""The role the meetings pages name (meetings.roles) becomes a row of the role table."""

from django.db import migrations

ROLES = (("meeting_admin", "会议室管理员", "管理本部门的会议室：容纳人数、设备、启用和停用"),)


def seed(apps, schema_editor):
    Role = apps.get_model("organizations", "Role")
    for code, name, description in ROLES:
        Role.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "is_builtin": True, "is_active": True}
        )


def unseed(apps, schema_editor):
    apps.get_model("organizations", "Role").objects.filter(code__in=[code for code, _, _ in ROLES]).delete()


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_meetings_rooms_invitations"), ("organizations", "0005_seed_builtin_roles")]

    operations = [migrations.RunPython(seed, unseed)]
