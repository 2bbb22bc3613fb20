"""Manager profiles: who reads them, who assesses, bad scores, history and the charts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from organisation.models import Competence, SkillsAssessment

from .factories import SkillsAssessmentFactory


def profile_url(user):
    return reverse("organisation:manager_profile", args=[user.pk])


def assess_url(user):
    return reverse("organisation:manager_assess", args=[user.pk])


def assessment_data(**overrides):
    data = {
        "assessed_on": timezone.localdate().isoformat(),
        "concern_for_customer": 8,
        "concern_for_sale": 7,
        "comment": "Ran the value workshop well.",
    }
    for competence in Competence.objects.filter(is_active=True):
        data[f"skill_{competence.code}"] = 4
    data.update(overrides)
    return data


def test_default_competences_come_from_the_migration(db):
    names = list(Competence.objects.values_list("name", flat=True))
    assert names == [
        "Strategic thinking and planning",
        "Consultative problem solving",
        "Financial awareness",
        "Advanced marketing",
        "Negotiation",
        "Influencing across the organisation",
        "Interpersonal skills",
    ]


@pytest.mark.parametrize("persona", ["manager", "director", "programme_admin", "executive"])
def test_profile_is_readable_by_the_manager_their_directors_admins_and_executives(
    client_for, people, account, persona
):
    response = client_for(getattr(people, persona)).get(profile_url(people.manager))
    assert response.status_code == 200
    assert "Max Manager" in response.content.decode()


@pytest.mark.parametrize(
    "persona", ["coordinator", "team_member", "outsider", "other_manager", "other_director"]
)
def test_profile_is_404_for_everyone_else(client_for, people, account, other_account, persona):
    response = client_for(getattr(people, persona)).get(profile_url(people.manager))
    assert response.status_code == 404


def test_someone_who_manages_nothing_has_no_profile(client_for, people, account):
    assert client_for(people.executive).get(profile_url(people.coordinator)).status_code == 404


def test_anonymous_assess_is_sent_to_login(client, people, account):
    response = client.post(assess_url(people.manager), {})
    assert response.status_code == 302 and "/login/" in response.url


@pytest.mark.parametrize(
    ("persona", "status"),
    [("manager", 403), ("executive", 403), ("programme_admin", 403), ("outsider", 404)],
)
def test_only_the_managers_directors_assess(client_for, people, account, persona, status):
    response = client_for(getattr(people, persona)).post(
        assess_url(people.manager), assessment_data()
    )
    assert response.status_code == status
    assert not SkillsAssessment.objects.exists()


def test_a_director_of_another_account_cannot_assess_and_does_not_see_the_manager(
    client_for, people, account, other_account
):
    response = client_for(people.other_director).post(assess_url(people.manager), assessment_data())
    assert response.status_code == 404
    assert not SkillsAssessment.objects.exists()


def test_director_records_an_assessment_and_the_profile_shows_the_charts(
    client_for, people, account
):
    client = client_for(people.director)
    assert client.get(assess_url(people.manager)).status_code == 200
    response = client.post(assess_url(people.manager), assessment_data(), follow=True)
    assessment = SkillsAssessment.objects.get(manager=people.manager)
    assert assessment.assessed_by == people.director
    assert assessment.scores.count() == 7
    html = response.content.decode()
    assert "Assessment of Max Manager saved." in html
    assert "Selling style: Problem solver" in html
    assert 'role="img"' in html and "<title" in html
    assert "Financial awareness: 4 of 5." in html


def test_history_keeps_every_assessment_and_the_newest_leads(client_for, people, account):
    today = timezone.localdate()
    SkillsAssessmentFactory(
        manager=people.manager,
        assessed_by=people.director,
        assessed_on=today - timedelta(days=200),
        concern_for_customer=2,
        concern_for_sale=2,
        comment="First year: takes orders.",
    )
    SkillsAssessmentFactory(
        manager=people.manager,
        assessed_by=people.director,
        assessed_on=today - timedelta(days=10),
        concern_for_customer=9,
        concern_for_sale=2,
        comment="Loved by the buyers.",
    )
    html = client_for(people.manager).get(profile_url(people.manager)).content.decode()
    assert "Selling style: Customer friend" in html
    assert "First year: takes orders." in html and "Order taker" in html
    assert html.index("Loved by the buyers.") < html.index("First year: takes orders.")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("skill_negotiation", 6, "Use a whole number from 1 to 5."),
        ("skill_negotiation", 0, "Use a whole number from 1 to 5."),
        ("concern_for_customer", 10, "Use a whole number from 1 to 9."),
        ("concern_for_sale", 0, "Use a whole number from 1 to 9."),
        ("skill_negotiation", "", "This field is required."),
    ],
)
def test_scores_outside_their_scale_are_refused_and_the_input_kept(
    client_for, people, account, field, value, message
):
    response = client_for(people.director).post(
        assess_url(people.manager), assessment_data(**{field: value})
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "Ran the value workshop well." in html
    assert not SkillsAssessment.objects.exists()


def test_an_assessment_cannot_be_dated_in_the_future(client_for, people, account):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client_for(people.director).post(
        assess_url(people.manager), assessment_data(assessed_on=tomorrow)
    )
    assert "cannot be dated in the future" in response.content.decode()
    assert not SkillsAssessment.objects.exists()


def test_the_service_refuses_an_assessor_who_is_not_the_managers_director(
    people, account, other_account
):
    from django.core.exceptions import ValidationError

    from organisation.services import skills_assessment_record

    with pytest.raises(ValidationError, match="is not a director of Max Manager"):
        skills_assessment_record(
            manager=people.manager,
            assessed_on=timezone.localdate(),
            scores={c.code: 3 for c in Competence.objects.all()},
            concern_for_customer=5,
            concern_for_sale=5,
            acting_user=people.other_director,
        )


def test_programme_team_page_lists_the_managers_a_director_can_see(
    client_for, people, account, other_account
):
    html = client_for(people.director).get(reverse("organisation:index")).content.decode()
    assert "Max Manager" in html and "Olga Other" not in html
    html = client_for(people.executive).get(reverse("organisation:index")).content.decode()
    assert "Max Manager" in html and "Olga Other" in html
    assert client_for(people.outsider).get(reverse("organisation:index")).status_code == 200


def test_programme_team_page_links_to_the_users_own_account_teams(
    client_for, people, account, other_account
):
    html = client_for(people.team_member).get(reverse("organisation:index")).content.decode()
    assert reverse("organisation:team", args=[account.pk]) in html
    assert reverse("organisation:team", args=[other_account.pk]) not in html


def test_programme_team_page_queries_stay_bounded(
    client_for, people, django_assert_max_num_queries
):
    from accounts.models import Role
    from tests.factories import KeyAccountFactory, MembershipFactory

    client = client_for(people.executive)
    for size in (3, 30):
        while SkillsAssessment.objects.count() < size:
            membership = MembershipFactory(key_account=KeyAccountFactory(), role=Role.MANAGER)
            SkillsAssessmentFactory(manager=membership.user)
        with django_assert_max_num_queries(10):
            response = client.get(reverse("organisation:index"))
    assert len(response.context["page"].object_list) == 25


def test_an_older_assessments_scores_stay_under_their_own_competences(client_for, people, account):
    """A competence added after an assessment: the older row listed its scores in turn under
    the latest assessment's headings, each one a column too far left from the new one on."""
    import re

    from organisation.models import CompetenceScore

    today = timezone.localdate()
    old = SkillsAssessmentFactory(
        manager=people.manager, assessed_by=people.director, skills=2,
        assessed_on=today - timedelta(days=200),
    )  # fmt: skip
    first = Competence.objects.filter(is_active=True).order_by("position", "pk").first()
    added = Competence.objects.create(code="data", name="Data literacy", position=first.position)
    # Scored 5 on the new competence, 3 elsewhere; the old assessment scored 2 everywhere.
    SkillsAssessmentFactory(
        manager=people.manager, assessed_by=people.director, skills={"data": 5},
    )  # fmt: skip
    CompetenceScore.objects.filter(assessment__assessed_on=today).exclude(competence=added).update(
        score=3
    )
    html = client_for(people.manager).get(profile_url(people.manager)).content.decode()
    table = html[html.index("<table") : html.index("</table>")]
    headers = re.findall(r'<th scope="col" class="text-end">([^<]+)</th>', table)
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]  # after the header row
    # Read as a person reads the table: each value under the heading of its position.
    cells = [
        dict(zip(headers, re.findall(r'<td class="text-end"[^>]*>([^<]*)</td>', row), strict=True))
        for row in rows
    ]
    assert cells[0]["Data literacy"] == "5" and cells[1]["Data literacy"] == "—"
    others = [name for name in headers if name != "Data literacy"]
    assert [cells[0][name] for name in others] == ["3"] * len(others)
    assert [cells[1][name] for name in others] == ["2"] * len(others)
    assert old.scores.count() == len(others)
