"""Small forms, one per plan section or item. They validate and normalise; services write."""

from __future__ import annotations

import re

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import get_user_model

from accounts.models import KeyAccount
from common.conflicts import RevisionField
from common.limits import NOTE_MAX_CHARS, Textarea
from discovery.models import Stakeholder
from opportunities.selectors import opportunities_to_link, opportunity_choice_label

from .models import (
    AccountPlan,
    Action,
    EngagementActivity,
    Measurement,
    Objective,
    PlanRisk,
    Target,
)
from .services import SECTIONS
from .snapshot import pursued_opportunities_q

PERIOD_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 /\-]{1,19}$")
NOT_ON_TEAM = "Pick someone on the account team (director, manager, coordinator or team member)."


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False  # the template owns <form>, buttons and the section anchor
    helper.disable_csrf = True
    return helper


class DateInput(forms.DateInput):
    """A browser date picker. It only accepts an ISO date as its value: the locale's
    format (dd/mm/yyyy) would show an empty field and saving the form would clear it."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def team_users(account: KeyAccount):
    return (
        get_user_model()
        .objects.filter(memberships__key_account=account)
        .order_by("first_name", "last_name")
    )


class TeamMemberField(forms.ModelChoiceField):
    def __init__(self, account: KeyAccount, **kwargs):
        kwargs.setdefault("error_messages", {"invalid_choice": NOT_ON_TEAM})
        super().__init__(queryset=team_users(account), **kwargs)


class RevisionMixin(forms.Form):
    """The revision the user started from; the service compares it to the saved one."""

    revision = RevisionField()


class PlanStartForm(forms.Form):
    period = forms.CharField(
        max_length=20, help_text="The planning period, e.g. FY2027 or 2027–2028."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean_period(self) -> str:
        period = self.cleaned_data["period"].strip()
        if not PERIOD_RE.match(period):
            raise forms.ValidationError(
                "Use 2–20 letters, digits, spaces, / or - (for example FY2027)."
            )
        return period


class SectionForm(RevisionMixin):
    """One plan section (value proposition, SWOT or critical success factors)."""

    def __init__(self, *args, section: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.section = section
        _title, fields = SECTIONS[section]
        for name in fields:
            model_field = AccountPlan._meta.get_field(name)
            self.fields[name] = forms.CharField(
                max_length=model_field.max_length,
                label=str(model_field.verbose_name).capitalize(),
                required=False,
                widget=Textarea(attrs={"rows": 4 if len(fields) > 1 else 6}),
            )
        self.order_fields([*fields, "revision"])
        self.helper = _helper()

    @classmethod
    def initial_for(cls, plan: AccountPlan, section: str) -> dict:
        _title, fields = SECTIONS[section]
        return {
            **{f: getattr(plan, f) for f in fields},
            "revision": plan.section_revisions.get(section, 0),
        }


class ObjectiveForm(RevisionMixin, forms.ModelForm):
    class Meta:
        model = Objective
        fields = ["title", "rationale", "owner", "due_on", "is_internal"]
        widgets = {"rationale": Textarea(attrs={"rows": 3}), "due_on": DateInput}
        labels = {"is_internal": "Internal (left out of the customer version)"}

    def __init__(self, *args, account: KeyAccount, plan: AccountPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = TeamMemberField(account, required=False)
        if self.instance.pk:
            self.initial.setdefault("revision", self.instance.revision)
        self.helper = _helper()


class TargetForm(RevisionMixin, forms.ModelForm):
    class Meta:
        model = Target
        fields = [
            "kpi",
            "kind",
            "measure",
            "currency",
            "unit",
            "baseline",
            "baseline_on",
            "target_value",
            "due_on",
        ]
        widgets = {"baseline_on": DateInput, "due_on": DateInput}
        labels = {"baseline_on": "Baseline date", "target_value": "Target"}
        help_texts = {
            "kind": "Revenue and net profit targets are summed on the portfolio dashboard.",
        }

    def __init__(self, *args, account: KeyAccount, plan: AccountPlan, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("revision", self.instance.revision)
        # Left out (an older form, a script): the target keeps what it was, else "other".
        for name in ("kind", "measure"):
            self.fields[name].required = False
        self.helper = _helper()

    def clean_kind(self):
        return self.cleaned_data["kind"] or self.instance.kind or Target.Kind.OTHER

    def clean_measure(self):
        return self.cleaned_data["measure"] or self.instance.measure or Target.Measure.OTHER

    def clean(self):
        data = super().clean()
        baseline_on, due_on = data.get("baseline_on"), data.get("due_on")
        if baseline_on and due_on and due_on < baseline_on:
            self.add_error("due_on", "The due date must be on or after the baseline date.")
        return data


class MeasurementForm(forms.ModelForm):
    class Meta:
        model = Measurement
        fields = ["measured_on", "actual", "comment"]
        widgets = {"measured_on": DateInput}
        labels = {"measured_on": "Date", "actual": "Actual value"}

    def __init__(self, *args, account: KeyAccount, plan: AccountPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class ActionForm(RevisionMixin, forms.ModelForm):
    class Meta:
        model = Action
        fields = ["title", "opportunity", "objective", "owner", "due_on", "is_internal"]
        widgets = {"due_on": DateInput}
        labels = {
            "opportunity": "For opportunity",
            "objective": "For objective",
            "is_internal": "Internal (left out of the customer version)",
        }

    def __init__(self, *args, account: KeyAccount, plan: AccountPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = TeamMemberField(account, required=True)
        # Pursued and still live; an action already linked to one since lost keeps it.
        self.fields["opportunity"].queryset = opportunities_to_link(
            account=account,
            within=pursued_opportunities_q(),
            keep=[self.instance.opportunity_id] if self.instance.pk else (),
        )
        self.fields["opportunity"].label_from_instance = opportunity_choice_label
        self.fields["objective"].queryset = Objective.objects.filter(plan=plan)
        if self.instance.pk:
            self.initial.setdefault("revision", self.instance.revision)
        self.helper = _helper()


class ActionCancelForm(forms.Form):
    reason = forms.CharField(max_length=300, required=False, label="Why (optional)")


class EngagementForm(RevisionMixin, forms.ModelForm):
    class Meta:
        model = EngagementActivity
        fields = [
            "our_person",
            "stakeholder",
            "purpose",
            "cadence",
            "next_due_on",
            "last_held_on",
            "is_internal",
        ]
        widgets = {"next_due_on": DateInput, "last_held_on": DateInput}
        labels = {
            "our_person": "Our person",
            "stakeholder": "Meets (customer stakeholder)",
            "is_internal": "Internal (left out of the customer version)",
        }

    def __init__(self, *args, account: KeyAccount, plan: AccountPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["our_person"] = TeamMemberField(account, label="Our person")
        self.fields["stakeholder"].queryset = Stakeholder.objects.filter(
            key_account=account, archived_at__isnull=True
        )
        if self.instance.pk:
            self.initial.setdefault("revision", self.instance.revision)
        self.helper = _helper()


class RiskForm(RevisionMixin, forms.ModelForm):
    class Meta:
        model = PlanRisk
        fields = ["description", "likelihood", "impact", "mitigation", "owner", "is_internal"]
        widgets = {"mitigation": Textarea(attrs={"rows": 2})}
        labels = {"is_internal": "Internal (left out of the customer version)"}

    def __init__(self, *args, account: KeyAccount, plan: AccountPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = TeamMemberField(account, required=False)
        if self.instance.pk:
            self.initial.setdefault("revision", self.instance.revision)
        self.helper = _helper()


class ReturnForm(forms.Form):
    comment = forms.CharField(
        max_length=NOTE_MAX_CHARS,
        widget=Textarea(attrs={"rows": 3}),
        label="What needs to change",
    )


class ApproveForm(forms.Form):
    comment = forms.CharField(
        max_length=NOTE_MAX_CHARS,
        widget=Textarea(attrs={"rows": 2}),
        label="Comment (optional)",
        required=False,
    )
