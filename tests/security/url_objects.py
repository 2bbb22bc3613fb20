"""Builders for the objects URLs point at.

`build_kwargs(name, pattern, account=..., people=...)` returns real ids of objects that belong
to `account`, so the matrix test can call every URL. Builders are looked up first by
(URL name prefix, argument) — `pk` means different things on different pages — then by the
argument name alone. A URL with an argument nobody can build fails loudly: add a builder when
you add such a URL.
"""

from itertools import count

from tests import factories as f

_serial = count(1)


def _interview_idea(account, people):
    from discovery.models import OpportunityIdea

    interview = f.InterviewFactory(key_account=account, interviewer=people.manager)
    return OpportunityIdea.objects.create(interview=interview, title="Shared forecasting").pk


def _offering(account, people):
    from accounts.models import Programme
    from opportunities.models import Offering

    return Offering.objects.create(
        programme=Programme.ensure(), name=f"Cold-chain audit {next(_serial)}"
    ).pk


def _business_unit(account, people):
    from opportunities.models import BusinessUnit

    return BusinessUnit.objects.create(
        key_account=account, name=f"Frozen division {next(_serial)}"
    ).pk


def _workshop(account, people):
    from django.utils import timezone

    from opportunities.models import Workshop

    return Workshop.objects.create(
        key_account=account, held_on=timezone.localdate(), title="Value workshop"
    ).pk


def _subscription(account, people):
    from integrations.models import WebhookSubscription

    return WebhookSubscription.objects.create(
        url="https://93.184.215.14/kam", events=["plan.approved"]
    ).pk


def _delivery(account, people):
    from integrations.models import WebhookDelivery, WebhookSubscription

    subscription = WebhookSubscription.objects.get(pk=_subscription(account, people))
    return WebhookDelivery.objects.create(
        subscription=subscription,
        event="plan.approved",
        event_key=f"plan.approved:test:{next(_serial)}",
        payload={},
        status="failed",
    ).pk


def _import_run(account, people):
    from integrations.models import ImportRun

    return ImportRun.objects.create(
        source="salesforce",
        object_type="account",
        file_name="accounts.csv",
        rows=[{"external_id": "001", "name": "Globex"}],
        line_numbers=[2],
        preview={"counts": {"create": 1, "update": 0, "unchanged": 0, "failed": 0}, "rows": []},
        created_by=people.programme_admin,
    ).pk


# ---- the customer workspace: the "customer link" role is one stakeholder of the account ----

MATRIX_CUSTOMER_EMAIL = "matrix.customer@customer.example"


def matrix_customer(account):
    """The customer stakeholder whose personal link the "customer link" role holds."""
    from discovery.models import Stakeholder

    stakeholder = Stakeholder.objects.filter(
        key_account=account, email=MATRIX_CUSTOMER_EMAIL
    ).first()
    return stakeholder or f.StakeholderFactory(
        key_account=account, name="Mia Matrix", email=MATRIX_CUSTOMER_EMAIL
    )


def workspace_token(account, people, stakeholder=None) -> str:
    """A live personal link of the matrix customer (or of `stakeholder`). A new one each time,
    and the one before stops working: a stakeholder holds one link at a time."""
    from workspace.services import invitation_create

    _invitation, token = invitation_create(
        account=account,
        stakeholder=stakeholder or matrix_customer(account),
        acting_user=people.manager,
        send=False,
    )
    return token


def _link_under_test(account, people) -> str:
    """The link in `workspace:enter`'s URL: another stakeholder's, so that the "customer link"
    role opening the matrix customer's own link first does not replace it."""
    from discovery.models import Stakeholder

    other = Stakeholder.objects.filter(key_account=account, email="lou@matrix.example").first()
    other = other or f.StakeholderFactory(
        key_account=account, name="Lou Link", email="lou@matrix.example"
    )
    return workspace_token(account, people, stakeholder=other)


def _customer_action(account, people):
    return f.ActionFactory(plan=current_plan(account), customer_owner=matrix_customer(account)).pk


def _joint_review(account, people):
    from workspace.models import JointReview

    joint = JointReview.objects.create(review_id=_review(account, people))
    joint.participants.add(matrix_customer(account))
    return joint.pk


def _invitation(account, people):
    from workspace.models import Invitation

    workspace_token(account, people)
    return Invitation.objects.filter(key_account=account).latest("pk").pk


def _alignment_question(account, people):
    from workspace.services import questions_ensure_defaults

    return questions_ensure_defaults()[0].pk


def _customer_proposal(account, people):
    """A proposal of the matrix customer that waits for a decision."""
    from django.utils import timezone

    from workspace.models import CustomerProposal

    return CustomerProposal.objects.create(
        key_account=account,
        stakeholder=matrix_customer(account),
        title="Vendor-managed stock",
        need="Fewer manual reorders.",
        benefit="No line stops.",
        submitted_at=timezone.now(),
    ).pk


def _approved_version(account, people):
    from planning.models import PlanVersion

    number = _frozen(account, "approval")["number"]
    return PlanVersion.objects.get(plan=current_plan(account), kind="approval", number=number).pk


# (URL name prefix, argument) -> builder(account, people) -> id
BY_NAME = {
    ("integrations:webhook_", "pk"): _subscription,
    ("integrations:delivery_", "pk"): _delivery,
    ("integrations:import_", "pk"): _import_run,
    ("workspace:action_", "action_id"): _customer_action,
    ("workspace:accept", "version_id"): _approved_version,
    ("workspace:review_", "joint_id"): _joint_review,
    ("workspace_team:invitation_", "pk"): _invitation,
    ("workspace_team:question_", "pk"): _alignment_question,
    ("workspace:proposal_", "pk"): _customer_proposal,
    ("workspace_team:proposal", "pk"): _customer_proposal,
    ("opportunities:opportunity_", "pk"): lambda a, p: f.OpportunityFactory(key_account=a).pk,
    ("opportunities:workshop_", "pk"): _workshop,
    ("opportunities:unit_", "pk"): _business_unit,
    ("opportunities:offering_", "pk"): _offering,
}


def _ratio(account, people):
    from discovery.models import FinancialRatio

    # One per name and year on an account: pages that need one share it.
    return FinancialRatio.objects.get_or_create(
        key_account=account, name="Current ratio", year=2025, defaults={"value": "1.4"}
    )[0].pk


def _competitor(account, people):
    from discovery.models import Competitor

    return Competitor.objects.get_or_create(key_account=account, name="Arctic Logistics")[0].pk


def _year(account, people):
    year = 2000 + next(_serial) % 150
    return f.ProfitabilityYearFactory(key_account=account, year=year).pk


def _interview_and_idea(account, people):
    from discovery.models import OpportunityIdea

    interview = f.InterviewFactory(key_account=account, interviewer=people.manager)
    idea = OpportunityIdea.objects.create(interview=interview, title="Joint forecasting")
    return {"interview_id": interview.pk, "idea_id": idea.pk}


def current_plan(account):
    from planning.models import AccountPlan

    plan = AccountPlan.objects.filter(key_account=account, is_current=True).first()
    return plan or f.AccountPlanFactory(key_account=account)


def _frozen(account, kind):
    from planning.models import PlanVersion
    from planning.snapshot import load_plan, plan_to_dict

    plan = current_plan(account)
    number = plan.versions.filter(kind=kind).count() + 1
    snapshot = plan_to_dict(load_plan(plan), version={"kind": kind, "number": number})
    PlanVersion.objects.create(plan=plan, kind=kind, number=number, snapshot=snapshot)
    return {"number": number}


def _plan_version(account, people):
    return _frozen(account, "approval")


def _review_snapshot(account, people):
    return _frozen(account, "review")


def _plan_target_slot(account, people):
    objective = f.ObjectiveFactory(plan=current_plan(account))
    return {"kind": "target", "parent": objective.pk}


def _plan_action(account, people):
    return {"kind": "action", "pk": f.ActionFactory(plan=current_plan(account)).pk}


def _with_plan(account, people):
    current_plan(account)
    return {}


def _member(account, role):
    membership = account.memberships.filter(role=role).select_related("user").first()
    return membership.user if membership else None


def _action(account, people):
    owner = _member(account, "team_member")
    return f.ActionFactory(plan=current_plan(account), owner=owner).pk


def _quote(account, people):
    return f.QuoteLineFactory(quote__key_account=account).quote.pk


def _notification(account, people):
    from notifications.models import Notification

    return Notification.objects.create(
        user=_member(account, "manager"), text="You were mentioned", link="/"
    ).pk


def _api_token(account, people):
    from datetime import timedelta

    from django.utils import timezone

    from api.services import api_token_create

    made = api_token_create(
        user=_member(account, "manager"),
        name=f"CRM sync {next(_serial)}",
        scope="read",
        expires_on=timezone.localdate() + timedelta(days=30),
    )
    return made.token.pk


def _calendar_feed(account, people):
    from delivery.models import CalendarFeed

    feed, _ = CalendarFeed.objects.get_or_create(
        user=people.manager, defaults={"token": "matrix-test-token-0123456789"}
    )
    return {"token": feed.token}


def _roadmap_item(account, people):
    from django.utils import timezone

    from accounts.models import Programme
    from strategy.models import RoadmapItem

    return RoadmapItem.objects.create(
        programme=Programme.ensure(),
        kind="workshop",
        title="Kick-off",
        due_on=timezone.localdate(),
    ).pk


def _fresh_team_member(account, people):
    from accounts.models import Membership

    user = f.UserFactory()
    return Membership.objects.create(user=user, key_account=account, role="team_member").pk


def _mentoring(account, people):
    from django.utils import timezone

    from organisation.models import MentoringNextStep, MentoringSession

    session = MentoringSession.objects.create(
        director=_member(account, "director"),
        manager=_member(account, "manager"),
        key_account=account,
        held_on=timezone.localdate(),
        notes="Plan review",
    )
    step = MentoringNextStep.objects.create(
        session=session, text="Book the CFO meeting", due_on=timezone.localdate()
    )
    return {"pk": session.pk, "step_id": step.pk}


def _deleted_objective(account, people):
    """A deleted plan objective: its history ends with the deletion, so it can be restored."""
    objective = f.ObjectiveFactory(plan=current_plan(account), title="Win the frozen tender")
    object_id = objective.pk
    objective.delete()
    return {"object_type": "objective", "object_id": object_id}


def _review(account, people):
    from django.utils import timezone

    from planning.models import Review

    today = timezone.localdate()
    return Review.objects.create(
        plan=current_plan(account),
        quarter=f"{2100 + next(_serial) % 800}-Q1",
        opened_on=today,
        due_on=today,
    ).pk


def _export(account, people):
    """A ready export of the account's director, with a real (tiny) zip file."""
    import secrets
    import zipfile
    from pathlib import Path

    from django.conf import settings
    from django.utils import timezone

    from rhythm.models import PlanExport

    name = f"exports/matrix-{secrets.token_hex(8)}.zip"
    path = Path(settings.MEDIA_ROOT) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("plan.txt", "matrix test")
    return PlanExport.objects.create(
        requested_by=_member(account, "director"),
        status=PlanExport.Status.READY,
        total=1,
        done=1,
        file_name=name,
        finished_at=timezone.now(),
    ).pk


def _value_delivered(account, people):
    from django.utils import timezone

    from outcomes.models import ValueDelivered

    return ValueDelivered.objects.create(
        key_account=account,
        title="Stock-outs halved",
        delivered_on=timezone.localdate(),
        amount="12000",
        currency="EUR",
    ).pk


def _customer_issue(account, people):
    """An issue owned by the account's team member (the owner may update it)."""
    from django.utils import timezone

    from outcomes.models import CustomerIssue

    today = timezone.localdate()
    return CustomerIssue.objects.create(
        key_account=account,
        title="Late deliveries to Hamburg",
        severity="high",
        owner=_member(account, "team_member"),
        raised_on=today,
        due_on=today,
    ).pk


# URL name -> builder(account, people) -> several arguments that must belong together.
TOGETHER = {
    "discovery:idea_delete": _interview_and_idea,
    "planning:version": _plan_version,
    "planning:review_snapshot": _review_snapshot,
    "planning:item_add_to": _plan_target_slot,
    "planning:item_edit": _plan_action,
    "planning:item_remove": _plan_action,
    "delivery:calendar_feed": _calendar_feed,
    "organisation:mentoring_detail": _mentoring,
    "organisation:mentoring_step_action": _mentoring,
    "audit:restore": _deleted_objective,
    "audit:undo_removal": _deleted_objective,
    "workspace:enter": lambda a, p: {"token": _link_under_test(a, p)},
}
# URL name prefix -> setup every such URL needs (e.g. a current plan).
PREPARE = {"planning:": _with_plan}

# Arguments that are not object ids, with a value that works for any account.
FIXED = {
    "key": "needs",
    "kind": "action",
    "section": "value_proposition",
    "role": "manager",
    "source": "salesforce",
    "object_type": "contact",
}

NOT_OBJECTS = {"uidb64", "token"}


# argument -> builder(account, people) -> id
BY_ARGUMENT = {
    "account_id": lambda account, people: account.pk,
    "idea_id": _interview_idea,
    "stakeholder_id": lambda a, p: f.StakeholderFactory(key_account=a).pk,
    "interview_id": lambda a, p: f.InterviewFactory(key_account=a, interviewer=p.manager).pk,
    "ratio_id": _ratio,
    "competitor_id": _competitor,
    "year_id": _year,
    "action_id": _action,
    "meeting_id": lambda a, p: f.MeetingFactory(key_account=a).pk,
    "quote_id": _quote,
    "opportunity_id": lambda a, p: f.OpportunityFactory(key_account=a).pk,
    "target_id": lambda a, p: f.TargetFactory(objective__plan=current_plan(a)).pk,
    "notification_id": _notification,
    "token_id": _api_token,
    "membership_id": _fresh_team_member,
    "user_id": lambda a, p: _member(a, "manager").pk,
    "item_id": _roadmap_item,
    "criterion_id": lambda a, p: f.CriterionFactory().pk,
    "customer_id": lambda a, p: f.CustomerFactory().pk,
    "review_id": _review,
    "export_id": _export,
    "value_id": _value_delivered,
    "issue_id": _customer_issue,
}


def build_kwargs(name, pattern, *, account, people) -> dict:
    for prefix, prepare in PREPARE.items():
        if name.startswith(prefix):
            prepare(account, people)
    kwargs = TOGETHER[name](account, people) if name in TOGETHER else {}
    for argument in pattern.pattern.converters:
        if argument in kwargs or argument in NOT_OBJECTS:
            continue
        if argument in FIXED:
            kwargs[argument] = FIXED[argument]
            continue
        builder = next(
            (
                b
                for (prefix, arg), b in BY_NAME.items()
                if arg == argument and name.startswith(prefix)
            ),
            BY_ARGUMENT.get(argument),
        )
        if builder is None:
            raise AssertionError(
                f"no builder for argument {argument!r} of {name!r} in tests/security/url_objects.py"
            )
        kwargs[argument] = builder(account, people)
    return {key: value for key, value in kwargs.items() if key in pattern.pattern.converters}
