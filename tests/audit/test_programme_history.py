"""The programme's change history (/strategy/history/): what a programme admin sees after
changing the programme, its selection criteria and the job specifications through the app, who
may open it, the filters, and what a page costs."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import PROGRAMME_ADMIN_GROUP, Programme
from organisation.models import JobSpecification
from strategy.models import SelectionCriterion
from tests.factories import CriterionFactory, StakeholderFactory, UserFactory
from tests.html_checks import page_problems

CRITERION_FIELDS = ("axis", "name", "description", "weight", "scale_1", "scale_3", "scale_5")


@pytest.fixture
def history_url():
    return reverse("audit:programme_history")


def _text(response) -> str:
    return response.content.decode()


def _criterion_form(criterion, **changes) -> dict:
    return {**{name: getattr(criterion, name) for name in CRITERION_FIELDS}, **changes}


def _job_spec_form(spec, **changes) -> dict:
    fields = ("purpose", "skills", "day_to_day", "long_term", "revision")
    return {**{name: getattr(spec, name) for name in fields}, **changes}


def test_a_weight_changed_on_the_criteria_pages_shows_who_and_old_and_new_weight(
    client_for, people, history_url
):
    criterion = CriterionFactory(name="Growth potential", weight=2)
    client = client_for(people.programme_admin)
    response = client.post(
        reverse("strategy:criterion_edit", args=[criterion.pk]),
        _criterion_form(criterion, weight=3),
    )
    assert response.status_code == 302

    response = client.get(history_url)
    assert response.status_code == 200
    entry = response.context["entries"][0]
    assert (entry.who, entry.type_label, entry.name, entry.change) == (
        "Paul Admin",
        "Selection criterion",
        "Growth potential (Account attractiveness)",
        "Changed",
    )
    assert [(c.label, c.old, c.new) for c in entry.changes] == [("Weight", "2", "3")]
    assert entry.link == reverse("strategy:criteria")
    page = _text(response)
    assert "<strong>Weight</strong>: <del>2</del> → <ins>3</ins>" in page
    assert page_problems(page) == []


def test_matrix_thresholds_and_the_key_account_limit_are_on_record(client_for, people, history_url):
    client = client_for(people.programme_admin)
    response = client.post(
        reverse("strategy:matrix_settings"),
        {
            "attractiveness_threshold": "60",
            "strength_threshold": "50",
            "key_account_limit_percent": "15",
        },
    )
    assert response.status_code == 302
    entry = client.get(history_url).context["entries"][0]
    assert (entry.type_label, entry.change, entry.who) == ("Programme", "Changed", "Paul Admin")
    assert {(c.label, c.old, c.new) for c in entry.changes} == {
        ("Attractiveness threshold", "50.00", "60.00"),
        ("Key account limit (%)", "20", "15"),
    }


def test_a_job_specification_edit_shows_the_earlier_wording(client_for, people, history_url):
    client = client_for(people.programme_admin)
    edit_url = reverse("organisation:job_spec_edit", args=["manager"])
    spec = JobSpecification.objects.get(role="manager")
    assert client.post(edit_url, _job_spec_form(spec, skills="Listening")).status_code == 302
    spec.refresh_from_db()
    response = client.post(edit_url, _job_spec_form(spec, skills="Listening\nNegotiating"))
    assert response.status_code == 302

    response = client.get(history_url, {"type": "job_specification"})
    newest, first = response.context["entries"]
    assert (newest.type_label, newest.name, newest.who) == (
        "Job specification",
        "Key account manager",
        "Paul Admin",
    )
    assert [(c.label, c.old, c.new) for c in newest.changes] == [
        ("Skills and qualities", "Listening", "Listening\nNegotiating")
    ]
    # The seeded texts were written before history began: said so, not shown as empty.
    assert first.changes == [] and "not on record" in first.note


def test_filters_narrow_by_type_person_and_change(client_for, people, history_url):
    planner = UserFactory(username="pia", first_name="Pia", last_name="Planner")
    planner.groups.add(Group.objects.get_or_create(name=PROGRAMME_ADMIN_GROUP)[0])
    kept = CriterionFactory(name="Share of wallet")
    dropped = CriterionFactory(name="Brand fit")
    admin = client_for(people.programme_admin)
    admin.post(reverse("strategy:criterion_archive", args=[kept.pk]), {"archived": "1"})
    admin.post(reverse("strategy:criterion_delete", args=[dropped.pk]))
    client_for(planner).post(
        reverse("strategy:matrix_settings"),
        {
            "attractiveness_threshold": "50",
            "strength_threshold": "55",
            "key_account_limit_percent": "20",
        },
    )
    client = client_for(people.executive)

    by_type = client.get(history_url, {"type": "criterion"}).context["entries"]
    assert {e.type_key for e in by_type} == {"criterion"}
    assert len(by_type) == 4  # two created (by no one), one archived, one deleted

    by_person = client.get(history_url, {"person": planner.pk}).context["entries"]
    assert [(e.type_label, e.who) for e in by_person] == [("Programme", "Pia Planner")]

    deleted = client.get(history_url, {"change": "-"}).context["entries"]
    assert [(e.name, e.change, e.who, e.can_restore) for e in deleted] == [
        ("Brand fit (Account attractiveness)", "Deleted", "Paul Admin", False)
    ]
    changed = client.get(history_url, {"person": people.programme_admin.pk, "change": "~"})
    assert [(e.name, e.change) for e in changed.context["entries"]] == [
        ("Share of wallet (Account attractiveness)", "Archived")
    ]
    assert "/history/restore/" not in _text(changed)

    # A type of the account history, or a tampered person, shows everything instead.
    response = client.get(history_url, {"type": "competitor", "person": "x"})
    assert response.status_code == 200
    assert len(response.context["entries"]) == 6


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("programme_admin", 200),
        ("executive", 200),
        ("director", 403),
        ("manager", 403),
        ("coordinator", 403),
        ("team_member", 403),
        ("outsider", 403),
    ],
)
def test_who_sees_the_programme_history(client_for, people, account, history_url, role, status):
    assert client_for(getattr(people, role)).get(history_url).status_code == status


def test_anonymous_is_sent_to_log_in(db, client_for, history_url):
    response = client_for(None).get(history_url)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_strategy_and_job_pages_link_to_it_only_for_those_who_may_open_it(
    client_for, people, account, history_url
):
    strategy, criteria = reverse("strategy:strategy"), reverse("strategy:criteria")
    roles = reverse("organisation:job_specs")
    assert history_url in _text(client_for(people.programme_admin).get(strategy))
    assert history_url in _text(client_for(people.programme_admin).get(roles))
    assert history_url in _text(client_for(people.executive).get(criteria))
    for persona in (people.director, people.manager):
        client = client_for(persona)
        for url in (strategy, criteria, roles):
            assert history_url not in _text(client.get(url))


def test_account_and_programme_changes_stay_on_their_own_pages(
    client_for, people, account, history_url
):
    StakeholderFactory(key_account=account, name="Nora Northwind")
    CriterionFactory(name="Growth potential")
    client = client_for(people.programme_admin)
    programme_page = _text(client.get(history_url))
    assert "Growth potential" in programme_page
    assert "Nora Northwind" not in programme_page
    account_page = _text(client.get(reverse("audit:account_history", args=[account.pk])))
    assert "Nora Northwind" in account_page
    assert "Growth potential" not in account_page


def _grow_history(people, rounds: int) -> None:
    """Five recorded changes a round, over all three types, by two people."""
    programme = Programme.ensure()
    programme._history_user = people.programme_admin
    spec = JobSpecification.objects.get(role="director")
    spec._history_user = people.executive  # stands in for a second editor
    for i in range(rounds):
        criterion = SelectionCriterion(
            programme=programme,
            axis="strength",
            name=f"Criterion {i}",
            weight=1,
            scale_1="Low",
            scale_3="Medium",
            scale_5="High",
        )
        criterion._history_user = people.programme_admin
        criterion.save()
        criterion.weight = 2 + i
        criterion.save()
        criterion.delete()
        programme.key_account_limit_percent = 10 + i % 50
        programme.save()
        spec.skills = f"Skill {i}"
        spec.save()


# One bound for both sizes: the page reads a fixed number of queries (see audit.selectors).
# Measured 20 at 16 and at 216 rows: session, user, groups, programme, people filter (2),
# count, page keys, 3 per type on the page, users named, roles (strategy menu), notifications.
QUERY_BUDGET = 20


def test_history_page_costs_the_same_queries_at_two_sizes(
    client_for, people, history_url, django_assert_max_num_queries
):
    client = client_for(people.programme_admin)
    _grow_history(people, rounds=3)
    with django_assert_max_num_queries(QUERY_BUDGET):
        small = client.get(history_url)
    assert small.context["page"].paginator.count == 16  # 15 + the programme's creation
    assert {e.type_key for e in small.context["entries"]} == {
        "criterion",
        "programme",
        "job_specification",
    }
    _grow_history(people, rounds=40)
    with django_assert_max_num_queries(QUERY_BUDGET):
        large = client.get(history_url, {"page": 3})
    assert len(large.context["entries"]) == 25
    assert large.context["page"].paginator.count == 216
    with django_assert_max_num_queries(QUERY_BUDGET):
        filtered = client.get(history_url, {"person": people.programme_admin.pk, "page": 2})
    assert {e.who for e in filtered.context["entries"]} == {"Paul Admin"}
