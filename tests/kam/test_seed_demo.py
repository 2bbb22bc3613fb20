import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from accounts.models import Classification, KeyAccount, User


def _counts():
    # Historical* models (django-simple-history) are a log of saves, not demo data: a second
    # run may log a save, and that is not a duplicate.
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {"accounts", "discovery", "opportunities", "planning", "delivery"}
        and not hasattr(model, "instance_type")
    }


def test_seed_demo_twice_gives_the_same_data(db):
    call_command("seed_demo", "--force")
    first = _counts()
    call_command("seed_demo", "--force")
    assert _counts() == first
    assert first["accounts.KeyAccount"] >= 8


def test_demo_has_all_four_classes_two_managers_and_the_documented_users(db):
    call_command("seed_demo", "--force")
    assert set(KeyAccount.objects.values_list("classification", flat=True)) == set(
        Classification.values
    )
    for username in ("director", "manager", "manager2", "coordinator", "executive"):
        assert User.objects.get(username=username).check_password("demo")
    managers = KeyAccount.objects.filter(memberships__role="manager").values("memberships__user")
    assert len({row["memberships__user"] for row in managers}) >= 2


def test_seed_demo_refused_when_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo")
    call_command("seed_demo", "--force")
    assert KeyAccount.objects.exists()


def test_seed_demo_scale_multiplies_accounts(db):
    call_command("seed_demo", "--force", "--scale", "2")
    scaled = KeyAccount.objects.count()
    call_command("seed_demo", "--force", "--scale", "2")
    assert KeyAccount.objects.count() == scaled
    assert scaled >= 30
