"""Joint value-creation workshops and the opportunities created or re-scored in them."""

import datetime
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountEvent, Membership
from discovery.services import stakeholder_archive
from opportunities.models import Opportunity, Workshop
from organisation.services.teams import team_member_remove
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


def _ticked(html: str, name: str) -> dict[str, bool]:
    """The checkbox labels of field `name` -> whether each is ticked."""
    boxes = {}
    for box in re.finditer(
        rf'<input type="checkbox"[^>]*name="{name}"[^>]*id="([^"]+)"[^>]*>', html
    ):
        label = re.search(rf'<label[^>]*for="{box.group(1)}"[^>]*>(.*?)</label>', html, re.S)
        boxes[" ".join(re.sub(r"<[^>]+>", " ", label.group(1)).split())] = "checked" in box.group(0)
    return boxes


def test_who_took_part_stays_when_they_left_the_team_or_were_archived(client_for, people, account):
    """Writing up the outcomes after someone left the team (or a stakeholder was archived)
    removed them from the workshop: the edit form offered only today's team and stakeholders."""
    greta = StakeholderFactory(key_account=account, name="Greta Buyer")
    hans = StakeholderFactory(key_account=account, name="Hans Planner")
    workshop = WorkshopFactory(key_account=account, title="Clean-label value workshop")
    workshop.participants.set([people.manager, people.team_member])
    workshop.stakeholders.set([greta, hans])
    team_member_remove(
        membership=Membership.objects.get(user=people.team_member, key_account=account),
        acting_user=people.director,
    )
    stakeholder_archive(stakeholder=greta, acting_user=people.manager)
    client = client_for(people.manager)
    edit_url = reverse("opportunities:workshop_edit", args=[account.pk, workshop.pk])

    form = client.get(edit_url).content.decode()
    assert _ticked(form, "participants") == {
        "Chloé Coordinator": False,
        "Dana Director": False,
        "Max Manager": True,
        "Sven Team (no longer on the team)": True,
    }
    assert _ticked(form, "stakeholders") == {"Greta Buyer (archived)": True, "Hans Planner": True}

    response = client.post(
        edit_url,
        {
            "title": "Clean-label value workshop",
            "held_on": workshop.held_on.isoformat(),
            "participants": [people.manager.pk, people.team_member.pk],
            "stakeholders": [greta.pk, hans.pk],
            "agenda": "",
            "outcomes": "Co-develop the range",
            "revision": workshop.revision,
        },
    )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    people_row = re.search(r"Our participants</dt>\s*<dd[^>]*>(.*?)</dd>", page, re.S).group(1)
    assert " ".join(people_row.split()) == "Max Manager, Sven Team"
    stakeholders_row = re.search(r"Customer stakeholders</dt>\s*<dd[^>]*>(.*?)</dd>", page, re.S)
    assert "Greta Buyer" in stakeholders_row.group(1) and "Hans Planner" in stakeholders_row.group(
        1
    )
    assert "Co-develop the range" in page

    # Someone never on the team is still refused, on the edit as on the new workshop.
    stranger = UserFactory(first_name="Sam", last_name="Stranger")
    workshop.refresh_from_db()
    refused = client.post(
        edit_url,
        {
            "title": "Clean-label value workshop",
            "held_on": workshop.held_on.isoformat(),
            "participants": [people.manager.pk, stranger.pk],
            "revision": workshop.revision,
        },
    )
    assert refused.status_code == 200
    assert set(workshop.participants.all()) == {people.manager, people.team_member}


@pytest.mark.parametrize(("language", "date"), [("en", "24 Nov 2026"), ("fr", "24 nov. 2026")])
def test_the_workshop_an_opportunity_came_from_is_dated_in_the_readers_language(
    client_for, people, account, make_opportunity, language, date
):
    """The opportunity's page and its workshop choice read "(2026-11-24)" in either language."""
    workshop = WorkshopFactory(
        key_account=account, title="Clean-label workshop", held_on=datetime.date(2026, 11, 24)
    )
    opportunity = make_opportunity(account)
    Opportunity.objects.filter(pk=opportunity.pk).update(workshop=workshop)
    client = client_for(people.manager)
    url = reverse("opportunities:opportunity_detail", args=[account.pk, opportunity.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    link = re.search(r'<a href="[^"]*/workshops/\d+/">([^<]*)</a>', page).group(1)
    assert link == f"Clean-label workshop ({date})"
    form = client.get(
        reverse("opportunities:opportunity_edit", args=[account.pk, opportunity.pk]),
        HTTP_ACCEPT_LANGUAGE=language,
    ).content.decode()
    options = re.search(r'<select name="workshop".*?</select>', form, re.S).group(0)
    assert f">Clean-label workshop ({date})</option>" in options
