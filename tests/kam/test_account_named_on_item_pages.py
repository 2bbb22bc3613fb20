"""A page about one item of an account (an action, a meeting, a quote, an opportunity, a
workshop) names the account above its heading: people arrive there from My work, reminders
and notifications, where the account is not otherwise on screen."""

import re

import pytest
from django.urls import reverse

from tests.factories import (
    AccountPlanFactory,
    ActionFactory,
    MeetingFactory,
    OpportunityFactory,
    QuoteFactory,
)
from tests.opportunities.factories import WorkshopFactory


def item_url(kind, account, people):
    if kind == "action":
        plan = AccountPlanFactory(key_account=account)
        action = ActionFactory(plan=plan, owner=people.manager)
        return reverse("delivery:action_detail", args=[account.pk, action.pk])
    if kind == "meeting":
        meeting = MeetingFactory(key_account=account)
        return reverse("delivery:meeting_detail", args=[account.pk, meeting.pk])
    if kind == "quote":
        quote = QuoteFactory(key_account=account)
        return reverse("delivery:quote_detail", args=[account.pk, quote.pk])
    if kind == "opportunity":
        opportunity = OpportunityFactory(key_account=account)
        return reverse("opportunities:opportunity_detail", args=[account.pk, opportunity.pk])
    workshop = WorkshopFactory(key_account=account)
    return reverse("opportunities:workshop_detail", args=[account.pk, workshop.pk])


@pytest.mark.parametrize("kind", ["action", "meeting", "quote", "opportunity", "workshop"])
def test_item_page_names_its_account_above_the_heading(client_for, people, account, kind):
    response = client_for(people.manager).get(item_url(kind, account, people))
    assert response.status_code == 200
    html = response.content.decode()
    main = html[html.index("</nav>") :]  # after the top menu
    before_heading = main[: main.index("<h1")]
    overview = reverse("accounts:account_detail", args=[account.pk])
    assert re.search(rf'<a href="{overview}">Northwind Foods</a>', before_heading)
