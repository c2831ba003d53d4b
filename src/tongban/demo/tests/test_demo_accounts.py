"""Demo accounts (published password) never reach production (T-A10)."""

import importlib
import subprocess
import sys

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone

from tongban.accounts.services import ensure_user
from tongban.core.tests.test_security import PRODUCTION, PROJECT, clean_environment, run_manage
from tongban.demo.checks import no_demo_accounts_in_production
from tongban.demo.loader import DEMO_PASSWORD, load_demo_city
from tongban.demo.models import DemoCity

mark_migration = importlib.import_module("tongban.demo.migrations.0002_mark_databases_loaded_before")


def test_T_A10_demo_accounts_are_refused_outside_development(settings, db):
    settings.DEBUG = False
    with pytest.raises(ImproperlyConfigured):
        load_demo_city(with_accounts=True, with_documents=False)
    assert get_user_model().objects.count() == 0
    assert DemoCity.objects.count() == 0


def test_T_A10_production_refuses_a_database_with_the_demo_city(settings, db):
    settings.DEBUG = False
    assert no_demo_accounts_in_production(None) == []
    DemoCity.objects.create(loaded_at=timezone.now())
    [problem] = no_demo_accounts_in_production(None)
    assert problem.id == "demo.E001"
    assert problem.is_serious()
    assert problem.hint == (
        "Run production on a new database (manage.py migrate on an empty one). To keep this one, first "
        "disable the demo accounts: manage.py remove_demo_accounts."
    )
    settings.DEBUG = True  # development runs on the demo city
    assert no_demo_accounts_in_production(None) == []


def test_removing_the_demo_accounts_disables_those_with_the_published_password(settings, db, capsys):
    settings.DEBUG = False
    DemoCity.objects.create(loaded_at=timezone.now())
    for username in ("civil_clerk", "13800000001", "process_admin"):
        ensure_user(username=username, full_name=username, kind="staff", password=DEMO_PASSWORD)
    changed = get_user_model().objects.get(username="process_admin")
    changed.set_password("A-new-password-9")
    changed.save()
    unrelated = ensure_user(username="zhang_san", full_name="张三", kind="staff", password=DEMO_PASSWORD)

    call_command("remove_demo_accounts")

    users = {u.username: u for u in get_user_model().objects.all()}
    assert [(name, users[name].is_active, users[name].has_usable_password()) for name in sorted(users)] == [
        ("13800000001", False, False),
        ("civil_clerk", False, False),
        ("process_admin", True, True),
        ("zhang_san", True, True),
    ]
    assert users[unrelated.username].check_password(DEMO_PASSWORD)  # not a demo account: untouched
    assert capsys.readouterr().out == (
        "已停用演示账户 2 个：13800000001、civil_clerk\n"
        "以下演示账户已改过密码，仍可登录，请确认是否保留：process_admin\n"
    )
    assert DemoCity.objects.count() == 0
    assert no_demo_accounts_in_production(None) == []


@pytest.mark.parametrize(("usernames", "marked"), [(["civil_clerk"], 1), (["zhang_san", "13800000001"], 0)])
def test_T_A10_a_database_loaded_before_the_mark_existed_is_marked(db, usernames, marked):
    for username in usernames:
        ensure_user(username=username, full_name=username, kind="staff", password="x")
    mark_migration.mark_databases_with_demo_accounts(apps, None)
    assert DemoCity.objects.count() == marked


def test_T_A10_production_does_not_start_on_the_demo_city(tmp_path):
    # Given a production configuration on a database that holds the demo city's mark.
    env = PRODUCTION | {"DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}"}
    for app in ("accounts", "demo"):
        assert run_manage("migrate", app, **env).returncode == 0
    marked = run_manage(
        "shell",
        "-c",
        "from django.utils import timezone; from tongban.demo.models import DemoCity; "
        "DemoCity.objects.create(loaded_at=timezone.now())",
        **env,
    )
    assert marked.returncode == 0, marked.stderr
    # When a manage.py command or gunicorn starts, then it stops with demo.E001.
    check = run_manage("check", **env)
    assert check.returncode == 1
    assert "(demo.E001) This database holds the demo city's accounts" in check.stderr
    gunicorn = subprocess.run(  # noqa: S603 - fixed arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--chdir",
            str(PROJECT / "src"),
            "-b",
            "127.0.0.1:0",
            "tongban.wsgi",
        ],
        env=clean_environment(**env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert gunicorn.returncode != 0
    assert "(demo.E001) This database holds the demo city's accounts" in gunicorn.stderr
    # And once the demo accounts are removed, it starts.
    assert run_manage("remove_demo_accounts", **env).returncode == 0
    assert run_manage("check", **env).returncode == 0
