"""Forms validate and normalise; the rules that span rows live in services.py."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import KeyAccount, Membership, Role, User
from common.conflicts import RevisionField
from common.dates import DateField
from common.limits import NOTE_MAX_CHARS, TEXT_MAX_CHARS, Textarea

from .models import (
    GRID_MAX,
    GRID_MIN,
    SKILL_MAX,
    SKILL_MIN,
    JobSpecification,
    MentoringTopic,
)
from .services import MAX_TIME_SHARE_PERCENT, NextStep

# A browser date picker only shows an ISO value; the en-gb format would leave it blank.
DATE_PICKER = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _helper(form_id: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False  # templates write the <form> so several forms share a page
    helper.form_id = form_id
    return helper


def _scale_field(label: str, low: int, high: int, help_text: str = "") -> forms.IntegerField:
    # Formatted when shown, in the reader's language.
    message = lazy(
        lambda: (
            gettext("Use a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
        ),
        str,
    )()
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        help_text=help_text,
        error_messages={"min_value": message, "max_value": message, "invalid": message},
        widget=forms.NumberInput(attrs={"min": low, "max": high, "step": 1}),
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        title = f" — {obj.job_title}" if obj.job_title else ""
        return f"{obj}{title}"


ROLE_CHOICES = Role.choices


class _MemberFields(forms.Form):
    role = forms.ChoiceField(choices=ROLE_CHOICES, label=_("Role"))
    function = forms.CharField(
        label=_("Function"),
        max_length=120,
        required=False,
        help_text=_(
            "Their function in our company, e.g. supply chain, finance, product development."
        ),
    )
    time_share_percent = _scale_field(
        _("Time share (%)"),
        0,
        MAX_TIME_SHARE_PERCENT,
        # Translators: xgettext:no-python-format
        _("Share of their working time for this account; at most 100 % over all accounts."),
    )
    hand_over = forms.BooleanField(
        required=False,
        label=_("Hand over: this person replaces the current director (who leaves the team)"),
    )


class TeamMemberAddForm(_MemberFields):
    user = UserChoiceField(queryset=User.objects.none(), label=_("Person"))

    field_order = ["user", "role", "function", "time_share_percent", "hand_over"]

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people
        self.fields["time_share_percent"].initial = 0
        self.fields["role"].initial = Role.TEAM_MEMBER
        self.helper = _helper("team-add")


class TeamMemberChangeForm(_MemberFields):
    revision = RevisionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("team-change")

    @classmethod
    def for_membership(cls, membership: Membership, data=None):
        initial = {
            "role": membership.role,
            "function": membership.function,
            "time_share_percent": membership.time_share_percent,
            "revision": membership.revision,
        }
        return cls(data=data, initial=initial)


class SponsorForm(forms.Form):
    user = UserChoiceField(
        queryset=User.objects.none(),
        required=False,
        label=_("Executive sponsor"),
        empty_label=_("No sponsor"),
        help_text=_("A member of the Executive group who backs this account."),
    )
    # The account's sponsor_revision: moves each time the sponsor changes.
    revision = RevisionField()

    def __init__(self, *args, executives, **kwargs):
        # Shares the team page with the add-member form, whose field is also "user": distinct
        # ids keep every label pointing at its own control.
        kwargs.setdefault("auto_id", "id_sponsor_%s")
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = executives
        self.helper = _helper("sponsor")


class SkillsAssessmentForm(forms.Form):
    assessed_on = DateField(widget=DATE_PICKER, label=_("Assessed on"))
    concern_for_customer = _scale_field(
        _("Concern for the customer (1–9)"), GRID_MIN, GRID_MAX, _("Sales grid, vertical axis.")
    )
    concern_for_sale = _scale_field(
        _("Concern for the sale (1–9)"), GRID_MIN, GRID_MAX, _("Sales grid, horizontal axis.")
    )
    comment = forms.CharField(
        max_length=NOTE_MAX_CHARS,
        widget=Textarea(attrs={"rows": 3}),
        required=False,
        label=_("Comment"),
    )

    def __init__(self, *args, competences, **kwargs):
        super().__init__(*args, **kwargs)
        self.competences = competences
        self.fields["assessed_on"].initial = timezone.localdate()
        skill_fields = {}
        for competence in competences:
            skill_fields[f"skill_{competence.code}"] = _scale_field(
                f"{competence.shown_name} (1–5)", SKILL_MIN, SKILL_MAX, competence.shown_description
            )
        # Competences first, then the sales grid, as the director thinks about them.
        self.fields = {
            "assessed_on": self.fields["assessed_on"],
            **skill_fields,
            **{k: v for k, v in self.fields.items() if k != "assessed_on"},
        }
        self.helper = _helper("assessment")

    def clean_assessed_on(self):
        value = self.cleaned_data["assessed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("An assessment cannot be dated in the future."))
        return value

    def scores(self) -> dict[str, int]:
        return {c.code: self.cleaned_data.get(f"skill_{c.code}") for c in self.competences}


class ReassignForm(forms.Form):
    outgoing = forms.ModelChoiceField(
        queryset=Membership.objects.none(), label=_("Current manager"), empty_label=None
    )
    new_manager = UserChoiceField(queryset=User.objects.none(), label=_("New manager"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=NOTE_MAX_CHARS,
        widget=Textarea(attrs={"rows": 3}),
        help_text=_("Why this manager suits the account better; kept with the decision."),
    )

    def __init__(self, *args, account: KeyAccount, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outgoing"].queryset = account.memberships.filter(
            role=Role.MANAGER
        ).select_related("user")
        self.fields["outgoing"].label_from_instance = lambda m: str(m.user)
        self.fields["new_manager"].queryset = candidates
        self.helper = _helper("reassign")


class JobSpecificationForm(forms.ModelForm):
    revision = RevisionField(required=True)

    class Meta:
        model = JobSpecification
        fields = ["purpose", "skills", "day_to_day", "long_term"]
        widgets = {
            name: Textarea(attrs={"rows": 5})
            for name in ["purpose", "skills", "day_to_day", "long_term"]
        }
        help_texts = {
            "skills": _("One per line."),
            "day_to_day": _("One per line."),
            "long_term": _("One per line."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["revision"].initial = self.instance.revision
            self.initial.update(self.instance.shown)  # the defaults in the editor's language
        self.helper = _helper("job-spec")


class MentoringSessionForm(forms.Form):
    key_account = forms.ModelChoiceField(queryset=KeyAccount.objects.none(), label=_("Account"))
    manager = UserChoiceField(queryset=User.objects.none(), label=_("Key account manager"))
    held_on = DateField(label=_("Held on"), widget=DATE_PICKER)
    topics = forms.MultipleChoiceField(
        label=_("Topics"),
        choices=MentoringTopic.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one topic.")},
    )
    notes = forms.CharField(
        label=_("What we discussed"), widget=Textarea(attrs={"rows": 5}), max_length=TEXT_MAX_CHARS
    )
    next_steps = forms.CharField(
        max_length=NOTE_MAX_CHARS,
        label=_("Agreed next steps"),
        required=False,
        widget=Textarea(attrs={"rows": 4}),
        help_text=_("One per line. Each can later become an action on the account's plan."),
    )
    next_steps_due_on = DateField(
        label=_("Next steps due by"),
        required=False,
        widget=DATE_PICKER,
    )

    def __init__(self, *args, accounts, managers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key_account"].queryset = accounts
        self.fields["manager"].queryset = managers
        self.fields["held_on"].initial = timezone.localdate()
        self.helper = _helper("mentoring")

    def clean_held_on(self):
        value = self.cleaned_data["held_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Log a session after it took place."))
        return value

    def clean(self):
        cleaned = super().clean()
        lines = [line.strip() for line in cleaned.get("next_steps", "").splitlines()]
        lines = [line for line in lines if line]
        too_long = [line for line in lines if len(line) > 250]
        if too_long:
            self.add_error("next_steps", _("Keep each next step under 250 characters."))
        if lines and not cleaned.get("next_steps_due_on"):
            self.add_error("next_steps_due_on", _("Say by when the next steps are due."))
        cleaned["step_lines"] = lines
        return cleaned

    def steps(self) -> list[NextStep]:
        due = self.cleaned_data.get("next_steps_due_on")
        return [NextStep(text=line, due_on=due) for line in self.cleaned_data["step_lines"]]
