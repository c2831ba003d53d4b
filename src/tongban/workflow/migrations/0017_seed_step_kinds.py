"""The step kinds of validation.STEP_KIND_LABELS become rows: accept … deliver mean themselves,
审批 (approve, internal requests) has no application meaning."""

from django.db import migrations

BUILTIN_KINDS = [
    ("accept", "受理", "accept"),
    ("review", "审查", "review"),
    ("decide", "决定", "decide"),
    ("close", "办结", "close"),
    ("deliver", "送达", "deliver"),
    ("approve", "审批", ""),
]


def seed(apps, schema_editor):
    StepKind = apps.get_model("workflow", "StepKind")
    for code, name, meaning in BUILTIN_KINDS:
        StepKind.objects.update_or_create(
            code=code, defaults={"name": name, "meaning": meaning, "is_builtin": True}
        )


def unseed(apps, schema_editor):
    apps.get_model("workflow", "StepKind").objects.filter(is_builtin=True).delete()


class Migration(migrations.Migration):
    dependencies = [("workflow", "0016_step_kinds_and_assignee_rules")]

    operations = [migrations.RunPython(seed, unseed)]
