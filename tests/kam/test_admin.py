"""README promises Django admin for every model: each one is registered or edited inline."""

from django.apps import apps
from django.contrib import admin

PROJECT_APPS = {
    "accounts",
    "discovery",
    "opportunities",
    "planning",
    "delivery",
    "organisation",
    "portfolio",
    "audit",
    "rhythm",
    "kam",
}


def test_every_model_of_the_project_is_in_the_admin():
    reachable = set(admin.site._registry)
    for model_admin in admin.site._registry.values():
        reachable |= {inline.model for inline in model_admin.inlines}
    missing = [
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS
        and not model.__name__.startswith("Historical")
        and model not in reachable
    ]
    assert missing == []
