"""Mentoring log: directors write, the manager concerned reads, nobody else sees a thing."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from organisation.models import MentoringSession
from planning.models import Action
from tests.factories import AccountPlanFactory

from .factories import MentoringNextStepFactory, MentoringSessionFactory

NEW = "/mentoring/new/"


@pytest.fixture
def session(people, account):
    return MentoringSessionFactory(
        director=people.director,
        manager=people.manager,
        key_account=account,
        notes="Opened the door to Northwind's CFO.",
    )


def detail_url(session):
    return reverse("organisation:mentoring_detail", args=[session.pk])


@pytest.mark.parametrize("persona", ["director", "manager", "programme_admin"])
def test_session_is_read_by_its_director_its_manager_and_admins(
    client_for, people, session, persona
):
    response = client_for(getattr(people, persona)).get(detail_url(session))
    assert response.status_code == 200
    assert "Opened the door to Northwind&#x27;s CFO." in response.content.decode()


@pytest.mark.parametrize(
    "persona",
    ["other_manager", "other_director", "coordinator", "team_member", "executive", "outsider"],
)
def test_everyone_else_gets_404_on_a_session(client_for, people, session, persona):
    assert client_for(getattr(people, persona)).get(detail_url(session)).status_code == 404


def test_a_manager_sees_only_their_own_sessions_in_the_log(
    client_for, people, account, other_account, session
):
    MentoringSessionFactory(
        director=people.other_director,
        manager=people.other_manager,
        key_account=other_account,
        notes="Helios secret",
        held_on=timezone.localdate() - timedelta(days=3),
    )
    html = client_for(people.manager).get("/mentoring/").content.decode()
    assert "Northwind Foods" in html and "Helios Retail" not in html
    html = client_for(people.other_manager).get("/mentoring/").content.decode()
    assert "Helios Retail" in html and "Northwind Foods" not in html
    assert client_for(people.other_manager).get(detail_url(session)).status_code == 404


def session_data(people, account, **overrides):
    data = {
        "key_account": account.pk,
        "manager": people.manager.pk,
        "held_on": timezone.localdate().isoformat(),
        "topics": ["plan_review", "internal_blockers"],
        "notes": "Plan objectives reworked around their launch dates.",
        "next_steps": "Rewrite the value proposition\nBook the CFO meeting",
        "next_steps_due_on": (timezone.localdate() + timedelta(days=14)).isoformat(),
    }
    data.update(overrides)
    return data


def test_director_logs_a_session_with_next_steps(client_for, people, account):
    response = client_for(people.director).post(NEW, session_data(people, account), follow=True)
    session = MentoringSession.objects.get()
    assert (session.director, session.manager) == (people.director, people.manager)
    assert session.topics == ["plan_review", "internal_blockers"]
    assert [s.text for s in session.next_steps.all()] == [
        "Rewrite the value proposition",
        "Book the CFO meeting",
    ]
    assert "Mentoring session with Max Manager logged." in response.content.decode()


@pytest.mark.parametrize("persona", ["manager", "coordinator", "executive", "programme_admin"])
def test_only_directors_log_sessions(client_for, people, account, persona):
    response = client_for(getattr(people, persona)).post(NEW, session_data(people, account))
    assert response.status_code == 403
    assert not MentoringSession.objects.exists()


def test_anonymous_log_is_sent_to_login(client):
    response = client.post(NEW, {})
    assert response.status_code == 302 and "/login/" in response.url


def test_a_director_cannot_log_a_session_for_someone_elses_manager(
    client_for, people, account, other_account
):
    response = client_for(people.director).post(
        NEW, session_data(people, account, manager=people.other_manager.pk)
    )
    assert response.status_code == 200
    assert not MentoringSession.objects.exists()
    # another manager of a different account the same director directs
    other_account.memberships.filter(role=Role.DIRECTOR).update(user=people.director)
    response = client_for(people.director).post(
        NEW, session_data(people, account, manager=people.other_manager.pk)
    )
    assert "Olga Other does not manage Northwind Foods." in response.content.decode()
    assert "Plan objectives reworked around their launch dates." in response.content.decode()
    assert not MentoringSession.objects.exists()


def test_next_steps_need_a_due_date_and_at_least_one_topic(client_for, people, account):
    response = client_for(people.director).post(
        NEW, session_data(people, account, next_steps_due_on="", topics=[])
    )
    html = response.content.decode()
    assert "Say by when the next steps are due." in html
    assert "Choose at least one topic." in html
    assert "Rewrite the value proposition" in html
    assert not MentoringSession.objects.exists()


def step_url(step):
    return reverse("organisation:mentoring_step_action", args=[step.session_id, step.pk])


def test_a_next_step_becomes_an_action_on_the_current_plan(client_for, people, session):
    plan = AccountPlanFactory(key_account=session.key_account)
    step = MentoringNextStepFactory(session=session, text="Book the CFO meeting")
    response = client_for(people.director).post(step_url(step), follow=True)
    action = Action.objects.get(plan=plan)
    assert (action.title, action.owner, action.due_on) == (
        "Book the CFO meeting",
        people.manager,
        step.due_on,
    )
    step.refresh_from_db()
    assert step.action == action
    assert "is now an action for Max Manager on the plan" in response.content.decode()
    # twice is refused
    response = client_for(people.director).post(step_url(step), follow=True)
    assert "already an action on the plan" in response.content.decode()
    assert Action.objects.count() == 1


def test_without_a_current_plan_the_step_is_not_converted_and_the_reason_shown(
    client_for, people, session
):
    step = MentoringNextStepFactory(session=session)
    response = client_for(people.director).post(step_url(step), follow=True)
    assert "Northwind Foods has no current account plan" in response.content.decode()
    assert not Action.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"), [("manager", 403), ("programme_admin", 403), ("other_manager", 404)]
)
def test_only_the_sessions_director_turns_steps_into_actions(
    client_for, people, session, persona, status
):
    AccountPlanFactory(key_account=session.key_account)
    step = MentoringNextStepFactory(session=session)
    assert client_for(getattr(people, persona)).post(step_url(step)).status_code == status
    assert not Action.objects.exists()


def test_a_guessed_step_of_another_session_is_404(client_for, people, account, session):
    other = MentoringNextStepFactory()
    url = reverse("organisation:mentoring_step_action", args=[session.pk, other.pk])
    assert client_for(people.director).post(url).status_code == 404


def test_mentoring_log_queries_stay_bounded(
    client_for, people, account, django_assert_max_num_queries
):
    client = client_for(people.manager)
    for size in (3, 30):
        while MentoringSession.objects.count() < size:
            MentoringNextStepFactory(
                session=MentoringSessionFactory(
                    director=people.director, manager=people.manager, key_account=account
                )
            )
        with django_assert_max_num_queries(8):
            assert client.get("/mentoring/").status_code == 200


def test_new_session_form_shows_today_in_the_date_picker(client_for, people, account):
    # A date picker shows nothing for an en-gb value (26/11/2026): it needs an ISO date.
    page = client_for(people.director).get(NEW).content.decode()
    today = timezone.localdate().isoformat()
    assert f'type="date" name="held_on" value="{today}"' in page


def test_a_step_does_not_become_the_action_of_a_manager_who_left_the_team(
    client_for, people, session
):
    """Planning keeps every action's owner on the account team; a manager reassigned since
    the session would have owned an action on an account they no longer serve."""
    from accounts.models import Membership

    AccountPlanFactory(key_account=session.key_account)
    step = MentoringNextStepFactory(session=session, text="Book the CFO meeting")
    Membership.objects.filter(user=people.manager, key_account=session.key_account).delete()
    response = client_for(people.director).post(step_url(step), follow=True)
    assert (
        "Max Manager is no longer on the Northwind Foods account team, so “Book the CFO "
        "meeting” cannot become their action." in response.content.decode()
    )
    assert not Action.objects.exists()
    step.refresh_from_db()
    assert step.action is None


def _approved_plan(people, account):
    """A plan complete enough to approve, approved by its director (version 1)."""
    from planning import services as planning_services
    from planning.models import AccountPlan
    from tests.factories import (
        ActionFactory,
        EngagementActivityFactory,
        ObjectiveFactory,
        TargetFactory,
    )

    plan = AccountPlanFactory(
        key_account=account,
        period="FY2027",
        critical_success_factors="One contact for every site.",
    )
    TargetFactory(objective=ObjectiveFactory(plan=plan, title="Grow chilled volume"))
    ActionFactory(plan=plan, title="Map the sites", owner=people.manager)
    EngagementActivityFactory(plan=plan, our_person=people.manager)
    AccountPlan.objects.filter(pk=plan.pk).update(status=AccountPlan.Status.SUBMITTED)
    planning_services.plan_approve(plan=plan, acting_user=people.director)
    plan.refresh_from_db()
    assert plan.status == AccountPlan.Status.APPROVED
    return plan


def test_a_step_added_to_an_approved_plan_is_a_plan_edit_like_any_other(
    client_for, people, session, django_capture_on_commit_callbacks
):
    """Through planning's action_save: the approved plan goes back to draft (its approved
    version stays frozen), the timeline and the history record the action, its owner is told."""
    from django.utils.formats import date_format

    from planning.models import AccountPlan

    plan = _approved_plan(people, session.key_account)
    due = timezone.localdate() + timedelta(days=21)
    step = MentoringNextStepFactory(session=session, text="Book the CFO meeting", due_on=due)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(people.director).post(step_url(step), follow=True)
    html = response.content.decode()
    assert (
        "“Book the CFO meeting” is now an action for Max Manager on the plan. The plan FY2027 "
        "was approved: it is back to draft until it is submitted and approved again."
    ) in html
    plan.refresh_from_db()
    assert plan.status == AccountPlan.Status.DRAFT

    manager = client_for(people.manager)
    account_id = session.key_account_id
    plan_page = manager.get(reverse("planning:plan", args=[account_id])).content.decode()
    assert "Book the CFO meeting" in plan_page
    assert f"Agreed in mentoring on {date_format(session.held_on)}." in plan_page
    # The account's timeline, as the plan editor's own additions write it (en: "Dec. 28, 2026").
    timeline = manager.get(reverse("delivery:timeline", args=[account_id])).content.decode()
    assert f"Action “Book the CFO meeting” added to Max Manager, due {date_format(due)}" in timeline
    assert "Plan FY2027 edited after approval: back to draft (approved version 1 stays frozen)" in (
        timeline
    )
    # The audit history: the action added, by the director.
    history = client_for(people.director).get(reverse("audit:account_history", args=[account_id]))
    rows = " ".join(re.sub(r"<[^>]+>", " ", history.content.decode()).split())
    assert "Dana Director Action Book the CFO meeting Created" in rows
    assert "Dana Director Account plan Plan FY2027 Changed Status : Approved → Draft" in rows
    # Its owner is told, as for any action given to them in the plan editor.
    told = client_for(people.manager).get(reverse("notifications:index")).content.decode()
    assert (
        "Dana Director gave you an action on Northwind Foods: Book the CFO meeting "
        f"(due {date_format(due, 'PADDED_DATE_FORMAT')})." in told
    )
