"""The form that makes a personal API token. It validates; `api.services` writes."""

from datetime import timedelta

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone

from common.dates import DateField

from . import services
from .models import ApiToken

DEFAULT_LIFETIME_DAYS = 90


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What will use it, so you recognise it later: “CRM sync”."
    )
    scope = forms.ChoiceField(
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
        help_text="A read-only token cannot change anything, whatever your role.",
    )
    expires_on = DateField(
        label="Expires on",
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text=f"At most {services.MAX_LIFETIME_DAYS} days from today.",
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
            raise forms.ValidationError("Give the token a name.")
        return name

    def clean_expires_on(self):
        value = self.cleaned_data["expires_on"]
        problem = services.expiry_problem(value)
        if problem:
            raise forms.ValidationError(problem)
        return value
