"""White space: the offering catalogue, business units and the grid that finds openings."""

import re

import pytest
from django.urls import reverse

from opportunities.models import BusinessUnit, Offering, Opportunity, WhiteSpaceCell

from .factories import BusinessUnitFactory, OfferingFactory, WhiteSpaceCellFactory


@pytest.fixture
def grid(account):
    unit = BusinessUnitFactory(key_account=account, name="Ready meals")
    offering = OfferingFactory(name="Cold-chain logistics")
    return unit, offering


def test_one_click_turns_an_open_cell_into_an_opportunity(client_for, people, account, grid):
    unit, offering = grid
    url = reverse("opportunities:cell_opportunity", args=[account.pk])
    response = client_for(people.manager).post(url, {"unit": unit.pk, "offering": offering.pk})
    opportunity = Opportunity.objects.get()
    assert response.status_code == 302
    assert response.url == reverse(
        "opportunities:opportunity_edit", args=[account.pk, opportunity.pk]
    )
    assert opportunity.source == Opportunity.Source.WHITE_SPACE
    assert opportunity.title == "Cold-chain logistics for Ready meals"
    cell = WhiteSpaceCell.objects.get(business_unit=unit, offering=offering)
    assert cell.state == WhiteSpaceCell.State.OPPORTUNITY
    assert cell.opportunity == opportunity
    page = client_for(people.team_member).get(
        reverse("opportunities:white_space", args=[account.pk])
    )
    assert "Cold-chain logistics for Ready meals" in page.content.decode()


def test_a_second_click_opens_the_existing_opportunity(client_for, people, account, grid):
    unit, offering = grid
    url = reverse("opportunities:cell_opportunity", args=[account.pk])
    client = client_for(people.director)
    first = client.post(url, {"unit": unit.pk, "offering": offering.pk})
    second = client.post(url, {"unit": unit.pk, "offering": offering.pk})
    assert Opportunity.objects.count() == 1
    assert first.url == second.url


def test_a_competitor_cell_can_become_an_opportunity_too(client_for, people, account, grid):
    unit, offering = grid
    WhiteSpaceCellFactory(business_unit=unit, offering=offering, state="competitor", note="Rival")
    url = reverse("opportunities:cell_opportunity", args=[account.pk])
    client_for(people.manager).post(url, {"unit": unit.pk, "offering": offering.pk})
    cell = WhiteSpaceCell.objects.get()
    assert cell.state == "opportunity" and cell.opportunity is not None
    assert "Rival" in cell.opportunity.description


def test_setting_cell_states_and_back_to_open(client_for, people, account, grid):
    unit, offering = grid
    url = reverse("opportunities:cell_set", args=[account.pk])
    client = client_for(people.manager)
    client.post(url, {"unit": unit.pk, "offering": offering.pk, "state": "we_sell"})
    assert WhiteSpaceCell.objects.get().state == "we_sell"
    html = client.get(reverse("opportunities:white_space", args=[account.pk])).content.decode()
    assert "We sell here" in html and "<strong>0</strong> open cells" in html
    client.post(url, {"unit": unit.pk, "offering": offering.pk, "state": ""})
    assert not WhiteSpaceCell.objects.exists()
    html = client.get(reverse("opportunities:white_space", args=[account.pk])).content.decode()
    assert "<strong>1</strong> open cell." in html
    response = client.post(url, {"unit": unit.pk, "offering": offering.pk, "state": "bogus"})
    assert response.status_code == 302 and not WhiteSpaceCell.objects.exists()


def test_archived_offerings_leave_the_grid(client_for, people, account, grid):
    _, offering = grid
    OfferingFactory(name="Old service", archived_at="2020-01-01T00:00Z")
    html = (
        client_for(people.manager)
        .get(reverse("opportunities:white_space", args=[account.pk]))
        .content.decode()
    )
    assert "Cold-chain logistics" in html and "Old service" not in html


def test_editors_manage_business_units(client_for, people, account):
    client = client_for(people.manager)
    create = reverse("opportunities:unit_create", args=[account.pk])
    assert client.post(create, {"name": "Bakery division"}).status_code == 302
    duplicate = client.post(create, {"name": "bakery division"})
    assert duplicate.status_code == 400
    assert "already has a unit with this name" in duplicate.content.decode()
    unit = BusinessUnit.objects.get()
    edit = reverse("opportunities:unit_edit", args=[account.pk, unit.pk])
    client.post(edit, {"name": "Bakery & snacks"})
    unit.refresh_from_db()
    assert unit.name == "Bakery & snacks"
    client.post(reverse("opportunities:unit_delete", args=[account.pk, unit.pk]))
    assert not BusinessUnit.objects.exists()


# ---- offering catalogue -------------------------------------------------------------------


def test_programme_admin_manages_the_catalogue(client_for, people):
    client = client_for(people.programme_admin)
    response = client.post(
        reverse("opportunities:offering_create"),
        {"name": "Demand-planning analytics", "description": "Weekly demand sensing."},
    )
    assert response.status_code == 302
    offering = Offering.objects.get()
    client.post(
        reverse("opportunities:offering_edit", args=[offering.pk]),
        {"name": "Demand planning", "description": "Shared forecasts."},
    )
    offering.refresh_from_db()
    assert offering.name == "Demand planning"
    dup = client.post(reverse("opportunities:offering_create"), {"name": "demand planning"})
    assert "already in the catalogue" in dup.content.decode()
    client.post(reverse("opportunities:offering_archive", args=[offering.pk]), {"archive": "1"})
    offering.refresh_from_db()
    assert offering.archived_at is not None


@pytest.mark.parametrize(
    "persona", ["director", "manager", "coordinator", "team_member", "executive", "outsider"]
)
def test_others_may_read_the_catalogue_but_not_change_it(client_for, people, persona):
    offering = OfferingFactory(name="Sustainable packaging")
    client = client_for(getattr(people, persona))
    html = client.get(reverse("opportunities:offering_list")).content.decode()
    assert "Sustainable packaging" in html and "Add an offering" not in html
    assert client.get(reverse("opportunities:offering_create")).status_code == 403
    assert client.post(reverse("opportunities:offering_create"), {"name": "X"}).status_code == 403
    edit = reverse("opportunities:offering_edit", args=[offering.pk])
    assert client.post(edit, {"name": "Renamed"}).status_code == 403
    archive = reverse("opportunities:offering_archive", args=[offering.pk])
    assert client.post(archive).status_code == 403
    offering.refresh_from_db()
    assert offering.name == "Sustainable packaging" and offering.archived_at is None
    assert Offering.objects.count() == 1


def test_catalogue_needs_login(db, client_for):
    for name in ("offering_list", "offering_create"):
        assert "/login/" in client_for(None).get(reverse(f"opportunities:{name}")).url


def test_a_cell_where_we_sell_is_not_made_an_opportunity(client_for, people, account, grid):
    """ "Make opportunity" on a cell where we already sell made one saying the unit "does not
    buy it from us yet", and the cell forgot that it does."""
    unit, offering = grid
    other = OfferingFactory(name="Sustainable packaging")
    WhiteSpaceCellFactory(business_unit=unit, offering=offering, state="we_sell")
    client = client_for(people.manager)
    grid_url = reverse("opportunities:white_space", args=[account.pk])
    page = client.get(grid_url).content.decode()
    # One button, the open cell's (Sustainable packaging); none on the cell where we sell.
    buttons = re.findall(r"Make opportunity<span class=\"visually-hidden\">: ([^<]*)</span>", page)
    assert buttons == ["Sustainable packaging for Ready meals"]

    url = reverse("opportunities:cell_opportunity", args=[account.pk])
    response = client.post(url, {"unit": unit.pk, "offering": offering.pk}, follow=True)
    assert response.redirect_chain == [(grid_url, 302)]
    assert (
        "Ready meals already buys Cold-chain logistics from us: that cell is not white space."
        in response.content.decode()
    )
    assert not Opportunity.objects.exists()
    assert WhiteSpaceCell.objects.get(offering=offering).state == "we_sell"
    assert not WhiteSpaceCell.objects.filter(offering=other).exists()
