"""Strategy's forms edited in place (issue #19), for tests/common/test_in_place_editors.py: a
programme admin adds and edits selection criteria; a manager scores a customer on its page."""

from django.urls import reverse

from accounts.models import Customer
from strategy.models import SelectionCriterion
from tests.common.in_place import Case
from tests.factories import CriterionFactory


def criterion_data(**changes):
    data = {
        "axis": "attractiveness",
        "name": "Share of wallet",
        "description": "",
        "weight": "2",
        "scale_1": "Under 10 %",
        "scale_3": "About a third",
        "scale_5": "Over half",
    }
    return {**data, **changes}


def _make_add(account, people):
    CriterionFactory(name="Growth")
    url = reverse("strategy:criterion_add")
    return url, None, reverse("strategy:criteria")


def _make_edit(account, people):
    criterion = CriterionFactory(name="Growth")
    url = reverse("strategy:criterion_edit", args=[criterion.pk])
    return url, criterion, reverse("strategy:criteria")


def _make_score(account, people):
    CriterionFactory(name="Growth outlook")
    customer = account.customer
    url = reverse("strategy:customer_score", args=[customer.pk])
    return url, customer, reverse("strategy:customer_detail", args=[customer.pk])


def score_data(customer, score):
    criterion = SelectionCriterion.objects.get(name="Growth outlook")
    return {f"criterion_{criterion.pk}": score, "revision": customer.revision}


CASES = [
    Case(
        "strategy:criterion_add",
        "criteria-tables",
        _make_add,
        valid=lambda people, obj: criterion_data(),
        shown="Share of wallet",
        invalid=lambda people, obj: criterion_data(weight="0", scale_5="More than half"),
        typed="More than half",
        first_field="axis",
        user="programme_admin",
    ),
    Case(
        "strategy:criterion_edit",
        "criteria-tables",
        _make_edit,
        valid=lambda people, obj: criterion_data(name="Growth outlook", revision=obj.revision),
        shown="Growth outlook",
        invalid=lambda people, obj: criterion_data(
            name="Growth outlook", weight="", revision=obj.revision
        ),
        typed="Growth outlook",
        first_field="axis",
        model=SelectionCriterion,
        user="programme_admin",
    ),
    Case(
        "strategy:customer_score",
        "customer-scores",
        _make_score,
        valid=lambda people, obj: score_data(obj, "4"),
        shown="Growth outlook",
        invalid=lambda people, obj: score_data(obj, "7"),
        typed="7 is outside the scale",
        # One group of options per criterion, named by its id (the test reads it as a pattern).
        first_field=r"criterion_\d+",
        model=Customer,
        # The save checks each score, records its history and re-scores the customer (its
        # history too), then the customer's block: 28. 33 before the programme, its criteria
        # and the scores just written were read once (bench/README.md, finding 51).
        round_trip_queries=28,
    ),
]
