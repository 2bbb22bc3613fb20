"""Customer issues: logged by the account's editors, owned by someone on the team (who may
update it), on My work for the owner, counted by plan health, and escalated once to the
director when a high or critical one is overdue (rhythm's job)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from outcomes.services import customer_issue_save, customer_issues_escalate_overdue
from planning.selectors import health_for_plans
from rhythm import jobs
from rhythm.models import JobRun
from tests.factories import AccountPlanFactory, UserFactory

TODAY = timezone.localdate()


def _issue(account, owner, *, severity="high", due=TODAY, status="open", title="Late deliveries"):
    return customer_issue_save(
        account=account,
        issue=None,
        fields={
            "title": title,
            "severity": severity,
            "owner": owner,
            "raised_on": min(due, TODAY) - timedelta(days=3),
            "due_on": due,
            "status": status,
            "resolution": "Fixed" if status in ("resolved", "closed") else "",
            "customer_visible": False,
            "description": "",
        },
        acting_user=None,
    )


def test_the_owner_must_be_on_the_team(account, people):
    with pytest.raises(ValidationError, match="on the account team"):
        _issue(account, people.other_manager)
    with pytest.raises(ValidationError, match="how the issue was resolved"):
        customer_issue_save(
            account=account,
            issue=None,
            fields={
                "title": "x",
                "severity": "low",
                "owner": people.manager,
                "raised_on": TODAY,
                "due_on": TODAY,
                "status": "resolved",
                "resolution": "",
            },
            acting_user=people.manager,
        )


def test_the_owner_updates_their_issue_and_sees_it_on_my_work(client_for, people, account):
    issue = _issue(account, people.team_member, due=TODAY - timedelta(days=1))
    client = client_for(people.team_member)
    my_work = client.get(reverse("delivery:index")).content.decode()
    assert "Customer issues I follow up" in my_work and "Late deliveries" in my_work
    assert "Overdue</strong> since" in my_work
    url = reverse("outcomes:issue_edit", args=[account.pk, issue.pk])
    response = client.post(
        url,
        {
            "title": issue.title,
            "severity": "high",
            "owner": people.team_member.pk,
            "raised_on": issue.raised_on.isoformat(),
            "due_on": issue.due_on.isoformat(),
            "status": "resolved",
            "resolution": "Extra truck on Tuesdays",
            "revision": issue.revision,
        },
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == "resolved" and issue.resolved_at is not None
    assert url not in client.get(reverse("delivery:index")).content.decode()  # no longer open
    # Another team member's issue is not theirs to update.
    other = _issue(account, people.manager, title="Wrong labels")
    edit = reverse("outcomes:issue_edit", args=[account.pk, other.pk])
    assert client.get(edit).status_code == 403


def test_open_high_and_critical_issues_cost_health_points(account, people):
    plan = AccountPlanFactory(key_account=account)

    def issue_points():
        health = health_for_plans([plan], today=TODAY)[plan.pk]
        return next(r for r in health.rules if r.key == "issues")

    assert issue_points().points == 0
    _issue(account, people.manager, severity="critical", title="Recall")
    _issue(account, people.manager, severity="high", title="Late")
    _issue(account, people.manager, severity="medium", title="Labels")  # not counted
    _issue(account, people.manager, severity="critical", status="resolved", title="Old")
    rule = issue_points()
    # By hand: one open critical (−10) and one open high (−5).
    assert (rule.points, rule.detail) == (15, "1 critical, 1 high open")


def test_overdue_high_issues_are_escalated_to_the_director_once(account, people):
    overdue = _issue(account, people.manager, due=TODAY - timedelta(days=2))
    _issue(account, people.manager, severity="medium", due=TODAY - timedelta(days=9), title="M")
    _issue(account, people.manager, due=TODAY, title="Due today")  # not overdue yet
    _issue(account, people.manager, due=TODAY - timedelta(days=5), status="closed", title="C")
    first = customer_issues_escalate_overdue(today=TODAY)
    assert first == {"escalated": 1, "notified": 1}
    overdue.refresh_from_db()
    assert overdue.escalated_at is not None
    (told,) = Notification.objects.filter(user=people.director)
    assert "Escalated" in told.text and "2 days overdue" in told.text
    assert told.link == overdue.get_absolute_url()
    # A second run (a retry, a second beat, a task delivered again) escalates nothing.
    assert customer_issues_escalate_overdue(today=TODAY) == {"escalated": 0, "notified": 0}
    assert Notification.objects.filter(user=people.director).count() == 1


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en-gb",
            "Escalated: the high customer issue “Late deliveries” of Northwind Foods is 1 day "
            "overdue (due {due}, owner {owner}): see that it is followed up.",
        ),
        (
            "fr",
            "Remontée\u00a0: le problème client «\u00a0Late deliveries\u00a0» de Northwind Foods "
            "(gravité\u00a0: élevée) a 1\u00a0jour de retard (échéance {due}, "
            "responsable {owner})\u00a0: veillez à son suivi.",
        ),
    ],
)
def test_an_issue_escalated_the_day_after_it_was_due_says_one_day(
    account, people, language, expected
):
    from django.utils.formats import date_format
    from django.utils.translation import override

    due = TODAY - timedelta(days=1)  # the daily job's usual case
    _issue(account, people.manager, due=due)
    people.director.language = language
    people.director.save(update_fields=["language"])
    customer_issues_escalate_overdue(today=TODAY)
    (told,) = Notification.objects.filter(user=people.director)
    with override(language):
        day = date_format(due, "PADDED_DATE_FORMAT")
    assert told.text == expected.format(due=day, owner=people.manager)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en-gb",
            "Escalated: the high customer issue “Late deliveries” of Northwind Foods is 1 day "
            "overdue (due {due}): give it an owner to follow it up.",
        ),
        (
            "fr",
            "Remontée\u00a0: le problème client «\u00a0Late deliveries\u00a0» de Northwind Foods "
            "(gravité\u00a0: élevée) a 1\u00a0jour de retard (échéance {due})\u00a0: confiez-le "
            "à un responsable qui en assure le suivi.",
        ),
    ],
)
def test_an_escalated_issue_whose_owner_is_gone_asks_the_director_to_give_it_one(
    account, people, language, expected
):
    from django.utils.formats import date_format
    from django.utils.translation import override

    due = TODAY - timedelta(days=1)
    issue = _issue(account, people.manager, due=due)
    type(issue).objects.filter(pk=issue.pk).update(owner=None)  # their account was deleted
    people.director.language = language
    people.director.save(update_fields=["language"])
    customer_issues_escalate_overdue(today=TODAY)
    (told,) = Notification.objects.filter(user=people.director)
    with override(language):
        day = date_format(due, "PADDED_DATE_FORMAT")
    assert told.text == expected.format(due=day)
    assert told.email_body.startswith(told.text + "\n\n")


def test_the_escalation_runs_as_a_recorded_job(account, people):
    _issue(account, people.manager, severity="critical", due=TODAY - timedelta(days=1))
    run = jobs.run_job(JobRun.Job.ESCALATE_ISSUES, trigger="test")
    assert run.outcome == JobRun.Outcome.OK
    assert run.counts["escalated"] == 1
    again = jobs.run_job(JobRun.Job.ESCALATE_ISSUES, trigger="test")
    assert again.counts["escalated"] == 0


def test_an_inactive_director_is_not_told_and_the_issue_is_still_escalated_once(account, people):
    people.director.is_active = False
    people.director.save()
    _issue(account, people.manager, due=TODAY - timedelta(days=1))
    assert customer_issues_escalate_overdue(today=TODAY) == {"escalated": 1, "notified": 0}
    assert customer_issues_escalate_overdue(today=TODAY) == {"escalated": 0, "notified": 0}


def test_issue_page_lists_open_issues_and_all_on_request(client_for, people, account):
    _issue(account, people.manager, title="Open one")
    _issue(account, people.manager, title="Closed one", status="closed")
    client = client_for(people.coordinator)
    page = client.get(reverse("outcomes:issue_list", args=[account.pk])).content.decode()
    assert "Open one" in page and "Closed one" not in page
    assert reverse("outcomes:issue_create", args=[account.pk]) not in page  # reads only
    every = client.get(reverse("outcomes:issue_list", args=[account.pk]) + "?show=all")
    assert "Closed one" in every.content.decode()


@pytest.mark.parametrize("issues", [2, 12])
def test_issue_page_and_my_work_queries_stay_bounded(
    client_for, people, account, django_assert_max_num_queries, issues
):
    for n in range(issues):
        owner = UserFactory()
        account.memberships.create(user=owner, role="team_member")
        _issue(account, owner if n % 2 else people.manager, title=f"Issue {n}")
    client = client_for(people.manager)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("outcomes:issue_list", args=[account.pk])).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(reverse("delivery:index")).status_code == 200
