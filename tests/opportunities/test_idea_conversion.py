"""An interview idea becomes an opportunity in one click, once."""

import pytest
from django.urls import reverse

from opportunities.models import Opportunity
from tests.factories import InterviewFactory, StakeholderFactory

from .factories import OpportunityIdeaFactory


@pytest.fixture
def idea(account):
    interview = InterviewFactory(key_account=account)
    interview.stakeholders.add(StakeholderFactory(key_account=account, name="Ines Buyer"))
    return OpportunityIdeaFactory(
        interview=interview, title="Shared forecast", description="They want our forecast."
    )


def convert_url(idea):
    return reverse("opportunities:idea_convert", args=[idea.pk])


def test_manager_converts_an_idea_and_lands_on_the_edit_page(client_for, people, idea):
    response = client_for(people.manager).post(convert_url(idea))
    opportunity = Opportunity.objects.get(source_idea=idea)
    assert response.status_code == 302
    assert response.url == reverse(
        "opportunities:opportunity_edit", args=[idea.interview.key_account_id, opportunity.pk]
    )
    assert opportunity.source == Opportunity.Source.INTERVIEW
    assert opportunity.title == "Shared forecast"
    assert opportunity.identified_on == idea.interview.held_on
    assert opportunity.owner == people.manager
    assert [s.name for s in opportunity.stakeholders.all()] == ["Ines Buyer"]


def test_converting_twice_gives_a_message_and_the_existing_opportunity(client_for, people, idea):
    client = client_for(people.director)
    first = client.post(convert_url(idea))
    second = client.post(convert_url(idea), follow=True)
    assert Opportunity.objects.filter(source_idea=idea).count() == 1
    assert second.redirect_chain[0][0] == first.url
    assert "was already turned into this opportunity" in second.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("coordinator", 403), ("team_member", 403), ("executive", 403), ("outsider", 404)],
)
def test_conversion_needs_edit_on_the_ideas_account(client_for, people, idea, persona, status):
    assert client_for(getattr(people, persona)).post(convert_url(idea)).status_code == status
    assert not Opportunity.objects.exists()


def test_manager_of_another_account_gets_404(client_for, people, idea, other_account):
    assert client_for(people.other_manager).post(convert_url(idea)).status_code == 404


def test_conversion_is_post_only_and_needs_login(client_for, people, idea):
    assert client_for(people.manager).get(convert_url(idea)).status_code == 405
    response = client_for(None).post(convert_url(idea))
    assert response.status_code == 302 and "/login/" in response.url


def test_unknown_idea_is_404(client_for, people, account):
    url = reverse("opportunities:idea_convert", args=[999999])
    assert client_for(people.manager).post(url).status_code == 404
