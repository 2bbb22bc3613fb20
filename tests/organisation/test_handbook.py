"""The programme handbook: exactly the active key accounts, who serves them, roles; PDF too."""

import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import Programme, Role
from strategy.models import RoadmapItem
from tests.factories import KeyAccountFactory, MembershipFactory

from .factories import ExecutiveSponsorFactory

HANDBOOK = "/handbook/"
PDF = "/handbook.pdf"


@pytest.fixture
def programme(db):
    programme = Programme.ensure()
    programme.name = "Northstar programme"
    programme.objectives = "Lift key account profit by 15 %."
    programme.save()
    RoadmapItem.objects.create(
        programme=programme,
        kind="training",
        title="KAM skills training",
        due_on=timezone.localdate(),
    )
    return programme


@pytest.fixture
def deselected(people):
    account = KeyAccountFactory(
        customer__name="Gone Grocers",
        status="deselected",
        deselection_reason="Only wants the lowest price.",
        deselected_on=timezone.localdate(),
    )
    MembershipFactory(user=people.director, key_account=account, role=Role.DIRECTOR)
    return account


def test_handbook_lists_exactly_the_active_key_accounts_with_their_people(
    client_for, people, programme, account, other_account, deselected
):
    ExecutiveSponsorFactory(key_account=account, user=people.executive)
    account.memberships.filter(user=people.team_member).update(function="Supply chain")
    response = client_for(people.team_member).get(HANDBOOK)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Our key accounts (2)" in html
    assert "Northwind Foods" in html and "Helios Retail" in html
    assert "Gone Grocers" not in html
    assert "Big and growing." in html  # selection rationale
    assert "Dana Director" in html and "Max Manager" in html and "Chloé Coordinator" in html
    assert "Sven Team (Supply chain)" in html
    assert "Executive sponsor:</strong> Elena Executive" in html
    assert "Lift key account profit by 15 %." in html and "KAM skills training" in html
    assert "Key account coordinator" in html and "Day to day" in html  # job specs


@pytest.mark.parametrize(
    "persona",
    ["director", "manager", "coordinator", "team_member", "executive", "programme_admin"],
)
def test_everyone_with_a_role_reads_the_handbook(client_for, people, account, persona):
    assert client_for(getattr(people, persona)).get(HANDBOOK).status_code == 200


def test_people_without_any_role_get_403(client_for, people, account):
    assert client_for(people.outsider).get(HANDBOOK).status_code == 403
    assert client_for(people.outsider).get(PDF).status_code == 403


def test_anonymous_handbook_is_sent_to_login(client):
    response = client.get(HANDBOOK)
    assert response.status_code == 302 and "/login/" in response.url


def test_handbook_pdf_renders_with_the_accounts_and_roles(
    client_for, people, programme, account, deselected
):
    response = client_for(people.manager).get(PDF)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Northstar programme" in text
    assert "Northwind Foods" in text
    assert "Gone Grocers" not in text
    assert "Key account manager" in text


def test_handbook_queries_do_not_grow_with_accounts(
    client_for, people, account, django_assert_max_num_queries
):
    client = client_for(people.manager)

    def grow(n):
        for _ in range(n):
            acc = KeyAccountFactory()
            MembershipFactory(key_account=acc, role=Role.DIRECTOR)
            MembershipFactory(key_account=acc, role=Role.MANAGER)
            MembershipFactory(key_account=acc, role=Role.TEAM_MEMBER, function="Finance")
            ExecutiveSponsorFactory(key_account=acc)

    grow(2)
    # 13: includes the navbar's unread-notification badge (rhythm).
    with django_assert_max_num_queries(13):
        client.get(HANDBOOK)
    grow(20)
    with django_assert_max_num_queries(13):
        response = client.get(HANDBOOK)
    assert "Our key accounts (23)" in response.content.decode()


# Seeding again changes none of the organisation's rows: tests/kam/test_seed_demo.py.
def test_demo_data_has_the_promised_organisation(demo):
    from accounts.models import User
    from organisation.models import ExecutiveSponsor, MentoringSession, SkillsAssessment

    assert MentoringSession.objects.count() == 3
    assert set(ExecutiveSponsor.objects.values_list("user__username", flat=True)) == {"executive"}
    assert set(ExecutiveSponsor.objects.values_list("key_account__classification", flat=True)) == {
        "strategic"
    }
    for username in ("manager", "manager2"):
        dates = SkillsAssessment.objects.filter(manager__username=username).values("assessed_on")
        assert dates.distinct().count() == 2
    assert (
        MentoringSession.objects.filter(manager=User.objects.get(username="manager")).count() == 2
    )
