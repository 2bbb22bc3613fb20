"""Forms of the delivery pages: they validate and normalise; services decide and write."""

import zoneinfo
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, User
from common.conflicts import RevisionField
from common.dates import DateField, DateTimeField
from common.limits import LONG_TEXT_MAX_CHARS, NOTE_MAX_CHARS, TEXT_MAX_CHARS, Textarea
from common.links import LinksField
from discovery.forms import NewStakeholderMixin
from discovery.models import Stakeholder
from opportunities.models import Offering, Opportunity
from opportunities.selectors import opportunities_to_link, opportunity_choice_label
from planning.models import Action, EngagementActivity, Objective

from .models import CheckIn, Meeting, Quote
from .selectors import engagement_items
from .services.meetings import MeetingDetails
from .services.progress import PROGRESS_STATUSES
from .services.quotes import QuoteLineData

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
TIME_ZONES = sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False  # templates write the <form> element and the submit button
    return helper


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class WallClockField(DateTimeField):
    """A date and time as typed, without a zone: the form puts it in the zone chosen beside it.
    (Django's field reads it in the server's zone first, which refused 01:30 on the night the
    London clocks change whatever zone the meeting was in, naming Europe/London.)"""

    def to_python(self, value):
        with timezone.override(UTC):  # no gaps or repeats: the typed wall clock, unchanged
            value = super().to_python(value)
        return value.replace(tzinfo=None) if value is not None else None


def _exists_in(value: datetime, zone: ZoneInfo) -> bool:
    """False for a wall-clock time the zone skips (the hour the clocks go forward)."""
    aware = value.replace(tzinfo=zone)
    return aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == value


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


# ---- action progress ----------------------------------------------------------------------


class ActionProgressForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, s.label) for s in PROGRESS_STATUSES],
    )
    progress_percent = forms.IntegerField(
        label=_("Progress %"),
        min_value=0,
        max_value=100,
        error_messages={
            "min_value": _("Progress is a percentage from 0 to 100."),
            "max_value": _("Progress is a percentage from 0 to 100."),
        },
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=Textarea(attrs={"rows": 2}),
    )
    revision = RevisionField()

    def __init__(self, *args, action: Action | None = None, **kwargs):
        if action is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "status": action.status
                if action.status in PROGRESS_STATUSES
                else Action.Status.OPEN,
                "progress_percent": action.progress_percent,
                "revision": action.revision,
            }
        super().__init__(*args, **kwargs)
        self.helper = _helper()


# ---- meetings -----------------------------------------------------------------------------


DEFAULT_MEETING_LENGTH = timedelta(hours=1)


class MeetingForm(NewStakeholderMixin, forms.Form):
    """Start and end are wall-clock times in the chosen time zone."""

    kind = forms.ChoiceField(label=_("Type"), choices=Meeting.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = WallClockField(
        label=_("Starts"),
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
    )
    ends_at = WallClockField(
        label=_("Ends"),
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        required=False,
        help_text=_("Left empty: one hour after the start."),
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=[(z, z) for z in TIME_ZONES])
    location = forms.CharField(label=_("Place or video link"), max_length=300, required=False)
    attendees = LinksField(
        label=_("Internal attendees (account team)"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Internal attendees must be on the account team."),
        },
    )
    stakeholders = LinksField(
        label=_("Customer attendees (stakeholders)"),
        queryset=Stakeholder.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Customer attendees must be stakeholders of this account."),
        },
    )
    opportunities = LinksField(
        label=_("Linked opportunities"),
        queryset=Opportunity.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Only this account's opportunities can be linked.")},
    )
    objectives = LinksField(
        label=_("Linked objectives"),
        queryset=Objective.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Only this account's objectives can be linked.")},
    )
    engagement = forms.ModelChoiceField(
        label=_("Engagement plan item it delivers"),
        queryset=EngagementActivity.objects.none(),
        required=False,
        help_text=_(
            "Once the meeting is written up, the item's next due date moves on by its "
            "cadence (also for every item whose two people both attend)."
        ),
        error_messages={
            "invalid_choice": _("Only an item of this account's current engagement plan."),
        },
    )
    agenda = forms.CharField(
        label=_("Agenda"),
        max_length=TEXT_MAX_CHARS,
        required=False,
        widget=Textarea(attrs={"rows": 4}),
    )
    revision = RevisionField()
    # Shown as a checkbox only after a double booking was found (see `offer_double_booking`).
    confirm_double_booking = forms.BooleanField(
        label=_("Save anyway: I know some attendees are already booked at that time"),
        required=False,
        widget=forms.HiddenInput,
    )

    # Shown as a checkbox only when a new meeting's start is in the past (see `clean`).
    record_past = forms.BooleanField(
        label=_("It already took place: record it without sending invitations"),
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, account, meeting: Meeting | None = None, **kwargs):
        self.meeting = meeting
        if meeting is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "kind": meeting.kind,
                "title": meeting.title,
                "starts_at": meeting.local_starts_at.replace(tzinfo=None),
                "ends_at": meeting.local_ends_at.replace(tzinfo=None),
                "time_zone": meeting.time_zone,
                "location": meeting.location,
                "attendees": list(meeting.attendees.all()),
                "stakeholders": list(meeting.stakeholders.all()),
                "opportunities": list(meeting.opportunities.all()),
                "objectives": list(meeting.objectives.all()),
                "engagement": meeting.engagement_id,
                "agenda": meeting.agenda,
                "revision": meeting.revision,
            }
        super().__init__(*args, **kwargs)
        # The meeting's own attendees stay offered (and ticked) after they left the team or
        # were archived, marked so: an edit of anything else removed them without a word, and
        # told them they were no longer expected.
        kept_users = [u.pk for u in meeting.attendees.all()] if meeting else []
        kept_stakeholders = [s.pk for s in meeting.stakeholders.all()] if meeting else []
        on_team = Exists(Membership.objects.filter(user=OuterRef("pk"), key_account=account))
        self.fields["attendees"].queryset = (
            User.objects.annotate(on_team=on_team)
            .filter(Q(on_team=True) | Q(pk__in=kept_users))
            .order_by("first_name", "last_name")
        )
        self.fields["attendees"].label_from_instance = lambda user: (
            str(user)
            if getattr(user, "on_team", True)
            else gettext("%(name)s (no longer on the team)") % {"name": user}
        )
        self.fields["stakeholders"].queryset = Stakeholder.objects.filter(
            Q(archived_at__isnull=True) | Q(pk__in=kept_stakeholders), key_account=account
        )
        # The meeting's links as its page read them (meeting_for_account prefetches them).
        linked = meeting.opportunities.all() if meeting else ()
        self.fields["opportunities"].queryset = opportunities_to_link(
            account=account, keep=[o.pk for o in linked]
        )
        self.fields["opportunities"].label_from_instance = opportunity_choice_label
        self.fields["objectives"].queryset = Objective.objects.filter(
            plan__key_account=account, plan__is_current=True
        )
        self.fields["engagement"].queryset = engagement_items(account=account)
        self._add_missing_email_fields()
        # A customer attendee not listed yet is typed in right after the listed ones.
        names = [n for n in self.fields if n not in self.NEW_STAKEHOLDER_FIELDS]
        at = max(
            i for i, n in enumerate(names) if n == "stakeholders" or n.startswith("email_for_")
        )
        self.order_fields(names[: at + 1] + list(self.NEW_STAKEHOLDER_FIELDS) + names[at + 1 :])
        self.fields["new_stakeholder_name"].help_text = _(
            "Not listed? Type their name: they are added to the account's stakeholders and invited."
        )
        # Links sent back that the form already read are not read again (common/links.py):
        # the stakeholders offered (read above for their e-mail addresses); the meeting's
        # attendees (meeting_update checks them against the team under a lock) and its
        # opportunities (always offered, `keep`).
        stakeholders = self.fields["stakeholders"]
        stakeholders.loaded = stakeholders.queryset
        if meeting is not None:
            self.fields["attendees"].loaded = meeting.attendees.all()
            self.fields["opportunities"].loaded = linked
        if not stakeholders.queryset:  # read above
            stakeholders.help_text = _(
                "No stakeholders recorded for this account yet (Stakeholders tab)."
            )
        self.helper = _helper()

    def note_empty_choices(self) -> None:
        """Before the form is drawn: a list of choices that offers nothing says why. Not done
        on a save that is not drawn again (a query per list)."""
        for name, empty in (
            ("attendees", _("Nobody is on the account team yet.")),
            ("opportunities", _("No opportunities recorded for this account yet.")),
            ("objectives", _("The account has no current plan objectives yet.")),
        ):
            # Read whole, not asked whether any exists: the choices are drawn from this read.
            if not self.fields[name].queryset:
                self.fields[name].help_text = empty

    EMAIL_PREFIX = "email_for_"

    def _add_missing_email_fields(self) -> None:
        """Customer attendees without an e-mail address would be left off the invitation: their
        choice says so, and an address field for each follows the list, right where the user
        is ticking them (saved on the stakeholder when the meeting is saved)."""
        field = self.fields["stakeholders"]

        def named(s):
            name = f"{s.name}{f', {s.title}' if s.title else ''}"
            return gettext("%(name)s (archived)") % {"name": name} if s.archived_at else name

        field.label_from_instance = lambda s: (
            named(s)
            + (
                ""
                if s.email
                else " — " + str(_("no e-mail address: not on the invitation until you add one"))
            )
        )
        missing = [s for s in field.queryset if not s.email]
        self.missing_email = missing
        if missing:
            names = ", ".join(s.name for s in missing)
            field.help_text = _(
                "No e-mail address for %(names)s: add it below, or they are left off the "
                "invitation (.ics) that calendars send."
            ) % {"names": names}
        fields = list(self.fields.items())
        at = [name for name, _ in fields].index("stakeholders") + 1
        extra = [
            (
                f"{self.EMAIL_PREFIX}{s.pk}",
                forms.EmailField(
                    label=_("E-mail address of %(name)s") % {"name": s.name},
                    required=False,
                    max_length=254,
                    help_text=_("Saved on the stakeholder's record."),
                ),
            )
            for s in missing
        ]
        self.fields = type(self.fields)(fields[:at] + extra + fields[at:])

    def missing_emails(self) -> dict:
        """Stakeholder id -> address typed for a customer attendee who had none."""
        return {
            s.pk: self.cleaned_data[f"{self.EMAIL_PREFIX}{s.pk}"]
            for s in self.missing_email
            if self.cleaned_data.get(f"{self.EMAIL_PREFIX}{s.pk}")
        }

    def offer_double_booking(self) -> None:
        """After a double-booking warning the user may tick "save anyway"."""
        field = self.fields["confirm_double_booking"]
        field.widget = forms.CheckboxInput()

    def clean(self):
        cleaned = super().clean()
        zone_name = cleaned.get("time_zone")
        if not zone_name:
            return cleaned
        zone = ZoneInfo(zone_name)
        for name in ("starts_at", "ends_at"):
            value = cleaned.get(name)
            if isinstance(value, datetime):
                # The field kept the text as typed: it is a time in the chosen zone.
                if not _exists_in(value, zone):
                    self.add_error(
                        name,
                        _(
                            "There is no %(time)s on %(date)s in %(zone)s: the clocks go "
                            "forward then. Choose another time."
                        )
                        % {
                            "time": value.strftime("%H:%M"),
                            "date": date_format(value.date(), "PADDED_DATE_FORMAT"),
                            "zone": zone_name,
                        },
                    )
                    continue
                cleaned[name] = value.replace(
                    tzinfo=zone, fold=self._fold_kept(name, value, zone_name)
                )
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends is None and "ends_at" not in self.errors:
            ends = cleaned["ends_at"] = starts + DEFAULT_MEETING_LENGTH
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        elif starts and self.meeting is None and starts <= timezone.now():
            # A slip of the year or month would invite the customer to a date gone by: asked,
            # not refused, since a meeting may be recorded after it took place.
            self.fields["record_past"].widget = forms.CheckboxInput()
            if not cleaned.get("record_past"):
                self.add_error(
                    "starts_at",
                    _(
                        "This start, %(when)s, has passed. Correct it, or tick “It already "
                        "took place” below to record the meeting without sending invitations."
                    )
                    % {"when": date_format(starts, "PADDED_WEEKDAY_DATE_COMMA_TIME_FORMAT")},
                )
        return cleaned

    def _fold_kept(self, name: str, value: datetime, zone_name: str) -> int:
        """Which of a repeated hour (the night the clocks go back) a time typed means: the one
        the meeting is at when it is left as it was (its form cannot tell the two apart, and an
        edit of the title moved a 01:30 GMT meeting to 01:30 BST, an hour earlier, and told
        everyone it had moved), else the first."""
        if self.meeting is None or zone_name != self.meeting.time_zone:
            return 0
        saved = getattr(self.meeting, f"local_{name}")
        return saved.fold if saved.replace(tzinfo=None) == value else 0

    def details(self) -> MeetingDetails:
        data = self.cleaned_data
        return MeetingDetails(
            kind=data["kind"],
            title=data["title"].strip(),
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            time_zone=data["time_zone"],
            location=data["location"].strip(),
            agenda=data["agenda"].strip(),
            attendees=list(data["attendees"]),
            stakeholders=list(data["stakeholders"]),
            opportunities=list(data["opportunities"]),
            objectives=list(data["objectives"]),
            engagement=data["engagement"],
            emails=self.missing_emails(),
            new_stakeholder=self.new_stakeholder(),
        )


class MeetingNotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes"), widget=Textarea(attrs={"rows": 6}), max_length=LONG_TEXT_MAX_CHARS
    )
    decisions = forms.CharField(
        label=_("Decisions"),
        required=False,
        widget=Textarea(attrs={"rows": 3}),
        max_length=TEXT_MAX_CHARS,
    )
    revision = RevisionField()

    def __init__(self, *args, meeting: Meeting | None = None, **kwargs):
        if meeting is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "notes": meeting.notes,
                "decisions": meeting.decisions,
                "revision": meeting.revision,
            }
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class MeetingCancelForm(forms.Form):
    reason = forms.CharField(label=_("Why is it cancelled?"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class FollowUpForm(forms.Form):
    title = forms.CharField(label=_("Follow-up action"), max_length=250)
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=User.objects.none(),
        error_messages={"invalid_choice": _("The owner must be on the account team.")},
    )
    due_on = DateField(label=_("Due"), widget=DateInput())
    opportunity = forms.ModelChoiceField(
        label=_("Opportunity"), queryset=Opportunity.objects.none(), required=False
    )

    def __init__(self, *args, account, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(
            memberships__key_account=account
        ).order_by("first_name", "last_name")
        self.fields["opportunity"].queryset = opportunities_to_link(account=account)
        self.helper = _helper()


# ---- quotes -------------------------------------------------------------------------------


class QuoteForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    opportunity = forms.ModelChoiceField(
        label=_("Linked opportunity"),
        queryset=Opportunity.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Only this account's opportunities can be linked.")},
    )
    valid_until = DateField(label=_("Valid until"), widget=DateInput())
    overall_discount_percent = forms.DecimalField(
        label=_("Overall discount %"),
        max_digits=5,
        decimal_places=2,
        initial=Decimal("0"),
        min_value=0,
        max_value=100,
        error_messages={
            "min_value": _("A discount cannot be negative."),
            # %% because Django formats these messages with the limit.
            "max_value": _("A discount cannot be above 100 %%."),
        },
    )
    notes = forms.CharField(
        label=_("Notes"),
        max_length=TEXT_MAX_CHARS,
        required=False,
        widget=Textarea(attrs={"rows": 3}),
    )
    revision = RevisionField()

    def __init__(self, *args, account, quote: Quote | None = None, **kwargs):
        if quote is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": quote.title,
                "opportunity": quote.opportunity,
                "valid_until": quote.valid_until,
                "overall_discount_percent": quote.overall_discount_percent,
                "notes": quote.notes,
                "revision": quote.revision,
            }
        super().__init__(*args, **kwargs)
        self.fields["opportunity"].queryset = opportunities_to_link(
            account=account, keep=[quote.opportunity_id] if quote else ()
        )
        self.fields["opportunity"].label_from_instance = opportunity_choice_label
        self.helper = _helper()


class QuoteLineForm(forms.Form):
    offering = forms.ModelChoiceField(
        label=_("Offering"),
        queryset=Offering.objects.filter(archived_at__isnull=True),
        required=False,
    )
    description = forms.CharField(label=_("Description"), max_length=300)
    quantity = forms.DecimalField(
        label=_("Quantity"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        error_messages={"min_value": _("Quantity cannot be negative.")},
    )
    unit_price = forms.DecimalField(
        label=_("Unit price offered"),
        max_digits=18,
        decimal_places=4,
        min_value=0,
        # Blank on a line chosen from an offering: its list price (the service checks there
        # is one).
        required=False,
        error_messages={
            "min_value": _("Unit price cannot be negative."),
            "max_decimal_places": _("A unit price has at most 4 decimal places."),
        },
    )
    discount_percent = forms.DecimalField(
        label=_("Discount %"),
        max_digits=5,
        decimal_places=2,
        required=False,  # blank means no discount; no initial, so empty rows stay unchanged
        min_value=0,
        max_value=100,
        error_messages={
            "min_value": _("A discount cannot be negative."),
            # %% because Django formats these messages with the limit.
            "max_value": _("A discount cannot be above 100 %%."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The lines are drawn as a table, not through crispy: style the inputs here.
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if select else "form-control form-control-sm"
            )

    def show_list_prices(self, prices: dict, currency: str) -> None:
        """Name each offering's list price in the choices (prices: offering id -> ListPrice)."""

        def label(offering) -> str:
            price = prices.get(offering.pk)
            if price is None:
                return _("%(offering)s (no %(currency)s list price)") % {
                    "offering": offering.name,
                    "currency": currency,
                }
            amount = f"{price.unit_price.normalize():f}"
            return _("%(offering)s — list %(currency)s %(amount)s per %(unit)s") % {
                "offering": offering.name,
                "currency": currency,
                "amount": amount,
                "unit": price.unit,
            }

        self.fields["offering"].label_from_instance = label

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("unit_price") is None and not cleaned.get("offering"):
            if "unit_price" not in self.errors and self.has_changed():
                self.add_error(
                    "unit_price",
                    _("Enter a unit price (only an offering's line can take its list price)."),
                )
        return cleaned

    def line(self) -> QuoteLineData:
        data = self.cleaned_data
        return QuoteLineData(
            offering=data.get("offering"),
            description=data["description"],
            quantity=data["quantity"],
            unit_price=data.get("unit_price"),
            discount_percent=data.get("discount_percent") or Decimal("0"),
        )


class BaseQuoteLineFormSet(forms.BaseFormSet):
    def lines(self) -> list[QuoteLineData]:
        return [
            form.line()
            for form in self.forms
            if form.has_changed() and not self._should_delete_form(form)
        ]


QuoteLineFormSet = forms.formset_factory(
    QuoteLineForm, formset=BaseQuoteLineFormSet, extra=3, can_delete=True, max_num=50
)


def quote_line_initial(quote: Quote) -> list[dict]:
    return [
        {
            "offering": line.offering_id,
            "description": line.description,
            "quantity": line.quantity,
            "unit_price": line.unit_price,
            "discount_percent": line.discount_percent,
        }
        for line in quote.lines.all()
    ]


class QuoteRefusalForm(forms.Form):
    """A director's refusal of a quote's discount: the reason its author reads."""

    reason = forms.CharField(
        label=_("Or refuse it, saying why"),
        max_length=NOTE_MAX_CHARS,
        error_messages={"required": _("Say why, so that the author knows what to change.")},
        widget=Textarea(
            attrs={"rows": 2, "class": "form-control form-control-sm mb-1", "id": "refuse-reason"}
        ),
    )


class QuoteStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Quote.Status.choices)
    mark_opportunity_won = forms.BooleanField(
        label=_("Mark the linked opportunity won"), required=False
    )


# ---- progress monitoring ------------------------------------------------------------------


class CheckInForm(forms.Form):
    checked_on = DateField(label=_("Checked on"), widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), choices=CheckIn._meta.get_field("status").choices)
    next_step = forms.CharField(label=_("Next step"), max_length=300, required=False)
    blockers = forms.CharField(
        label=_("Blockers"),
        max_length=NOTE_MAX_CHARS,
        required=False,
        widget=Textarea(attrs={"rows": 2}),
    )
    # The opportunity's revision when the form was drawn: its status was the one preselected.
    revision = RevisionField()

    def __init__(self, *args, prefix=None, **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)
        self.helper = _helper()


class MeasurementForm(forms.Form):
    measured_on = DateField(label=_("Measured on"), widget=DateInput())
    actual = forms.DecimalField(label=_("Actual value"), max_digits=14, decimal_places=2)
    comment = forms.CharField(label=_("Comment"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


# ---- timeline -----------------------------------------------------------------------------


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment (mention team members with @username)"),
        max_length=TEXT_MAX_CHARS,
        widget=Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
