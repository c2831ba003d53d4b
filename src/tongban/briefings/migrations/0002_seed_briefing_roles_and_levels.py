"""The 信息员 and 信息编辑 roles (briefings.roles) become rows of the role table, and the 信息报送考核
starts from default levels an editor changes on the 计分规则 page (points are kept on each 采用 record,
so a change applies to later 采用 only)."""

from decimal import Decimal

from django.db import migrations

ROLES = (
    ("briefing_reporter", "信息员", "代表本单位报送政务信息，退修后修改重报"),
    ("briefing_editor", "信息编辑", "审核采用政务信息，编发信息刊物，传阅，考核计分"),
)
# (code, name, points, is_issue_level)
LEVELS = (
    ("city", "被市采用", "2.0", True),
    ("city_leader", "市领导批示", "3.0", False),
    ("province", "被省采用", "5.0", False),
    ("province_leader", "省领导批示", "8.0", False),
    ("national", "被国家采用", "10.0", False),
)


def seed(apps, schema_editor):
    Role = apps.get_model("organizations", "Role")
    for code, name, description in ROLES:
        Role.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "is_builtin": True, "is_active": True}
        )
    ScoringLevel = apps.get_model("briefings", "ScoringLevel")
    if not ScoringLevel.objects.exists():
        ScoringLevel.objects.bulk_create(
            ScoringLevel(code=code, name=name, points=Decimal(points), is_issue_level=issue, position=(n + 1) * 10)
            for n, (code, name, points, issue) in enumerate(LEVELS)
        )


def unseed(apps, schema_editor):
    apps.get_model("organizations", "Role").objects.filter(code__in=[code for code, _, _ in ROLES]).delete()
    apps.get_model("briefings", "ScoringLevel").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("briefings", "0001_publications_submissions_and_issues"), ("organizations", "0005_seed_builtin_roles")]

    operations = [migrations.RunPython(seed, unseed)]
