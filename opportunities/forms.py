"""Forms validate and normalise input; services apply the rules and save."""

from functools import cache

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from accounts.models import KeyAccount, User
from common.conflicts import RevisionField, RevisionFormMixin
from common.limits import NOTE_MAX_CHARS, Textarea
from common.links import LinkField, LinksField, LinksReadOnce, prefetched, reuse_loaded_links
from discovery.models import Stakeholder

from . import services
from .models import BusinessUnit, ListPrice, Offering, Opportunity, WhiteSpaceCell, Workshop

SCORE_ERRORS = {
    "min_value": _("Scores run from 1 to 5; %(limit_value)s is the lowest."),
    "max_value": _("Scores run from 1 to 5; %(limit_value)s is the highest."),
    "invalid": _("Enter a whole number from 1 to 5."),
}
MONEY_ERRORS = {"min_value": _("Money amounts cannot be negative.")}


def _scale_help(scale: dict[int, str]) -> str:
    # "1 = none; 3 = some" (French: a no-break space before the semicolon).
    return pgettext("between the items of a list", "; ").join(
        f"{n} = {text}" for n, text in scale.items()
    )


def _score_field(label: str, scale: dict[int, str]) -> forms.IntegerField:
    # No initial value: a score nobody gave is empty ("not scored yet"), not a made-up 3.
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=5,
        required=False,
        error_messages=SCORE_ERRORS,
        # Joined when shown, in the reader's language.
        help_text=lazy(_scale_help, str)(scale),
        widget=forms.NumberInput(attrs={"min": 1, "max": 5, "step": 1}),
    )


def _money_field(label: str, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        initial=0,
        error_messages=MONEY_ERRORS,
        help_text=help_text,
    )


def team_users(account: KeyAccount):
    return User.objects.filter(memberships__key_account=account).order_by("first_name", "last_name")


def account_stakeholders(account: KeyAccount):
    return Stakeholder.objects.filter(key_account=account, archived_at__isnull=True).order_by(
        "name"
    )


class OpportunityForm(LinksReadOnce, forms.ModelForm):
    """Its links (owner, stakeholders, workshop) are read once, through their choices: the
    model's own checks that the rows exist are not run again (common.links)."""

    annual_value = _money_field(_("Estimated annual value"))
    profit_potential = _money_field(_("Profit potential (yearly)"), services.MONEY_BANDS_TEXT)
    strategic_value_us = _score_field(_("Strategic value for us (1–5)"), services.STRATEGIC_SCALE)
    strategic_value_customer = _score_field(
        _("Strategic value for the customer (1–5)"), services.STRATEGIC_SCALE
    )
    effort = _score_field(_("Effort (1–5)"), services.EFFORT_SCALE)
    risk = _score_field(_("Risk (1–5)"), services.RISK_SCALE)
    workshop = forms.ModelChoiceField(
        queryset=Workshop.objects.none(),
        required=False,
        label=_("Scored in workshop"),
        help_text=_("Pick the joint workshop if this scoring was done there; it links them."),
    )
    revision = RevisionField()

    class Meta:
        model = Opportunity
        fields = [
            "title",
            "description",
            "beneficiary",
            "lever",
            "annual_value",
            "profit_potential",
            "strategic_value_us",
            "strategic_value_customer",
            "effort",
            "risk",
            "identified_on",
            "expected_start_on",
            "owner",
            "source",
            "stakeholders",
            "status",
            "is_internal",
        ]
        field_classes = {"owner": LinkField, "stakeholders": LinksField}
        widgets = {
            "identified_on": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "expected_start_on": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "description": Textarea(attrs={"rows": 3}),
            "stakeholders": forms.CheckboxSelectMultiple,
        }
        labels = {
            "identified_on": _("Identified on"),
            "is_internal": _("Internal only"),
            "title": _("Title"),
            "description": _("Description"),
            "lever": _("Lever"),
            "owner": _("Owner"),
            "source": _("Source"),
            "stakeholders": _("Stakeholders"),
            "status": _("Status"),
        }

    def __init__(self, *args, account: KeyAccount, submit_label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        submit_label = submit_label or gettext("Save")
        self.account = account
        # Its owner and stakeholders as they are stay offered (and chosen) after the owner
        # left the team or a stakeholder was archived, marked so: the select drew no owner and
        # an unrelated save cleared it, and unlinked the archived stakeholders.
        owner_id = self.instance.owner_id if self.instance.pk else None
        self.fields["owner"].queryset = (
            User.objects.filter(Q(memberships__key_account=account) | Q(pk=owner_id))
            .distinct()
            .order_by("first_name", "last_name")
            if owner_id
            else team_users(account)
        )
        self.fields["owner"].help_text = gettext("Someone on the account team.")
        if owner_id:

            @cache
            def owner_left() -> bool:  # asked only when the choices are drawn
                return not account.memberships.filter(user_id=owner_id).exists()

            self.fields["owner"].label_from_instance = lambda user: (
                gettext("%(name)s (no longer on the team)") % {"name": user}
                if user.pk == owner_id and owner_left()
                else str(user)
            )
        linked_here = Q(opportunities=self.instance) if self.instance.pk else Q(pk__in=[])
        self.fields["stakeholders"].queryset = (
            Stakeholder.objects.filter(key_account=account)
            .filter(Q(archived_at__isnull=True) | linked_here)
            .distinct()
            .order_by("name")
        )
        self.fields["stakeholders"].label_from_instance = lambda stakeholder: (
            str(stakeholder)
            if stakeholder.archived_at is None
            else gettext("%(name)s (archived)") % {"name": stakeholder}
        )
        self.fields["stakeholders"].required = False
        self.fields["workshop"].queryset = Workshop.objects.filter(key_account=account)
        # Its date as the reader writes dates (the model's name of it has the ISO date).
        self.fields["workshop"].label_from_instance = lambda workshop: (
            f"{workshop.title} ({date_format(workshop.held_on, 'SHORT_DATE_FORMAT')})"
        )
        # The owner and the stakeholders linked now, if the page read them with the
        # opportunity (selectors.opportunity_detail), are taken as read when sent back: the
        # service checks the owner's team (a former member kept is let be); a linked
        # stakeholder is among the choices, archived or not.
        reuse_loaded_links(self, ("owner",))
        linked = prefetched(self.instance, "stakeholders")
        if linked is not None:
            self.fields["stakeholders"].loaded = list(linked)
        # A white-space cell or a customer's proposal is where an opportunity came from, set
        # by that step: offered only to the opportunity that has it.
        set_by_a_step = (Opportunity.Source.WHITE_SPACE, Opportunity.Source.CUSTOMER)
        self.fields["source"].choices = [
            c
            for c in Opportunity.Source.choices
            if c[0] not in set_by_a_step or c[0] == self.instance.source
        ]
        if self.instance.pk:
            self.fields["status"].help_text = gettext(
                "Dropped here is logged without a reason: to give one, record a decision instead."
            )
        else:
            # The empty instance's None would win over a field initial.
            self.initial["identified_on"] = self.initial.get("identified_on") or (
                timezone.localdate()
            )
            del self.fields["status"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", submit_label))

    def clean(self):
        cleaned = super().clean()
        given = {
            name: cleaned.get(name) is not None
            for name in services.SCORE_FIELDS
            if name not in self.errors
        }
        if any(given.values()) and not all(given.values()):
            for name, ok in given.items():
                if not ok:
                    self.add_error(name, services.SCORES_ALL_OR_NONE)
        start, identified = cleaned.get("expected_start_on"), cleaned.get("identified_on")
        if start and identified and start < identified:
            self.add_error(
                "expected_start_on",
                _(
                    "The expected close/start date cannot be before the date the idea was "
                    "identified (%(date)s)."
                )
                % {"date": date_format(identified, "PADDED_DATE_FORMAT")},
            )
        return cleaned

    def service_values(self) -> dict:
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name in services.EDITABLE_FIELDS
        }


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=Opportunity.Decision.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Pursue moves an idea or qualified opportunity to pursuing (and reopens a "
            "dropped one); drop sets it to dropped; hold keeps the status. A won or lost "
            "opportunity takes no decision."
        ),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=NOTE_MAX_CHARS,
        widget=Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give a reason for the decision.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", gettext("Record decision")))

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give a reason for the decision."))
        return reason


class WorkshopForm(RevisionFormMixin, forms.ModelForm):
    revision = RevisionField()

    class Meta:
        model = Workshop
        fields = ["title", "held_on", "participants", "stakeholders", "agenda", "outcomes"]
        widgets = {
            "held_on": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "participants": forms.CheckboxSelectMultiple,
            "stakeholders": forms.CheckboxSelectMultiple,
            "agenda": Textarea(attrs={"rows": 4}),
            "outcomes": Textarea(attrs={"rows": 4}),
        }
        labels = {
            "held_on": _("Date"),
            "participants": _("Our participants (account team)"),
            "stakeholders": _("Customer stakeholders"),
            "title": _("Title"),
            "agenda": _("Agenda"),
            "outcomes": _("Outcomes"),
        }

    def __init__(self, *args, account: KeyAccount, **kwargs):
        super().__init__(*args, **kwargs)
        # Who took part stays on the record: someone who left the team since, or a
        # stakeholder archived since, is still offered (and ticked) on this workshop's edit
        # form, or any later save (the outcomes written up) would remove them from it.
        took_part = Q(workshops=self.instance) if self.instance.pk else Q(pk__in=[])
        self.fields["participants"].queryset = (
            User.objects.filter(Q(memberships__key_account=account) | took_part)
            .distinct()
            .order_by("first_name", "last_name")
        )
        self.fields["stakeholders"].queryset = (
            Stakeholder.objects.filter(key_account=account)
            .filter(Q(archived_at__isnull=True) | took_part)
            .distinct()
            .order_by("name")
        )
        team = set(team_users(account).values_list("pk", flat=True)) if self.instance.pk else None
        self.fields["participants"].label_from_instance = lambda user: (
            str(user)
            if team is None or user.pk in team
            else gettext("%(name)s (no longer on the team)") % {"name": user}
        )
        self.fields["stakeholders"].label_from_instance = lambda stakeholder: (
            str(stakeholder)
            if stakeholder.archived_at is None
            else gettext("%(name)s (archived)") % {"name": stakeholder}
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", gettext("Save workshop")))


class OfferingForm(RevisionFormMixin, forms.ModelForm):
    revision = RevisionField()

    class Meta:
        model = Offering
        fields = ["name", "description"]
        labels = {
            "name": _("Name"),
            "description": _("Description"),
        }
        widgets = {"description": Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", gettext("Save offering")))

    def validate_unique(self):
        # The service checks the name against the catalogue (case-insensitive).
        pass


class ListPriceForm(forms.ModelForm):
    class Meta:
        model = ListPrice
        fields = ["currency", "unit", "unit_price", "valid_from", "valid_until"]
        widgets = {
            "valid_from": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "valid_until": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        }
        labels = {
            "unit_price": _("List price per unit"),
            "valid_until": _("Valid until (optional)"),
            "currency": _("Currency"),
            "unit": _("Unit"),
            "valid_from": _("Valid from"),
        }
        help_texts = {"currency": _("Three letters, e.g. EUR.")}
        error_messages = {"unit_price": {"min_value": _("A list price cannot be negative.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].widget.attrs.update({"maxlength": 3, "size": 4})
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", gettext("Add to the price list")))

    def clean_currency(self):
        currency = self.cleaned_data["currency"].strip().upper()
        if len(currency) != 3 or not currency.isalpha():
            raise forms.ValidationError(_("Use the three-letter currency code, e.g. EUR."))
        return currency

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("The price cannot end before it starts."))
        return cleaned

    def validate_unique(self):
        pass  # the service checks the periods


class BusinessUnitForm(RevisionFormMixin, forms.ModelForm):
    revision = RevisionField()

    class Meta:
        model = BusinessUnit
        fields = ["name"]
        labels = {"name": _("Business unit or buying centre")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", gettext("Save unit")))

    def validate_unique(self):
        pass


CELL_STATE_CHOICES = [(services.OPEN, _("Open (white space)")), *WhiteSpaceCell.State.choices]


class CellStateForm(forms.Form):
    unit = forms.IntegerField(widget=forms.HiddenInput)
    offering = forms.IntegerField(widget=forms.HiddenInput)
    state = forms.ChoiceField(label=_("State"), choices=CELL_STATE_CHOICES, required=False)
    # The cell's revision (0 while it has no row): see services.white_space_cell_set.
    revision = RevisionField()


class CellForm(forms.Form):
    unit = forms.IntegerField(widget=forms.HiddenInput)
    offering = forms.IntegerField(widget=forms.HiddenInput)
