"""Plan health is stored on the plan for the dashboard: what a director sees follows every change
at once, the date moving on, and a change made while scores are being computed."""

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from discovery.models import Level
from planning.models import AccountPlan, HealthRecord
from planning.services import health as services  # patched where health is read and stored
from rhythm.models import JobRun
from tests.factories import StakeholderFactory
from tests.planning.factories import MeasurementFactory

URL = reverse("portfolio:dashboard")


def _scores(client) -> dict[str, int | None]:
    return {row.name: row.health_score for row in client.get(URL).context["page"]}


def _plan(account) -> AccountPlan:
    return AccountPlan.objects.get(key_account=account, is_current=True)


def test_finishing_an_overdue_action_shows_on_the_next_view(client_for, people, portfolio):
    dana = client_for(people.director)
    assert _scores(dana)["Castello Hotels"] == 10
    action = _plan(portfolio.castello).actions.first()
    action.status = "done"
    action.save()
    assert _plan(portfolio.castello).health_on is None  # marked stale by the save
    assert _scores(dana)["Castello Hotels"] == 15
    assert _plan(portfolio.castello).health_on == timezone.localdate()


def test_mapping_a_key_stakeholder_changes_the_score(client_for, people, portfolio):
    dana = client_for(people.director)
    assert _scores(dana)["Castello Hotels"] == 10  # no high-influence stakeholder: −10
    StakeholderFactory(key_account=portfolio.castello, influence=Level.HIGH)
    # Now mapped but nobody meets them in the engagement plan: −5.
    assert _scores(dana)["Castello Hotels"] == 15


def test_a_measurement_marks_its_plan_stale(portfolio):
    services.plan_health_refresh()
    target = _plan(portfolio.northwind).objectives.first().targets.first()
    MeasurementFactory(target=target, actual=Decimal("1"))
    assert _plan(portfolio.northwind).health_on is None
    assert _plan(portfolio.baltic).health_on == timezone.localdate()


def test_scores_are_recomputed_once_a_day(portfolio):
    today = timezone.localdate()
    assert services.plan_health_refresh(today=today) == 4  # every current plan, Helios too
    assert services.plan_health_refresh(today=today) == 0
    northwind = _plan(portfolio.northwind).health_score
    # Four days on, Northwind's two actions due in three days are overdue: −5 each.
    assert services.plan_health_refresh(today=today + timedelta(days=4)) == 4
    assert _plan(portfolio.northwind).health_score == northwind - 10


def test_a_change_made_while_scores_are_computed_is_not_overwritten(portfolio, monkeypatch):
    real = services.health_for_plans

    def meanwhile(plans, *, today):
        result = real(plans, today=today)
        # Someone saves an action of Castello's plan after its facts were read.
        _plan(portfolio.castello).actions.first().save()
        return result

    monkeypatch.setattr(services, "health_for_plans", meanwhile)
    services.plan_health_refresh()
    assert _plan(portfolio.castello).health_on is None  # still stale: recomputed next time
    assert _plan(portfolio.baltic).health_on == timezone.localdate()
    monkeypatch.setattr(services, "health_for_plans", real)
    assert services.plan_health_refresh() == 1


def test_the_nightly_job_stores_scores_and_a_second_run_has_nothing_to_do(portfolio):
    call_command("run_due_jobs", "--only", JobRun.Job.PLAN_HEALTH, stdout=StringIO())
    call_command("run_due_jobs", "--only", JobRun.Job.PLAN_HEALTH, stdout=StringIO())
    runs = JobRun.objects.filter(job=JobRun.Job.PLAN_HEALTH).order_by("started_at", "pk")
    assert [run.counts for run in runs] == [
        {"plans": 4, "recorded": 4, "deleted": 0},
        {"plans": 0, "recorded": 0, "deleted": 0},
    ]
    stored = dict(
        AccountPlan.objects.filter(is_current=True).values_list(
            "key_account__customer__name", "health_score"
        )
    )
    assert stored["Northwind Foods"] == 80 and stored["Castello Hotels"] == 10


def test_health_edits_leave_no_trace_in_the_plans_history(portfolio):
    plan = _plan(portfolio.castello)
    before = plan.history.count()
    services.plan_health_refresh()
    plan.actions.first().save()
    assert plan.history.count() == before


def test_the_plan_page_scores_from_loaded_data_exactly_as_the_bulk_rules(portfolio):
    from planning.selectors import health_for_plans, health_of_loaded_plan
    from planning.snapshot import load_plan

    northwind = _plan(portfolio.northwind)
    target = northwind.objectives.first().targets.first()
    MeasurementFactory(target=target, actual=Decimal("1"), measured_on=timezone.localdate())
    StakeholderFactory(key_account=portfolio.northwind, influence=Level.HIGH)
    StakeholderFactory(
        key_account=portfolio.northwind, influence=Level.HIGH, archived_at=timezone.now()
    )
    plans = list(AccountPlan.objects.filter(is_current=True))
    for days in (0, 4, 200):
        today = timezone.localdate() + timedelta(days=days)
        bulk = health_for_plans(plans, today=today)
        for plan in plans:
            assert health_of_loaded_plan(load_plan(plan), today=today) == bulk[plan.pk]


class _Deadlock(Exception):
    sqlstate = "40P01"


def _raising(cause):
    def store(*args, **kwargs):
        from django.db import OperationalError

        raise OperationalError("simulated") from cause

    return store


def test_a_lost_deadlock_leaves_scores_stale_and_the_dashboard_still_answers(
    client_for, people, portfolio, monkeypatch
):
    monkeypatch.setattr(services, "_store_health", _raising(_Deadlock()))
    assert client_for(people.director).get(URL).status_code == 200
    assert _plan(portfolio.castello).health_on is None
    monkeypatch.undo()
    assert _scores(client_for(people.director))["Castello Hotels"] == 10


def test_other_database_errors_are_not_swallowed(portfolio, monkeypatch):
    from django.db import OperationalError

    monkeypatch.setattr(services, "_store_health", _raising(ConnectionError("gone")))
    with pytest.raises(OperationalError):  # a lost connection must reach the job's retry
        services.plan_health_refresh()


def _record(account, days_ago, score):
    HealthRecord.objects.create(
        plan=_plan(account),
        recorded_on=timezone.localdate() - timedelta(days=days_ago),
        score=score,
    )


def test_the_table_shows_how_each_score_moved_in_30_days(client_for, people, portfolio):
    _record(portfolio.castello, 31, 30)  # the last record at least 30 days old counts
    _record(portfolio.castello, 45, 90)
    _record(portfolio.baltic, 30, 40)
    _record(portfolio.northwind, 10, 20)  # too recent: no comparison yet
    dana = client_for(people.director)
    page = dana.get(URL, {"sort": "change"})
    rows = {row.name: row.health_change for row in page.context["page"]}
    assert rows == {
        "Castello Hotels": -20,
        "Baltic Marine": 15,
        "Northwind Foods": None,
        "Dover Tools": None,
    }
    assert [row.name for row in page.context["page"]][:2] == ["Castello Hotels", "Baltic Marine"]
    html = page.content.decode()
    # The page writes the minus sign (U+2212); the CSV cell keeps a number a spreadsheet reads.
    assert "▼</span> \u221220" in html and "(was 30 on" in html and "+15" in html
    csv = dana.get(reverse("portfolio:health_csv")).content.decode()
    castello = next(line for line in csv.splitlines() if line.startswith("Castello Hotels"))
    assert ",30,-20," in castello


def test_the_nightly_job_keeps_a_year_of_records(portfolio):
    today = timezone.localdate()
    _record(portfolio.castello, services.HEALTH_HISTORY_DAYS + 1, 10)
    _record(portfolio.castello, services.HEALTH_HISTORY_DAYS - 1, 10)
    services.plan_health_refresh(today=today)
    assert services.plan_health_record(today=today) == {"recorded": 4, "deleted": 1}
    assert services.plan_health_record(today=today) == {"recorded": 0, "deleted": 0}
    assert HealthRecord.objects.filter(plan=_plan(portfolio.castello)).count() == 2
