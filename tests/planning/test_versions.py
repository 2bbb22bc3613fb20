import re

from django.urls import reverse

from planning import services
from planning.models import AccountPlan
from planning.snapshot import diff_snapshots, diff_summary, for_audience, load_plan, plan_to_dict

from ..factories import ActionFactory, ObjectiveFactory


def approve(plan, people):
    AccountPlan.objects.filter(pk=plan.pk).update(status="submitted")
    return services.plan_approve(plan=plan, acting_user=people.director)


def test_diff_finds_added_removed_and_changed_items(people, full_plan):
    before = plan_to_dict(load_plan(full_plan))
    gone = full_plan.actions.get(title="Action 00")
    gone.delete()
    renamed = full_plan.actions.get(title="Action 01")
    renamed.title = "Action 01 renamed"
    renamed.save()
    ObjectiveFactory(plan=full_plan, title="Brand new objective")
    full_plan.value_proposition = "New promise"
    full_plan.save()
    after = plan_to_dict(load_plan(full_plan))
    sections = {s["key"]: s for s in diff_snapshots(before, after)}
    assert sections["objectives"]["added"] == ["Brand new objective"]
    assert sections["actions"]["removed"] == ["Action 00"]
    [change] = sections["actions"]["changed"]
    assert change["label"] == "Action 01 renamed"
    assert change["fields"] == [{"field": "title", "old": "Action 01", "new": "Action 01 renamed"}]
    assert sections["header"]["changed"][0]["fields"][0]["new"] == "New promise"
    assert diff_summary(list(sections.values())) == "1 added, 1 removed, 2 changed"


def test_identical_snapshots_have_no_changes(people, full_plan):
    snap = plan_to_dict(load_plan(full_plan))
    assert diff_snapshots(snap, snap) == []
    assert diff_summary([]) == "No changes"


def test_customer_audience_drops_internal_items_and_attitudes(people, full_plan):
    ObjectiveFactory(plan=full_plan, title="Internal objective", is_internal=True)
    shared = for_audience(plan_to_dict(load_plan(full_plan)), "customer")
    assert "Internal objective" not in [o["title"] for o in shared["objectives"]]
    assert shared["risks"] == []  # risks are internal unless marked otherwise
    assert all("attitude" not in s for s in shared["stakeholders"])
    assert all("profit_potential" not in o for o in shared["opportunities"])


def test_version_history_lists_who_when_and_what_changed(client_for, people, full_plan):
    approve(full_plan, people)
    ActionFactory(plan=full_plan, title="Added after v1", owner=people.manager)
    approve(full_plan, people)
    page = (
        client_for(people.team_member)
        .get(reverse("planning:versions", args=[full_plan.key_account_id]))
        .content.decode()
    )
    assert "Approved version 2" in page and "Approved version 1" in page
    assert "1 added, 0 removed, 0 changed" in page
    assert "First approved version" in page
    assert "Dana Director" in page
    assert "approved as version 2" in page  # plan events on the timeline


def test_compare_two_versions_and_a_version_with_the_live_plan(client_for, people, full_plan):
    approve(full_plan, people)
    ActionFactory(plan=full_plan, title="Added after v1", owner=people.manager)
    approve(full_plan, people)
    ActionFactory(plan=full_plan, title="Live only", owner=people.manager)
    client = client_for(people.executive)
    url = reverse("planning:version_compare", args=[full_plan.key_account_id])
    page = client.get(url, {"a": 1, "b": 2}).content.decode()
    assert "Added after v1" in page and "Live only" not in page
    page = client.get(url, {"a": 2, "b": 0}).content.decode()
    assert "Live only" in page and "Added after v1" not in page
    assert client.get(url, {"a": 1, "b": 7}).status_code == 404


def test_version_page_shows_the_frozen_plan_without_edit_controls(client_for, people, full_plan):
    approve(full_plan, people)
    services.plan_section_update(
        plan=full_plan, section="value_proposition", data={"value_proposition": "Changed later"},
        revision=0, acting_user=people.manager,
    )  # fmt: skip
    page = (
        client_for(people.manager)
        .get(reverse("planning:version", args=[full_plan.key_account_id, 1]))
        .content.decode()
    )
    assert "We take cost out of your cold chain." in page
    assert "Changed later" not in page
    assert "cannot be edited" in page
    assert "Edit value proposition" not in page


def test_versions_are_hidden_from_outsiders(client_for, people, full_plan):
    approve(full_plan, people)
    client = client_for(people.outsider)
    account_id = full_plan.key_account_id
    assert client.get(reverse("planning:versions", args=[account_id])).status_code == 404
    assert client.get(reverse("planning:version", args=[account_id, 1])).status_code == 404


def _selected(page: str, select_id: str) -> str:
    select = re.search(rf'<select[^>]*id="{select_id}".*?</select>', page, re.S)[0]
    return re.search(r'<option value="([^"]*)" selected>', select)[1]


def test_comparing_opens_on_two_different_records_however_many_there_are(
    client_for, people, full_plan
):
    client = client_for(people.manager)
    versions = reverse("planning:versions", args=[full_plan.key_account_id])
    compare = reverse("planning:version_compare", args=[full_plan.key_account_id])
    approve(full_plan, people)
    # One approved version: it, against the live plan after it.
    page = client.get(versions).content.decode()
    assert (_selected(page, "cmp-a"), _selected(page, "cmp-b")) == ("1", "0")
    opened = client.get(compare)
    assert (opened.context["a"], opened.context["b"]) == ("1", "0")
    ActionFactory(plan=full_plan, title="Added after v1", owner=people.manager)
    approve(full_plan, people)
    # Two: the older on the left, the newer on the right.
    page = client.get(versions).content.decode()
    assert (_selected(page, "cmp-a"), _selected(page, "cmp-b")) == ("1", "2")
    opened = client.get(compare)
    assert (opened.context["a"], opened.context["b"]) == ("1", "2")
    assert "Added after v1" in opened.content.decode()
