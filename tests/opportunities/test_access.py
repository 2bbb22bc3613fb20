"""Every Stage 3 URL as each role meets it: 200 / 403 / 404 / login."""

import pytest
from django.urls import reverse

from opportunities.models import BusinessUnit, Opportunity, WhiteSpaceCell, Workshop

from .factories import BusinessUnitFactory, OfferingFactory, WorkshopFactory

VIEWERS = ["director", "manager", "coordinator", "team_member", "executive"]
EDITORS = ["director", "manager"]
READ_ONLY = ["coordinator", "team_member", "executive"]


@pytest.fixture
def world(account, opportunity):
    workshop = WorkshopFactory(key_account=account)
    unit = BusinessUnitFactory(key_account=account)
    offering = OfferingFactory()
    return {
        "a": account.pk,
        "o": opportunity.pk,
        "w": workshop.pk,
        "u": unit.pk,
        "f": offering.pk,
    }


# (url name, argument keys) for pages every viewer may open
VIEW_PAGES = [
    ("account_opportunities", ["a"]),
    ("account_csv", ["a"]),
    ("opportunity_detail", ["a", "o"]),
    ("workshop_list", ["a"]),
    ("workshop_detail", ["a", "w"]),
    ("white_space", ["a"]),
]
# pages (GET forms) that need EDIT
EDIT_PAGES = [
    ("opportunity_create", ["a"]),
    ("opportunity_edit", ["a", "o"]),
    ("workshop_create", ["a"]),
    ("workshop_edit", ["a", "w"]),
    ("unit_edit", ["a", "u"]),
]


def url(name, keys, world):
    return reverse(f"opportunities:{name}", args=[world[k] for k in keys])


@pytest.mark.parametrize(("name", "keys"), VIEW_PAGES + EDIT_PAGES)
def test_anonymous_is_sent_to_login(client_for, world, name, keys):
    response = client_for(None).get(url(name, keys, world))
    assert response.status_code == 302 and "/login/" in response.url


@pytest.mark.parametrize("persona", VIEWERS)
@pytest.mark.parametrize(("name", "keys"), VIEW_PAGES)
def test_every_role_on_the_account_and_executives_see_the_pages(
    client_for, people, world, persona, name, keys
):
    assert client_for(getattr(people, persona)).get(url(name, keys, world)).status_code == 200


@pytest.mark.parametrize("persona", ["outsider", "other_manager", "programme_admin"])
@pytest.mark.parametrize(("name", "keys"), VIEW_PAGES + EDIT_PAGES)
def test_outsiders_get_404(client_for, people, other_account, world, persona, name, keys):
    assert client_for(getattr(people, persona)).get(url(name, keys, world)).status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [(p, 200) for p in EDITORS] + [(p, 403) for p in READ_ONLY],
)
@pytest.mark.parametrize(("name", "keys"), EDIT_PAGES)
def test_edit_forms_open_for_editors_only(client_for, people, world, persona, status, name, keys):
    assert client_for(getattr(people, persona)).get(url(name, keys, world)).status_code == status


@pytest.mark.parametrize("persona", READ_ONLY)
def test_read_only_roles_see_no_edit_buttons(client_for, people, world, persona):
    html = client_for(getattr(people, persona)).get(url("account_opportunities", ["a"], world))
    assert "New opportunity" not in html.content.decode()
    html = client_for(getattr(people, persona)).get(url("white_space", ["a"], world))
    assert "Make opportunity" not in html.content.decode()


def test_editors_see_edit_buttons(client_for, people, world):
    html = client_for(people.manager).get(url("account_opportunities", ["a"], world))
    assert "New opportunity" in html.content.decode()


POSTS = [
    ("opportunity_create", ["a"]),
    ("opportunity_edit", ["a", "o"]),
    ("workshop_create", ["a"]),
    ("unit_create", ["a"]),
    ("unit_delete", ["a", "u"]),
    ("cell_set", ["a"]),
    ("cell_opportunity", ["a"]),
]


@pytest.mark.parametrize(
    ("persona", "status"),
    [(p, 403) for p in READ_ONLY] + [("outsider", 404), ("other_manager", 404)],
)
@pytest.mark.parametrize(("name", "keys"), POSTS)
def test_mutations_refused_for_read_only_roles_and_outsiders(
    client_for, people, other_account, world, persona, status, name, keys
):
    data = {"unit": world["u"], "offering": world["f"], "state": "we_sell", "name": "Fresh"}
    response = client_for(getattr(people, persona)).post(url(name, keys, world), data)
    assert response.status_code == status
    assert not WhiteSpaceCell.objects.exists()
    assert Opportunity.objects.count() == 1
    assert Workshop.objects.count() == 1
    assert BusinessUnit.objects.count() == 1


@pytest.mark.parametrize(("name", "keys"), POSTS)
def test_mutations_need_login(client_for, world, name, keys):
    response = client_for(None).post(url(name, keys, world), {})
    assert response.status_code == 302 and "/login/" in response.url


def test_guessed_ids_of_another_accounts_objects_are_404(
    client_for, people, account, other_account, other_opportunity
):
    client = client_for(people.manager)
    other_workshop = WorkshopFactory(key_account=other_account)
    other_unit = BusinessUnitFactory(key_account=other_account)
    offering = OfferingFactory()
    a, o = account.pk, other_opportunity.pk
    for name, args in [
        ("opportunity_detail", [a, o]),
        ("opportunity_edit", [a, o]),
        ("workshop_detail", [a, other_workshop.pk]),
        ("workshop_edit", [a, other_workshop.pk]),
        ("unit_edit", [a, other_unit.pk]),
    ]:
        assert client.get(reverse(f"opportunities:{name}", args=args)).status_code == 404, name
    decide = reverse("opportunities:opportunity_decide", args=[a, o])
    assert client.post(decide, {"decision": "drop", "reason": "x"}).status_code == 404
    cell = reverse("opportunities:cell_opportunity", args=[a])
    assert client.post(cell, {"unit": other_unit.pk, "offering": offering.pk}).status_code == 404
    create = reverse("opportunities:opportunity_create", args=[a]) + (
        f"?workshop={other_workshop.pk}"
    )
    assert client.get(create).status_code == 404
    other_opportunity.refresh_from_db()
    assert other_opportunity.status == "idea"
    assert not WhiteSpaceCell.objects.exists()


def test_pipeline_pages_need_login_and_show_only_visible_accounts(
    client_for, people, opportunity, other_opportunity
):
    index = reverse("opportunities:index")
    assert "/login/" in client_for(None).get(index).url
    html = client_for(people.team_member).get(index).content.decode()
    assert "Vendor-managed inventory" in html and "Helios secret deal" not in html
    html = client_for(people.outsider).get(index).content.decode()
    assert "Vendor-managed inventory" not in html
    html = client_for(people.executive).get(index).content.decode()
    assert "Vendor-managed inventory" in html and "Helios secret deal" in html
    csv = client_for(people.team_member).get(reverse("opportunities:pipeline_csv"))
    body = csv.content.decode()
    assert "Vendor-managed inventory" in body and "Helios secret deal" not in body
