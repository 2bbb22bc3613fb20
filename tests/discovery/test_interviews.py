"""Interviews record who we met and what we learned; their ideas can become opportunities."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from discovery.models import Interview, OpportunityIdea
from tests.factories import InterviewFactory, OpportunityFactory, StakeholderFactory

from .factories import OpportunityIdeaFactory


def test_manager_records_an_interview_with_the_stakeholders_met(client_for, people, account):
    katrin = StakeholderFactory(key_account=account, name="Katrin Vogel")
    response = client_for(people.manager).post(
        reverse("discovery:interview_create", args=[account.pk]),
        {
            "held_on": (timezone.localdate() - timedelta(days=2)).isoformat(),
            "interviewer": people.manager.pk,
            "stakeholders": [katrin.pk],
            "notes": "Walked the Erfurt line.",
            "needs_learned": "Seven more days of shelf life.",
            "validated": "Clean label is the priority.",
            "contradicted": "",
        },
    )
    interview = Interview.objects.get(key_account=account)
    assert response.status_code == 302
    assert list(interview.stakeholders.all()) == [katrin]
    html = client_for(people.team_member).get(response.url).content.decode()
    assert "Seven more days of shelf life." in html and "Katrin Vogel" in html


def test_interview_in_the_future_is_refused_and_text_kept(client_for, people, account):
    response = client_for(people.manager).post(
        reverse("discovery:interview_create", args=[account.pk]),
        {
            "held_on": (timezone.localdate() + timedelta(days=5)).isoformat(),
            "interviewer": people.manager.pk,
            "notes": "Planned questions about PPWR",
        },
    )
    assert response.status_code == 200
    assert "this date is in the future" in response.content.decode()
    assert "Planned questions about PPWR" in response.content.decode()
    assert not Interview.objects.exists()


def test_stakeholders_of_another_account_cannot_be_recorded_as_met(
    client_for, people, account, other_account
):
    stranger = StakeholderFactory(key_account=other_account)
    response = client_for(people.manager).post(
        reverse("discovery:interview_create", args=[account.pk]),
        {
            "held_on": timezone.localdate().isoformat(),
            "interviewer": people.manager.pk,
            "stakeholders": [stranger.pk],
        },
    )
    assert response.status_code == 200
    assert not Interview.objects.exists()


def test_several_ideas_per_interview(client_for, people, account):
    interview = InterviewFactory(key_account=account, interviewer=people.manager)
    client = client_for(people.manager)
    url = reverse("discovery:idea_add", args=[account.pk, interview.pk])
    for title in ("Vendor-managed inventory", "Recyclable trays"):
        assert client.post(url, {"idea-title": title, "idea-description": ""}).status_code == 302
    assert list(interview.ideas.values_list("title", flat=True)) == [
        "Vendor-managed inventory",
        "Recyclable trays",
    ]


def test_an_idea_shows_whether_it_became_an_opportunity(client_for, people, account):
    interview = InterviewFactory(key_account=account, interviewer=people.manager)
    OpportunityIdeaFactory(interview=interview, title="Consignment stock")
    converted = OpportunityIdeaFactory(interview=interview, title="Shared CO2 data")
    OpportunityFactory(key_account=account, title="CO2 reporting service", source_idea=converted)
    html = (
        client_for(people.coordinator)
        .get(reverse("discovery:interview_detail", args=[account.pk, interview.pk]))
        .content.decode()
    )
    assert "Now an opportunity: CO2 reporting service" in html
    assert html.count("Not yet an opportunity") == 1


def test_convert_button_only_when_the_opportunities_url_exists(client_for, people, account):
    from django.urls import NoReverseMatch

    interview = InterviewFactory(key_account=account, interviewer=people.manager)
    idea = OpportunityIdeaFactory(interview=interview)
    url = reverse("discovery:interview_detail", args=[account.pk, interview.pk])
    html = client_for(people.manager).get(url).content.decode()
    try:
        reverse("opportunities:idea_convert", args=[idea.pk])
    except NoReverseMatch:
        assert "Turn into opportunity" not in html
    else:
        assert "Turn into opportunity" in html
        html = client_for(people.coordinator).get(url).content.decode()
        assert "Turn into opportunity" not in html


def test_ideas_that_became_opportunities_cannot_be_removed(client_for, people, account):
    interview = InterviewFactory(key_account=account, interviewer=people.manager)
    idea = OpportunityIdeaFactory(interview=interview)
    OpportunityFactory(key_account=account, source_idea=idea)
    client_for(people.manager).post(
        reverse("discovery:idea_delete", args=[account.pk, interview.pk, idea.pk])
    )
    assert OpportunityIdea.objects.filter(pk=idea.pk).exists()


def test_interview_list_costs_the_same_queries_at_two_sizes(
    client_for, people, account, django_assert_max_num_queries
):
    client = client_for(people.director)
    url = reverse("discovery:interviews", args=[account.pk])

    def add(n):
        for _ in range(n):
            interview = InterviewFactory(key_account=account, interviewer=people.manager)
            interview.stakeholders.add(StakeholderFactory(key_account=account))
            OpportunityIdeaFactory(interview=interview)
            OpportunityIdeaFactory(interview=interview)

    add(2)
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200
    add(20)
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200


def _record_interview(client, account, interviewer, held_on, stakeholders, interview=None):
    url = (
        reverse("discovery:interview_edit", args=[account.pk, interview.pk])
        if interview
        else reverse("discovery:interview_create", args=[account.pk])
    )
    return client.post(
        url,
        {
            "held_on": held_on.isoformat(),
            "interviewer": interviewer.pk,
            "stakeholders": [s.pk for s in stakeholders],
            "notes": "Walked the Erfurt line.",
            "revision": interview.revision if interview else "",
        },
    )


def test_an_interview_is_a_contact_for_the_stakeholders_met(client_for, people, account):
    """Recording an interview with someone ends their 'not contacted' gap on the map (it was
    still 'Not contacted for 200 days' the day after the interview)."""
    today = timezone.localdate()
    sabine = StakeholderFactory(
        key_account=account,
        name="Sabine Koch",
        influence="medium",
        owner=people.manager,
        last_contact_on=today - timedelta(days=200),
    )
    StakeholderFactory(  # Florian Wagner, not met
        key_account=account,
        name="Florian Wagner",
        influence="medium",
        owner=people.manager,
        last_contact_on=today - timedelta(days=150),
    )
    client = client_for(people.manager)
    map_url = reverse("discovery:stakeholder_map", args=[account.pk])
    assert "Not contacted for 200 days" in client.get(map_url).content.decode()

    held_on = today - timedelta(days=3)
    response = _record_interview(client, account, people.manager, held_on, [sabine])

    assert response.status_code == 302
    sabine.refresh_from_db()
    assert sabine.last_contact_on == held_on
    page = client.get(map_url).content.decode()
    assert "Not contacted for 200 days" not in page
    # Florian was not met: his gap stays, counted alone.
    assert "Not contacted for 150 days" in page
    assert "Coverage gaps (1)" in page


def test_an_older_interview_does_not_move_the_last_contact_back(client_for, people, account):
    today = timezone.localdate()
    katrin = StakeholderFactory(
        key_account=account, name="Katrin Vogel", last_contact_on=today - timedelta(days=5)
    )
    client = client_for(people.manager)
    _record_interview(client, account, people.manager, today - timedelta(days=40), [katrin])
    katrin.refresh_from_db()
    assert katrin.last_contact_on == today - timedelta(days=5)


def test_a_stakeholder_added_to_an_interview_later_is_contacted_on_its_date(
    client_for, people, account
):
    today = timezone.localdate()
    held_on = today - timedelta(days=10)
    jens = StakeholderFactory(key_account=account, name="Jens Albrecht", last_contact_on=None)
    interview = InterviewFactory(key_account=account, interviewer=people.manager, held_on=held_on)
    response = _record_interview(
        client_for(people.manager), account, people.manager, held_on, [jens], interview
    )
    assert response.status_code == 302
    jens.refresh_from_db()
    assert jens.last_contact_on == held_on
