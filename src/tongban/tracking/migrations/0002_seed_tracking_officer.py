"""The 督查人员 role (tracking.roles) becomes a row of the role table."""

from django.db import migrations

ROLES = (("tracking_officer", "督查人员", "督办事项立项、交办、审核办结和延期、评价、催办"),)


def seed(apps, schema_editor):
    Role = apps.get_model("organizations", "Role")
    for code, name, description in ROLES:
        Role.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "is_builtin": True, "is_active": True}
        )


def unseed(apps, schema_editor):
    apps.get_model("organizations", "Role").objects.filter(code__in=[code for code, _, _ in ROLES]).delete()


class Migration(migrations.Migration):
    dependencies = [("tracking", "0001_tracking_items"), ("organizations", "0005_seed_builtin_roles")]

    operations = [migrations.RunPython(seed, unseed)]
