"""Forms validate and normalise what people type; services apply the rules and save."""

from decimal import Decimal
from functools import partial

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import BuySellPosition, KeyAccount, RelationshipStage
from common.conflicts import RevisionField, RevisionFormMixin
from common.dates import DateField
from common.limits import LONG_TEXT_MAX_CHARS, NOTE_MAX_CHARS, Textarea
from common.links import LinkField, LinksReadOnce, reuse_loaded_links

from .models import (
    Competitor,
    FinancialRatio,
    Interview,
    LifetimeValueAssumption,
    OpportunityIdea,
    ProfitabilityYear,
    Stakeholder,
)
from .selectors import team_users
from .services import MAX_HORIZON_YEARS


def _horizon_error() -> str:
    return gettext("The horizon must be between 1 and %(max)s years.") % {"max": MAX_HORIZON_YEARS}


# Formatted when shown, in the reader's language.
HORIZON_ERROR = lazy(_horizon_error, str)()

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _helper() -> FormHelper:
    # The templates write the <form> tag themselves (action, csrf, buttons).
    helper = FormHelper()
    helper.form_tag = False
    return helper


class ProfileSectionForm(forms.Form):
    content = forms.CharField(
        max_length=LONG_TEXT_MAX_CHARS, widget=Textarea(attrs={"rows": 12}), required=False
    )
    revision = RevisionField(required=True)

    def __init__(self, *args, label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content"].label = label or _("Content")
        self.helper = _helper()


class FinancialRatioForm(RevisionFormMixin, forms.ModelForm):
    revision = RevisionField()

    class Meta:
        model = FinancialRatio
        fields = ["name", "value", "year"]
        labels = {
            "name": _("Ratio"),
            "value": _("Value"),
            "year": _("Year"),
        }
        help_texts = {"name": _("e.g. EBITDA margin %, current ratio, revenue growth %")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class CompetitorForm(RevisionFormMixin, forms.ModelForm):
    revision = RevisionField()

    class Meta:
        model = Competitor
        fields = ["name", "offering", "strength", "threat_level"]
        labels = {
            "name": _("Name"),
            "strength": _("Strength"),
            "threat_level": _("Threat level"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


def _reports_to_choices(account: KeyAccount, pk: int | None):
    """Whom a stakeholder may report to: the account's other active stakeholders."""
    others = Stakeholder.objects.filter(key_account=account, archived_at__isnull=True)
    if pk:
        others = others.exclude(pk=pk)
    return others.order_by("name")


class StakeholderForm(LinksReadOnce, RevisionFormMixin, forms.ModelForm):
    """Its links are read once (common.links): the owner the stakeholder has is taken as read
    with them (the service checks the owner's team again), a new owner and the reports-to
    person through their choices; the model's own checks of both are not run again."""

    revision = RevisionField()

    class Meta:
        model = Stakeholder
        fields = [
            "name",
            "title",
            "department",
            "email",
            "language",
            "buying_role",
            "influence",
            "attitude",
            "owner",
            "last_contact_on",
            "reports_to",
            "notes",
        ]
        labels = {
            "buying_role": _("Role in the buying decision"),
            "attitude": _("Attitude to us"),
            "owner": _("Our relationship owner"),
            "last_contact_on": _("Last contact"),
            "reports_to": _("Reports to"),
            "name": _("Name"),
            "title": _("Title"),
            "department": _("Department"),
            "email": _("Email"),
            "influence": _("Influence"),
            "notes": _("Notes"),
        }
        help_texts = {"owner": _("Someone on the account team.")}
        widgets = {"last_contact_on": DATE, "notes": Textarea(attrs={"rows": 4})}
        field_classes = {"owner": LinkField, "reports_to": LinkField}

    def __init__(self, *args, account: KeyAccount, **kwargs):
        super().__init__(*args, **kwargs)
        # Built when first read (LinkField): a save that keeps its owner never reads the team.
        self.fields["owner"].queryset = partial(team_users, account)
        self.fields["reports_to"].queryset = partial(_reports_to_choices, account, self.instance.pk)
        # Not the reports-to person: an archived one is no longer among the choices.
        reuse_loaded_links(self, ("owner",))
        # Empty says what it means rather than "---------".
        self.fields["language"].choices = [("", _("The sender's language")), *settings.LANGUAGES]
        # The same language opens their workspace pages (workspace.access.page_language).
        self.fields["language"].help_text = _(
            "Also the language their workspace pages open in. Leave empty to write in the "
            "language of whoever sends the e-mail; their workspace then follows their browser."
        )
        self.helper = _helper()

    def clean_last_contact_on(self):
        value = self.cleaned_data.get("last_contact_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The last contact cannot be in the future."))
        return value


class InterviewForm(LinksReadOnce, RevisionFormMixin, forms.ModelForm):
    """Its links (interviewer, stakeholders met) are read once, through their choices."""

    revision = RevisionField()

    class Meta:
        model = Interview
        fields = [
            "held_on",
            "interviewer",
            "stakeholders",
            "notes",
            "needs_learned",
            "validated",
            "contradicted",
        ]
        labels = {
            "held_on": _("Date"),
            "stakeholders": _("Stakeholders met"),
            "interviewer": _("Interviewer"),
            "needs_learned": _("Needs learned"),
        }
        widgets = {
            "held_on": DATE,
            "stakeholders": forms.CheckboxSelectMultiple,
            "notes": Textarea(attrs={"rows": 6}),
            "needs_learned": Textarea(attrs={"rows": 3}),
            "validated": Textarea(attrs={"rows": 3}),
            "contradicted": Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, account: KeyAccount, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interviewer"].queryset = team_users(account)
        self.fields["interviewer"].required = True
        # Active stakeholders, plus anyone archived since who was met in this interview.
        met = Q(interviews=self.instance) if self.instance.pk else Q(pk__in=[])
        self.fields["stakeholders"].queryset = (
            Stakeholder.objects.filter(key_account=account)
            .filter(Q(archived_at__isnull=True) | met)
            .distinct()
            .order_by("name")
        )
        self.helper = _helper()


class IdeaForm(forms.ModelForm):
    prefix = "idea"

    class Meta:
        model = OpportunityIdea
        fields = ["title", "description"]
        labels = {
            "title": _("Idea"),
            "description": _("Description"),
        }
        widgets = {"description": Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class RelationshipForm(forms.Form):
    relationship_stage = forms.ChoiceField(
        label=_("Relationship stage"), choices=RelationshipStage.choices
    )
    buy_sell_position = forms.ChoiceField(
        label=_("Buy–sell position (how the customer sees us)"), choices=BuySellPosition.choices
    )
    service_level = forms.ChoiceField(
        label=_("Service level offered (built for which stage)"), choices=RelationshipStage.choices
    )
    changed_on = DateField(label=_("Date of the change"), widget=DATE)
    reason = forms.CharField(
        max_length=NOTE_MAX_CHARS, widget=Textarea(attrs={"rows": 3}), label=_("Why")
    )
    # The account's revision: moves with each recorded relationship change.
    revision = RevisionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


MONEY_FIELDS = ProfitabilityYear.MONEY_FIELDS


class ProfitabilityYearForm(RevisionFormMixin, forms.ModelForm):
    revision = RevisionField()

    class Meta:
        model = ProfitabilityYear
        fields = ["year", *MONEY_FIELDS]
        labels = {
            "gross_sales": _("Gross sales"),
            "cost_of_goods": _("Cost of goods"),
            "discounts": _("Cost to serve: discounts"),
            "rebates": _("Cost to serve: rebates"),
            "transport": _("Cost to serve: transport"),
            "returns": _("Cost to serve: returns"),
            "customer_service": _("Cost to serve: customer service"),
            "kam_team_cost": _("Cost to serve: the KAM team's own cost"),
            "other_costs": _("Cost to serve: other"),
            "year": _("Year"),
        }
        help_texts = {
            "year": _("Actual results: this year or an earlier one."),
            "cost_of_goods": _(
                "What the products sold to this account cost us (materials, production). "
                "Gross margin = gross sales − cost of goods; it is not a cost to serve."
            ),
            "other_costs": _(
                "Other costs of serving this account (e.g. dedicated stock, "
                "packaging, credit). Not the cost of goods: that has its own line."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean(self):
        cleaned = super().clean()
        for name in MONEY_FIELDS:
            value = cleaned.get(name)
            if value is not None and value < 0:
                label = self.fields[name].label
                self.add_error(
                    name,
                    _("%(label)s cannot be negative; enter the amount as positive.")
                    % {"label": label},
                )
        return cleaned


class LifetimeValueForm(RevisionFormMixin, forms.ModelForm):
    revision = RevisionField()

    base_profit = forms.DecimalField(
        label=_(
            "Year-1 base profit (leave empty to start from the latest year's computed net profit)"
        ),
        required=False,
        max_digits=14,
        decimal_places=2,
    )
    growth_rate_percent = forms.DecimalField(
        label=_("Yearly profit growth (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(-100),
        max_value=Decimal(100),
        error_messages={
            "min_value": _("The growth rate must be between −100 and 100 %%."),
            "max_value": _("The growth rate must be between −100 and 100 %%."),
        },
    )
    discount_rate_percent = forms.DecimalField(
        label=_("Discount rate (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
        error_messages={
            "min_value": _("The discount rate must be between 0 and 100 %%."),
            "max_value": _("The discount rate must be between 0 and 100 %%."),
        },
    )
    horizon_years = forms.IntegerField(
        label=_("Horizon (years)"),
        min_value=1,
        max_value=MAX_HORIZON_YEARS,
        error_messages={
            "min_value": HORIZON_ERROR,
            "max_value": HORIZON_ERROR,
        },
    )

    class Meta:
        model = LifetimeValueAssumption
        fields = ["base_profit", "growth_rate_percent", "discount_rate_percent", "horizon_years"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class NewStakeholderMixin(forms.Form):
    """A customer stakeholder typed in right where one is needed (the plan's engagement form,
    the meeting form, the plan's quick start), without a detour through the Stakeholders tab.
    `new_stakeholder()` gives the typed person (or None); the view's service creates them with
    discovery.services.stakeholder_quick_add in the same transaction as the rest."""

    new_stakeholder_name = forms.CharField(
        label=_("New stakeholder: name"),
        max_length=200,
        required=False,
        help_text=_("Not listed yet? Type their name to add them to the account's stakeholders."),
    )
    new_stakeholder_title = forms.CharField(
        label=_("New stakeholder: role (job title)"), max_length=200, required=False
    )
    new_stakeholder_email = forms.EmailField(
        label=_("New stakeholder: e-mail"), max_length=254, required=False
    )

    NEW_STAKEHOLDER_FIELDS = (
        "new_stakeholder_name",
        "new_stakeholder_title",
        "new_stakeholder_email",
    )

    def clean(self):
        data = super().clean()
        name = (data.get("new_stakeholder_name") or "").strip()
        if not name and (data.get("new_stakeholder_title") or data.get("new_stakeholder_email")):
            self.add_error("new_stakeholder_name", _("Give the new stakeholder's name."))
        return data

    def new_stakeholder(self) -> dict | None:
        return typed_stakeholder(self.cleaned_data)


def typed_stakeholder(cleaned_data: dict) -> dict | None:
    """The new stakeholder typed into a NewStakeholderMixin form (keyword arguments for
    stakeholder_quick_add), or None."""
    name = (cleaned_data.get("new_stakeholder_name") or "").strip()
    if not name:
        return None
    return {
        "name": name,
        "title": cleaned_data.get("new_stakeholder_title") or "",
        "email": cleaned_data.get("new_stakeholder_email") or "",
    }
