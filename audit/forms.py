"""The history pages' filters (GET). Unknown values are ignored, never an error page."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .selectors import CHANGE_TYPES


class HistoryFilterForm(forms.Form):
    type = forms.ChoiceField(label=_("What"), required=False)
    person = forms.TypedChoiceField(label=_("Who"), required=False, coerce=int, empty_value=None)
    change = forms.ChoiceField(
        label=pgettext_lazy("history column", "Change"),
        required=False,
        choices=[("", _("Any change")), *CHANGE_TYPES.items()],
    )

    def __init__(self, *args, types=(), people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", _("Everything")), *types]
        self.fields["person"].choices = [("", _("Anyone")), *((p.pk, str(p)) for p in people)]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def filters(self) -> dict:
        """Valid filters only: a stale or tampered value shows everything instead."""
        if not self.is_valid():
            return {"type_key": "", "person": None, "change": ""}
        data = self.cleaned_data
        return {"type_key": data["type"], "person": data["person"], "change": data["change"]}
