"""README promises Django admin for every model: each one is registered or edited inline."""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib import admin


def _project_apps() -> set[str]:
    """The apps whose code lives in this repository (not in the virtualenv's site-packages)."""
    root = Path(settings.BASE_DIR)
    return {
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(root) and "site-packages" not in config.path
    }


def test_every_model_of_the_project_is_in_the_admin():
    project = _project_apps()
    assert {"accounts", "planning", "delivery", "rhythm"} <= project
    reachable = set(admin.site._registry)
    for model_admin in admin.site._registry.values():
        reachable |= {inline.model for inline in model_admin.inlines}
    missing = [
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label in project
        and not model.__name__.startswith("Historical")
        and model not in reachable
    ]
    assert missing == []
