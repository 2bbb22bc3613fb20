"""A follow-up agreed in a meeting is one action, however many times its form is sent (a double
click on "Add follow-up to the plan", the browser sending the form again)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from planning.models import Action
from tests.factories import MeetingFactory

from .conftest import at


def test_the_same_follow_up_sent_twice_is_one_action_and_one_notice(
    client_for, people, account, plan, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(
        key_account=account, title="QBR", starts_at=at(-1, 10), ends_at=at(-1, 11)
    )
    url = reverse("delivery:meeting_follow_up", args=[account.pk, meeting.pk])
    due = timezone.localdate() + timedelta(days=10)
    data = {"title": "Send the price corridor", "owner": people.team_member.pk, "due_on": due}
    client = client_for(people.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, data)
        # The second click, with the title typed in other case and spacing.
        second = client.post(url, {**data, "title": "  send the PRICE corridor "})
    assert first.status_code == 302
    assert second.status_code == 400
    assert Action.objects.filter(plan=plan).count() == 1
    assert meeting.follow_ups.count() == 1
    assert people.team_member.notifications.filter(text__contains="price corridor").count() == 1
    page = second.content.decode()
    # Said at the title, which keeps what was typed: the one already on the plan, its owner
    # and due day (written as the page writes days: "16 Dec").
    due_text = f"{due.day:02d} {due:%b}"
    assert (
        f"This meeting already has the follow-up “Send the price corridor” for "
        f"{people.team_member}, due {due_text}. It was not added twice." in page
    )
    assert 'value="  send the PRICE corridor "' in page or 'value="send the PRICE corridor"' in page


def test_the_same_title_for_someone_else_or_after_it_is_done_is_a_new_follow_up(
    client_for, people, account, plan
):
    meeting = MeetingFactory(
        key_account=account, title="QBR", starts_at=at(-1, 10), ends_at=at(-1, 11)
    )
    url = reverse("delivery:meeting_follow_up", args=[account.pk, meeting.pk])
    due = timezone.localdate() + timedelta(days=10)
    client = client_for(people.coordinator)
    data = {"title": "Send the minutes", "owner": people.team_member.pk, "due_on": due}
    assert client.post(url, data).status_code == 302
    assert client.post(url, {**data, "owner": people.manager.pk}).status_code == 302
    Action.objects.filter(owner=people.team_member).update(status=Action.Status.DONE)
    assert client.post(url, data).status_code == 302
    assert meeting.follow_ups.count() == 3


def test_a_follow_up_joins_an_approved_plan_without_sending_it_back_to_draft(
    client_for, people, account, plan
):
    """A follow-up is delivery work agreed with the customer, not an edit of what the director
    approved: the plan stays approved (its objectives, targets and value are unchanged) and
    its page, drawn before, lists the new action at once."""
    from planning.models import AccountPlan

    AccountPlan.objects.filter(pk=plan.pk).update(status=AccountPlan.Status.APPROVED)
    manager = client_for(people.manager)
    plan_url = reverse("planning:plan", args=[account.pk])
    assert "Send the price corridor" not in manager.get(plan_url).content.decode()
    meeting = MeetingFactory(
        key_account=account, title="QBR", starts_at=at(-1, 10), ends_at=at(-1, 11)
    )
    due = timezone.localdate() + timedelta(days=10)
    posted = client_for(people.coordinator).post(
        reverse("delivery:meeting_follow_up", args=[account.pk, meeting.pk]),
        {"title": "Send the price corridor", "owner": people.team_member.pk, "due_on": due},
    )
    assert posted.status_code == 302
    plan.refresh_from_db()
    assert plan.status == AccountPlan.Status.APPROVED
    assert "Send the price corridor" in manager.get(plan_url).content.decode()
