"""Forms that link opportunities (meetings, follow-ups, quotes, plan actions) offer only live
ones — not dropped, not lost — and keep one that is already linked, readable, once it is over."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from delivery.forms import FollowUpForm, MeetingForm, QuoteForm
from planning.forms import ActionForm
from tests.factories import (
    ActionFactory,
    MeetingFactory,
    OpportunityFactory,
    QuoteFactory,
)


@pytest.fixture
def opportunities(account):
    return {
        status: OpportunityFactory(
            key_account=account, title=f"{status.title()} deal", status=status, decision=""
        )
        for status in ("idea", "qualified", "pursuing", "won", "lost", "dropped")
    }


LIVE = {"Idea deal", "Qualified deal", "Pursuing deal", "Won deal"}


def _titles(field) -> set[str]:
    return {o.title for o in field.queryset}


def test_every_linking_form_offers_only_live_opportunities(account, plan, opportunities):
    assert _titles(MeetingForm(account=account).fields["opportunities"]) == LIVE
    assert _titles(FollowUpForm(account=account).fields["opportunity"]) == LIVE
    assert _titles(QuoteForm(account=account).fields["opportunity"]) == LIVE
    # The plan's actions take pursued opportunities (pursuing or won here), still live.
    action_form = ActionForm(account=account, plan=plan)
    assert _titles(action_form.fields["opportunity"]) == {"Pursuing deal", "Won deal"}


def test_a_decided_pursue_that_was_lost_is_not_offered_to_plan_actions(account, plan):
    OpportunityFactory(key_account=account, title="Lost after pursue", status="lost")
    OpportunityFactory(key_account=account, title="Pursue decided", decision="pursue")
    lost = OpportunityFactory(key_account=account, title="Lost too", status="lost")
    lost.decision = "pursue"
    lost.save()
    titles = _titles(ActionForm(account=account, plan=plan).fields["opportunity"])
    assert titles == {"Pursue decided"}


def test_the_pages_show_the_live_ones_only(client_for, people, account, plan, opportunities):
    client = client_for(people.coordinator)
    for url in (
        reverse("delivery:meeting_create", args=[account.pk]),
        reverse("delivery:quote_create", args=[account.pk]),
        reverse(
            "delivery:meeting_detail", args=[account.pk, MeetingFactory(key_account=account).pk]
        ),
    ):
        html = client.get(url).content.decode()
        assert "Pursuing deal" in html and "Won deal" in html, url
        assert "Lost deal" not in html and "Dropped deal" not in html, url


def test_a_dropped_opportunity_cannot_be_picked_for_a_follow_up(
    client_for, people, account, plan, opportunities
):
    meeting = MeetingFactory(key_account=account)
    response = client_for(people.coordinator).post(
        reverse("delivery:meeting_follow_up", args=[account.pk, meeting.pk]),
        {
            "title": "Send the trial report",
            "owner": people.manager.pk,
            "due_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
            "opportunity": opportunities["dropped"].pk,
        },
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_a_quote_linked_to_a_since_lost_opportunity_keeps_it_readable(
    client_for, people, account, opportunities
):
    lost = opportunities["lost"]
    quote = QuoteFactory(key_account=account, opportunity=lost)
    form = QuoteForm(account=account, quote=quote)
    assert lost in form.fields["opportunity"].queryset
    assert "Dropped deal" not in _titles(form.fields["opportunity"])
    html = (
        client_for(people.coordinator)
        .get(reverse("delivery:quote_edit", args=[account.pk, quote.pk]))
        .content.decode()
    )
    assert f'<option value="{lost.pk}" selected>Lost deal (lost)</option>' in html


def test_a_meeting_and_an_action_keep_their_linked_lost_opportunity(account, plan, opportunities):
    lost = opportunities["lost"]
    meeting = MeetingFactory(key_account=account)
    meeting.opportunities.add(lost)
    assert lost in MeetingForm(account=account, meeting=meeting).fields["opportunities"].queryset
    action = ActionFactory(plan=plan, opportunity=lost)
    assert (
        lost
        in ActionForm(account=account, plan=plan, instance=action).fields["opportunity"].queryset
    )
