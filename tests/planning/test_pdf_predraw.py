"""The plan PDF drawn ahead by a worker after a change (planning.printing): queued once per
step after its commit, never for a step that rolled back, only where a worker and a shared
cache exist; the worker draws exactly what the request then serves, in each language the
team reads; a later change's token makes an earlier task draw nothing."""

import pytest
from celery import current_app
from django.core.cache import cache
from django.urls import reverse

from accounts.selectors import account_team_languages
from common.conflicts import EditConflict
from planning import printing, services, tasks
from planning.models import AccountPlan, Action

from .conftest import fill_plan


@pytest.fixture
def predraw_on(settings, monkeypatch):
    """As in production: a real worker (tasks not run in the request) and a shared cache. The
    queued tasks are recorded instead of sent."""
    settings.PLAN_PDF_PREDRAW_SECONDS = 5
    settings.PLAN_PDF_KEEP_SECONDS = 600
    monkeypatch.setattr(current_app.conf, "task_always_eager", False)
    monkeypatch.setattr(printing, "cache_is_shared", lambda: True)
    queued = []

    def record(args, countdown, retry):
        assert retry is False  # a drawing that cannot be queued is drawn on request
        queued.append((args, countdown))

    monkeypatch.setattr(tasks.plan_pdf_predraw, "apply_async", record)
    cache.clear()
    return queued


def _action(plan, people):
    fill_plan(plan, people, actions=2, stakeholders=1, objectives=1, opportunities=1)
    return Action.objects.filter(plan=plan).order_by("pk").first()


def _save_title(action, people, title, *, revision=None):
    services.action_save(
        plan=action.plan,
        action=action,
        data={"title": title},
        revision=action.revision if revision is None else revision,
        acting_user=people.manager,
    )


def test_a_plan_step_queues_one_drawing_after_its_commit(
    plan, people, predraw_on, django_capture_on_commit_callbacks
):
    action = _action(plan, people)
    with django_capture_on_commit_callbacks(execute=True):
        _save_title(action, people, "Pilot the chilled range")
    assert len(predraw_on) == 1
    (plan_id, token), countdown = predraw_on[0]
    assert plan_id == plan.pk and countdown == 5
    assert cache.get(f"plan-pdf-predraw:{plan.pk}") == token
    # A status step (submission) is a change the PDF prints too.
    AccountPlan.objects.filter(pk=plan.pk).update(status=AccountPlan.Status.SUBMITTED)
    plan.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_return(plan=plan, acting_user=people.director, comment="Add targets")
    assert len(predraw_on) == 2


def test_a_refused_step_queues_nothing(
    plan, people, predraw_on, django_capture_on_commit_callbacks
):
    action = _action(plan, people)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(EditConflict):
            _save_title(action, people, "Too late", revision=action.revision - 1)
    assert callbacks == [] and predraw_on == []


@pytest.mark.parametrize(
    "off",
    ["tasks in the request", "each process its own cache", "no delay", "nothing kept"],
)
def test_nothing_is_drawn_ahead_without_a_worker_a_shared_cache_or_kept_pdfs(
    off, plan, people, predraw_on, settings, monkeypatch, django_capture_on_commit_callbacks
):
    if off == "tasks in the request":  # the embedded default: every save would wait for it
        monkeypatch.setattr(current_app.conf, "task_always_eager", True)
    elif off == "each process its own cache":  # the worker's PDF would never be found
        monkeypatch.setattr(printing, "cache_is_shared", lambda: False)
    elif off == "no delay":
        settings.PLAN_PDF_PREDRAW_SECONDS = 0
    else:
        settings.PLAN_PDF_KEEP_SECONDS = 0
    action = _action(plan, people)
    with django_capture_on_commit_callbacks(execute=True):
        _save_title(action, people, "Pilot the chilled range")
    assert predraw_on == []


def test_the_worker_draws_what_each_member_then_gets_without_a_drawing(
    client_for, plan, people, predraw_on, pdfs_drawn, django_capture_on_commit_callbacks
):
    people.director.language = "fr"
    people.director.save(update_fields=["language"])
    assert account_team_languages(account_id=plan.key_account_id) == ["en-gb", "fr"]
    action = _action(plan, people)
    with django_capture_on_commit_callbacks(execute=True):
        _save_title(action, people, "Pilot the chilled range")
    (plan_id, token), _ = predraw_on[-1]
    # What the worker runs (in-process here: the cache is this process's).
    assert tasks.plan_pdf_predraw.run(plan_id, token) == 2
    assert len(pdfs_drawn) == 2
    url = reverse("planning:plan_pdf", args=[plan.key_account_id])
    english = client_for(people.manager).get(url)  # no language chosen: the site's
    french = client_for(people.director).get(url)
    assert english.status_code == french.status_code == 200
    assert len(pdfs_drawn) == 2  # both served as kept: nothing drawn on request
    assert english.content != french.content
    # ... and they are what a drawing on request gives.
    cache.clear()
    assert client_for(people.manager).get(url).content == english.content
    assert client_for(people.director).get(url).content == french.content
    assert len(pdfs_drawn) == 4
    assert "Pilot the chilled range" in pdfs_drawn[-1]


def test_a_later_change_replaces_the_earlier_drawing(
    plan, people, predraw_on, pdfs_drawn, django_capture_on_commit_callbacks
):
    action = _action(plan, people)
    with django_capture_on_commit_callbacks(execute=True):
        _save_title(action, people, "First title")
    action.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        _save_title(action, people, "Second title")
    first, second = (args for args, _countdown in predraw_on)
    assert tasks.plan_pdf_predraw.run(*first) == 0  # replaced: draws nothing
    assert pdfs_drawn == []
    assert tasks.plan_pdf_predraw.run(*second) == 1
    assert len(pdfs_drawn) == 1 and "Second title" in pdfs_drawn[0]


def test_a_broker_that_does_not_take_the_task_costs_the_step_nothing(
    plan, people, predraw_on, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis. Connection refused.")

    monkeypatch.setattr(tasks.plan_pdf_predraw, "apply_async", refuse)
    action = _action(plan, people)
    with django_capture_on_commit_callbacks(execute=True):
        _save_title(action, people, "Saved all the same")
    action.refresh_from_db()
    assert action.title == "Saved all the same"
    assert "not queued to be drawn ahead" in caplog.text


def test_a_plan_no_longer_current_is_not_drawn(
    plan, people, predraw_on, pdfs_drawn, django_capture_on_commit_callbacks
):
    action = _action(plan, people)
    with django_capture_on_commit_callbacks(execute=True):
        _save_title(action, people, "Pilot the chilled range")
    (plan_id, token), _ = predraw_on[-1]
    AccountPlan.objects.filter(pk=plan.pk).update(is_current=False)
    assert tasks.plan_pdf_predraw.run(plan_id, token) == 0
    assert pdfs_drawn == []
