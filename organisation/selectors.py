"""Reads for the programme organisation pages, each a fixed number of queries.

Lists start from `accounts_visible_to(user)` (or `key_accounts_with_role`), except
where the organisation permissions grant programme admins the whole programme (see
`organisation.permissions`) and the handbook, which by design lists every active key account
to everyone in the programme.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from accounts import permissions as account_permissions
from accounts.models import (
    CLASS_STRATEGY,
    Classification,
    KeyAccount,
    Membership,
    Programme,
    Role,
    User,
)
from accounts.selectors import key_accounts_with_role
from planning.models import Action
from strategy.models import SelectionCriterion

from . import services
from .models import (
    GRID_HIGH_MIN,
    GRID_LOW_MAX,
    GRID_MAX,
    SELLING_STYLE_MEANING,
    SKILL_MAX,
    Competence,
    CompetenceScore,
    ExecutiveSponsor,
    JobSpecification,
    MentoringSession,
    SellingStyle,
    SkillsAssessment,
)

ROLE_ORDER = {role: i for i, role in enumerate(Role.values)}
CLASS_ORDER = {value: i for i, value in enumerate(Classification.values)}


# ---- account teams ------------------------------------------------------------------------


def team_members(*, account: KeyAccount) -> list[Membership]:
    """The team, leaders first, each with `total_share`: their time share over all accounts."""
    members = list(account.memberships.select_related("user"))
    totals = dict(
        Membership.objects.filter(user__in=[m.user_id for m in members])
        .values("user")
        .annotate(total=Sum("time_share_percent"))
        .values_list("user", "total")
    )
    for member in members:
        member.total_share = totals.get(member.user_id, 0) or 0
    members.sort(key=lambda m: (ROLE_ORDER[m.role], m.user.first_name, m.user.last_name))
    return members


@dataclass
class FormerMember:
    user: User
    role: str
    left_at: object  # the moment they left (aware datetime)

    @property
    def role_label(self) -> str:
        return Role(self.role).label


def former_team_members(*, account: KeyAccount) -> list[FormerMember]:
    """People who served the account and are not on its team now, the latest departure first:
    the role they had and when they left (from the team's audit history). They see nothing of
    the account (accounts.permissions reads the team as it is) until someone adds them again.
    Two queries."""
    current = account.memberships.values("user_id")
    left = (
        Membership.history.filter(key_account_id=account.pk, history_type="-")
        .exclude(user_id__in=current)
        .order_by("-history_date", "-history_id")
        .values_list("user_id", "role", "history_date")
    )
    latest: dict[int, tuple[str, object]] = {}
    for user_id, role, when in left:
        latest.setdefault(user_id, (role, when))
    users = User.objects.in_bulk(list(latest))
    return [
        FormerMember(user=users[user_id], role=role, left_at=when)
        for user_id, (role, when) in latest.items()
        if user_id in users  # a person deleted since has no name to show
    ]


def executive_sponsor_of(*, account: KeyAccount) -> ExecutiveSponsor | None:
    return ExecutiveSponsor.objects.filter(key_account=account).select_related("user").first()


def people_to_add() -> QuerySet[User]:
    return User.objects.filter(is_active=True).order_by("first_name", "last_name", "username")


def executives() -> QuerySet[User]:
    from accounts.models import EXECUTIVE_GROUP

    return people_to_add().filter(groups__name=EXECUTIVE_GROUP)


def my_team_accounts(*, user, limit: int = 25) -> list[KeyAccount]:
    """Active accounts on whose team `user` is, for links to their team pages."""
    return list(
        account_permissions.accounts_visible_to(user)
        .active()
        .filter(memberships__user=user)
        .select_related("customer")
        .order_by("customer__name")[:limit]
    )


# ---- skills assessments -------------------------------------------------------------------


def _assessments_with_scores() -> QuerySet[SkillsAssessment]:
    return SkillsAssessment.objects.select_related("assessed_by").prefetch_related(
        Prefetch("scores", queryset=CompetenceScore.objects.select_related("competence"))
    )


def latest_assessments(*, manager_ids) -> dict[int, SkillsAssessment]:
    """manager id -> their latest assessment (two queries however many managers)."""
    latest: dict[int, SkillsAssessment] = {}
    for assessment in _assessments_with_scores().filter(manager_id__in=list(manager_ids)):
        latest.setdefault(assessment.manager_id, assessment)  # ordered newest first
    return latest


def assessment_history(*, manager: User) -> list[SkillsAssessment]:
    return list(_assessments_with_scores().filter(manager=manager))


def assessment_history_table(history: list[SkillsAssessment]) -> dict:
    """The history as a table: one column per competence any assessment scored (in the
    competences' order), each row's scores under their own competence (None where that
    assessment did not score it). Each row used to list its scores in turn under the latest
    assessment's headings: a competence added or retired since shifted the older scores under
    the wrong names."""
    competences = {}
    for assessment in history:
        for score in assessment.scores.all():
            competences.setdefault(score.competence_id, score.competence)
    columns = sorted(competences.values(), key=lambda c: (c.position, c.pk))
    rows = []
    for assessment in history:
        scores = {score.competence_id: score.score for score in assessment.scores.all()}
        rows.append(
            {
                "assessment": assessment,
                "cells": [(c.shown_name, scores.get(c.pk)) for c in columns],
            }
        )
    return {"columns": columns, "rows": rows}


def active_competences() -> list[Competence]:
    return list(Competence.objects.filter(is_active=True))


def managed_accounts(*, manager: User) -> list[KeyAccount]:
    return list(
        KeyAccount.objects.filter(memberships__user=manager, memberships__role=Role.MANAGER)
        .select_related("customer")
        .order_by("customer__name")
    )


def managers_visible_to(*, user) -> QuerySet[User]:
    """Key account managers whose profile `user` may open, with how many accounts they manage.

    Programme admins and executives: all; directors: the managers of their accounts; a manager:
    themself."""
    managers = User.objects.filter(memberships__role=Role.MANAGER, is_active=True)
    if not (account_permissions.is_programme_admin(user) or account_permissions.is_executive(user)):
        directed = key_accounts_with_role(user=user, role=Role.DIRECTOR).values("pk")
        managers = managers.filter(Q(pk=user.pk) | Q(memberships__key_account__in=directed))
    ids = managers.values("pk")
    return (
        User.objects.filter(pk__in=ids)
        .annotate(
            managed=Count(
                "memberships",
                filter=Q(
                    memberships__role=Role.MANAGER,
                    memberships__key_account__status=KeyAccount.Status.ACTIVE,
                ),
            )
        )
        .order_by("first_name", "last_name", "username")
    )


# ---- charts -------------------------------------------------------------------------------

BAR_LEFT, BAR_WIDTH, BAR_ROW = 250, 250, 26
GRID_CELL, GRID_LEFT, GRID_TOP = 36, 60, 20
# The labels' column grows with the longest label (13 px DejaVu Sans: at most ~8 units a
# character), so that no name runs off the chart's left edge: French names are longer
# ('Résolution de problèmes en mode conseil' lost its first letters). A name longer than
# LABEL_MAX_CHARS is shortened with '…' on the chart; the chart's description has it whole.
LABEL_CHAR_WIDTH, LABEL_GAP, LABEL_MAX_CHARS = 8, 16, 48


def _chart_label(name: str) -> str:
    return name if len(name) <= LABEL_MAX_CHARS else name[: LABEL_MAX_CHARS - 1].rstrip() + "…"


def skills_chart(assessment: SkillsAssessment) -> dict:
    """Numbers for the horizontal bar chart of competence scores (1–5)."""
    scores = list(assessment.scores.all())
    longest = max((len(_chart_label(s.competence.shown_name)) for s in scores), default=0)
    left = max(BAR_LEFT, longest * LABEL_CHAR_WIDTH + LABEL_GAP)
    bars = []
    for i, score in enumerate(scores):
        bars.append(
            {
                "name": score.competence.shown_name,
                "label": _chart_label(score.competence.shown_name),
                "score": score.score,
                "y": 10 + i * BAR_ROW,
                "text_y": 10 + i * BAR_ROW + 15,
                "width": round(BAR_WIDTH * score.score / SKILL_MAX),
            }
        )
    ticks = [
        {"value": v, "x": left + round(BAR_WIDTH * v / SKILL_MAX)} for v in range(1, SKILL_MAX + 1)
    ]
    height = 10 + len(bars) * BAR_ROW + 24
    return {
        "bars": bars,
        "ticks": ticks,
        "left": left,
        "right": left + BAR_WIDTH,
        "axis_y": height - 22,
        "tick_label_y": height - 6,
        "width": left + BAR_WIDTH + 30,
        "height": height,
    }


def _grid_x(value: float) -> float:
    return GRID_LEFT + (value - 1) * GRID_CELL


def _grid_y(value: float) -> float:
    return GRID_TOP + (GRID_MAX - value) * GRID_CELL


def sales_grid_chart(assessment: SkillsAssessment) -> dict:
    """Numbers for the 9×9 sales grid: concern for the sale across (x), concern for the
    customer up (y), the five regions of `models.selling_style` and the manager's point."""
    size = GRID_MAX * GRID_CELL

    def box(sale_from, sale_to, cust_from, cust_to, style):
        x, y = _grid_x(sale_from), _grid_y(cust_to)
        w, h = (sale_to - sale_from + 1) * GRID_CELL, (cust_to - cust_from + 1) * GRID_CELL
        return {
            "x": x,
            "y": y,
            "w": w,
            "h": h,
            "label": SellingStyle(style).label,
            "cx": x + w / 2,
            # Labels sit on the grid's outer rows, clear of most points in the region.
            "cy": y + 14 if cust_to == GRID_MAX else y + h - 6,
            "style": style,
        }

    low, high = (1, GRID_LOW_MAX), (GRID_HIGH_MIN, GRID_MAX)
    regions = [
        box(*low, *low, SellingStyle.ORDER_TAKER),
        box(*high, *low, SellingStyle.PRESSURE_SELLER),
        box(*low, *high, SellingStyle.CUSTOMER_FRIEND),
        box(*high, *high, SellingStyle.PROBLEM_SOLVER),
    ]
    middle = {
        "cx": GRID_LEFT + size / 2,
        "cy": GRID_TOP + size / 2 + 4,
        "label": SellingStyle.COMPROMISER.label,
    }
    return {
        "size": size,
        "left": GRID_LEFT,
        "top": GRID_TOP,
        "right": GRID_LEFT + size,
        "bottom": GRID_TOP + size,
        "lines": [GRID_LEFT + i * GRID_CELL for i in range(GRID_MAX + 1)],
        "hlines": [GRID_TOP + i * GRID_CELL for i in range(GRID_MAX + 1)],
        "ticks": [
            {
                "value": v,
                "x": _grid_x(v) + GRID_CELL / 2,
                "y": _grid_y(v) + GRID_CELL / 2 + 4,
            }
            for v in range(1, GRID_MAX + 1)
        ],
        "regions": regions,
        "middle": middle,
        "point_x": _grid_x(assessment.concern_for_sale) + GRID_CELL / 2,
        "point_y": _grid_y(assessment.concern_for_customer) + GRID_CELL / 2,
        "width": GRID_LEFT + size + 20,
        "height": GRID_TOP + size + 50,
        "x_label_y": GRID_TOP + size + 40,
        "tick_row_y": GRID_TOP + size + 18,
        "y_label_x": 16,
        "y_label_y": GRID_TOP + size / 2,
        "meaning": SELLING_STYLE_MEANING[assessment.selling_style],
    }


# ---- allocation ---------------------------------------------------------------------------


def allocation_accounts(*, user) -> QuerySet[KeyAccount]:
    """Active accounts whose manager `user` may reassign: a director's own accounts; every
    active account for programme admins."""
    if account_permissions.is_programme_admin(user):
        accounts = KeyAccount.objects.active()
    else:
        accounts = (
            account_permissions.accounts_visible_to(user)
            .active()
            .filter(memberships__user=user, memberships__role=Role.DIRECTOR)
        )
    return (
        accounts.select_related("customer")
        .order_by("customer__name", "pk")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(role=Role.MANAGER).select_related("user"),
                to_attr="manager_memberships",
            )
        )
    )


@dataclass
class ManagerLoad:
    user: User
    assessment: SkillsAssessment | None
    account_count: int
    open_actions: int
    overload: list[str] = field(default_factory=list)


def manager_loads(*, manager_ids) -> dict[int, ManagerLoad]:
    """Latest assessment, active accounts managed and open actions owned, per manager."""
    ids = set(manager_ids)
    users = {u.pk: u for u in User.objects.filter(pk__in=ids)}
    counts = dict(
        Membership.objects.filter(
            user__in=ids, role=Role.MANAGER, key_account__status=KeyAccount.Status.ACTIVE
        )
        .values("user")
        .annotate(n=Count("pk"))
        .values_list("user", "n")
    )
    actions = dict(
        Action.objects.filter(owner__in=ids, status__in=Action.OPEN_STATUSES, plan__is_current=True)
        .values("owner")
        .annotate(n=Count("pk"))
        .values_list("owner", "n")
    )
    assessments = latest_assessments(manager_ids=ids)
    loads = {}
    for pk, user in users.items():
        load = ManagerLoad(
            user=user,
            assessment=assessments.get(pk),
            account_count=counts.get(pk, 0),
            open_actions=actions.get(pk, 0),
        )
        load.overload = services.overload_problems(
            account_count=load.account_count, open_actions=load.open_actions
        )
        loads[pk] = load
    return loads


def _suggestion_pool_ids(*, user) -> set[int]:
    """Managers a director can move between their accounts: those managing any of them.
    Programme admins: every manager of an active account."""
    memberships = Membership.objects.filter(
        role=Role.MANAGER, key_account__status=KeyAccount.Status.ACTIVE
    )
    if not account_permissions.is_programme_admin(user):
        memberships = memberships.filter(
            key_account__in=KeyAccount.objects.filter(
                memberships__user=user, memberships__role=Role.DIRECTOR
            )
        )
    return set(memberships.values_list("user_id", flat=True))


MAX_SUGGESTIONS = 3


def allocation_rows(*, user, accounts: list[KeyAccount]) -> list[dict]:
    """One row per account and manager: fit problems, overload, and managers who would fit."""
    pool_ids = _suggestion_pool_ids(user=user)
    page_ids = {m.user_id for a in accounts for m in a.manager_memberships}
    loads = manager_loads(manager_ids=pool_ids | page_ids)
    pool = sorted(
        (loads[pk] for pk in pool_ids if pk in loads),
        key=lambda load: (load.account_count, load.open_actions, str(load.user)),
    )
    rows = []
    for account in accounts:
        managers = [loads[m.user_id] for m in account.manager_memberships if m.user_id in loads]
        entries = []
        for load in managers:
            entries.append(
                {
                    "load": load,
                    "fit": services.manager_fit_problems(
                        classification=account.classification, assessment=load.assessment
                    ),
                }
            )
        mismatched = not entries or any(e["fit"] or e["load"].overload for e in entries)
        suggestions = []
        if mismatched:
            current = {load.user.pk for load in managers}
            for load in pool:
                if load.user.pk in current or load.overload:
                    continue
                if services.manager_fit_problems(
                    classification=account.classification, assessment=load.assessment
                ):
                    continue
                suggestions.append(load)
                if len(suggestions) == MAX_SUGGESTIONS:
                    break
        rows.append(
            {
                "account": account,
                "managers": entries,
                "mismatched": mismatched,
                "suggestions": suggestions,
            }
        )
    return rows


def reassign_candidates(*, account: KeyAccount) -> QuerySet[User]:
    """People who could take the account over: anyone managing a key account, or already on
    this team below director."""
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(memberships__role=Role.MANAGER)
            | Q(
                memberships__key_account=account,
                memberships__role__in=[Role.COORDINATOR, Role.TEAM_MEMBER],
            )
        )
        .exclude(
            memberships__key_account=account, memberships__role__in=[Role.DIRECTOR, Role.MANAGER]
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


# ---- mentoring ----------------------------------------------------------------------------


def mentoring_sessions_for(*, user) -> QuerySet[MentoringSession]:
    """Sessions `user` wrote or that concern them; programme admins see every session."""
    sessions = (
        MentoringSession.objects.select_related("director", "manager", "key_account__customer")
        .annotate(step_count=Count("next_steps"))
        .order_by("-held_on", "-pk")
    )
    if account_permissions.is_programme_admin(user):
        return sessions
    return sessions.filter(Q(director=user) | Q(manager=user))


def mentoring_choices(*, director) -> tuple[QuerySet[KeyAccount], QuerySet[User]]:
    """Accounts the director directs and the managers of those accounts."""
    accounts = key_accounts_with_role(user=director, role=Role.DIRECTOR)
    managers = (
        User.objects.filter(
            memberships__role=Role.MANAGER,
            memberships__key_account__in=accounts.values("pk"),
        )
        .distinct()
        .order_by("first_name", "last_name")
    )
    return accounts, managers


# ---- handbook -----------------------------------------------------------------------------


def handbook() -> dict:
    """Everything the programme handbook shows, from the data as it is now."""
    programme = Programme.current()
    accounts = list(
        KeyAccount.objects.active()
        .select_related("customer", "executive_sponsor__user")
        .prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("user"))
        )
    )
    groups = defaultdict(list)
    for account in accounts:
        members = sorted(
            account.memberships.all(),
            key=lambda m: (ROLE_ORDER[m.role], m.user.first_name, m.user.last_name),
        )
        account.directors = [m for m in members if m.role == Role.DIRECTOR]
        account.managers = [m for m in members if m.role == Role.MANAGER]
        account.coordinators = [m for m in members if m.role == Role.COORDINATOR]
        account.team = [m for m in members if m.role == Role.TEAM_MEMBER]
        try:
            account.sponsor = account.executive_sponsor
        except ExecutiveSponsor.DoesNotExist:
            account.sponsor = None
        groups[account.classification].append(account)
    classes = [
        {
            "value": value,
            "label": label,
            "strategy": CLASS_STRATEGY[value],
            "accounts": sorted(groups.get(value, []), key=lambda a: a.customer.name),
        }
        for value, label in Classification.choices
    ]
    return {
        "programme": programme,
        # An unsaved programme (an empty database) has no roadmap yet.
        "roadmap": list(programme.roadmap.select_related("owner")) if programme.pk else [],
        "criteria": list(
            SelectionCriterion.objects.filter(programme_id=programme.pk, archived_at__isnull=True)
        ),
        "classes": classes,
        "account_count": len(accounts),
        "job_specs": list(JobSpecification.objects.all()),
        "allocation_rules": services.ALLOCATION_RULES,
    }
