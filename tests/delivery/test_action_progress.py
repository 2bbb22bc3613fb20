"""One-click progress on actions: who may update which action, and what an update records."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountEvent
from planning.models import Action, ActionUpdate
from tests.factories import AccountPlanFactory, ActionFactory, OpportunityFactory


def progress_url(action):
    return reverse("delivery:action_progress", args=[action.plan.key_account_id, action.pk])


def post_progress(client, action, **data):
    payload = {"status": "in_progress", "progress_percent": 40, "note": "", "revision": 0}
    payload.update(data)
    return client.post(progress_url(action), payload)


def test_team_member_updates_own_action_and_history_is_kept(client_for, people, plan):
    action = ActionFactory(plan=plan, owner=people.team_member, title="Map the cold chain")
    response = post_progress(
        client_for(people.team_member), action, note="Two of five depots mapped"
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.progress_percent, action.revision) == ("in_progress", 40, 1)
    update = ActionUpdate.objects.get(action=action)
    assert update.note == "Two of five depots mapped"
    assert update.updated_by == people.team_member
    page = client_for(people.team_member).get(
        reverse("delivery:action_detail", args=[plan.key_account_id, action.pk])
    )
    assert "Two of five depots mapped" in page.content.decode()


def test_team_member_cannot_update_someone_elses_action(client_for, people, plan):
    action = ActionFactory(plan=plan, owner=people.manager)
    assert post_progress(client_for(people.team_member), action).status_code == 403
    assert not ActionUpdate.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("executive", 403), ("outsider", 404), ("other_manager", 404), ("coordinator", 302)],
)
def test_progress_permissions_by_role(client_for, people, plan, persona, status):
    action = ActionFactory(plan=plan, owner=people.team_member)
    response = post_progress(client_for(getattr(people, persona)), action)
    assert response.status_code == status
    assert ActionUpdate.objects.exists() == (status == 302)


def test_anonymous_is_sent_to_login(client, plan):
    action = ActionFactory(plan=plan)
    response = post_progress(client, action)
    assert response.status_code == 302 and "/login/" in response.url


def test_action_of_another_account_is_404(client_for, people, account, other_account):
    foreign = ActionFactory(plan=AccountPlanFactory(key_account=other_account))
    url = reverse("delivery:action_progress", args=[account.pk, foreign.pk])
    response = client_for(people.manager).post(
        url, {"status": "done", "progress_percent": 100, "revision": 0}
    )
    assert response.status_code == 404
    detail = reverse("delivery:action_detail", args=[account.pk, foreign.pk])
    assert client_for(people.manager).get(detail).status_code == 404


def test_done_means_full_progress_and_goes_on_the_timeline(client_for, people, plan):
    # Quick win by the opportunities' own rule: V = (1 + 5 + 4) / 3 = 3.33 ≥ 3, ER = 1.5 < 3.
    quick = OpportunityFactory(
        key_account=plan.key_account,
        strategic_value_us=5,
        strategic_value_customer=4,
        effort=1,
        risk=2,
    )
    action = ActionFactory(plan=plan, owner=people.team_member, opportunity=quick, title="Trial")
    post_progress(client_for(people.team_member), action, status="done", progress_percent=10)
    action.refresh_from_db()
    assert action.progress_percent == 100
    assert action.completed_on == timezone.localdate()
    event = AccountEvent.objects.get(key_account=plan.key_account, kind="action")
    assert event.summary == "Quick win delivered: Trial"


def test_stale_revision_is_a_conflict_and_keeps_the_typed_note(client_for, people, plan):
    action = ActionFactory(plan=plan, owner=people.team_member)
    Action.objects.filter(pk=action.pk).update(revision=3, status="waiting")
    response = post_progress(
        client_for(people.team_member), action, note="My careful note", revision=0
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else updated this action" in html
    assert "My careful note" in html
    assert "Waiting on others" in html
    assert not ActionUpdate.objects.exists()


def test_an_update_that_changes_nothing_is_refused(client_for, people, plan):
    action = ActionFactory(plan=plan, owner=people.team_member)
    response = post_progress(
        client_for(people.team_member), action, status="open", progress_percent=0
    )
    assert response.status_code == 400
    assert "Nothing changed" in response.content.decode()


def test_percent_above_100_is_refused_with_a_clear_message(client_for, people, plan):
    action = ActionFactory(plan=plan, owner=people.team_member)
    response = post_progress(client_for(people.team_member), action, progress_percent=140)
    assert response.status_code == 400
    assert "Progress is a percentage from 0 to 100." in response.content.decode()


def test_progress_from_my_work_returns_to_my_work(client_for, people, plan):
    action = ActionFactory(
        plan=plan, owner=people.team_member, due_on=timezone.localdate() + timedelta(days=1)
    )
    response = post_progress(client_for(people.team_member), action, next="/delivery/?show=week")
    assert response.url == "/delivery/?show=week"
    response = post_progress(
        client_for(people.team_member),
        action,
        revision=1,
        status="waiting",
        next="https://evil.example/",
    )
    detail = reverse("delivery:action_detail", args=[plan.key_account_id, action.pk])
    assert response.url == f"{detail}#action-progress"


def test_a_status_another_person_changed_is_not_undone_from_a_page_drawn_before(
    client_for, people, plan
):
    """The action's page offers no "undo" of a status change (whoever made it): the progress
    form is the only way back, and it carries the revision the page showed. A coordinator's
    page drawn while the action was in progress cannot put back a "done" the manager saved
    since: refused with what it is now, the history keeps the manager's update alone."""
    action = ActionFactory(plan=plan, owner=people.manager, title="Send the cold-chain audit")
    detail = reverse("delivery:action_detail", args=[plan.key_account_id, action.pk])
    coordinator_page = client_for(people.coordinator).get(detail).content.decode()
    assert 'name="revision" value="0"' in coordinator_page
    assert "Undo" not in coordinator_page

    assert post_progress(client_for(people.manager), action, status="done").status_code == 302
    manager_page = client_for(people.manager).get(detail).content.decode()
    assert "Undo" not in manager_page  # not even for one's own change

    # The coordinator sends the form of the page drawn before: back to "in progress", 40 %.
    response = post_progress(client_for(people.coordinator), action, revision=0)
    assert response.status_code == 409
    assert (
        "Someone else updated this action while you were typing: it is now Done, 100 %."
        in response.content.decode()
    )
    action.refresh_from_db()
    assert (action.status, action.progress_percent) == ("done", 100)
    assert list(ActionUpdate.objects.values_list("status", "updated_by")) == [
        ("done", people.manager.pk)
    ]
