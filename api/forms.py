"""The form that makes a personal API token. It validates; `api.services` writes."""

from datetime import timedelta

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from common.dates import DateField

from . import services
from .models import ApiToken

DEFAULT_LIFETIME_DAYS = 90


def _days_from_today(days: int) -> str:
    return ngettext(
        "At most %(days)s day from today.", "At most %(days)s days from today.", days
    ) % {"days": days}


_lazy_days = lazy(_days_from_today, str)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What will use it, so you recognise it later: “CRM sync”."),
    )
    scope = forms.ChoiceField(
        label=_("Scope"),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
        help_text=_("A read-only token cannot change anything, whatever your role."),
    )
    expires_on = DateField(
        label=_("Expires on"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text=_lazy_days(services.MAX_LIFETIME_DAYS),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault(
            "expires_on", timezone.localdate() + timedelta(days=DEFAULT_LIFETIME_DAYS)
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(gettext("Give the token a name."))
        return name

    def clean_expires_on(self):
        value = self.cleaned_data["expires_on"]
        problem = services.expiry_problem(value)
        if problem:
            raise forms.ValidationError(problem)
        return value
