"""Forms for Stage 1. They validate and normalise; services write."""

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.core.validators import MinValueValidator
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import Classification, Customer, Programme, User
from common.conflicts import RevisionField, RevisionFormMixin
from common.dates import LATEST
from common.limits import NOTE_MAX_CHARS, TEXT_MAX_CHARS, Textarea

from .models import RoadmapItem, SelectionCriterion
from .rules import annual_review_too_late
from .services import SCALE_MAX, SCALE_MIN

NEGATIVE_MONEY = _("Money amounts cannot be negative.")

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _HelperMixin:
    def _helper(self):
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


def _people():
    return User.objects.filter(is_active=True).order_by("first_name", "last_name", "username")


class ProgrammeForm(_HelperMixin, forms.ModelForm):
    revision = RevisionField()
    business_strategy_url = forms.URLField(
        label=_("Link to the business strategy"),
        required=False,
        assume_scheme="https",
        max_length=200,
    )

    class Meta:
        model = Programme
        fields = [
            "name",
            "trigger",
            "rationale",
            "business_strategy",
            "business_strategy_url",
            "objectives",
            "starts_on",
            "ends_on",
            "annual_review_on",
            "net_profit_target",
            "net_profit_target_year",
        ]
        labels = {
            "trigger": _("What triggered the programme"),
            "business_strategy_url": _("Link to the business strategy"),
            "objectives": _("KAM objectives"),
            "starts_on": _("Starts on"),
            "ends_on": _("Ends on"),
            "annual_review_on": _("Next annual review"),
            "name": _("Name"),
            "rationale": _("Rationale"),
            "business_strategy": _("Business strategy"),
            "net_profit_target": _("Net profit target"),
            "net_profit_target_year": _("Year of the profit target"),
        }
        help_texts = {"objectives": _("One objective per line.")}
        widgets = {
            "rationale": Textarea(attrs={"rows": 4}),
            "business_strategy": Textarea(attrs={"rows": 3}),
            "objectives": Textarea(attrs={"rows": 4}),
            "starts_on": DATE_INPUT,
            "ends_on": DATE_INPUT,
            "annual_review_on": DATE_INPUT,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The programme cannot end before it starts."))
        review_on = data.get("annual_review_on")
        # Only a newly typed date is checked: an overdue review date that was already saved
        # must not block saving the rest of the programme.
        if (
            review_on
            and "annual_review_on" in self.changed_data
            and review_on < timezone.localdate()
        ):
            self.add_error(
                "annual_review_on",
                _("The next annual review cannot be in the past: pick today or a later date."),
            )
        elif review_on and "annual_review_on" in self.changed_data and review_on <= LATEST:
            # (A date past the window gets the window's message, from the model field.)
            too_late = annual_review_too_late(
                review_on, today=timezone.localdate(), starts_on=starts
            )
            if too_late:
                self.add_error("annual_review_on", too_late)
        return data


class MatrixSettingsForm(RevisionFormMixin, _HelperMixin, forms.ModelForm):
    revision = RevisionField()

    class Meta:
        model = Programme
        fields = ["attractiveness_threshold", "strength_threshold", "key_account_limit_percent"]
        labels = {
            "attractiveness_threshold": _("Attractiveness split (0–100)"),
            "strength_threshold": _("Business strength split (0–100)"),
            "key_account_limit_percent": _("Key account limit (% of customers)"),
        }
        # The model's help texts (accounts/models.py), in the language of the page.
        help_texts = {
            "attractiveness_threshold": _(
                "Scores at or above this are 'high attractiveness' (0-100)."
            ),
            "strength_threshold": _(
                "Scores at or above this are 'high business strength' (0-100)."
            ),
            "key_account_limit_percent": _(
                "Warn when key accounts exceed this share of all customers."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class RoadmapItemForm(RevisionFormMixin, _HelperMixin, forms.ModelForm):
    revision = RevisionField()

    class Meta:
        model = RoadmapItem
        fields = ["kind", "title", "due_on", "owner", "done"]
        labels = {
            "due_on": _("Date"),
            "done": _("Done"),
            "kind": _("Kind"),
            "title": _("Title"),
            "owner": _("Owner"),
        }
        widgets = {"due_on": DATE_INPUT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _people()
        self._helper()


WEIGHT_MAX = 1000


class CriterionForm(RevisionFormMixin, _HelperMixin, forms.ModelForm):
    revision = RevisionField()

    class Meta:
        model = SelectionCriterion
        fields = ["axis", "name", "description", "weight", "scale_1", "scale_3", "scale_5"]
        labels = {
            "description": _("Description"),
            "weight": _("Weight"),
            "axis": _("Axis"),
            "name": _("Name"),
        }
        widgets = {"description": Textarea(attrs={"rows": 2})}
        help_texts = {
            "weight": _("A whole number from 1 to 1000. Shares per axis are shown as percentages."),
        }
        error_messages = {
            "weight": {"min_value": _("Weights must be positive: use 1 or more.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["weight"].min_value = 1
        self.fields["weight"].widget.attrs["min"] = 1
        self.fields["weight"].widget.attrs["max"] = WEIGHT_MAX
        self._helper()

    def clean_weight(self):
        weight = self.cleaned_data.get("weight")
        if weight is not None and weight < 1:
            raise forms.ValidationError(_("Weights must be positive: use 1 or more."))
        if weight is not None and weight > WEIGHT_MAX:
            # Weights are relative; the same limit on every database (SQLite takes any
            # integer, PostgreSQL's small integer stops at 32767).
            raise forms.ValidationError(
                _("A weight is at most %(max)s: weights only count against each other.")
                % {"max": WEIGHT_MAX}
            )
        return weight


class CustomerForm(RevisionFormMixin, _HelperMixin, forms.ModelForm):
    revision = RevisionField()

    class Meta:
        model = Customer
        fields = [
            "reference",
            "name",
            "sector",
            "country",
            "annual_revenue",
            "potential_spend",
            "notes",
        ]
        labels = {
            "reference": _("Reference"),
            "name": _("Name"),
            "sector": _("Sector"),
            "country": _("Country"),
            "annual_revenue": _("Annual revenue with us"),
            "potential_spend": _("Potential spend"),
            "notes": _("Notes"),
        }
        widgets = {"notes": Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("annual_revenue", "potential_spend"):
            # A validator, not `min_value`: the field built its validators from its arguments
            # already, so setting `min_value` now only drew the browser's arrow; a negative
            # amount (a browser without the check, the API) met the database constraint's
            # "Constraint … is violated" above the form instead of the field's own message.
            self.fields[name].validators.append(MinValueValidator(0, message=NEGATIVE_MONEY))
            self.fields[name].widget.attrs["min"] = 0
        self._helper()


class CustomerImportForm(forms.Form):
    """The file is read and checked by strategy.customer_import (through common.uploads), whose
    limits the help text states."""

    file = forms.FileField(label=_("CSV file"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = ngettext(
            "Columns: reference, name, sector, country, annual_revenue, potential_spend, notes, "
            "and a score column per criterion if you import scores. "
            "Up to %(size)s and %(rows)s row. "
            "Customers are matched on reference: importing a file again updates them.",
            "Columns: reference, name, sector, country, annual_revenue, potential_spend, notes, "
            "and a score column per criterion if you import scores. "
            "Up to %(size)s and %(rows)s rows. "
            "Customers are matched on reference: importing a file again updates them.",
            settings.KAM_UPLOAD_MAX_ROWS,
        ) % {
            "size": filesizeformat(settings.KAM_UPLOAD_MAX_BYTES),
            "rows": number_format(settings.KAM_UPLOAD_MAX_ROWS, force_grouping=True),
        }
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


SCALE_CHOICES = [("", _("Not scored"))] + [
    (str(n), str(n)) for n in range(SCALE_MIN, SCALE_MAX + 1)
]


class ScoreForm(forms.Form):
    """One field per active criterion, named `criterion_<id>`; blank means not scored."""

    revision = RevisionField()

    def __init__(self, *args, criteria, initial_scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        initial_scores = initial_scores or {}
        for criterion in criteria:
            name = f"criterion_{criterion.pk}"
            self.fields[name] = forms.TypedChoiceField(
                label=criterion.name,
                choices=SCALE_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                initial=initial_scores.get(criterion.pk),
                widget=forms.RadioSelect,
                error_messages={
                    # The criterion and the scale are filled in now; Django fills %(value)s.
                    "invalid_choice": _(
                        "%(value)s is outside the scale; score %(criterion)s from "
                        "%(low)s to %(high)s, or leave it not scored."
                    )
                    % {
                        "value": "%(value)s",
                        "criterion": criterion.name,
                        "low": SCALE_MIN,
                        "high": SCALE_MAX,
                    }
                },
            )
            criterion.field_name = name

    def rows(self):
        """(criterion, bound field) pairs for the template."""
        return [(c, self[c.field_name]) for c in self.criteria]

    def scores(self) -> dict[int, int | None]:
        return {c.pk: self.cleaned_data.get(c.field_name) for c in self.criteria}

    def focus_field(self) -> str | None:
        """The criterion whose first option takes the focus when the form opens: the first one
        in error after a failed save, else the first (inplace.focus_first_field leaves groups of
        radios alone: each of their inputs would carry `autofocus`)."""
        names = [c.field_name for c in self.criteria]
        return next((name for name in names if name in self.errors), names[0] if names else None)


class SelectForm(_HelperMixin, forms.Form):
    classification = forms.ChoiceField(
        label=_("Classification"),
        choices=Classification.choices,
        help_text=_("Starts with the class the scores give; a director may decide otherwise."),
    )
    rationale = forms.CharField(
        max_length=TEXT_MAX_CHARS,
        label=_("Why this customer should be a key account"),
        widget=Textarea(attrs={"rows": 4}),
    )
    director = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Key account director"))
    manager = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Key account manager"))

    def __init__(self, *args, scored_class: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["director"].queryset = _people()
        self.fields["manager"].queryset = _people()
        if scored_class:
            self.initial.setdefault("classification", scored_class)
        else:
            # No class from the scores yet: the director chooses one, nothing is pre-filled
            # as if the scores had given it.
            self.fields["classification"].choices = [
                ("", _("Choose a class")),
                *Classification.choices,
            ]
            self.fields["classification"].help_text = _(
                "The scores give no class yet (an axis has no score): choose one."
            )
            self.fields["classification"].error_messages["required"] = _(
                "Choose a class: the scores give none yet."
            )
        self._helper()

    def clean(self):
        data = super().clean()
        if data.get("director") and data.get("director") == data.get("manager"):
            self.add_error("manager", _("The director and the manager must be two people."))
        return data


class DeselectForm(_HelperMixin, forms.Form):
    reason = forms.CharField(
        max_length=NOTE_MAX_CHARS,
        label=_("Reason for de-selecting"),
        widget=Textarea(attrs={"rows": 4}),
        help_text=_("Kept on the account's timeline. The account plan is archived."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class ReclassifyForm(_HelperMixin, forms.Form):
    classification = forms.ChoiceField(choices=Classification.choices, label=_("New class"))
    reason = forms.CharField(
        max_length=NOTE_MAX_CHARS,
        label=_("Why the class changes"),
        widget=Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, current: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current
        self._helper()

    def clean_classification(self):
        value = self.cleaned_data["classification"]
        if value == self.current:
            raise forms.ValidationError(
                _("The account is already %(classification)s; choose another class.")
                % {"classification": Classification(value).label}
            )
        return value
