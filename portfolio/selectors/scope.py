"""Which key accounts a user sees on the dashboard, and the filters that narrow them."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts import permissions
from accounts.models import Classification, Customer, KeyAccount, Membership, Role, User
from common.compiled import CompiledPerKey

from .base import SCOPES_KEPT, scope_key
from .health import HEALTH_BUCKET_LABELS, HEALTH_BUCKETS

SCOPE_RULE = _(
    "Directors see the active key accounts they direct; executives see every active key "
    "account. Filters only narrow that set."
)


def portfolio_scope(*, user) -> QuerySet[KeyAccount]:
    """The accounts this user's dashboard covers. Anyone who may not see a portfolio (managers,
    coordinators, team members, programme admins without a director role) is refused."""
    if not permissions.can_view_portfolio(user):
        raise PermissionDenied(
            _("The portfolio dashboard is for key account directors and executives.")
        )
    accounts = permissions.accounts_visible_to(user).active()
    if permissions.sees_all_accounts(user):
        return accounts
    directed = Membership.objects.filter(user=user, role=Role.DIRECTOR).values("key_account_id")
    # Re-rooted on a plain queryset: accounts_visible_to() joins memberships with DISTINCT,
    # which would multiply every aggregate below.
    return KeyAccount.objects.filter(pk__in=accounts.filter(pk__in=directed).values("pk"))


def _year_or_none(value) -> int | None:
    year = _int_or_none(value)
    return year if year is not None and 1900 <= year <= 2200 else None


def _int_or_none(value) -> int | None:
    try:
        return int(value) or None
    except (TypeError, ValueError):
        return None


SORT_LABELS = {
    "account": _("Account"),
    "director": _("Director"),
    "manager": _("Manager"),
    "class": _("Class"),
    "stage": _("Relationship"),
    "plan": _("Plan"),
    "approved": _("Last approved"),
    "review": _("Last review"),
    "overdue": _("Overdue actions"),
    "on_track": _("On track"),
    "at_risk": _("At risk"),
    "off_track": _("Off track"),
    "cadence": _("Cadence kept"),
    "satisfaction": _("Satisfaction"),
    "health": _("Health"),
    "change": _("30-day change"),
    "value": _("Confirmed value"),
    "issues": _("Open high issues"),
}
PAGE_SORTS = {"on_track", "at_risk", "off_track"}  # computed in Python: sorted within the page
DEFAULT_SORT = "health"  # least healthy first: what a portfolio meeting starts with


@dataclass(frozen=True)
class PortfolioFilters:
    director: int | None = None
    manager: int | None = None
    classification: str = ""
    sector: str = ""
    health: str = ""
    sort: str = DEFAULT_SORT
    bubble: str = "revenue"
    # The performance year (None: the latest complete year). It narrows no accounts.
    year: int | None = None

    @classmethod
    def from_query(cls, query) -> PortfolioFilters:
        classification = query.get("class", "")
        health = query.get("health", "")
        sort = query.get("sort", DEFAULT_SORT)
        return cls(
            director=_int_or_none(query.get("director")),
            manager=_int_or_none(query.get("manager")),
            classification=classification if classification in Classification.values else "",
            sector=query.get("sector", "").strip()[:120],
            health=health if health in HEALTH_BUCKET_LABELS else "",
            sort=sort if sort.lstrip("-") in SORT_LABELS else DEFAULT_SORT,
            bubble="profit" if query.get("bubble") == "profit" else "revenue",
            year=_year_or_none(query.get("year")),
        )

    @property
    def active(self) -> bool:
        return bool(
            self.director or self.manager or self.classification or self.sector or self.health
        )

    def params(self, *, sort: bool = True, bubble: bool = True) -> dict[str, str]:
        values = {
            "director": self.director or "",
            "manager": self.manager or "",
            "class": self.classification,
            "sector": self.sector,
            "health": self.health,
            "year": self.year or "",
        }
        if sort and self.sort != DEFAULT_SORT:
            values["sort"] = self.sort
        if bubble and self.bubble != "revenue":
            values["bubble"] = self.bubble
        return {k: str(v) for k, v in values.items() if v}

    def query(self, **kwargs) -> str:
        return urlencode(self.params(**kwargs))

    def narrow(self, accounts: QuerySet[KeyAccount]) -> QuerySet[KeyAccount]:
        """Every filter except health (which needs the health scores, see `apply_health`)."""
        if self.director:
            accounts = accounts.filter(
                pk__in=Membership.objects.filter(user_id=self.director, role=Role.DIRECTOR).values(
                    "key_account_id"
                )
            )
        if self.manager:
            accounts = accounts.filter(
                pk__in=Membership.objects.filter(user_id=self.manager, role=Role.MANAGER).values(
                    "key_account_id"
                )
            )
        if self.classification:
            accounts = accounts.filter(classification=self.classification)
        if self.sector:
            accounts = accounts.filter(customer__sector=self.sector)
        return accounts


@dataclass
class FilterChoices:
    directors: list[tuple[int, str]]
    managers: list[tuple[int, str]]
    sectors: list[str]
    classes: list = field(default_factory=lambda: list(Classification.choices))
    buckets: list = field(default_factory=lambda: list(HEALTH_BUCKETS))


def _people_with_role(accounts: QuerySet[KeyAccount], role: str) -> list[tuple[int, str]]:
    """(id, the user's `str`) of each person with `role` on `accounts`, for the filter's
    options: the names only, not ~100 whole users a role (bench/README.md, finding 37)."""

    def people(_ids):
        ids = Membership.objects.filter(role=role, key_account__in=accounts).values("user_id")
        return (
            User.objects.filter(pk__in=ids)
            .order_by("first_name", "last_name", "username")
            .only("first_name", "last_name", "username")
        )

    return [(user.pk, str(user)) for user in _PEOPLE.rows((scope_key(accounts), role), people)]


# The filter's options, compiled once per account scope (its SQL and parameters; bench/
# README.md, finding 52).
_PEOPLE = CompiledPerKey(maxsize=SCOPES_KEPT)
_SECTORS = CompiledPerKey(maxsize=SCOPES_KEPT)


def filter_choices(*, scope: QuerySet[KeyAccount]) -> FilterChoices:
    """Options come from the unfiltered scope, so a director never learns other names."""
    sectors = _SECTORS.rows(
        scope_key(scope),
        lambda _ids: (
            Customer.objects.filter(key_account__in=scope)
            .exclude(sector="")
            .order_by("sector")
            .values_list("sector", flat=True)
            .distinct()
        ),
    )
    return FilterChoices(
        directors=_people_with_role(scope, Role.DIRECTOR),
        managers=_people_with_role(scope, Role.MANAGER),
        sectors=list(sectors),
    )
