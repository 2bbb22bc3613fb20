"""Forms for the review decision and digest settings. They validate; services write."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Classification
from common.conflicts import RevisionField
from common.dates import DateField
from common.limits import TEXT_MAX_CHARS, Textarea
from planning.models import Review
from strategy.rules import annual_review_too_late, latest_annual_review

from .models import DigestPreference


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False  # templates write the <form> element and the submit button
    helper.disable_csrf = True
    return helper


class ReviewCompleteForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=Review.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _(
                "Choose a decision: keep, propose a class change or propose de-selection."
            )
        },
    )
    proposed_class = forms.ChoiceField(
        choices=[("", "—")] + list(Classification.choices),
        required=False,
        label=_("Proposed class (for a class change)"),
    )
    comments = forms.CharField(
        label=_("Comments"),
        widget=Textarea(attrs={"rows": 5}),
        required=False,
        max_length=TEXT_MAX_CHARS,
        help_text=_("Needed for a proposal: the director decides from what you write here."),
    )

    def __init__(self, *args, current_class: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.current_class = current_class
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        proposed = data.get("proposed_class", "")
        if decision == Review.Decision.CHANGE_CLASS:
            if not proposed:
                self.add_error("proposed_class", _("Choose the class you propose."))
            elif proposed == self.current_class:
                self.add_error(
                    "proposed_class",
                    _("That is the account's class already; choose another class or keep it."),
                )
        if (
            decision in (Review.Decision.CHANGE_CLASS, Review.Decision.DESELECT)
            and not (data.get("comments") or "").strip()
        ):
            self.add_error("comments", _("Say why: the director decides on the proposal from it."))
        return data


class DigestPreferenceForm(forms.ModelForm):
    revision = RevisionField()

    class Meta:
        model = DigestPreference
        fields = [
            "frequency",
            "actions",
            "meetings_without_agenda",
            "meetings_follow_up",
            "reviews",
            "stale_plans",
            "engagements",
            "monitoring",
            "quotes",
            "approvals",
        ]
        labels = {"frequency": _("Frequency")}
        widgets = {"frequency": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        if not self.is_bound and self.instance is not None:
            self.initial["revision"] = self.instance.revision


class AnnualReviewCompleteForm(forms.Form):
    next_review_on = DateField(
        label=_("Next annual review on"),
        # A date input takes only an ISO value: the locale's 03/12/2027 is invalid HTML and
        # shows an empty field.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Programme admins are reminded 30 days before."),
    )

    def __init__(self, *args, today, starts_on=None, **kwargs):
        latest = latest_annual_review(today=today, starts_on=starts_on)
        kwargs.setdefault("initial", {"next_review_on": latest})
        super().__init__(*args, **kwargs)
        self.today = today
        self.starts_on = starts_on
        self.helper = _helper()

    def clean_next_review_on(self):
        value = self.cleaned_data["next_review_on"]
        if value <= self.today:
            raise forms.ValidationError(_("The next review must be after today."))
        too_late = annual_review_too_late(value, today=self.today, starts_on=self.starts_on)
        if too_late:
            raise forms.ValidationError(too_late)
        return value
