# A database loaded with the demo city before the DemoCity mark existed gets the mark, so that the
# start-up check demo.E001 refuses it in production too (T-A10).

from django.conf import settings
from django.db import migrations
from django.utils import timezone

# The demo city's staff usernames (tongban.demo.loader.ACCOUNTS when this migration was written).
DEMO_STAFF = (
    "catalog_admin",
    "civil_clerk",
    "civil_approver",
    "market_clerk",
    "tax_reviewer",
    "civil_reviewer",
    "market_reviewer",
    "market_approver",
    "market_leader",
    "tax_approver",
    "social_approver",
    "police_approver",
    "market_supervisor",
    "city_supervisor",
    "process_admin",
)


def mark_databases_with_demo_accounts(apps, schema_editor):
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    if user_model.objects.filter(username__in=DEMO_STAFF).exists():
        apps.get_model("demo", "DemoCity").objects.get_or_create(pk=1, defaults={"loaded_at": timezone.now()})


class Migration(migrations.Migration):
    dependencies = [
        ("demo", "0001_demo_city_mark"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(mark_databases_with_demo_accounts, migrations.RunPython.noop)]
