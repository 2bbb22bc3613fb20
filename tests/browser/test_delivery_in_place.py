"""Delivery pages edited in place in a real browser (issue #19): a coordinator schedules a
meeting from the meeting list (the end left to its default, a new customer stakeholder typed in
the form), and types two follow-ups in a row on a held meeting's page. Focus lands in the form's
first field, the saves are announced in the live region, and the page is never reloaded (a
marker set on `window` before the first click is still there at the end)."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from delivery.models import Meeting
from discovery.models import Stakeholder
from planning.models import Action
from tests.browser.helpers import focused_name, log_in
from tests.factories import AccountPlanFactory, MeetingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_schedule_a_meeting_and_type_follow_ups_in_place(page, people, account):
    log_in(page, people.coordinator)
    page.goto(f"/accounts/{account.pk}/meetings/")
    page.evaluate("window.kamMarker = 'still here'")
    page.get_by_role("link", name="Schedule a meeting").click()
    page.get_by_role("heading", name="Schedule a meeting").wait_for()
    assert focused_name(page, "kind") == "kind"
    day = timezone.localdate() + timedelta(days=4)
    form = page.locator("form.plan-editor")
    form.locator("#id_title").fill("Cold-chain pilot kick-off")
    form.get_by_label("Starts").fill(f"{day:%Y-%m-%d}T10:00")
    # A refused save keeps what was typed and shows the error in place.
    form.get_by_label("Agenda").fill("Scope and owners")
    form.get_by_label("Time zone").select_option("Europe/London")
    form.locator("#id_title").fill("")
    form.get_by_role("button", name="Schedule meeting").click()
    page.get_by_text("Not saved yet: please correct the fields marked below.").wait_for()
    assert form.get_by_label("Agenda").input_value() == "Scope and owners"
    assert focused_name(page, "title") == "title"
    form.locator("#id_title").fill("Cold-chain pilot kick-off")
    form.get_by_label("Max Manager").check()
    form.get_by_label("New stakeholder: name").fill("Nora Blum")
    form.get_by_label("New stakeholder: e-mail").fill("nora.blum@northwind.example")
    form.get_by_role("button", name="Schedule meeting").click()
    done = "Meeting “Cold-chain pilot kick-off” scheduled."
    page.locator("#live-status", has_text=done).wait_for(state="attached")
    page.get_by_role("link", name="Download invitation (.ics)").wait_for()
    assert page.evaluate("window.kamMarker") == "still here"  # no reload
    assert page.locator("form.plan-editor").count() == 0
    meeting = Meeting.objects.get(title="Cold-chain pilot kick-off")
    # The end defaults to an hour after the start; the typed stakeholder is invited.
    starts = datetime(day.year, day.month, day.day, 10)
    assert meeting.local_starts_at.replace(tzinfo=None) == starts
    assert meeting.ends_at - meeting.starts_at == timedelta(hours=1)
    nora = Stakeholder.objects.get(name="Nora Blum")
    assert list(meeting.stakeholders.all()) == [nora]
    panel = page.locator("#meeting-list dl").first
    assert "Max Manager" in panel.inner_text() and "Nora Blum" in panel.inner_text()

    AccountPlanFactory(key_account=account, is_current=True)
    held = MeetingFactory(
        key_account=account, title="Pricing workshop", starts_at=timezone.now() - timedelta(days=1)
    )
    page.goto(f"/accounts/{account.pk}/meetings/{held.pk}/")
    page.evaluate("window.kamMarker = 'still here'")
    block = page.locator("#meeting-follow-ups")
    due = timezone.localdate() + timedelta(days=7)
    for title in ("Send the pilot offer", "Book the plant visit"):
        block.get_by_label("Follow-up action").fill(title)
        block.get_by_label("Owner").select_option(str(people.manager.pk))
        block.get_by_label("Due").fill(f"{due:%Y-%m-%d}")
        block.get_by_role("button", name="Add follow-up to the plan").click()
        page.locator("#meeting-follow-ups li", has_text=title).wait_for()
        # Typed in a row: the form is there again, empty, with focus in its first field.
        assert focused_name(page, "title") == "title"
        assert block.get_by_label("Follow-up action").input_value() == ""
    assert page.evaluate("window.kamMarker") == "still here"
    assert set(Action.objects.values_list("title", flat=True)) == {
        "Send the pilot offer",
        "Book the plant visit",
    }
