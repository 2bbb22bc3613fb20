"""Forms validate and normalise what people type; services apply the rules and save."""

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.conflicts import RevisionField, RevisionFormMixin
from common.dates import DateField
from common.limits import Textarea
from discovery.models import Stakeholder
from opportunities.models import Opportunity
from planning.models import Objective

from .models import CustomerIssue, ValueDelivered

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False  # the template writes the <form> (action, csrf, buttons)
    return helper


class ValueDeliveredForm(RevisionFormMixin, forms.ModelForm):
    evidence_url = forms.URLField(
        label=_("Evidence link"), max_length=300, required=False, assume_scheme="https"
    )
    revision = RevisionField()

    class Meta:
        model = ValueDelivered
        fields = [
            "title",
            "delivered_on",
            "measure",
            "amount",
            "unit",
            "opportunity",
            "objective",
            "description",
            "evidence",
            "evidence_url",
        ]
        widgets = {
            "delivered_on": DATE,
            "description": Textarea(attrs={"rows": 3}),
            "evidence": Textarea(attrs={"rows": 3}),
            "measure": forms.RadioSelect,
        }
        labels = {
            "description": _("Description"),
            "measure": _("Measure"),
            "unit": _("Unit"),
            "opportunity": _("Opportunity"),
            "evidence": _("Evidence"),
        }

    def __init__(self, *args, account, currency: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if currency:
            self.fields["measure"].choices = [
                (ValueDelivered.Measure.MONEY, _("Money (%(currency)s)") % {"currency": currency}),
                (ValueDelivered.Measure.OTHER, _("Another unit")),
            ]
        instance = self.instance
        self.fields["opportunity"].queryset = Opportunity.objects.filter(
            key_account=account
        ).order_by("title")
        self.fields["objective"].queryset = Objective.objects.filter(
            Q(plan__key_account=account, plan__is_current=True) | Q(pk=instance.objective_id or 0)
        ).order_by("position", "pk")
        if instance.pk is None:
            self.initial.setdefault("delivered_on", timezone.localdate())
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        if data.get("measure") == ValueDelivered.Measure.OTHER and not data.get("unit", "").strip():
            self.add_error(
                "unit", _("Name the unit (e.g. hours saved) for a quantity that is not money.")
            )
        return data


class ValueConfirmForm(forms.Form):
    """The team records that the customer confirmed the value (e.g. by e-mail)."""

    confirmed_by = forms.ModelChoiceField(
        label=_("Confirmed by"), queryset=Stakeholder.objects.none(), empty_label=None
    )
    confirmed_on = DateField(label=_("Confirmed on"), widget=DATE)
    confirmation_note = forms.CharField(
        label=_("How (e.g. their e-mail of 3 March)"), max_length=300, required=False
    )
    revision = RevisionField(required=True)

    def __init__(self, *args, account, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirmed_by"].queryset = Stakeholder.objects.filter(
            key_account=account, archived_at__isnull=True
        ).order_by("name")
        self.initial.setdefault("confirmed_on", timezone.localdate())
        self.helper = _helper()

    @property
    def opened_at(self) -> int | None:
        return self.cleaned_data.get("revision")


class CustomerIssueForm(RevisionFormMixin, forms.ModelForm):
    revision = RevisionField()

    class Meta:
        model = CustomerIssue
        fields = [
            "title",
            "severity",
            "owner",
            "raised_on",
            "due_on",
            "status",
            "description",
            "resolution",
            "customer_visible",
        ]
        widgets = {
            "raised_on": DATE,
            "due_on": DATE,
            "description": Textarea(attrs={"rows": 3}),
            "resolution": Textarea(attrs={"rows": 3}),
        }
        labels = {
            "title": _("Title"),
            "severity": _("Severity"),
            "owner": _("Owner"),
            "raised_on": _("Raised on"),
            "status": _("Status"),
            "description": _("Description"),
            "resolution": _("Resolution"),
        }

    def __init__(self, *args, account, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = (
            get_user_model()
            .objects.filter(
                Q(memberships__key_account=account, is_active=True)
                | Q(pk=self.instance.owner_id or 0)
            )
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        self.fields["owner"].required = True
        if self.instance.pk is None:
            self.initial.setdefault("raised_on", timezone.localdate())
        self.helper = _helper()
