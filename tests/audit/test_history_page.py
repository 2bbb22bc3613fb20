"""The account history page: what is recorded through the app's views, who sees it, and what
it costs."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Customer, Programme
from delivery.models import QuoteLine
from discovery.models import Competitor
from planning.models import Objective
from strategy.services import customers_rescore_all
from tests.factories import (
    CriterionFactory,
    ObjectiveFactory,
    QuoteLineFactory,
    StakeholderFactory,
)
from tests.html_checks import page_problems


def _text(response) -> str:
    return response.content.decode()


def test_a_change_made_through_a_view_shows_who_and_old_and_new_values(
    client_for, people, account, history_url
):
    competitor = Competitor.objects.create(key_account=account, name="Arctic", strength="medium")
    response = client_for(people.manager).post(
        reverse("discovery:competitor_edit", args=[account.pk, competitor.pk]),
        {"name": "Arctic Logistics", "offering": "", "strength": "high", "threat_level": "medium"},
    )
    assert response.status_code == 302

    response = client_for(people.director).get(history_url)
    assert response.status_code == 200
    entry = response.context["entries"][0]
    assert (entry.who, entry.type_label, entry.name, entry.change) == (
        "Max Manager",
        "Competitor",
        "Arctic Logistics",
        "Changed",
    )
    assert {(c.label, c.old, c.new) for c in entry.changes} == {
        ("Name", "Arctic", "Arctic Logistics"),
        ("Strength", "Medium", "High"),
    }
    page = _text(response)
    assert "<del>Medium</del> → <ins>High</ins>" in page
    assert page_problems(page) == []


def test_a_plan_edit_names_people_not_ids(client_for, people, account, plan, history_url):
    objective = ObjectiveFactory(plan=plan, title="Grow frozen", owner=people.manager)
    response = client_for(people.manager).post(
        reverse("planning:item_edit", args=[account.pk, "objective", objective.pk]),
        {
            "title": "Grow frozen food share",
            "rationale": "",
            "owner": people.coordinator.pk,
            "due_on": "",
            "revision": objective.revision,
        },
    )
    assert response.status_code == 302
    entry = client_for(people.director).get(history_url).context["entries"][0]
    assert entry.type_label == "Plan objective"
    changes = {c.label: (c.old, c.new) for c in entry.changes}
    assert changes["What"] == ("Grow frozen", "Grow frozen food share")
    assert changes["Owner"] == ("Max Manager", "Chloé Coordinator")


def test_profile_section_saves_are_recorded(client_for, people, account, history_url):
    response = client_for(people.manager).post(
        reverse("discovery:section_edit", args=[account.pk, "needs"]),
        {"content": "Shorter lead times.", "revision": 0},
    )
    assert response.status_code == 302
    entry = client_for(people.director).get(history_url).context["entries"][0]
    assert (entry.type_label, entry.name, entry.who) == (
        "Profile section",
        "Needs",
        "Max Manager",
    )
    assert [(c.old, c.new) for c in entry.changes] == [("—", "Shorter lead times.")]


def test_editing_a_quote_changes_its_lines_in_place(client_for, people, account, history_url):
    line = QuoteLineFactory(quote__key_account=account, description="Audit", quantity=2)
    quote = line.quote
    response = client_for(people.coordinator).post(
        reverse("delivery:quote_edit", args=[account.pk, quote.pk]),
        {
            "title": quote.title,
            "valid_until": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "overall_discount_percent": "0",
            "opportunity": "",
            "notes": "",
            "revision": quote.revision,
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "1000",
            "lines-0-description": "Audit",
            "lines-0-quantity": "3",
            "lines-0-unit_price": str(line.unit_price),
            "lines-0-discount_percent": "0",
            "lines-0-offering": "",
        },
    )
    assert response.status_code == 302, _text(response)[:2000]
    assert list(QuoteLine.objects.filter(quote=quote).values_list("pk", flat=True)) == [line.pk]
    entries = client_for(people.director).get(history_url).context["entries"]
    line_entries = [e for e in entries if e.type_key == "quote_line"]
    assert [e.change for e in line_entries] == ["Changed", "Created"]
    assert [(c.label, c.old, c.new) for c in line_entries[0].changes] == [
        ("Quantity", "2.00", "3.00")
    ]


def test_a_customer_class_change_from_new_weights_is_on_record(
    client_for, people, account, history_url
):
    programme = Programme.ensure()
    for axis in ("attractiveness", "strength"):
        criterion = CriterionFactory(programme=programme, axis=axis, weight=1)
        account.customer.scores.create(criterion=criterion, score=5)
    Customer.objects.filter(pk=account.customer_id).update(classification="")
    customers_rescore_all(programme=programme)
    entry = client_for(people.director).get(history_url).context["entries"][0]
    assert (entry.type_label, entry.name, entry.change) == (
        "Customer",
        "Northwind Foods",
        "Changed",
    )
    # No class before: the one wording for it (accounts.models.NOT_CLASSIFIED), not a dash.
    changes = {(c.label, c.old, c.new) for c in entry.changes}
    assert ("Classification", "Not classified", "Strategic") in changes


def test_filters_by_type_person_and_change(client_for, people, account, plan, history_url):
    client = client_for(people.manager)
    competitor = Competitor.objects.create(key_account=account, name="Arctic")
    client.post(reverse("discovery:competitor_delete", args=[account.pk, competitor.pk]))
    objective = ObjectiveFactory(plan=plan, title="Win the tender")
    client_for(people.director).post(
        reverse("planning:item_remove", args=[account.pk, "objective", objective.pk]),
        {"confirm": "yes"},
    )
    client = client_for(people.director)

    by_type = client.get(history_url, {"type": "competitor"}).context["entries"]
    assert {e.type_key for e in by_type} == {"competitor"}

    by_person = client.get(history_url, {"person": people.manager.pk}).context["entries"]
    assert [(e.name, e.change) for e in by_person] == [("Arctic", "Deleted")]

    deleted = client.get(history_url, {"change": "-"}).context["entries"]
    assert {(e.name, e.who) for e in deleted} == {
        ("Arctic", "Max Manager"),
        ("Win the tender", "Dana Director"),
    }

    # A stale or tampered filter shows everything instead of an error.
    assert client.get(history_url, {"person": "x", "type": "nope"}).status_code == 200


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("director", 200),
        ("programme_admin", 200),
        ("manager", 403),
        ("coordinator", 403),
        ("team_member", 403),
        ("executive", 403),
        ("outsider", 404),
    ],
)
def test_who_sees_the_history(client_for, people, account, history_url, role, status):
    assert client_for(getattr(people, role)).get(history_url).status_code == status


def test_the_history_tab_is_shown_only_to_those_who_may_open_it(client_for, people, account):
    url = reverse("accounts:account_detail", args=[account.pk])
    history = reverse("audit:account_history", args=[account.pk])
    assert history in _text(client_for(people.director).get(url))
    assert history in _text(client_for(people.programme_admin).get(history))
    assert history not in _text(client_for(people.manager).get(url))
    assert history not in _text(client_for(people.executive).get(url))


def test_anonymous_is_sent_to_log_in(client_for, history_url):
    response = client_for(None).get(history_url)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_another_accounts_changes_never_appear(
    client_for, people, account, other_account, history_url
):
    theirs = StakeholderFactory(key_account=other_account, name="Helga Helios")
    theirs.name = "Helga Helios-Berg"
    theirs.save()
    theirs.delete()
    StakeholderFactory(key_account=account, name="Nora Northwind")
    page = _text(client_for(people.director).get(history_url))
    assert "Nora Northwind" in page
    assert "Helga" not in page and "Helios" not in page


def _grow_history(account, plan, people, rounds: int):
    stakeholder = StakeholderFactory(key_account=account, owner=people.manager)
    for i in range(rounds):
        objective = Objective.objects.create(
            plan=plan, title=f"Objective {i}", owner=people.manager
        )
        objective.title = f"Objective {i} (renamed)"
        objective.owner = people.coordinator
        objective.save()
        objective.delete()
        stakeholder.attitude = ["champion", "sceptic"][i % 2]
        stakeholder.save()
        Competitor.objects.create(
            key_account=account, name=f"Competitor {rounds}-{i}", strength="high"
        )
        QuoteLineFactory(quote__key_account=account, unit_price=Decimal(i + 1))


def test_history_page_costs_the_same_queries_at_two_sizes(
    client_for, people, account, plan, history_url, django_assert_max_num_queries
):
    client = client_for(people.director)
    _grow_history(account, plan, people, rounds=3)
    with django_assert_max_num_queries(30):
        small = client.get(history_url)
    assert len(small.context["entries"]) == 25
    _grow_history(account, plan, people, rounds=40)
    with django_assert_max_num_queries(30):
        large = client.get(history_url, {"page": 3})
    assert len(large.context["entries"]) == 25
    assert large.context["page"].paginator.count > 300
    with django_assert_max_num_queries(30):
        assert client.get(history_url, {"person": people.manager.pk}).status_code == 200


def test_archiving_shows_as_archived_and_points_to_where_it_is_undone(
    client_for, people, account, history_url
):
    stakeholder = StakeholderFactory(key_account=account, name="Greta Buyer")
    response = client_for(people.manager).post(
        reverse("discovery:stakeholder_archive", args=[account.pk, stakeholder.pk])
    )
    assert response.status_code == 302
    response = client_for(people.director).get(history_url)
    entry = response.context["entries"][0]
    assert (entry.name, entry.change, entry.who, entry.can_restore) == (
        "Greta Buyer",
        "Archived",
        "Max Manager",
        False,
    )
    assert reverse("discovery:stakeholders", args=[account.pk]) + "?archived=1" in _text(response)


def _account_links(html: str, account) -> set[str]:
    import re

    prefix = f"/accounts/{account.pk}/"
    return {h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', html) if prefix in h}


@pytest.mark.parametrize("role", ["director", "programme_admin"])
def test_every_account_link_on_the_history_page_opens_for_its_reader(
    client_for, people, account, history_url, role
):
    # A programme admin outside the team reads the history but not the account's pages: the
    # page must not offer them tabs or item links that answer 404.
    ObjectiveFactory(plan__key_account=account, title="Win the tender")
    StakeholderFactory(key_account=account, name="Ada Buyer")
    client = client_for(getattr(people, role))
    links = _account_links(_text(client.get(history_url)), account)
    assert links, "the page links to something on the account"
    dead = {link: client.get(link).status_code for link in links}
    assert {link: code for link, code in dead.items() if code != 200} == {}
