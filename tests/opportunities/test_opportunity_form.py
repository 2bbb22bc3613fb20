"""Creating and editing opportunities: rules, clear refusals, kept input, concurrent edits."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountEvent, Membership
from discovery.services import stakeholder_archive
from opportunities.models import Opportunity
from organisation.services.teams import team_member_remove
from tests.factories import StakeholderFactory, UserFactory


def form_data(**overrides):
    today = timezone.localdate()
    data = {
        "title": "Cold-chain pilot for chilled desserts",
        "description": "Pilot the 2–8 °C lane to their Lyon DC.",
        "beneficiary": "both",
        "lever": "cross_sell",
        "annual_value": "250000",
        "profit_potential": "110000",
        "strategic_value_us": "4",
        "strategic_value_customer": "3",
        "effort": "2",
        "risk": "2",
        "identified_on": today.isoformat(),
        "expected_start_on": (today + timedelta(days=60)).isoformat(),
        "source": "manager",
        "revision": "0",
    }
    data.update(overrides)
    return data


def test_manager_creates_an_opportunity_and_sees_its_priority(client_for, people, account):
    stakeholder = StakeholderFactory(key_account=account, name="Greta Buyer")
    url = reverse("opportunities:opportunity_create", args=[account.pk])
    response = client_for(people.manager).post(
        url, form_data(owner=people.coordinator.pk, stakeholders=[stakeholder.pk])
    )
    assert response.status_code == 302
    opportunity = Opportunity.objects.get()
    # V = (3 + 4 + 3) / 3 = 3.33, ER = 2 -> 10/3 x 4 x 4 = 53.33
    assert opportunity.priority == Decimal("53.33")
    assert opportunity.quadrant == "quick_win"
    assert opportunity.owner == people.coordinator
    assert list(opportunity.stakeholders.all()) == [stakeholder]
    html = client_for(people.team_member).get(response.url).content.decode()
    assert "53.33" in html and "Quick win" in html and "Greta Buyer" in html
    assert AccountEvent.objects.filter(
        key_account=account, summary__contains="Opportunity added"
    ).exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"effort": "6"}, "Scores run from 1 to 5"),
        ({"strategic_value_us": "0"}, "Scores run from 1 to 5"),
        ({"risk": "abc"}, "Enter a whole number from 1 to 5."),
        ({"profit_potential": "-5"}, "Money amounts cannot be negative."),
        ({"annual_value": "-1"}, "Money amounts cannot be negative."),
        (
            {"expected_start_on": (timezone.localdate() - timedelta(days=1)).isoformat()},
            "cannot be before the date the idea was identified",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_kept(
    client_for, people, account, overrides, message
):
    url = reverse("opportunities:opportunity_create", args=[account.pk])
    response = client_for(people.manager).post(url, form_data(**overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Cold-chain pilot for chilled desserts" in html
    assert "Pilot the 2–8 °C lane to their Lyon DC." in html
    assert not Opportunity.objects.exists()


def test_owner_must_be_on_the_team_and_stakeholders_of_this_account(
    client_for, people, account, other_account
):
    foreign = StakeholderFactory(key_account=other_account)
    url = reverse("opportunities:opportunity_create", args=[account.pk])
    response = client_for(people.manager).post(
        url, form_data(owner=UserFactory().pk, stakeholders=[foreign.pk])
    )
    assert response.status_code == 200
    assert not Opportunity.objects.exists()
    assert response.context["form"].errors.keys() >= {"owner", "stakeholders"}


def test_edit_shows_scale_meanings_and_saves(client_for, people, opportunity):
    url = reverse(
        "opportunities:opportunity_edit", args=[opportunity.key_account_id, opportunity.pk]
    )
    client = client_for(people.director)
    page = client.get(url).content.decode()
    assert "5 = Transformational" in page and "1 = A few days of one person" in page
    response = client.post(url, form_data(status="qualified", revision=opportunity.revision))
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.title == "Cold-chain pilot for chilled desserts"
    assert opportunity.status == "qualified"
    assert opportunity.revision == 1


def test_concurrent_edit_shows_both_versions_and_keeps_my_text(client_for, people, opportunity):
    from opportunities import services

    url = reverse(
        "opportunities:opportunity_edit", args=[opportunity.key_account_id, opportunity.pk]
    )
    stale = opportunity.revision
    services.opportunity_update(
        opportunity=opportunity,
        values={"title": "Their newer title"},
        revision=stale,
        acting_user=people.director,
    )
    response = client_for(people.manager).post(
        url, form_data(title="My careful title", status="idea", revision=stale)
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved this opportunity" in html
    theirs = html.split('id="conflict-title"')[1].split("</section>")[0]
    assert "Their newer title" in theirs and "My careful title" not in theirs
    assert 'value="My careful title"' in html
    opportunity.refresh_from_db()
    assert opportunity.title == "Their newer title"
    # Saving again (with the revision the conflict page carries) replaces theirs on purpose.
    again = client_for(people.manager).post(
        url, form_data(title="My careful title", status="idea", revision=opportunity.revision)
    )
    assert again.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.title == "My careful title"


def test_status_change_by_edit_goes_on_the_timeline(client_for, people, opportunity):
    url = reverse(
        "opportunities:opportunity_edit", args=[opportunity.key_account_id, opportunity.pk]
    )
    client_for(people.manager).post(url, form_data(status="won"))
    assert AccountEvent.objects.filter(summary__contains="now won").exists()


def test_new_form_starts_with_today_as_identified_date_and_me_as_owner(client_for, people, account):
    html = (
        client_for(people.manager)
        .get(reverse("opportunities:opportunity_create", args=[account.pk]))
        .content.decode()
    )
    assert f'value="{timezone.localdate().isoformat()}"' in html
    assert f'<option value="{people.manager.pk}" selected>' in html


def test_an_edit_keeps_an_owner_who_left_the_team_and_archived_stakeholders(
    client_for, people, account
):
    """The owner's select drew no owner once they had left the team, and an edit of the
    value cleared the owner and unlinked the archived stakeholders, unsaid."""
    greta = StakeholderFactory(key_account=account, name="Greta Buyer", title="")
    hans = StakeholderFactory(key_account=account, name="Hans Planner", title="")
    client = client_for(people.manager)
    create_url = reverse("opportunities:opportunity_create", args=[account.pk])
    client.post(
        create_url, form_data(owner=people.team_member.pk, stakeholders=[greta.pk, hans.pk])
    )
    opportunity = Opportunity.objects.get()
    team_member_remove(
        membership=Membership.objects.get(user=people.team_member, key_account=account),
        acting_user=people.director,
    )
    stakeholder_archive(stakeholder=greta, acting_user=people.manager)
    edit_url = reverse("opportunities:opportunity_edit", args=[account.pk, opportunity.pk])

    form = client.get(edit_url).content.decode()
    owner_select = re.search(r'<select name="owner".*?</select>', form, re.S).group(0)
    chosen = re.findall(r'<option value="\d+"[^>]*selected>([^<]*)</option>', owner_select)
    assert chosen == ["Sven Team (no longer on the team)"]
    ticked = {
        label.strip()
        for box_id in re.findall(
            r'<input type="checkbox"[^>]*name="stakeholders"[^>]*id="([^"]+)"[^>]*checked', form
        )
        for label in re.findall(rf'<label[^>]*for="{box_id}"[^>]*>([^<]*)<', form)
    }
    assert ticked == {"Greta Buyer (archived)", "Hans Planner"}

    opportunity.refresh_from_db()
    response = client.post(
        edit_url,
        form_data(
            annual_value="300000",
            status="idea",
            owner=people.team_member.pk,
            stakeholders=[greta.pk, hans.pk],
            revision=opportunity.revision,
        ),
    )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    facts = {
        " ".join(re.sub(r"<[^>]+>", " ", term).split()): " ".join(
            re.sub(r"<[^>]+>", " ", value).split()
        )
        for term, value in re.findall(r"<dt[^>]*>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", page, re.S)
    }
    assert facts["Estimated annual value"] == "EUR 300,000"
    assert facts["Owner"] == "Sven Team"
    assert facts["Stakeholders"] == "Greta Buyer, Hans Planner"

    # Choosing someone else off the team is still refused.
    opportunity.refresh_from_db()
    refused = client.post(
        edit_url,
        form_data(status="idea", owner=UserFactory().pk, revision=opportunity.revision),
    )
    assert refused.status_code != 302
    opportunity.refresh_from_db()
    assert opportunity.owner == people.team_member
