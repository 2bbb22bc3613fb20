"""What the API returns (read-only serializers), and the documented shape of what it accepts,
derived from the pages' forms (`form_schema`) so that the OpenAPI schema cannot drift from the
validation that really runs (api/v1/binding.py)."""

from __future__ import annotations

from django import forms
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Customer, KeyAccount
from delivery.models import Meeting
from discovery.models import Stakeholder
from opportunities.models import Opportunity
from planning.models import AccountPlan, Action, Measurement, Objective, Target
from planning.rules import STATUS_LABELS
from planning.snapshot import loaded_target_status

from .binding import editable_fields


class KeyAccountSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="customer.name")
    customer_id = serializers.IntegerField()
    customer_reference = serializers.CharField(source="customer.reference")
    health = serializers.SerializerMethodField()
    plan_status = serializers.CharField(allow_null=True, read_only=True)

    class Meta:
        model = KeyAccount
        fields = [
            "id",
            "name",
            "customer_id",
            "customer_reference",
            "status",
            "classification",
            "relationship_stage",
            "service_level",
            "buy_sell_position",
            "selected_on",
            "deselected_on",
            "health",
            "plan_status",
            "updated_at",
            "revision",
        ]
        read_only_fields = fields

    def get_health(self, account) -> int | None:
        """The current plan's health score (0-100, planning's rules); null without a plan."""
        return getattr(account, "health_score", None)


class CustomerSerializer(serializers.ModelSerializer):
    # The id of its key account (selected or de-selected), annotated by
    # api.selectors.customers_for_api: a customer has no `key_account_id` attribute of its own.
    key_account_id = serializers.IntegerField(
        source="key_account_pk", allow_null=True, read_only=True
    )
    # The programme's currency (annotated by the selector), in which the amounts are kept.
    currency = serializers.CharField(read_only=True)
    # The ISO 3166 code, "" when none is known. A plain string: DRF's choice field hands a blank
    # country back as django-countries' object, which JSON cannot write (a 500 for every list
    # holding a customer without a country).
    country = serializers.CharField(read_only=True)

    class Meta:
        model = Customer
        fields = [
            "id",
            "reference",
            "name",
            "sector",
            "country",
            "currency",
            "annual_revenue",
            "potential_spend",
            "notes",
            "attractiveness_score",
            "strength_score",
            "classification",
            "key_account_id",
            "updated_at",
            "revision",
        ]
        read_only_fields = fields


class StakeholderSerializer(serializers.ModelSerializer):
    key_account_id = serializers.IntegerField()
    owner_id = serializers.IntegerField(allow_null=True)
    reports_to_id = serializers.IntegerField(allow_null=True)
    archived = serializers.SerializerMethodField()

    class Meta:
        model = Stakeholder
        fields = [
            "id",
            "key_account_id",
            "name",
            "title",
            "department",
            "email",
            "language",
            "buying_role",
            "influence",
            "attitude",
            "owner_id",
            "last_contact_on",
            "reports_to_id",
            "notes",
            "archived",
            "updated_at",
            "revision",
        ]
        read_only_fields = fields

    def get_archived(self, stakeholder) -> bool:
        return stakeholder.archived_at is not None


class OpportunitySerializer(serializers.ModelSerializer):
    key_account_id = serializers.IntegerField()
    owner_id = serializers.IntegerField(allow_null=True)
    stakeholder_ids = serializers.SerializerMethodField()
    # The programme's currency (annotated by the selector), in which the amounts are kept.
    currency = serializers.CharField(read_only=True)

    class Meta:
        model = Opportunity
        fields = [
            "id",
            "key_account_id",
            "title",
            "description",
            "beneficiary",
            "lever",
            "currency",
            "annual_value",
            "profit_potential",
            "strategic_value_us",
            "strategic_value_customer",
            "effort",
            "risk",
            "identified_on",
            "expected_start_on",
            "owner_id",
            "source",
            "status",
            "is_internal",
            "stakeholder_ids",
            "revision",
        ]
        read_only_fields = fields

    def get_stakeholder_ids(self, opportunity) -> list[int]:
        return sorted(s.pk for s in opportunity.stakeholders.all())


class MeasurementSerializer(serializers.ModelSerializer):
    target_id = serializers.IntegerField()
    recorded_by_id = serializers.IntegerField(allow_null=True)

    class Meta:
        model = Measurement
        fields = ["id", "target_id", "measured_on", "actual", "comment", "recorded_by_id"]
        read_only_fields = fields


class TargetStatusSerializer(serializers.Serializer):
    """A target's status as the plan page, its PDF and the plan's health read it
    (planning.rules.TARGET_STATUS_RULE), on the reader's date."""

    code = serializers.ChoiceField(choices=list(STATUS_LABELS), source="status")
    progress_percent = serializers.IntegerField(
        allow_null=True, help_text="How far from the baseline to the target value, in percent."
    )
    expected_percent = serializers.IntegerField(
        allow_null=True, help_text="How much of the time from the baseline date has passed."
    )
    measure_again_days = serializers.IntegerField(
        allow_null=True,
        source="measure_again",
        help_text="Days since the latest measurement (or the baseline date) when the target is "
        "due a new one; null when it is not.",
    )


class TargetSerializer(serializers.ModelSerializer):
    latest_measurement = serializers.SerializerMethodField()
    archived = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()

    class Meta:
        model = Target
        fields = [
            "id",
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
            "archived",
            "latest_measurement",
            "status",
            "revision",
        ]
        read_only_fields = fields

    def get_archived(self, target) -> bool:
        return target.archived_at is not None

    def get_latest_measurement(self, target) -> dict | None:
        rows = list(target.measurements.all())  # prefetched, newest first
        return MeasurementSerializer(rows[0]).data if rows else None

    @extend_schema_field(TargetStatusSerializer)
    def get_status(self, target) -> dict:
        # The reader's date, as the plan page's: the view puts it in the context.
        status, _latest = loaded_target_status(target, self.context["today"])
        return TargetStatusSerializer(status).data


class ObjectiveSerializer(serializers.ModelSerializer):
    owner_id = serializers.IntegerField(allow_null=True)
    targets = TargetSerializer(many=True)

    class Meta:
        model = Objective
        fields = [
            "id",
            "title",
            "rationale",
            "owner_id",
            "due_on",
            "is_internal",
            "targets",
            "revision",
        ]
        read_only_fields = fields


class PlanSerializer(serializers.ModelSerializer):
    key_account_id = serializers.IntegerField()
    objectives = ObjectiveSerializer(many=True)

    class Meta:
        model = AccountPlan
        fields = [
            "id",
            "key_account_id",
            "period",
            "status",
            "value_proposition",
            "critical_success_factors",
            "health_score",
            "submitted_at",
            "approved_at",
            "updated_at",
            "objectives",
            "revision",
        ]
        read_only_fields = fields


class ActionSerializer(serializers.ModelSerializer):
    key_account_id = serializers.IntegerField(source="plan.key_account_id")
    plan_id = serializers.IntegerField()
    owner_id = serializers.IntegerField(allow_null=True)
    objective_id = serializers.IntegerField(allow_null=True)
    opportunity_id = serializers.IntegerField(allow_null=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "key_account_id",
            "plan_id",
            "title",
            "owner_id",
            "objective_id",
            "opportunity_id",
            "due_on",
            "status",
            "progress_percent",
            "notes",
            "is_internal",
            "completed_on",
            "created_at",
            "revision",
        ]
        read_only_fields = fields


class MeetingSerializer(serializers.ModelSerializer):
    key_account_id = serializers.IntegerField()
    attendee_ids = serializers.SerializerMethodField()
    stakeholder_ids = serializers.SerializerMethodField()
    cancelled = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "key_account_id",
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "time_zone",
            "location",
            "agenda",
            "attendee_ids",
            "stakeholder_ids",
            "cancelled",
            "revision",
        ]
        read_only_fields = fields

    def get_attendee_ids(self, meeting) -> list[int]:
        return sorted(u.pk for u in meeting.attendees.all())

    def get_stakeholder_ids(self, meeting) -> list[int]:
        return sorted(s.pk for s in meeting.stakeholders.all())

    def get_cancelled(self, meeting) -> bool:
        return meeting.cancelled_at is not None


# ---- what writes accept, from the forms ------------------------------------------------------


def _documented(field: forms.Field, *, required: bool) -> serializers.Field:
    # `required` is given here, not set afterwards: a serializer deep-copies its declared
    # fields from the arguments they were made with, so a later change was lost (the schema
    # marked no field required).
    common = {"required": required, "help_text": str(field.help_text or field.label or "")}
    if isinstance(field, forms.ModelMultipleChoiceField):
        return serializers.ListField(child=serializers.IntegerField(), **common)
    if isinstance(field, forms.ModelChoiceField):
        return serializers.IntegerField(allow_null=True, **common)
    if isinstance(field, forms.TypedChoiceField | forms.ChoiceField):
        choices = [key for key, _label in field.choices if key not in ("", None)]
        return serializers.ChoiceField(choices=choices, allow_blank=True, **common)
    if isinstance(field, forms.BooleanField):
        return serializers.BooleanField(**common)
    if isinstance(field, forms.DecimalField):
        return serializers.DecimalField(
            max_digits=field.max_digits, decimal_places=field.decimal_places, **common
        )
    if isinstance(field, forms.IntegerField):
        return serializers.IntegerField(
            min_value=field.min_value, max_value=field.max_value, allow_null=True, **common
        )
    if isinstance(field, forms.DateTimeField):
        return serializers.DateTimeField(allow_null=True, **common)
    if isinstance(field, forms.DateField):
        return serializers.DateField(allow_null=True, **common)
    if isinstance(field, forms.EmailField):
        return serializers.EmailField(max_length=field.max_length, allow_blank=True, **common)
    return serializers.CharField(
        max_length=getattr(field, "max_length", None), allow_blank=True, **common
    )


def form_schema(form_class: type[forms.BaseForm], name: str, *, required=()) -> type:
    """A serializer class describing the JSON a write takes: one entry per field of the page's
    form (`required` marks those a new object needs), plus the optional `revision`."""
    fields = {}
    for field_name, field in editable_fields(form_class).items():
        fields[field_name] = _documented(field, required=field_name in required)
    fields["revision"] = serializers.IntegerField(
        required=False,
        min_value=0,
        help_text="The revision being changed, if not sent as If-Match.",
    )
    return type(name, (serializers.Serializer,), fields)
