"""A starting 敏感词库: words that are plainly abuse, advertising or fraud in messages to a government
site. A city replaces and extends it on its own page (工作台 › 敏感词库)."""

from django.db import migrations

WORDS = (
    ("王八蛋", "abuse", "block"),
    ("去死", "abuse", "block"),
    ("狗官", "abuse", "review"),
    ("办证刻章", "advertising", "block"),
    ("代开发票", "advertising", "block"),
    ("加微信", "advertising", "review"),
    ("刷单返利", "fraud", "block"),
    ("代办假证", "fraud", "block"),
    ("绝密", "confidential", "review"),
    ("机密", "confidential", "review"),
    ("内部资料", "confidential", "review"),
)


def seed(apps, schema_editor):
    SensitiveWord = apps.get_model("moderation", "SensitiveWord")
    for word, category, action in WORDS:
        SensitiveWord.objects.get_or_create(word=word, defaults={"category": category, "action": action})


def unseed(apps, schema_editor):
    apps.get_model("moderation", "SensitiveWord").objects.filter(word__in=[w for w, _, _ in WORDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("moderation", "0001_sensitive_words")]

    operations = [migrations.RunPython(seed, unseed)]
