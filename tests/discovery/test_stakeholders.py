"""Stakeholders: owners on the team, reports-to without loops, archive, gaps and the map."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from discovery import selectors, services
from discovery.models import Stakeholder
from tests.factories import StakeholderFactory


def _form(**overrides):
    data = {
        "name": "Jens Albrecht",
        "title": "Head of procurement",
        "department": "Procurement",
        "email": "",
        "buying_role": "buyer",
        "influence": "high",
        "attitude": "supporter",
        "owner": "",
        "last_contact_on": "",
        "reports_to": "",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_manager_adds_a_stakeholder_owned_by_a_team_member(client_for, people, account):
    response = client_for(people.manager).post(
        reverse("discovery:stakeholder_create", args=[account.pk]),
        _form(owner=people.team_member.pk),
    )
    assert response.status_code == 302
    person = Stakeholder.objects.get(key_account=account)
    assert person.owner == people.team_member


def test_owner_must_be_on_the_account_team(client_for, people, account):
    response = client_for(people.manager).post(
        reverse("discovery:stakeholder_create", args=[account.pk]),
        _form(owner=people.other_manager.pk, notes="Met at the trade fair"),
    )
    assert response.status_code == 200
    assert not Stakeholder.objects.exists()
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert "Met at the trade fair" in html  # nothing typed is lost


def test_service_refuses_an_owner_outside_the_team(people, account):
    with pytest.raises(ValidationError, match="not on this account"):
        services.stakeholder_save(
            account=account,
            stakeholder=None,
            fields={
                **_form(),
                "owner": people.outsider,
                "reports_to": None,
                "last_contact_on": None,
            },
            acting_user=people.manager,
        )


def test_a_stakeholder_cannot_report_to_themself(people, account):
    person = StakeholderFactory(key_account=account)
    with pytest.raises(ValidationError, match="cannot report to themself"):
        services.stakeholder_save(
            account=account,
            stakeholder=person,
            fields={"reports_to": person},
            acting_user=people.manager,
        )


def test_reporting_loops_are_refused_with_a_clear_message(client_for, people, account):
    ceo = StakeholderFactory(key_account=account, name="Katrin Vogel")
    coo = StakeholderFactory(key_account=account, name="Jens Albrecht", reports_to=ceo)
    buyer = StakeholderFactory(key_account=account, name="Tobias Brandt", reports_to=coo)
    assert services.reports_to_creates_cycle(stakeholder=ceo, manager=buyer)
    assert not services.reports_to_creates_cycle(stakeholder=buyer, manager=ceo)
    response = client_for(people.manager).post(
        reverse("discovery:stakeholder_edit", args=[account.pk, ceo.pk]),
        _form(name="Katrin Vogel", reports_to=buyer.pk, notes="Board member since 2019"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "reporting loop" in html
    assert "Board member since 2019" in html
    ceo.refresh_from_db()
    assert ceo.reports_to is None


def test_another_accounts_stakeholder_cannot_be_a_manager(
    client_for, people, account, other_account
):
    stranger = StakeholderFactory(key_account=other_account)
    person = StakeholderFactory(key_account=account)
    response = client_for(people.manager).post(
        reverse("discovery:stakeholder_edit", args=[account.pk, person.pk]),
        _form(reports_to=stranger.pk),
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.reports_to is None


def test_another_accounts_stakeholder_id_is_404(client_for, people, account, other_account):
    stranger = StakeholderFactory(key_account=other_account, name="Secret Person")
    client = client_for(people.director)
    edit = reverse("discovery:stakeholder_edit", args=[account.pk, stranger.pk])
    archive = reverse("discovery:stakeholder_archive", args=[account.pk, stranger.pk])
    assert client.get(edit).status_code == 404
    assert client.post(archive).status_code == 404
    stranger.refresh_from_db()
    assert stranger.archived_at is None


def test_archive_hides_a_stakeholder_but_keeps_them(client_for, people, account):
    person = StakeholderFactory(key_account=account, name="Florian Wagner")
    client = client_for(people.manager)
    client.post(reverse("discovery:stakeholder_archive", args=[account.pk, person.pk]))
    person.refresh_from_db()
    assert person.archived_at is not None
    url = reverse("discovery:stakeholders", args=[account.pk])
    assert list(client.get(url).context["page"].object_list) == []
    archived = client.get(url + "?archived=1")
    assert [p.name for p in archived.context["page"].object_list] == ["Florian Wagner"]
    assert "Restore" in archived.content.decode()
    client.post(reverse("discovery:stakeholder_restore", args=[account.pk, person.pk]))
    person.refresh_from_db()
    assert person.archived_at is None


@pytest.mark.parametrize("persona", ["coordinator", "team_member"])
def test_coordinator_and_team_member_read_but_cannot_edit(client_for, people, account, persona):
    person = StakeholderFactory(key_account=account, name="Katrin Vogel")
    client = client_for(getattr(people, persona))
    html = client.get(reverse("discovery:stakeholders", args=[account.pk])).content.decode()
    assert "Katrin Vogel" in html and "Add a stakeholder" not in html
    response = client.post(
        reverse("discovery:stakeholder_edit", args=[account.pk, person.pk]), _form(name="X")
    )
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.name == "Katrin Vogel"


# ---- gaps ---------------------------------------------------------------------------------------


def test_gap_rules(people, account):
    today = timezone.localdate()
    recent = today - timedelta(days=10)
    owned_high = StakeholderFactory.build(
        influence="high", owner=people.manager, last_contact_on=recent
    )
    unowned_high = StakeholderFactory.build(influence="high", owner=None, last_contact_on=recent)
    unowned_low = StakeholderFactory.build(influence="low", owner=None, last_contact_on=recent)
    stale = StakeholderFactory.build(
        influence="low", owner=people.manager, last_contact_on=today - timedelta(days=91)
    )
    never = StakeholderFactory.build(influence="medium", owner=people.manager, last_contact_on=None)
    assert services.stakeholder_gaps(owned_high, today) == []
    assert services.stakeholder_gaps(unowned_low, today) == []
    assert services.stakeholder_gaps(unowned_high, today) == [
        "High influence and nobody on our side owns the relationship"
    ]
    assert services.stakeholder_gaps(stale, today) == ["Not contacted for 91 days"]
    assert services.stakeholder_gaps(never, today) == ["Never contacted"]


def test_gap_count_on_the_index_matches_the_rule(client_for, people, account):
    recent = timezone.localdate() - timedelta(days=5)
    StakeholderFactory(key_account=account, influence="high", owner=None, last_contact_on=recent)
    StakeholderFactory(
        key_account=account, influence="low", owner=people.manager, last_contact_on=recent
    )
    StakeholderFactory(key_account=account, influence="low", owner=people.manager)  # never
    StakeholderFactory(
        key_account=account, influence="high", owner=None, archived_at=timezone.now()
    )
    response = client_for(people.manager).get(reverse("discovery:index"))
    (row,) = response.context["page"].object_list
    assert (row.stakeholder_count, row.gap_count) == (3, 2)


# ---- map ----------------------------------------------------------------------------------------


def _marks(html: str) -> int:
    return len(re.findall(r'<g class="map-mark', html))


def test_map_draws_one_mark_per_active_stakeholder_with_owner_initials(client_for, people, account):
    recent = timezone.localdate() - timedelta(days=3)
    StakeholderFactory(
        key_account=account, attitude="champion", owner=people.manager, last_contact_on=recent
    )
    StakeholderFactory(key_account=account, attitude="blocker", influence="high", owner=None)
    for _ in range(5):
        StakeholderFactory(key_account=account, attitude="neutral", influence="low")
    StakeholderFactory(key_account=account, archived_at=timezone.now())
    html = (
        client_for(people.team_member)
        .get(reverse("discovery:stakeholder_map", args=[account.pk]))
        .content.decode()
    )
    assert _marks(html) == 7
    assert '<svg class="kam-chart stakeholder-map" role="img"' in html
    assert ">MM</text>" in html  # Max Manager's initials on the champion
    assert ">?</text>" in html  # nobody owns the blocker
    assert 'class="map-mark map-mark-gap"' in html


def test_map_marks_stay_inside_their_cells(people, account):
    for _ in range(7):  # three lines in one cell
        StakeholderFactory(key_account=account, attitude="supporter", influence="medium")
    StakeholderFactory(key_account=account, attitude="blocker", influence="high")
    m = selectors.stakeholder_map(account)
    medium = m["rows"][1]
    supporter = m["columns"][3]
    for mark in m["marks"]:
        if mark["stakeholder"].attitude == "supporter":
            assert medium["y"] < mark["y"] < medium["y"] + medium["height"]
            assert supporter["x"] < mark["x"] < supporter["x"] + supporter["width"]
    assert len({(mark["x"], mark["y"]) for mark in m["marks"]}) == 8


def test_org_chart_nests_people_under_whom_they_report_to(client_for, people, account):
    ceo = StakeholderFactory(key_account=account, name="Katrin Vogel")
    coo = StakeholderFactory(key_account=account, name="Jens Albrecht", reports_to=ceo)
    StakeholderFactory(key_account=account, name="Tobias Brandt", reports_to=coo)
    roots = selectors.org_chart(selectors.stakeholder_list(account=account))
    assert [r.stakeholder.name for r in roots] == ["Katrin Vogel"]
    assert roots[0].children[0].children[0].stakeholder.name == "Tobias Brandt"


@pytest.mark.parametrize("name", ["stakeholders", "stakeholder_map"])
def test_stakeholder_pages_cost_the_same_queries_at_two_sizes(
    name, client_for, people, account, django_assert_max_num_queries
):
    client = client_for(people.director)
    url = reverse(f"discovery:{name}", args=[account.pk])

    def add(n):
        boss = StakeholderFactory(key_account=account, owner=people.manager)
        for i in range(n):
            StakeholderFactory(
                key_account=account,
                owner=people.team_member if i % 2 else None,
                reports_to=boss,
                influence=["high", "medium", "low"][i % 3],
            )

    add(3)
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200
    add(40)
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200
    if name == "stakeholders":
        assert len(response.context["page"].object_list) == 25
    else:
        assert _marks(response.content.decode()) == 45


def test_an_edit_opened_before_the_stakeholder_was_archived_is_told_not_saved_unaware(
    client_for, people, account
):
    """Two writers: the manager's form was opened before the director archived the person; its
    save is refused with both versions and what was typed, as any stale save is."""
    person = StakeholderFactory(key_account=account, name="Florian Wagner")
    seen = person.revision
    client_for(people.director).post(
        reverse("discovery:stakeholder_archive", args=[account.pk, person.pk])
    )
    person.refresh_from_db()
    assert person.archived_at is not None and person.revision == seen + 1
    response = client_for(people.manager).post(
        reverse("discovery:stakeholder_edit", args=[account.pk, person.pk]),
        _form(name="Florian Wagner", title="Plant director Erfurt", revision=seen),
    )
    assert response.status_code == 409
    assert "Plant director Erfurt" in response.content.decode()  # what was typed is kept
    person.refresh_from_db()
    assert person.title != "Plant director Erfurt"
    client_for(people.director).post(
        reverse("discovery:stakeholder_restore", args=[account.pk, person.pk])
    )
    person.refresh_from_db()
    assert person.archived_at is None and person.revision == seen + 2
