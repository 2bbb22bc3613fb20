"""The core every stage reads: users, the programme, customers, key accounts, the per-account
roles (`Membership`) and the account timeline (`AccountEvent`)."""

from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from common.addresses import address
from common.dates import validate_in_window
from common.history import HistoricalRecords
from common.limits import TEXT_MAX_CHARS, MaxLinesValidator

from . import event_text

PROGRAMME_ADMIN_GROUP = "Programme admin"
EXECUTIVE_GROUP = "Executive"
# The global roles by the names settings use (KAM_OIDC_GROUP_ROLES maps provider groups to them).
GLOBAL_ROLE_GROUPS = {"programme_admin": PROGRAMME_ADMIN_GROUP, "executive": EXECUTIVE_GROUP}


class User(AbstractUser):
    """A person in the seller's organisation. Roles on accounts come from `Membership`."""

    job_title = models.CharField(max_length=120, blank=True)
    time_zone = models.CharField(max_length=64, default="Europe/London")
    # Blank: the browser's language (Accept-Language). Also the language of the user's e-mails
    # and of the PDFs made for them in the background (accounts.selectors.user_language; with
    # none chosen, the browser's last one, `browser_language`).
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("Leave empty to follow your browser's language."),
    )
    # The language the user's browser last asked for (Accept-Language, as LocaleMiddleware
    # resolved it), remembered by kam.middleware.UserLanguageMiddleware when it changes: what
    # their e-mails and background PDFs are written in when they chose no `language`, since a
    # browser's language is not known outside a request. Blank: never seen one.
    browser_language = models.CharField(
        _("browser's language"), max_length=10, blank=True, editable=False
    )

    class Meta:
        ordering = ["first_name", "last_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def initials(self) -> str:
        parts = [p for p in (self.first_name, self.last_name) if p]
        if not parts:
            return self.username[:2].upper()
        return "".join(p[0] for p in parts).upper()


class SingleSignOnIdentity(models.Model):
    """Who a user is at an OpenID Connect provider: the provider (`issuer`) and the subject it
    gives them (`sub`, stable for life at that provider). A single sign-on finds its user by
    this pair first; an e-mail address is only used to link an existing user once, when the
    provider says it verified the address (kam/sso.py)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_identities"
    )
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "subject"], name="sso_identity_one_user_per_subject"
            ),
            models.UniqueConstraint(
                fields=["issuer", "user"], name="sso_identity_one_subject_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} at {self.issuer}"


class Trigger(models.TextChoices):
    GROWTH = "growth", _("Growth in size or reach")
    CUSTOMER_DEMAND = "customer_demand", _("Customers demanding more attention")
    CRISIS = "crisis", _("Crisis (lost or badly handled key account)")
    MERGER = "merger", _("Merger concentrating the customer base")
    UNKNOWN_PRIORITIES = "unknown_priorities", _("Not knowing which customers matter most")
    OTHER = "other", _("Other")


class Programme(models.Model):
    """The KAM programme. One per installation: `Programme.current()` reads it,
    `Programme.ensure()` creates it for a write."""

    name = models.CharField(max_length=200, default="Key account management programme")
    trigger = models.CharField(max_length=32, choices=Trigger.choices, default=Trigger.GROWTH)
    rationale = models.TextField(
        blank=True, max_length=TEXT_MAX_CHARS, validators=[MaxLinesValidator()]
    )
    business_strategy = models.TextField(
        max_length=TEXT_MAX_CHARS,
        validators=[MaxLinesValidator()],
        blank=True,
        help_text=_("How the business strategy leads to the KAM objectives."),
    )
    business_strategy_url = models.URLField(blank=True)
    objectives = models.TextField(
        blank=True, max_length=TEXT_MAX_CHARS, validators=[MaxLinesValidator()]
    )
    starts_on = models.DateField(null=True, blank=True, validators=[validate_in_window])
    ends_on = models.DateField(null=True, blank=True, validators=[validate_in_window])
    annual_review_on = models.DateField(null=True, blank=True, validators=[validate_in_window])
    currency = models.CharField(max_length=3, default="EUR")
    key_account_limit_percent = models.PositiveSmallIntegerField(
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Warn when key accounts exceed this share of all customers."),
    )
    attractiveness_threshold = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("50.00"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Scores at or above this are 'high attractiveness' (0-100)."),
    )
    strength_threshold = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("50.00"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Scores at or above this are 'high business strength' (0-100)."),
    )
    quote_discount_limit_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("10.00"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Quote discounts above this need a director's approval."),
    )
    net_profit_target = models.DecimalField(
        "Net profit target",
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The whole programme's net account profit target, in the programme currency."),
    )
    net_profit_target_year = models.PositiveSmallIntegerField(
        "Year of the profit target",
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2200)],
    )
    # Edit-conflict guard of the programme form (common.conflicts).
    revision = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    # Its notes each reader reads in their language (accounts.event_text.note): no limit.
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        if (self.net_profit_target is None) != (self.net_profit_target_year is None):
            field = (
                "net_profit_target_year"
                if self.net_profit_target_year is None
                else ("net_profit_target")
            )
            raise ValidationError({field: _("A profit target needs both its amount and its year.")})

    @classmethod
    def current(cls) -> "Programme":
        """The installation's programme, for reading. Before anyone has saved one (an empty
        database) this is an unsaved programme with the defaults: pages show its settings and
        write nothing. Its rows (criteria, roadmap, offerings) are looked up by
        `programme_id=programme.pk`, which finds none while it is unsaved."""
        return cls.objects.order_by("pk").first() or cls()

    @classmethod
    def ensure(cls) -> "Programme":
        """The installation's programme, created with the defaults if there is none yet: for
        the writes that change it or add rows that belong to it (and for seeding)."""
        return cls.objects.order_by("pk").first() or cls.objects.create()


class Classification(models.TextChoices):
    STRATEGIC = "strategic", _("Strategic")
    STATUS = "status", _("Status")
    STAR = "star", _("Star")
    STREAMLINE = "streamline", _("Streamline")


# The one wording for a customer the scores place in no class yet (an axis has no score): on
# pages, filters, the history, the PDF and the badge. `classification_label` is its one home.
NOT_CLASSIFIED = _("Not classified")


def classification_label(value: str) -> str:
    """A class's label in the reader's language, or NOT_CLASSIFIED for none."""
    return Classification(value).label if value else NOT_CLASSIFIED


# What each class asks of the programme (domain.md, Cranfield's matrix), in the reader's
# language, and its first words where a chart has room for no more.
CLASS_STRATEGY = {
    Classification.STRATEGIC: _("Invest: co-develop, broad contacts, buy on value"),
    Classification.STAR: _("Develop selectively: price matters, so do supply security and service"),
    Classification.STATUS: _("Proactive maintenance: keep investing, do not over-invest"),
    Classification.STREAMLINE: _("Streamline: standard product at a good price, minimise cost"),
}
CLASS_STRATEGY_SHORT = {
    Classification.STRATEGIC: pgettext_lazy("class strategy", "Invest"),
    Classification.STAR: pgettext_lazy("class strategy", "Develop selectively"),
    Classification.STATUS: pgettext_lazy("class strategy", "Proactive maintenance"),
    Classification.STREAMLINE: pgettext_lazy("class strategy", "Streamline"),
}


class Customer(models.Model):
    """Any candidate customer. Selected ones also have a `KeyAccount`."""

    reference = models.CharField(
        max_length=40, unique=True, help_text=_("Stable key (e.g. ERP customer number).")
    )
    name = models.CharField(max_length=200)
    sector = models.CharField(max_length=120, blank=True)
    # An ISO 3166 code, named in the reader's language (accounts.countries reads text).
    country = CountryField(_("Country"), blank=True)
    annual_revenue = models.DecimalField(
        "Annual revenue with us", max_digits=14, decimal_places=2, default=Decimal("0")
    )
    potential_spend = models.DecimalField(
        "Potential spend", max_digits=14, decimal_places=2, default=Decimal("0")
    )
    notes = models.TextField(blank=True, max_length=TEXT_MAX_CHARS)
    # The group it belongs to (a CRM's parent account): shown on the customer's page.
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subsidiaries",
        verbose_name=_("Parent company"),
    )
    # Cached results of scoring; recomputed by strategy.services when scores or weights change.
    attractiveness_score = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True
    )
    strength_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    classification = models.CharField(max_length=20, choices=Classification.choices, blank=True)
    # Edit-conflict guard of the scoring form: moves when the customer's scores are saved.
    revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Its notes each reader reads in their language (accounts.event_text.note): no limit.
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(annual_revenue__gte=0), name="customer_revenue_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(potential_spend__gte=0), name="customer_potential_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_classification_display(self) -> str:
        # Not Django's "" for a customer without a class: the one label (classification_label).
        return classification_label(self.classification)


class RelationshipStage(models.TextChoices):
    EXPLORATORY = "exploratory", _("Exploratory")
    BASIC = "basic", _("Basic")
    COOPERATIVE = "cooperative", _("Cooperative")
    INTERDEPENDENT = "interdependent", _("Interdependent")
    INTEGRATED = "integrated", _("Integrated")


RELATIONSHIP_ORDER = {stage: i for i, stage in enumerate(RelationshipStage.values)}


class BuySellPosition(models.TextChoices):
    COMMODITY = "commodity", _("Commodity")
    ENHANCED = "enhanced", _("Enhanced")
    COLLABORATIVE = "collaborative", _("Collaborative")
    PARTNER = "partner", _("Partner")


class KeyAccountQuerySet(models.QuerySet):
    def active(self) -> "KeyAccountQuerySet":
        return self.filter(status=KeyAccount.Status.ACTIVE)


class KeyAccount(models.Model):
    """A customer selected into the programme."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        DESELECTED = "deselected", pgettext_lazy("account status", "De-selected")

    customer = models.OneToOneField(Customer, on_delete=models.PROTECT, related_name="key_account")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    classification = models.CharField(max_length=20, choices=Classification.choices)
    relationship_stage = models.CharField(
        max_length=20, choices=RelationshipStage.choices, default=RelationshipStage.BASIC
    )
    service_level = models.CharField(
        "Service level offered",
        max_length=20,
        choices=RelationshipStage.choices,
        default=RelationshipStage.BASIC,
        help_text=_("The relationship stage our service is built for."),
    )
    buy_sell_position = models.CharField(
        max_length=20, choices=BuySellPosition.choices, default=BuySellPosition.ENHANCED
    )
    selection_rationale = models.TextField(max_length=TEXT_MAX_CHARS)
    selected_on = models.DateField(validators=[validate_in_window])
    selected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    deselected_on = models.DateField(null=True, blank=True, validators=[validate_in_window])
    deselection_reason = models.TextField(blank=True, max_length=TEXT_MAX_CHARS)
    updated_at = models.DateTimeField(auto_now=True)

    # Edit-conflict guards (common.conflicts): `revision` of the relationship form,
    # `sponsor_revision` of the executive-sponsor form (who the sponsor is).
    revision = models.PositiveIntegerField(default=0)
    sponsor_revision = models.PositiveIntegerField(default=0)

    objects = KeyAccountQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["customer__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="active") | ~Q(deselection_reason=""),
                name="deselection_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.customer.name

    def get_absolute_url(self) -> str:
        return address("accounts:account_detail", self.pk)

    @property
    def name(self) -> str:
        return self.customer.name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class Role(models.TextChoices):
    DIRECTOR = "director", _("Key account director")
    MANAGER = "manager", _("Key account manager")
    COORDINATOR = "coordinator", _("Key account coordinator")
    TEAM_MEMBER = "team_member", _("Account team member")


class Membership(models.Model):
    """A user's role on one key account: what the permission rules read."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    key_account = models.ForeignKey(
        KeyAccount, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    function = models.CharField(
        max_length=120, blank=True, help_text=_("e.g. supply chain, finance, product development")
    )
    time_share_percent = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(100)]
    )
    # Edit-conflict guard of the team entry form: moves when role, function or share change.
    revision = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["key_account", "role", "user"]
        # The team rules that hold row by row, kept by the database as well as by the team
        # services (organisation.services): a write that skips the services' lock (the admin,
        # a race) is refused here, and the services tell it in their own words (refused_as).
        # "At least one manager" and "at most 100 % across accounts" span rows: services only.
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key_account"],
                name="one_role_per_account",
                violation_error_message=_("This person is already on the account team."),
            ),
            models.UniqueConstraint(
                fields=["key_account"],
                condition=Q(role="director"),
                name="one_director_per_account",
                violation_error_message=_(
                    "This account already has a director; an account has exactly one director."
                ),
            ),
            models.CheckConstraint(
                condition=Q(time_share_percent__lte=100),
                name="time_share_at_most_100",
                violation_error_message=_("A time share is at most 100 %%."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} on {self.key_account}"


class AccountEvent(models.Model):
    """One entry on an account's timeline: who did what, when and why."""

    class Kind(models.TextChoices):
        SELECTED = "selected", _("Selected as key account")
        DESELECTED = "deselected", pgettext_lazy("timeline entry", "De-selected")
        RESELECTED = "reselected", _("Selected again")
        CLASS_CHANGED = "class_changed", _("Classification changed")
        STAGE_CHANGED = "stage_changed", _("Relationship stage changed")
        POSITION_CHANGED = "position_changed", _("Buy-sell position changed")
        TEAM_CHANGED = "team_changed", _("Account team changed")
        OPPORTUNITY = "opportunity", _("Opportunity")
        PLAN = "plan", _("Account plan")
        MEETING = "meeting", _("Meeting")
        ACTION = "action", _("Action")
        QUOTE = "quote", _("Quote")
        REVIEW = "review", _("Review")
        COMMENT = "comment", _("Comment")
        RESTORED = "restored", _("Restored from history")
        VALUE = "value", _("Value delivered")
        ISSUE = "issue", _("Customer issue")

    key_account = models.ForeignKey(KeyAccount, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The entry's text in English, as recorded; pages show `shown_summary`.
    summary = models.CharField(max_length=300)
    # The untranslated message and its values (accounts.event_text), so that each reader sees
    # the entry in their language; blank for a person's own words and for older entries.
    summary_message = models.CharField(max_length=200, blank=True, default="")
    summary_args = models.JSONField(blank=True, default=dict)
    reason = models.TextField(blank=True, max_length=TEXT_MAX_CHARS)
    # A reason the app wrote (EventText.stored); empty for a person's own words.
    reason_text = models.JSONField(blank=True, default=dict)
    old_value = models.CharField(max_length=60, blank=True)
    new_value = models.CharField(max_length=60, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    occurred_at = models.DateTimeField(validators=[validate_in_window])
    link = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["key_account", "-occurred_at"], name="event_timeline")]

    def __str__(self) -> str:
        return self.shown_summary

    @property
    def shown_summary(self) -> str:
        """The entry in the active language; the stored English for a person's own words, for
        entries recorded before messages were kept, and if the message no longer fits."""
        if not self.summary_message:
            return self.summary
        try:
            return event_text.render(self.summary_message, self.summary_args)
        except (KeyError, ValueError, TypeError):
            return self.summary

    @property
    def shown_reason(self) -> str:
        """The reason in the active language where the app wrote it; else as it was typed."""
        if not self.reason_text:
            return self.reason
        try:
            return event_text.shown(self.reason_text)
        except (KeyError, ValueError, TypeError):
            return self.reason

    @property
    def is_typed_comment(self) -> bool:
        """A comment a person typed on the timeline: its words are the entry. An entry of kind
        comment the app wrote ("Customer … commented on the plan", with the customer's words
        as its reason) says who and on what first."""
        return self.kind == self.Kind.COMMENT and not self.summary_message

    @property
    def shows_values(self) -> bool:
        """Whether pages add the stored old and new values: only for older entries, whose text
        did not say them (an entry with a message says what changed in words)."""
        return not self.summary_message and bool(self.old_value or self.new_value)
