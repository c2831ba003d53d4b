"""The 依申请公开 roles (disclosure_requests.roles) become rows of the role table."""

from django.db import migrations

ROLES = (
    ("disclosure_request_handler", "依申请公开承办", "受理政府信息公开申请、补正、征求第三方意见、申请延期、遮蔽拟公开文件、拟写答复"),
    ("disclosure_request_approver", "依申请公开审核签发", "审批延期、审核签发答复告知书、维护遮蔽规则、编制发布政府信息公开工作年度报告"),
)

RULES = (
    ("身份证号码", "resident_id"),
    ("手机号码", "mobile"),
    ("银行卡号", "bank_card"),
    ("固定电话", "landline"),
)


def seed(apps, schema_editor):
    Role = apps.get_model("organizations", "Role")
    for code, name, description in ROLES:
        Role.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "is_builtin": True, "is_active": True}
        )
    Rule = apps.get_model("disclosure_requests", "RedactionRule")
    for name, kind in RULES:
        Rule.objects.get_or_create(name=name, defaults={"kind": kind, "replacement": "[已删除]", "is_active": True})


def unseed(apps, schema_editor):
    apps.get_model("organizations", "Role").objects.filter(code__in=[code for code, _, _ in ROLES]).delete()


class Migration(migrations.Migration):
    dependencies = [("disclosure_requests", "0001_requests"), ("organizations", "0005_seed_builtin_roles")]

    operations = [migrations.RunPython(seed, unseed)]
