"""factory_boy factories for the models every stage builds on."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import (
    Classification,
    Customer,
    KeyAccount,
    Membership,
    Programme,
    Role,
    User,
)
from delivery.models import Meeting, Quote, QuoteLine
from discovery.models import Interview, ProfitabilityYear, Stakeholder
from opportunities import services as opportunity_services
from opportunities.models import Opportunity
from planning.models import AccountPlan, Action, EngagementActivity, Objective, Target
from strategy.models import SelectionCriterion

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = PASSWORD  # as typed; stored hashed

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Hashed before the one INSERT. Setting it after creation cost a second save, and a
        # save of an existing user moves every current plan's page (a name may have changed):
        # ~20 ms for each of the nine personas of every test.
        kwargs["password"] = make_password(kwargs["password"])
        return super()._create(model_class, *args, **kwargs)


class NewUserFactory(UserFactory):
    """A user that cannot exist yet (the personas of tests/conftest.py, made at the start of a
    test): created without UserFactory's look-up first, a SELECT and a savepoint each."""

    class Meta:
        django_get_or_create = ()


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = "Test programme"


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SelectionCriterion

    programme = factory.LazyFunction(Programme.ensure)
    axis = "attractiveness"
    name = factory.Sequence(lambda n: f"Criterion {n}")
    weight = 1
    scale_1 = "Low"
    scale_3 = "Medium"
    scale_5 = "High"


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    reference = factory.Sequence(lambda n: f"T-{n:05d}")
    name = factory.Sequence(lambda n: f"Customer {n:04d}")
    sector = "Food manufacturing"
    country = "DE"
    annual_revenue = Decimal("1000000")
    potential_spend = Decimal("2500000")


class KeyAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyAccount

    customer = factory.SubFactory(CustomerFactory)
    classification = Classification.STRATEGIC
    selection_rationale = "Big and growing."
    selected_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=200))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    key_account = factory.SubFactory(KeyAccountFactory)
    role = Role.MANAGER


class StakeholderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stakeholder

    key_account = factory.SubFactory(KeyAccountFactory)
    name = factory.Faker("name")
    title = "Head of procurement"
    buying_role = Stakeholder.BuyingRole.DECISION_MAKER
    influence = "high"
    attitude = Stakeholder.Attitude.SUPPORTER


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interview

    key_account = factory.SubFactory(KeyAccountFactory)
    held_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    interviewer = factory.SubFactory(UserFactory)


class ProfitabilityYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProfitabilityYear

    key_account = factory.SubFactory(KeyAccountFactory)
    year = 2026
    gross_sales = Decimal("1000000")


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunity

    key_account = factory.SubFactory(KeyAccountFactory)
    title = factory.Sequence(lambda n: f"Opportunity {n}")
    annual_value = Decimal("100000")
    profit_potential = Decimal("20000")
    identified_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    # Scored (3 on every scale unless told), priority and quadrant as the service stores them;
    # pass all four scores as None for an opportunity not scored yet.
    strategic_value_us = 3
    strategic_value_customer = 3
    effort = 3
    risk = 3
    priority = factory.LazyAttribute(
        lambda o: opportunity_services.priority_for(o) if o.effort is not None else None
    )
    quadrant = factory.LazyAttribute(
        lambda o: opportunity_services.quadrant_for(o) if o.effort is not None else ""
    )


class AccountPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccountPlan

    key_account = factory.SubFactory(KeyAccountFactory)
    period = factory.Sequence(lambda n: f"FY{2027 + n}")
    value_proposition = "We take cost out of your cold chain."


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    plan = factory.SubFactory(AccountPlanFactory)
    title = factory.Sequence(lambda n: f"Objective {n}")


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    objective = factory.SubFactory(ObjectiveFactory)
    kpi = "Revenue"
    unit = "EUR"
    baseline = Decimal("100")
    baseline_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=90))
    target_value = Decimal("200")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=270))


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    plan = factory.SubFactory(AccountPlanFactory)
    title = factory.Sequence(lambda n: f"Action {n}")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=7))


class EngagementActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EngagementActivity

    plan = factory.SubFactory(AccountPlanFactory)
    our_person = factory.SubFactory(UserFactory)
    stakeholder = factory.SubFactory(
        StakeholderFactory, key_account=factory.SelfAttribute("..plan.key_account")
    )
    purpose = "Quarterly business review"
    cadence = "quarterly"
    next_due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=10))


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    key_account = factory.SubFactory(KeyAccountFactory)
    title = factory.Sequence(lambda n: f"Meeting {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + timedelta(hours=1))


class QuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quote

    key_account = factory.SubFactory(KeyAccountFactory)
    number = factory.Sequence(lambda n: f"Q-{n:05d}")
    title = "Annual supply"
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))


class QuoteLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuoteLine

    quote = factory.SubFactory(QuoteFactory)
    description = "Pallets of product"
    quantity = Decimal("10")
    unit_price = Decimal("99.50")


def add_required_parts(plan, *, owner=None):
    """Give `plan` the minimum the method requires before it is submitted or approved
    (planning.rules.PLAN_PARTS): value proposition, critical success factors, an objective with
    a target, an action with an owner and an engagement activity. Returns the plan."""
    owner = owner or plan.updated_by or UserFactory()
    plan.value_proposition = plan.value_proposition or "We take cost out of your cold chain."
    plan.critical_success_factors = "On-time delivery above 98 %."
    plan.save(update_fields=["value_proposition", "critical_success_factors"])
    objective = ObjectiveFactory(plan=plan, title="Grow the chilled range", owner=owner)
    TargetFactory(objective=objective, kpi="Chilled revenue")
    ActionFactory(plan=plan, title="Agree the chilled trial", owner=owner)
    EngagementActivityFactory(
        plan=plan, stakeholder=StakeholderFactory(key_account=plan.key_account), our_person=owner
    )
    return plan
