"""The roles the 公文 processes name (documents.roles) become rows of the role table."""

from django.db import migrations

ROLES = (
    ("document_clerk", "文书人员", "公文编号、套红、分发；收文签收、登记"),
    ("document_reviewer", "核稿人员", "办公室核稿；收文拟办"),
    ("document_signer", "签发领导", "签发本机关公文；收文批示"),
    ("seal_keeper", "印章管理员", "公文用印"),
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
    dependencies = [("documents", "0001_official_documents"), ("organizations", "0005_seed_builtin_roles")]

    operations = [migrations.RunPython(seed, unseed)]
