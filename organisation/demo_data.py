"""Demo data for the programme organisation: sponsors, functions and time shares, skills
assessments with history, job specifications and mentoring sessions. Idempotent."""

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext_noop

from accounts.models import Classification, KeyAccount, Membership, Role
from accounts.services import events_dated, team_members_leave
from common.dates import at_hour
from planning.models import AccountPlan, Action

from .defaults import JOB_SPECS
from .models import (
    Competence,
    CompetenceScore,
    ExecutiveSponsor,
    JobSpecification,
    MentoringNextStep,
    MentoringSession,
    MentoringTopic,
    SkillsAssessment,
)

FUNCTIONS = {
    "director": "Sales leadership",
    "director2": "Sales leadership",
    "manager": "Key account management",
    "manager2": "Key account management",
    "coordinator": "Sales operations",
    "teammember": "Supply chain",
    "financeanalyst": "Commercial finance",
}
# Time share by role; managers by the class of the account (strategic accounts need most).
MANAGER_SHARE = {
    Classification.STRATEGIC: 25,
    Classification.STAR: 15,
    Classification.STATUS: 10,
    Classification.STREAMLINE: 5,
}
OTHER_SHARE = {"director": 5, "director2": 5, "teammember": 10, "financeanalyst": 15}
STRATEGY_DEMO_MANAGER_SHARE = 15  # what strategy/demo_data.py gives every manager

# manager, director, days ago, concern for customer, concern for sale, comment, scores in
# competence order (strategic thinking, problem solving, financial, marketing, negotiation,
# influencing, interpersonal)
ASSESSMENTS = [
    (
        "manager",
        "director",
        220,
        7,
        6,
        "Strong with buyers; still sells product features more than solutions. Work on the "
        "financial case for the clean-label range.",
        (3, 4, 3, 3, 4, 3, 5),
    ),
    (
        "manager",
        "director",
        30,
        8,
        8,
        "Led the Northwind co-development workshop with their R&D and finance; now argues "
        "value with the customer's cost model. Ready for the Helios tender.",
        (4, 5, 4, 3, 4, 4, 5),
    ),
    (
        "manager2",
        "director2",
        200,
        5,
        5,
        "Reliable and liked; balances volume and relationship but rarely challenges the "
        "customer's thinking.",
        (3, 3, 2, 3, 4, 3, 4),
    ),
    (
        "manager2",
        "director",
        18,
        6,
        7,
        "More assertive on Sunvale's listing; needs support on the financial side of the "
        "Baltic Marine proposal before it goes to their board.",
        (3, 4, 3, 3, 4, 3, 4),
    ),
]

# director, manager, customer reference, days ago, topics, notes, next steps (text, due in days)
MENTORING = [
    (
        "director",
        "manager",
        "C-1001",
        35,
        [MentoringTopic.PLAN_REVIEW, MentoringTopic.VALUE_PROPOSITION],
        "Walked through the draft plan. The objectives are still volume targets; reframed them "
        "around Northwind's clean-label launch dates. The value proposition should quantify the "
        "cost of their current recipe reformulations.",
        [
            ("Rewrite the value proposition around reformulation cost savings", 14),
            ("Add the launch calendar to the plan's critical success factors", 21),
        ],
    ),
    (
        "director",
        "manager",
        "C-1002",
        12,
        [MentoringTopic.SENIOR_ACCESS],
        "Helios' private-label tender is decided by their supply-chain director, whom we have "
        "never met. Agreed that Dana asks our CCO to open the door at the retail summit.",
        [("Brief Elena Rossi before the retail summit meeting", 7)],
    ),
    (
        "director2",
        "manager2",
        "C-1003",
        24,
        [MentoringTopic.INTERNAL_BLOCKERS, MentoringTopic.PLAN_REVIEW],
        "Production planning will not commit to the marine-grade volumes without a forecast. "
        "Tomás takes it to the operations meeting; Priya prepares a twelve-month forecast with "
        "the customer.",
        [
            ("Prepare a twelve-month volume forecast with Baltic Marine", 10),
            ("Join the operations meeting to present the forecast", 17),
        ],
    ),
]


def _job_specs(ctx) -> None:
    for role, texts in JOB_SPECS.items():
        spec, _ = JobSpecification.objects.get_or_create(role=role, defaults=texts)
        if spec.updated_by_id is None:
            JobSpecification.objects.filter(pk=spec.pk).update(updated_by=ctx.users["progadmin"])


def _teams(ctx, accounts) -> None:
    usernames = {user.pk: name for name, user in ctx.users.items()}
    for membership in Membership.objects.filter(key_account__in=accounts).select_related(
        "key_account"
    ):
        name = usernames.get(membership.user_id)
        if name is None:
            continue
        changed = []
        if not membership.function and name in FUNCTIONS:
            membership.function = FUNCTIONS[name]
            changed.append("function")
        if (
            membership.role == Role.MANAGER
            and membership.time_share_percent == STRATEGY_DEMO_MANAGER_SHARE
        ):
            membership.time_share_percent = MANAGER_SHARE[membership.key_account.classification]
            changed.append("time_share_percent")
        elif membership.time_share_percent == 0 and name in OTHER_SHARE:
            membership.time_share_percent = OTHER_SHARE[name]
            changed.append("time_share_percent")
        if changed:
            membership.save(update_fields=changed)


def _sponsors(ctx, accounts) -> None:
    executive = ctx.users["executive"]
    for account in accounts:
        if account.classification == Classification.STRATEGIC:
            ExecutiveSponsor.objects.get_or_create(
                key_account=account,
                defaults={
                    "user": executive,
                    "named_on": account.selected_on,
                    "named_by": ctx.users["progadmin"],
                },
            )


def _assessments(ctx) -> None:
    competences = list(Competence.objects.filter(is_active=True))
    for manager, director, days, customer, sale, comment, scores in ASSESSMENTS:
        assessment, created = SkillsAssessment.objects.get_or_create(
            manager=ctx.users[manager],
            assessed_by=ctx.users[director],
            assessed_on=ctx.today - timedelta(days=days),
            defaults={
                "concern_for_customer": customer,
                "concern_for_sale": sale,
                "comment": comment,
            },
        )
        if created:
            CompetenceScore.objects.bulk_create(
                CompetenceScore(assessment=assessment, competence=c, score=s)
                for c, s in zip(competences, scores, strict=False)
            )


def _mentoring(ctx, accounts) -> None:
    by_reference = {a.customer.reference: a for a in accounts}
    for director, manager, reference, days, topics, notes, steps in MENTORING:
        account = by_reference.get(reference)
        if account is None:
            continue
        held_on = ctx.today - timedelta(days=days)
        session, created = MentoringSession.objects.get_or_create(
            director=ctx.users[director],
            manager=ctx.users[manager],
            key_account=account,
            held_on=held_on,
            defaults={"topics": [str(t) for t in topics], "notes": notes},
        )
        if not created:
            continue
        plan = AccountPlan.objects.filter(key_account=account, is_current=True).first()
        for i, (text, due_in) in enumerate(steps):
            step = MentoringNextStep.objects.create(
                session=session, text=text, due_on=held_on + timedelta(days=due_in)
            )
            # The first step of each session became a plan action, where there is a plan.
            if i == 0 and plan is not None:
                step.action = Action.objects.create(
                    plan=plan,
                    title=text,
                    owner=session.manager,
                    due_on=step.due_on,
                    notes=f"Agreed in mentoring on {held_on:%d %b %Y}.",
                    is_internal=True,
                )
                step.save(update_fields=["action"])


# Someone who served an account and left its team, so its team page lists a former member: the
# commercial finance analyst helped Alpenmilch (the account whose team page the accessibility
# crawl reads first) with its cost-to-serve review, then moved to the strategic accounts.
# reference, username, role, function, days ago joined, days ago left
FORMER_MEMBER = ("C-1004", "financeanalyst", Role.TEAM_MEMBER, "Commercial finance", 300, 45)


def _former_member(ctx, accounts) -> None:
    reference, username, role, function, joined_ago, left_ago = FORMER_MEMBER
    account = next((a for a in accounts if a.customer.reference == reference), None)
    user = ctx.users[username]
    if account is None or Membership.history.filter(key_account=account, user=user).exists():
        return  # seeded before: they joined and left once
    # Joined as every demo team was made (strategy.demo_data); the team's history, which the
    # team page reads, dated when each step happened.
    membership = Membership(user=user, key_account=account, role=role, function=function)
    membership._history_date = at_hour(ctx.today - timedelta(days=joined_ago), 9)
    membership.save()
    left = at_hour(ctx.today - timedelta(days=left_ago), 16)
    membership._history_date = left
    with events_dated(left):
        team_members_leave(
            account=account,
            leaving=[membership],
            acting_user=ctx.users["manager"],
            # As taking someone off the team page words it (services.teams).
            summary=gettext_noop("%(user)s left the team (%(role)s)"),
            link=reverse("organisation:team", args=[account.pk]),
        )


def seed(ctx) -> None:
    accounts = [
        a for a in ctx.accounts[:12] if isinstance(a, KeyAccount) and a.customer_id is not None
    ]
    _job_specs(ctx)
    _teams(ctx, accounts)
    _sponsors(ctx, accounts)
    _assessments(ctx)
    _mentoring(ctx, accounts)
    _former_member(ctx, accounts)
    ctx.say(
        f"Organisation: {ExecutiveSponsor.objects.count()} executive sponsors, "
        f"{SkillsAssessment.objects.count()} skills assessments, "
        f"{MentoringSession.objects.count()} mentoring sessions."
    )
