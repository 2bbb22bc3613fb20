"""Joint value-creation workshops and the opportunities created or re-scored in them."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountEvent
from opportunities.models import Opportunity, Workshop
from tests.factories import StakeholderFactory, UserFactory

from .factories import WorkshopFactory
from .test_opportunity_form import form_data


def test_manager_records_a_workshop_with_people_from_both_sides(client_for, people, account):
    buyer = StakeholderFactory(key_account=account, name="Greta Buyer")
    response = client_for(people.manager).post(
        reverse("opportunities:workshop_create", args=[account.pk]),
        {
            "title": "Clean-label value workshop",
            "held_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "participants": [people.manager.pk, people.team_member.pk],
            "stakeholders": [buyer.pk],
            "agenda": "Roadmap; cost in the supply chain",
            "outcomes": "Co-develop the range",
        },
    )
    assert response.status_code == 302
    workshop = Workshop.objects.get()
    assert set(workshop.participants.all()) == {people.manager, people.team_member}
    assert list(workshop.stakeholders.all()) == [buyer]
    assert AccountEvent.objects.filter(summary__contains="Clean-label value workshop").exists()
    html = client_for(people.coordinator).get(response.url).content.decode()
    assert "Greta Buyer" in html and "Co-develop the range" in html


def test_participants_must_be_on_the_team(client_for, people, account):
    response = client_for(people.manager).post(
        reverse("opportunities:workshop_create", args=[account.pk]),
        {
            "title": "W",
            "held_on": timezone.localdate().isoformat(),
            "participants": [UserFactory().pk],
        },
    )
    assert response.status_code == 200
    assert not Workshop.objects.exists()


def test_creating_from_a_workshop_sets_source_and_link(client_for, people, account):
    workshop = WorkshopFactory(key_account=account, title="Private-label workshop")
    url = reverse("opportunities:opportunity_create", args=[account.pk])
    client = client_for(people.manager)
    page = client.get(f"{url}?workshop={workshop.pk}").content.decode()
    assert "Created in the workshop “Private-label workshop”" in page
    response = client.post(url, form_data(from_workshop=workshop.pk, source="manager", workshop=""))
    assert response.status_code == 302
    opportunity = Opportunity.objects.get()
    assert opportunity.workshop == workshop
    assert opportunity.source == Opportunity.Source.WORKSHOP
    html = client.get(
        reverse("opportunities:workshop_detail", args=[account.pk, workshop.pk])
    ).content.decode()
    assert "Cold-chain pilot for chilled desserts" in html


def test_rescoring_in_a_workshop_links_the_opportunity(client_for, people, account, opportunity):
    workshop = WorkshopFactory(key_account=account)
    url = reverse("opportunities:opportunity_edit", args=[account.pk, opportunity.pk])
    client = client_for(people.manager)
    page = client.get(f"{url}?workshop={workshop.pk}").content.decode()
    assert "Re-scoring in" in page
    response = client.post(
        url, form_data(status="qualified", effort="1", workshop=workshop.pk, revision=0)
    )
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.workshop == workshop
    assert opportunity.effort == 1
    assert opportunity.source == Opportunity.Source.MANAGER  # re-scoring keeps the source
