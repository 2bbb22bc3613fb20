"""A coordinator schedules a meeting in a real browser, then a team member logs progress."""

from datetime import timedelta

import pytest
from django.utils import timezone

from delivery.models import Meeting
from planning.models import ActionUpdate
from tests.browser.helpers import log_in
from tests.factories import AccountPlanFactory, ActionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_schedules_and_team_member_updates_progress(page, people, account):
    log_in(page, people.coordinator)
    page.goto(f"/accounts/{account.pk}/meetings/")
    page.get_by_role("link", name="Schedule a meeting").click()
    page.locator("#id_title").fill("Cold-chain pilot kick-off")
    day = timezone.localdate() + timedelta(days=4)
    page.get_by_label("Starts").fill(f"{day:%Y-%m-%d}T10:00")
    page.get_by_label("Ends").fill(f"{day:%Y-%m-%d}T11:00")
    page.get_by_label("Max Manager").check()
    page.get_by_label("Agenda").fill("Scope and owners")
    page.get_by_role("button", name="Schedule meeting").click()
    page.get_by_role("heading", name="Cold-chain pilot kick-off").wait_for()
    assert Meeting.objects.get().attendees.get() == people.manager

    plan = AccountPlanFactory(key_account=account)
    ActionFactory(plan=plan, owner=people.team_member, title="Map depots", due_on=day)
    page.get_by_role("button", name=people.coordinator.get_full_name()).click()
    page.get_by_role("button", name="Log out").click()
    log_in(page, people.team_member)
    page.goto("/delivery/")
    page.get_by_label("Progress % of “Map depots”").fill("60")
    page.get_by_label("Note on “Map depots”").fill("Three depots done")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Progress saved").wait_for()
    update = ActionUpdate.objects.get()
    assert (update.progress_percent, update.note) == (60, "Three depots done")
