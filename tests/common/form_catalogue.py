"""Every form class of the project, instantiated, for tests generated over forms.

`project_form_classes()` imports each app's `forms` and `admin` modules and returns every
subclass of Django's BaseForm defined in the project. `instantiate(form_class, objects)` builds
one unbound form, filling the constructor's required keyword arguments from `KWARGS` by name;
a new form whose constructor asks for something not in `KWARGS` fails the tests that use this,
with the argument named, rather than being skipped. Admin forms come from each registered
ModelAdmin's `get_form()`.
"""

from __future__ import annotations

import importlib
import inspect
from types import SimpleNamespace

from django import forms
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory

from tests import factories as f

PROJECT_APPS = [
    "accounts",
    "notifications",
    "strategy",
    "discovery",
    "opportunities",
    "planning",
    "outcomes",
    "delivery",
    "organisation",
    "portfolio",
    "audit",
    "rhythm",
    "integrations",
    "api",
    "workspace",
    "common",
    "kam",
]


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def project_form_classes() -> list[type[forms.BaseForm]]:
    for app in PROJECT_APPS:
        for module in ("forms", "admin", "views"):
            try:
                importlib.import_module(f"{app}.{module}")
            except ModuleNotFoundError as error:
                if error.name != f"{app}.{module}":
                    raise
    found = {
        cls
        for cls in _all_subclasses(forms.BaseForm)
        if cls.__module__.split(".")[0] in PROJECT_APPS
        and cls.__module__ != "tests"
        and not inspect.isabstract(cls)
        and "Meta" not in cls.__name__
    }
    # A ModelForm without a model (a mixin or the base of admin forms) cannot be built alone.
    return sorted(
        (
            cls
            for cls in found
            if not (issubclass(cls, forms.BaseModelForm) and cls._meta.model is None)
        ),
        key=lambda cls: f"{cls.__module__}.{cls.__qualname__}",
    )


def objects(account, people) -> SimpleNamespace:
    from django.contrib.auth import get_user_model

    from organisation.models import Competence

    if not Competence.objects.exists():
        Competence.objects.create(name="Negotiation", description="Closes fair deals")
    users = get_user_model().objects.all()
    made = {}

    def plan():
        if "plan" not in made:
            made["plan"] = f.AccountPlanFactory(key_account=account)
        return made["plan"]

    return SimpleNamespace(account=account, people=people, users=users, plan=plan)


# Constructor keyword argument name -> value builder (given `objects(...)`).
KWARGS = {
    "account": lambda o: o.account,
    "accounts": lambda o: __import__(
        "accounts.models", fromlist=["KeyAccount"]
    ).KeyAccount.objects.all(),
    "people": lambda o: o.users,
    "executives": lambda o: o.users,
    "managers": lambda o: o.users,
    "candidates": lambda o: o.users,
    "competences": lambda o: __import__(
        "organisation.models", fromlist=["Competence"]
    ).Competence.objects.all(),
    "section": lambda o: "swot",
    "user": lambda o: o.people.director,
    "current_class": lambda o: "strategic",
    "plan": lambda o: o.plan(),
    "criteria": lambda o: __import__(
        "strategy.models", fromlist=["SelectionCriterion"]
    ).SelectionCriterion.objects.all(),
    "today": lambda o: __import__("django.utils.timezone", fromlist=["x"]).localdate(),
    "programme": lambda o: __import__("accounts.models", fromlist=["Programme"]).Programme.ensure(),
    "review": lambda o: __import__("planning.models", fromlist=["Review"]).Review.objects.create(
        plan=o.plan(),
        quarter="2027-Q1",
        opened_on=__import__("django.utils.timezone", fromlist=["x"]).localdate(),
        due_on=__import__("django.utils.timezone", fromlist=["x"]).localdate(),
    ),
    "questions": lambda o: __import__(
        "workspace.services", fromlist=["questions_ensure_defaults"]
    ).questions_ensure_defaults(),
}


def instantiate(form_class, o) -> forms.BaseForm:
    kwargs = {}
    signature = inspect.signature(form_class.__init__)
    for name, parameter in signature.parameters.items():
        if parameter.kind is not inspect.Parameter.KEYWORD_ONLY:
            continue
        if parameter.default is not inspect.Parameter.empty:
            continue
        if name not in KWARGS:
            raise AssertionError(
                f"{form_class.__module__}.{form_class.__qualname__} needs `{name}`: "
                "add a builder for it to KWARGS in tests/common/form_catalogue.py"
            )
        kwargs[name] = KWARGS[name](o)
    form = form_class(**kwargs)
    form._catalogue_kwargs = kwargs  # to build it again bound to data
    return form


def admin_forms(superuser) -> list[tuple[str, forms.BaseForm]]:
    """(label, unbound form) for every project model registered in the admin: its add and
    change forms and those of its inlines."""
    request = RequestFactory().get("/admin/")
    request.user = superuser
    found = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        label = f"admin {model._meta.label}"
        found.append((label, model_admin.get_form(request)()))
        for inline in model_admin.get_inline_instances(request):
            formset = inline.get_formset(request)
            found.append((f"{label} inline {inline.model._meta.label}", formset.form()))
    assert apps.is_installed("accounts")
    return found
