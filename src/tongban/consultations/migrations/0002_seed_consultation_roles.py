"""The roles of 意见征集 and 在线访谈 (consultations.roles) become rows of the role table."""

from django.db import migrations

ROLES = (
    ("consultation_publisher", "征集发布", "发布本部门的意见征集和在线访谈，答复留言，公布采纳情况"),
    ("consultation_moderator", "留言审核", "审核意见征集的留言和在线访谈的提问"),
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
    dependencies = [("consultations", "0001_consultations_and_interviews"), ("organizations", "0005_seed_builtin_roles")]

    operations = [migrations.RunPython(seed, unseed)]
