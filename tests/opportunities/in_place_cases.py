"""An opportunity's page edited in place (issue #19), for tests/common/test_in_place_editors.py:
its facts and scores ("Edit and re-score") and its decision."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from opportunities.models import Opportunity
from tests.common.in_place import Case
from tests.factories import OpportunityFactory


def opportunity_data(obj, **changes):
    today = timezone.localdate()
    data = {
        "title": "Cold-chain pilot for chilled desserts",
        "description": "",
        "beneficiary": "both",
        "lever": "cross_sell",
        "annual_value": "250000",
        "profit_potential": "110000",
        "strategic_value_us": "4",
        "strategic_value_customer": "3",
        "effort": "2",
        "risk": "2",
        "identified_on": obj.identified_on.isoformat(),
        "expected_start_on": (today + timedelta(days=60)).isoformat(),
        "source": "manager",
        "status": obj.status,
        "revision": obj.revision,
    }
    return {**data, **changes}


def _make(view):
    def make(account, people):
        opportunity = OpportunityFactory(key_account=account, title="Vendor-managed inventory")
        url = reverse(f"opportunities:{view}", args=[account.pk, opportunity.pk])
        page = reverse("opportunities:opportunity_detail", args=[account.pk, opportunity.pk])
        return url, opportunity, page

    return make


CASES = [
    Case(
        "opportunities:opportunity_edit",
        "opportunity-facts",
        _make("opportunity_edit"),
        valid=lambda people, obj: opportunity_data(obj, owner=people.manager.pk),
        shown="Cold-chain pilot for chilled desserts",
        invalid=lambda people, obj: opportunity_data(obj, effort="6", description="Lyon DC"),
        typed="Lyon DC",
        first_field="title",
        model=Opportunity,
        announce="Opportunity “Cold-chain pilot for chilled desserts” saved.",
        # The account's current plan shows its opportunities, so the save moves the plan's
        # content version (planning/page_cache.py). 30 before the owner and the workshop were
        # read once (bench/README.md, finding 49): the form's choices, not the model's checks;
        # 27 before the page's read of the owner and stakeholders was handed to the form and
        # the service (finding 62).
        round_trip_queries=26,
    ),
    Case(
        "opportunities:opportunity_decide",
        "opportunity-decision",
        _make("opportunity_decide"),
        valid=lambda people, obj: {
            "decision": "pursue",
            "reason": "Budget approved by the CFO",
            "revision": obj.revision,
        },
        shown="Budget approved by the CFO",
        invalid=lambda people, obj: {
            "decision": "",
            "reason": "Tender moved to Q3",
            "revision": obj.revision,
        },
        typed="Tender moved to Q3",
        first_field="reason",
        model=Opportunity,
        announce="Decision recorded: pursue “Vendor-managed inventory”.",
        opens_by_get=False,
    ),
]
