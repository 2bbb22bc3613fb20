"""Candidate customers: the list and its CSV, the customer form, the customer's page and its
scores, edited in place on it (common/inplace.py)."""

from functools import partial

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts import permissions
from accounts.countries import english_name
from accounts.models import (
    CLASS_STRATEGY,
    AccountEvent,
    Classification,
    Customer,
    Programme,
)
from accounts.selectors import account_team
from common import inplace
from common.csv_export import csv_response
from common.form_pages import edit_page

from .. import selectors, services
from ..customer_import import COLUMNS, score_columns
from ..forms import CustomerForm, ScoreForm
from ..models import CriterionScore
from .base import PAGE_SIZE, _strategy_context

# The customer page is open to every candidate viewer, so it shows only selection history,
# never later stages' events (meetings, quotes) of accounts the viewer is not on.
SELECTION_EVENT_KINDS = [
    AccountEvent.Kind.SELECTED,
    AccountEvent.Kind.RESELECTED,
    AccountEvent.Kind.DESELECTED,
    AccountEvent.Kind.CLASS_CHANGED,
]


@login_required
@require_GET
def customer_list(request):
    permissions.require(permissions.can_view_candidates(request.user))
    programme = Programme.current()
    filters = {
        "query": request.GET.get("q", "").strip(),
        "classification": request.GET.get("class", ""),
        "selection": request.GET.get("selected", ""),
        "sort": selectors.customer_sort(request.GET.get("sort", "")),
    }
    customers = selectors.customer_list(user=request.user, **filters)
    # The filters, for the sort headers' links (each adds its own sort) and the export's.
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("sort", None)
    page = Paginator(customers, PAGE_SIZE).get_page(request.GET.get("page"))
    context = _strategy_context(
        request.user,
        page=page,
        programme=programme,
        active_count=selectors.active_criteria_count(programme=programme),
        classes=Classification.choices,
        selections=selectors.CUSTOMER_SELECTION_FILTERS.items(),
        share=selectors.key_account_share(programme),
        sort_query=query.urlencode(),
        sort_choices=selectors.customer_sort_choices(),
        **filters,
    )
    return render(request, "strategy/customer_list.html", context)


@login_required
@require_GET
def customer_export(request):
    permissions.require(permissions.can_view_candidates(request.user))
    customers = selectors.customer_list(
        user=request.user,
        query=request.GET.get("q", "").strip(),
        classification=request.GET.get("class", ""),
        selection=request.GET.get("selected", ""),
        sort=request.GET.get("sort", ""),
    )
    criteria = score_columns(Programme.current())
    header = [
        *COLUMNS,
        *(title for title, _ in criteria),
        "attractiveness_score",
        "strength_score",
        "classification",
        "key_account_status",
    ]
    # One column per active criterion: the file imports again with its scores.
    customers = customers.prefetch_related(
        Prefetch(
            "scores",
            queryset=CriterionScore.objects.filter(criterion__in=[c for _, c in criteria]),
            to_attr="exported_scores",
        )
    )

    def rows():
        for c in customers.iterator(chunk_size=1000):
            account = getattr(c, "key_account", None)
            scores = {s.criterion_id: s.score for s in c.exported_scores}
            yield [
                c.reference,
                c.name,
                c.sector,
                # Its English name, which the import reads back (as it reads a code).
                english_name(c.country),
                c.annual_revenue,
                c.potential_spend,
                c.notes,
                *(scores.get(criterion.pk) for _, criterion in criteria),
                c.attractiveness_score,
                c.strength_score,
                c.classification,
                account.status if account else "",
            ]

    return csv_response("customers.csv", header, rows())


@login_required
def customer_add(request):
    return _customer_form(request, customer=None)


@login_required
def customer_edit(request, customer_id: int):
    return _customer_form(request, customer=get_object_or_404(Customer, pk=customer_id))


def _customer_form(request, *, customer):
    permissions.require(permissions.can_manage_customers(request.user))

    def save(form):
        return services.customer_save(
            data=form.cleaned_data,
            acting_user=request.user,
            customer=customer,
            revision=form.opened_at,
        )

    return edit_page(
        request,
        CustomerForm(request.POST or None, instance=customer),
        save=save,
        saved_form=lambda current: CustomerForm(instance=current),
        done=lambda saved: (
            _("%(name)s saved.") % {"name": saved.name},
            reverse("strategy:customer_detail", kwargs={"customer_id": saved.pk}),
        ),
        template="strategy/customer_form.html",
        context={"customer": customer},
    )


# The customer's page is edited in place (common/inplace.py): its facts, totals, class and
# scores are one block (strategy/_customer_scores.html), since a save of the scores moves the
# totals and the class; "Score this customer" opens the score form in it. A save also redraws
# the title's class badge and the note on the account's class, out of band.
SCORES = "customer-scores"


def _customer_page(request, customer_id: int, *, editing=None, status=200, announce="",
                   fragment=False, programme=None, criteria=None):  # fmt: skip
    """`programme` and its active `criteria` (selectors.criteria_for), if the caller read them
    in this request (the score editor), are not read again."""
    customer = get_object_or_404(
        Customer.objects.select_related("key_account", "parent"), pk=customer_id
    )
    programme = programme or Programme.current()
    if criteria is None:
        criteria = selectors.criteria_for(programme=programme, include_archived=False)
    scores = {
        s.criterion_id: s
        for s in customer.scores.select_related("scored_by").filter(criterion__in=criteria)
    }
    account = getattr(customer, "key_account", None)
    # The share each score had in this customer's axis score: with a criterion unscored, the
    # others share its weight, so the page's shares and scores add up to the totals it shows.
    used = services.shares_used(criteria, {pk: s.score for pk, s in scores.items()})
    rows = [
        {"criterion": c, "score": scores.get(c.pk), "share_used": used.get(c.pk)} for c in criteria
    ]
    context = _strategy_context(
        request.user,
        customer=customer,
        account=account,
        programme=programme,
        rows=rows,
        missing=sum(1 for row in rows if row["score"] is None),
        strategy_text=CLASS_STRATEGY.get(customer.classification, ""),
        can_open_account=bool(account) and permissions.can(request.user, "view", account),
        can_change_selection=bool(account)
        and permissions.can_change_selection(request.user, account),
        events=account.events.filter(kind__in=SELECTION_EVENT_KINDS).select_related("actor")
        if account
        else [],
        team=account_team(account=account) if account else [],
        class_changes=selectors.customer_class_changes(customer=customer),
        subsidiaries=list(customer.subsidiaries.only("pk", "name").order_by("name")),
        class_mismatch=bool(account)
        and account.is_active
        and customer.classification
        and customer.classification != account.classification,
        editing=editing,
        editing_anchor=SCORES,
    )
    partials = ["strategy/_customer_scores.html"]
    if announce:
        partials.append("strategy/_customer_title.html")
        if account:
            partials.append("strategy/_class_mismatch.html")
    return inplace.page_or_fragment(
        request, "strategy/customer_detail.html", partials, context,
        fragment=fragment, status=status, announce=announce,
    )  # fmt: skip


@login_required
@require_GET
def customer_detail(request, customer_id: int):
    permissions.require(permissions.can_view_candidates(request.user))
    # "Cancel" in the score form asks for the block alone.
    fragment = inplace.fragment_target(request, [SCORES]) is not None
    return _customer_page(request, customer_id, fragment=fragment)


@login_required
def customer_score(request, customer_id: int):
    permissions.require(permissions.can_score_customers(request.user))
    customer = get_object_or_404(Customer, pk=customer_id)
    programme = Programme.current()
    criteria = selectors.criteria_for(programme=programme, include_archived=False)

    def saved_scores(of: Customer) -> dict:
        return dict(of.scores.filter(criterion__in=criteria).values_list("criterion_id", "score"))

    def form(data=None):
        if data is not None:
            return ScoreForm(data, criteria=criteria)
        return ScoreForm(
            criteria=criteria,
            initial_scores=saved_scores(customer),
            initial={"revision": customer.revision},
        )

    def save(bound):
        return services.customer_score(
            customer=customer,
            scores=bound.scores(),
            acting_user=request.user,
            revision=bound.cleaned_data["revision"],
            programme=programme,  # read above: not again
        )

    def saved_form(current):
        return ScoreForm(
            criteria=criteria,
            initial_scores=saved_scores(current),
            initial={"revision": current.revision},
        )

    detail_url = reverse("strategy:customer_detail", args=[customer.pk])
    return inplace.edit_in_place(
        request,
        block=SCORES,
        render=partial(
            _customer_page, request, customer.pk, programme=programme, criteria=criteria
        ),
        form=form,
        save=save,
        saved_form=saved_form,
        done=lambda saved: _("Scores for %(name)s saved.") % {"name": customer.name},
        redirect_to=lambda saved: f"{detail_url}#{SCORES}",
        cancel_url=detail_url,
        mode="edit",
        pk=customer.pk,
    )
