"""The 档案管理员 role (archives.roles) becomes a row of the role table, and the 归档范围与保管期限表 starts
from defaults an administrator edits on its page.

Source of the defaults: 国家档案局令第8号《机关文件材料归档范围和文书档案保管期限规定》(2006) — the body's
own 决议、决定、命令、公报、议案 and its important 请示 with the 批复 to them are kept 永久; its 通知、通报、
意见、报告、函、纪要 on its main work 定期30年; routine papers (转发 notices, everything the table does not
name) 定期10年. A body's own 保管期限表 refines these."""

from django.db import migrations

ROLES = (("archivist", "档案管理员", "归档公文，查阅、导出本部门档案，四性检测"),)
BASIS = "国家档案局令第8号"
# (文种, 适用于, 标题含有, 保管期限, 说明) in matching order: the first row that matches decides.
RULES = (
    ("通知", "", "转发", "D10", f"{BASIS}：转发性文件材料，定期10年"),
    ("决议", "", "", "Y", f"{BASIS}：本机关决议，永久"),
    ("决定", "", "", "Y", f"{BASIS}：本机关决定，永久"),
    ("命令（令）", "", "", "Y", f"{BASIS}：本机关命令，永久"),
    ("公报", "", "", "Y", f"{BASIS}：本机关公报，永久"),
    ("议案", "", "", "Y", f"{BASIS}：本机关议案，永久"),
    ("请示", "outgoing", "", "Y", f"{BASIS}：本机关请示与上级机关批复，永久"),
    ("批复", "", "", "Y", f"{BASIS}：本机关请示与上级机关批复，永久"),
    ("公告", "", "", "D30", f"{BASIS}：本机关主要业务文件材料，定期30年"),
    ("通告", "", "", "D30", f"{BASIS}：本机关主要业务文件材料，定期30年"),
    ("意见", "", "", "D30", f"{BASIS}：本机关主要业务文件材料，定期30年"),
    ("通知", "", "", "D30", f"{BASIS}：本机关主要业务文件材料，定期30年"),
    ("通报", "", "", "D30", f"{BASIS}：本机关主要业务文件材料，定期30年"),
    ("报告", "", "", "D30", f"{BASIS}：本机关主要业务文件材料，定期30年"),
    ("函", "", "", "D30", f"{BASIS}：本机关主要业务文件材料，定期30年"),
    ("纪要", "", "", "D30", f"{BASIS}：本机关会议纪要，定期30年"),
    ("", "", "", "D10", f"{BASIS}：一般性文件材料，定期10年"),
)


def seed(apps, schema_editor):
    Role = apps.get_model("organizations", "Role")
    for code, name, description in ROLES:
        Role.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "is_builtin": True, "is_active": True}
        )
    RetentionRule = apps.get_model("archives", "RetentionRule")
    if not RetentionRule.objects.exists():
        RetentionRule.objects.bulk_create(
            RetentionRule(
                position=(n + 1) * 10,
                kind=kind,
                source=source,
                title_contains=title,
                retention=retention,
                note=note,
            )
            for n, (kind, source, title, retention, note) in enumerate(RULES)
        )


def unseed(apps, schema_editor):
    apps.get_model("organizations", "Role").objects.filter(code__in=[code for code, _, _ in ROLES]).delete()
    apps.get_model("archives", "RetentionRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("archives", "0001_archive_records"), ("organizations", "0005_seed_builtin_roles")]

    operations = [migrations.RunPython(seed, unseed)]
