"""What each role sees on its home page. Reads only; every query starts from the user."""

from datetime import timedelta

from django.db.models import Case, Count, When
from django.utils import timezone

from accounts import permissions
from accounts.models import Classification, Programme, Role
from accounts.selectors import (
    class_counts,
    key_accounts_visible_to,
    key_accounts_with_role,
    user_today,
)
from common.rows import FirstRows, first_rows
from delivery.models import Meeting
from planning.models import AccountPlan, Action, EngagementActivity
from planning.selectors import overdue_actions_q
from portfolio.selectors.decisions import decisions_waiting
from portfolio.selectors.reasons import WHY_RULE, why_off_track
from strategy.models import RoadmapItem

DUE_SOON_DAYS = 14
HOME_ACTION_ROWS = 20
# The coordinator's and programme admin's short lists show this many rows, and say when there
# are more; "List them all" (?all=<list>) shows up to HOME_ALL_ROWS of that one.
HOME_LIST_ROWS = 20
HOME_ALL_ROWS = 500
EXECUTIVE_HOME_ROWS = 50


def _rows(name: str, listed_all: str) -> int:
    return HOME_ALL_ROWS if listed_all == name else HOME_LIST_ROWS


def primary_home(user) -> str:
    """Which home a user lands on when they hold several roles: the broadest one wins."""
    if permissions.is_executive(user) or user.is_superuser:
        return "executive"
    roles = permissions.roles_held(user)
    for role, home in (
        (Role.DIRECTOR, "director"),
        (Role.MANAGER, "manager"),
        (Role.COORDINATOR, "coordinator"),
        (Role.TEAM_MEMBER, "team_member"),
    ):
        if role in roles:
            return home
    if permissions.is_programme_admin(user):
        return "programme_admin"
    return "no_role"


def programme_review_notice(today=None) -> dict | None:
    programme = Programme.current()
    if programme.annual_review_on is None:
        return None
    today = today or timezone.localdate()
    days = (programme.annual_review_on - today).days
    if days > 60:
        return None
    return {"date": programme.annual_review_on, "days": days, "overdue": days < 0}


def my_actions_due(user, today=None) -> FirstRows:
    """The user's open actions overdue or due within DUE_SOON_DAYS, the first HOME_ACTION_ROWS
    (the list says when there are more: My work lists them all)."""
    today = today or user_today(user)
    return first_rows(
        Action.objects.filter(
            owner=user,
            status__in=Action.OPEN_STATUSES,
            due_on__lte=today + timedelta(days=DUE_SOON_DAYS),
            plan__is_current=True,
            plan__key_account__in=key_accounts_visible_to(user=user),
        )
        .annotate(is_overdue=Case(When(overdue_actions_q(today), then=True), default=False))
        .select_related("plan__key_account__customer")
        .order_by("due_on", "pk"),
        HOME_ACTION_ROWS,
    )


def _plan_status_by_account(accounts) -> dict[int, AccountPlan]:
    plans = AccountPlan.objects.filter(key_account__in=accounts, is_current=True).only(
        "pk", "key_account_id", "status", "period", "updated_at"
    )
    return {plan.key_account_id: plan for plan in plans}


def _overdue_counts(account_ids, today) -> dict[int, int]:
    rows = (
        Action.objects.filter(
            overdue_actions_q(today), plan__key_account__in=account_ids, plan__is_current=True
        )
        .order_by()
        .values("plan__key_account")
        .annotate(n=Count("pk"))
    )
    return {row["plan__key_account"]: row["n"] for row in rows}


def _decorated(accounts, today, limit: int | None = None) -> list:
    """The (first `limit`) accounts with their overdue-action count and current plan, in a
    fixed few queries. The page is cut first, so a large portfolio costs no more to count."""
    accounts = list(accounts[:limit])
    ids = [account.pk for account in accounts]
    overdue = _overdue_counts(ids, today)
    plans = _plan_status_by_account(ids)
    for account in accounts:
        account.overdue_actions = overdue.get(account.pk, 0)
        account.current_plan = plans.get(account.pk)
    return accounts


def manager_context(user, today, listed_all=""):
    accounts = _decorated(key_accounts_with_role(user=user, role=Role.MANAGER), today)
    return {"accounts": accounts, "actions_due": my_actions_due(user, today)}


def director_context(user, today, listed_all=""):
    accounts = _decorated(key_accounts_with_role(user=user, role=Role.DIRECTOR), today)
    reasons = why_off_track(
        [a.current_plan.pk for a in accounts if a.current_plan is not None], today
    )
    for account in accounts:
        account.why = account.current_plan and reasons.get(account.current_plan.pk)
    return {
        "accounts": accounts,
        "off_track": [a for a in accounts if a.why],
        "why_rule": WHY_RULE,
        "decisions": decisions_waiting(user=user),
        "classes": _class_rows(accounts),
        "actions_due": my_actions_due(user, today),
    }


def _class_rows(accounts):
    counts: dict[str, int] = {}
    for account in accounts:
        counts[account.classification] = counts.get(account.classification, 0) + 1
    return [(label, counts.get(value, 0)) for value, label in Classification.choices]


def coordinator_context(user, today, listed_all=""):
    accounts = key_accounts_with_role(user=user, role=Role.COORDINATOR)
    horizon = timezone.now() + timedelta(days=30)
    upcoming = first_rows(
        Meeting.objects.filter(
            key_account__in=accounts,
            cancelled_at__isnull=True,
            starts_at__gte=timezone.now(),
            starts_at__lte=horizon,
        )
        .select_related("key_account__customer")
        .order_by("starts_at", "pk"),
        _rows("meetings", listed_all),
    )
    to_arrange = first_rows(
        EngagementActivity.objects.filter(
            plan__key_account__in=accounts,
            plan__is_current=True,
            next_due_on__lte=today + timedelta(days=30),
        )
        .select_related("plan__key_account__customer", "stakeholder", "our_person")
        .order_by("next_due_on", "pk"),
        _rows("engagements", listed_all),
    )
    # Items with a meeting already booked for them show its date instead of "Schedule": the
    # first one's day where it takes place (Meeting.local_starts_at), as its own page says.
    booked = {}
    for meeting in (
        Meeting.objects.filter(
            engagement__in=to_arrange, cancelled_at__isnull=True, starts_at__gte=timezone.now()
        )
        .only("engagement_id", "starts_at", "time_zone")
        .order_by("engagement_id", "starts_at")
    ):
        booked.setdefault(meeting.engagement_id, meeting.local_starts_at)
    for item in to_arrange:
        item.booked_at = booked.get(item.pk)
    return {
        "accounts": list(accounts),
        "upcoming_meetings": upcoming,
        "to_arrange": to_arrange,
        "actions_due": my_actions_due(user, today),
    }


def executive_context(user, today, listed_all=""):
    accounts = key_accounts_visible_to(user=user)
    total = accounts.count()
    counts = class_counts(accounts=accounts)
    return {
        "total_accounts": total,
        "classes": [(label, counts.get(value, 0)) for value, label in Classification.choices],
        "accounts": _decorated(accounts, today, EXECUTIVE_HOME_ROWS),
    }


def team_member_context(user, today, listed_all=""):
    return {
        "accounts": list(key_accounts_with_role(user=user, role=Role.TEAM_MEMBER)),
        "actions_due": my_actions_due(user, today),
    }


ROADMAP_DAYS = 60


def programme_admin_context(user, today, listed_all=""):
    """The roll-out roadmap's open items: overdue ones and those due in the next 60 days."""
    roadmap = RoadmapItem.objects.filter(
        done=False, due_on__lte=today + timedelta(days=ROADMAP_DAYS)
    ).select_related("owner")
    return {
        "roadmap_due": first_rows(roadmap.order_by("due_on", "pk"), _rows("roadmap", listed_all)),
        "roadmap_days": ROADMAP_DAYS,
    }


BUILDERS = {
    "programme_admin": programme_admin_context,
    "manager": manager_context,
    "director": director_context,
    "coordinator": coordinator_context,
    "executive": executive_context,
    "team_member": team_member_context,
}


def home_context(user, today=None, *, listed_all: str = "") -> dict:
    """`listed_all`: the short list the reader asked to see whole (?all=<list>)."""
    today = today or user_today(user)
    kind = primary_home(user)
    context = {
        "home_kind": kind,
        "today": today,
        "review_notice": programme_review_notice(today),
        "listed_all": listed_all,
    }
    builder = BUILDERS.get(kind)
    if builder is not None:
        context.update(builder(user, today, listed_all))
    return context
