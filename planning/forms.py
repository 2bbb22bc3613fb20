"""Small forms, one per plan section or item. They validate and normalise; services write."""

from __future__ import annotations

import functools
import re
from datetime import timedelta

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accounts.models import KeyAccount
from accounts.selectors import user_today
from common.conflicts import RevisionField
from common.dates import DateField
from common.limits import NOTE_MAX_CHARS, TEXT_MAX_CHARS, Textarea
from common.links import LinkField, LinksReadOnce, reuse_loaded_links
from discovery.forms import NewStakeholderMixin
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
from .services import SECTIONS, QuickStart
from .snapshot import pursued_opportunities_q

PERIOD_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 /\-]{1,19}$")
NOT_ON_TEAM = _("Pick someone on the account team (director, manager, coordinator or team member).")
INTERNAL_LABEL = _("Internal (left out of the customer version)")
# The plan sections' fields carry no verbose name of their own: their labels, translated.
SECTION_LABELS = {
    "value_proposition": _("Value proposition"),
    "strengths": _("Strengths"),
    "weaknesses": _("Weaknesses"),
    "opportunities_swot": _("Opportunities (SWOT)"),
    "threats": _("Threats"),
    "critical_success_factors": _("Critical success factors"),
}


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


def default_owner(account: KeyAccount, user) -> int | None:
    """Who a new action (objective, engagement activity) is for unless the user says otherwise:
    the user when they are on the account team, else the account's manager."""
    team = team_users(account)
    if user is not None and team.filter(pk=user.pk).exists():
        return user.pk
    return (
        team.filter(memberships__key_account=account, memberships__role="manager")
        .values_list("pk", flat=True)
        .first()
    )


def team_users(account: KeyAccount):
    return (
        get_user_model()
        .objects.filter(memberships__key_account=account)
        .order_by("first_name", "last_name")
    )


class TeamMemberField(LinkField):
    def __init__(self, account: KeyAccount, **kwargs):
        kwargs.setdefault("error_messages", {"invalid_choice": NOT_ON_TEAM})
        super().__init__(queryset=functools.partial(team_users, account), **kwargs)


class RevisionMixin(forms.Form):
    """The revision the user started from; the service compares it to the saved one."""

    revision = RevisionField()


class PlanStartForm(forms.Form):
    period = forms.CharField(
        label=_("Period"),
        max_length=20,
        help_text=_("The planning period, e.g. FY2027 or 2027–2028."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean_period(self) -> str:
        period = self.cleaned_data["period"].strip()
        if not PERIOD_RE.match(period):
            raise forms.ValidationError(
                _("Use 2–20 letters, digits, spaces, / or - (for example FY2027).")
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
                label=SECTION_LABELS.get(name, str(model_field.verbose_name).capitalize()),
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


class ObjectiveForm(LinksReadOnce, RevisionMixin, forms.ModelForm):
    class Meta:
        model = Objective
        fields = ["title", "rationale", "owner", "due_on", "is_internal"]
        widgets = {"rationale": Textarea(attrs={"rows": 3}), "due_on": DateInput}
        labels = {"due_on": _("Due on"), "is_internal": INTERNAL_LABEL}

    def __init__(self, *args, account: KeyAccount, plan: AccountPlan, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = TeamMemberField(account, required=False, label=_("Owner"))
        if self.instance.pk:
            self.initial.setdefault("revision", self.instance.revision)
        else:
            self.initial.setdefault("owner", default_owner(account, user))
        self.helper = _helper()


class TargetForm(LinksReadOnce, RevisionMixin, forms.ModelForm):
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
            "aim",
            "due_on",
        ]
        widgets = {"baseline_on": DateInput, "due_on": DateInput}
        labels = {
            "kind": _("Kind"),
            "currency": _("Currency"),
            "unit": _("Unit"),
            "baseline": _("Baseline"),
            "baseline_on": _("Baseline date"),
            "target_value": _("Target"),
            "due_on": _("Due on"),
        }
        help_texts = {
            "kind": _("Revenue and net profit targets are summed on the portfolio dashboard."),
        }

    def __init__(self, *args, account: KeyAccount, plan: AccountPlan, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("revision", self.instance.revision)
        else:
            self.initial.setdefault("baseline_on", user_today(user))
        # Left out (an older form, a script): the target keeps what it was, else "other".
        for name in ("kind", "measure", "aim"):
            self.fields[name].required = False
        self.helper = _helper()

    def clean_aim(self):
        return self.cleaned_data["aim"] or self.instance.aim or Target.Aim.REACH

    def clean_kind(self):
        return self.cleaned_data["kind"] or self.instance.kind or Target.Kind.OTHER

    def clean_measure(self):
        return self.cleaned_data["measure"] or self.instance.measure or Target.Measure.OTHER

    def clean(self):
        data = super().clean()
        baseline_on, due_on = data.get("baseline_on"), data.get("due_on")
        if baseline_on and due_on and due_on < baseline_on:
            self.add_error("due_on", _("The due date must be on or after the baseline date."))
        baseline, target_value = data.get("baseline"), data.get("target_value")
        if (
            data.get("aim") == Target.Aim.REACH
            and baseline is not None
            and baseline == target_value
        ):
            # "Reach" a level the baseline already holds is met by that exact value only: the
            # trap the aims were made for (8.7 against "keep 8.5" read Off track).
            self.add_error(
                "aim",
                _(
                    "The target equals the baseline: a level to keep. Choose “Stay at or above "
                    "the target” or “Stay at or below the target”."
                ),
            )
        return data


class MeasurementForm(LinksReadOnce, forms.ModelForm):
    class Meta:
        model = Measurement
        fields = ["measured_on", "actual", "comment"]
        widgets = {"measured_on": DateInput}
        labels = {"measured_on": _("Date"), "actual": _("Actual value"), "comment": _("Comment")}

    def __init__(self, *args, account: KeyAccount, plan: AccountPlan, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class ActionForm(LinksReadOnce, RevisionMixin, forms.ModelForm):
    # A joint action: "ours" is owned by a team member, "theirs" by a customer stakeholder.
    SIDES = (
        ("ours", _("Ours (a team member)")),
        ("theirs", _("Theirs (a customer stakeholder)")),
    )
    side = forms.ChoiceField(
        choices=SIDES,
        initial="ours",
        widget=forms.RadioSelect,
        label=_("Whose action"),
        required=False,  # left out: theirs when only a customer owner is given, else ours
    )

    class Meta:
        model = Action
        fields = [
            "title",
            "opportunity",
            "objective",
            "side",
            "owner",
            "customer_owner",
            "due_on",
            "is_internal",
        ]
        field_classes = {
            "opportunity": LinkField,
            "objective": LinkField,
            "customer_owner": LinkField,
        }
        widgets = {"due_on": DateInput}
        labels = {
            "opportunity": _("For opportunity"),
            "objective": _("For objective"),
            "owner": _("Owner (ours)"),
            "customer_owner": _("Owner (theirs)"),
            "due_on": _("Due on"),
            "is_internal": INTERNAL_LABEL,
        }

    def __init__(self, *args, account: KeyAccount, plan: AccountPlan, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = TeamMemberField(account, required=False, label=_("Owner (ours)"))
        # The choices are built when first read (LinkField).
        self.fields["customer_owner"].queryset = lambda: Stakeholder.objects.filter(
            key_account=account, archived_at__isnull=True
        )
        if self.instance.pk and self.instance.customer_owner_id:
            self.initial.setdefault("side", "theirs")
        # Pursued and still live; an action already linked to one since lost keeps it.
        keep = [self.instance.opportunity_id] if self.instance.pk else ()
        self.fields["opportunity"].queryset = lambda: opportunities_to_link(
            account=account, within=pursued_opportunities_q(), keep=keep
        )
        self.fields["opportunity"].label_from_instance = opportunity_choice_label
        self.fields["objective"].queryset = lambda: Objective.objects.filter(plan=plan)
        # The current opportunity is kept among the choices, the current objective is the
        # plan's, and the service checks the owner is on the team.
        reuse_loaded_links(self, ("opportunity", "objective", "owner"))
        if self.instance.pk:
            self.initial.setdefault("revision", self.instance.revision)
        else:
            self.initial.setdefault("owner", default_owner(account, user))
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        side = data.get("side") or (
            "theirs" if data.get("customer_owner") and not data.get("owner") else "ours"
        )
        if side == "theirs":
            data["owner"] = None
            if not data.get("customer_owner"):
                self.add_error("customer_owner", _("Pick the customer stakeholder who owns it."))
        else:
            data["customer_owner"] = None
            if not data.get("owner") and "owner" not in self.errors:
                self.add_error("owner", _("Pick the team member who owns it."))
        return data


class ActionCancelForm(forms.Form):
    reason = forms.CharField(max_length=300, required=False, label=_("Why (optional)"))


class EngagementForm(LinksReadOnce, NewStakeholderMixin, RevisionMixin, forms.ModelForm):
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
            "our_person": _("Our person"),
            "stakeholder": _("Meets (customer stakeholder)"),
            "purpose": _("Purpose"),
            "cadence": _("Cadence"),
            "next_due_on": _("Next due on"),
            "last_held_on": _("Last held on"),
            "is_internal": INTERNAL_LABEL,
        }

    def __init__(self, *args, account: KeyAccount, plan: AccountPlan, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["our_person"] = TeamMemberField(account, label=_("Our person"))
        self.fields["stakeholder"].queryset = Stakeholder.objects.filter(
            key_account=account, archived_at__isnull=True
        )
        # Whom they meet: a listed stakeholder, or a new one typed in here.
        self.fields["stakeholder"].required = False
        order = list(self.fields)
        at = order.index("stakeholder") + 1
        rest = [n for n in order if n not in self.NEW_STAKEHOLDER_FIELDS]
        self.order_fields(rest[:at] + list(self.NEW_STAKEHOLDER_FIELDS) + rest[at:])
        if self.instance.pk:
            self.initial.setdefault("revision", self.instance.revision)
        else:
            # A new activity: me, monthly, first one due in a month.
            self.initial.setdefault("our_person", default_owner(account, user))
            self.initial.setdefault("cadence", EngagementActivity.Cadence.MONTHLY)
            self.initial.setdefault("next_due_on", user_today(user) + timedelta(days=30))
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        if (
            not data.get("stakeholder")
            and not self.new_stakeholder()
            and not self.has_error("new_stakeholder_name")
        ):
            self.add_error(
                "stakeholder",
                _("Pick the customer stakeholder they meet, or type a new one below."),
            )
        return data


class RiskForm(LinksReadOnce, RevisionMixin, forms.ModelForm):
    class Meta:
        model = PlanRisk
        fields = ["description", "likelihood", "impact", "mitigation", "owner", "is_internal"]
        widgets = {"mitigation": Textarea(attrs={"rows": 2})}
        labels = {
            "likelihood": _("Likelihood"),
            "impact": _("Impact"),
            "mitigation": _("Mitigation"),
            "is_internal": INTERNAL_LABEL,
        }

    def __init__(self, *args, account: KeyAccount, plan: AccountPlan, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = TeamMemberField(account, required=False, label=_("Owner"))
        if self.instance.pk:
            self.initial.setdefault("revision", self.instance.revision)
        self.helper = _helper()


class ReturnForm(forms.Form):
    comment = forms.CharField(
        max_length=NOTE_MAX_CHARS,
        widget=Textarea(attrs={"rows": 3}),
        label=_("What needs to change"),
    )

    def __init__(self, *args, **kwargs):
        # The plan page shows this form beside ApproveForm: both have a `comment`, and one
        # page may not hold two elements with the same id.
        kwargs.setdefault("auto_id", "id_return_%s")
        super().__init__(*args, **kwargs)


class ApproveForm(forms.Form):
    comment = forms.CharField(
        max_length=NOTE_MAX_CHARS,
        widget=Textarea(attrs={"rows": 2}),
        label=_("Comment (optional)"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_approve_%s")  # see ReturnForm
        super().__init__(*args, **kwargs)


QUICK_ACTION_ROWS = 3


class QuickStartForm(NewStakeholderMixin, forms.Form):
    """A new plan on one screen: its period, value proposition and critical success factors,
    a first objective with a measurable target, a few actions and one engagement activity.
    Every part but the period may be left empty; the defaults are the usual answers (owner:
    the user, baseline date: today, cadence: monthly)."""

    period = forms.CharField(
        label=_("Period"),
        max_length=20,
        help_text=_("The planning period, e.g. FY2027 or 2027–2028."),
    )
    value_proposition = forms.CharField(
        label=_("Value proposition"),
        required=False,
        max_length=TEXT_MAX_CHARS,
        widget=Textarea(attrs={"rows": 3}),
        help_text=_("What we offer this customer that moves their business, in their words."),
    )
    critical_success_factors = forms.CharField(
        label=_("Critical success factors"),
        required=False,
        max_length=TEXT_MAX_CHARS,
        widget=Textarea(attrs={"rows": 2}),
    )
    objective = forms.CharField(label=_("First objective"), max_length=200, required=False)
    kpi = forms.CharField(label=_("Its measurable target: KPI"), max_length=200, required=False)
    baseline = forms.DecimalField(
        label=_("Baseline"), max_digits=14, decimal_places=2, required=False
    )
    baseline_on = DateField(label=_("Baseline date"), widget=DateInput, required=False)
    target_value = forms.DecimalField(
        label=_("Target"), max_digits=14, decimal_places=2, required=False
    )
    target_due_on = DateField(label=_("Target due"), widget=DateInput, required=False)
    engagement_stakeholder = forms.ModelChoiceField(
        label=_("Meets (a listed stakeholder)"),
        queryset=Stakeholder.objects.none(),
        required=False,
    )
    engagement_purpose = forms.CharField(label=_("Purpose"), max_length=250, required=False)
    engagement_cadence = forms.ChoiceField(
        label=_("Cadence"), choices=EngagementActivity.Cadence.choices, required=False
    )
    engagement_next_due_on = DateField(label=_("Next due"), widget=DateInput, required=False)

    def __init__(self, *args, account: KeyAccount, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        today = user_today(user)  # the date where the writer is, as the plan page's
        me = self.me = default_owner(account, user)
        self.account = account
        self.fields["engagement_owner"] = TeamMemberField(
            account, label=_("Our person"), required=False
        )
        self.fields["engagement_stakeholder"].queryset = Stakeholder.objects.filter(
            key_account=account, archived_at__isnull=True
        )
        for i in range(1, QUICK_ACTION_ROWS + 1):
            self.fields[f"action_{i}_title"] = forms.CharField(
                label=_("Action %(number)s") % {"number": i}, max_length=200, required=False
            )
            self.fields[f"action_{i}_owner"] = TeamMemberField(
                account, label=_("Action %(number)s: owner") % {"number": i}, required=False
            )
            self.fields[f"action_{i}_due_on"] = DateField(
                label=_("Action %(number)s: due") % {"number": i},
                widget=DateInput,
                required=False,
            )
            self.initial.setdefault(f"action_{i}_owner", me)
            self.initial.setdefault(f"action_{i}_due_on", today + timedelta(days=14 * i))
        defaults = {
            "period": f"FY{today.year + 1}",
            "baseline": 0,
            "baseline_on": today,
            "target_due_on": today + timedelta(days=365),
            "engagement_owner": me,
            "engagement_purpose": _("Account review"),
            "engagement_cadence": EngagementActivity.Cadence.MONTHLY,
            "engagement_next_due_on": today + timedelta(days=30),
        }
        for name, value in defaults.items():
            self.initial.setdefault(name, value)

    def action_rows(self):
        """The bound fields of each action row, for the template's table."""
        return [
            [self[f"action_{i}_{part}"] for part in ("title", "owner", "due_on")]
            for i in range(1, QUICK_ACTION_ROWS + 1)
        ]

    def clean_period(self) -> str:
        return PlanStartForm.clean_period(self)

    def clean(self):
        data = super().clean()

        def need(names, because):
            for name in names:
                if data.get(name) in (None, ""):
                    self.add_error(name, because)

        if data.get("objective") or data.get("kpi") or data.get("target_value") is not None:
            need(["objective"], _("Needed for the target."))
            need(
                ["kpi", "baseline", "baseline_on", "target_value", "target_due_on"],
                _("Needed for a measurable target."),
            )
        baseline_on, due_on = data.get("baseline_on"), data.get("target_due_on")
        if data.get("kpi") and baseline_on and due_on and due_on < baseline_on:
            self.add_error(
                "target_due_on", _("The due date must be on or after the baseline date.")
            )
        for i in range(1, QUICK_ACTION_ROWS + 1):
            if data.get(f"action_{i}_title"):
                need([f"action_{i}_owner", f"action_{i}_due_on"], _("Needed for the action."))
        if data.get("engagement_stakeholder") or self.new_stakeholder():
            need(
                [
                    "engagement_owner",
                    "engagement_purpose",
                    "engagement_cadence",
                    "engagement_next_due_on",
                ],
                _("Needed for the engagement activity."),
            )
        if data.get("engagement_stakeholder") and self.new_stakeholder():
            self.add_error(
                "new_stakeholder_name", _("Pick a listed stakeholder or type a new one, not both.")
            )
        return data

    def quick_start(self):
        """What services.plan_quick_start needs."""
        data = self.cleaned_data
        objective = target = engagement = None
        if data.get("objective"):
            owner = team_users(self.account).filter(pk=self.me).first()
            objective = {"title": data["objective"].strip(), "owner": owner}
            target = {
                "kpi": data["kpi"].strip(),
                "baseline": data["baseline"],
                "baseline_on": data["baseline_on"],
                "target_value": data["target_value"],
                # The quick start asks no aim: a target equal to its baseline is a level to
                # keep (as migration planning 0013 read such targets), any other one to reach.
                "aim": Target.Aim.AT_LEAST
                if data["baseline"] == data["target_value"]
                else Target.Aim.REACH,
                "due_on": data["target_due_on"],
            }
        actions = [
            {
                "title": data[f"action_{i}_title"].strip(),
                "owner": data[f"action_{i}_owner"],
                "due_on": data[f"action_{i}_due_on"],
            }
            for i in range(1, QUICK_ACTION_ROWS + 1)
            if data.get(f"action_{i}_title")
        ]
        if data.get("engagement_stakeholder") or self.new_stakeholder():
            engagement = {
                "our_person": data["engagement_owner"],
                "stakeholder": data.get("engagement_stakeholder"),
                "purpose": data["engagement_purpose"].strip(),
                "cadence": data["engagement_cadence"],
                "next_due_on": data["engagement_next_due_on"],
            }
        return QuickStart(
            period=data["period"],
            sections={
                "value_proposition": data.get("value_proposition", "").strip(),
                "critical_success_factors": data.get("critical_success_factors", "").strip(),
            },
            objective=objective,
            target=target,
            actions=actions,
            engagement=engagement,
            new_stakeholder=self.new_stakeholder(),
        )
