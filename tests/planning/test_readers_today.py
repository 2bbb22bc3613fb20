"""The plan page reads "today" as the reader's own date (accounts.selectors.user_today), as My
work does: at 20:00 in London it is already tomorrow in Tokyo, so an action due today in
London is overdue for a reader in Tokyo, on the plan page as on My work, and not for a reader
in London. The cached document is keyed by the reader's date, so neither reads the other's."""

import io
import re
from datetime import date, datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from planning import rules
from tests.factories import ActionFactory, ObjectiveFactory, TargetFactory

LONDON_EVENING = datetime(2027, 3, 10, 20, 0, tzinfo=ZoneInfo("Europe/London"))
LONDON_DAY = date(2027, 3, 10)  # the programme's date (TIME_ZONE Europe/London)
TOKYO_DAY = date(2027, 3, 11)  # 05:00 on the 11th in Tokyo


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _row(html: str, action) -> str:
    return _text(re.search(rf'(?s)<tbody id="action-{action.pk}">(.*?)</tbody>', html).group(1))


def _overdue_on(plan, day) -> int:
    """By hand: the plan's open actions due before `day`."""
    return sum(
        1 for a in plan.actions.all() if a.status in rules.ACTION_OPEN_STATUSES and a.due_on < day
    )


@pytest.fixture
def evening(monkeypatch, settings):
    settings.PLAN_PAGE_CACHE_SECONDS = 600  # the cached document must not be shared by dates
    monkeypatch.setattr(timezone, "now", lambda: LONDON_EVENING)
    assert timezone.localdate() == LONDON_DAY


def test_an_action_due_yesterday_in_tokyo_is_overdue_for_a_tokyo_reader(
    client_for, people, full_plan, evening
):
    people.manager.time_zone = "Asia/Tokyo"
    people.manager.save(update_fields=["time_zone"])
    late = ActionFactory(
        plan=full_plan, owner=people.manager, title="Send the tasting samples", due_on=LONDON_DAY
    )
    plan_url = reverse("planning:plan", args=[full_plan.key_account_id])
    tokyo = client_for(people.manager)
    work = _text(tokyo.get(reverse("delivery:index"), {"show": "overdue"}).content.decode())
    assert "Send the tasting samples" in work  # My work: overdue in Tokyo
    page = tokyo.get(plan_url).content.decode()
    assert "overdue" in _row(page, late)
    # The health box counts the overdue actions as the labels do, by the reader's date.
    assert f"{_overdue_on(full_plan, TOKYO_DAY)} overdue" in _text(page)

    london = client_for(people.team_member)  # the programme's zone
    page = london.get(plan_url).content.decode()
    assert "overdue" not in _row(page, late)
    london_count = _overdue_on(full_plan, LONDON_DAY)
    assert london_count == _overdue_on(full_plan, TOKYO_DAY) - 1
    assert f"{london_count} overdue" in _text(page)

    # The same reader back in London: the cached Tokyo document is not served.
    people.manager.time_zone = "Europe/London"
    people.manager.save(update_fields=["time_zone"])
    page = client_for(people.manager).get(plan_url).content.decode()
    assert "overdue" not in _row(page, late)


def test_a_section_redrawn_in_place_keeps_the_readers_date(client_for, people, full_plan, evening):
    people.manager.time_zone = "Asia/Tokyo"
    people.manager.save(update_fields=["time_zone"])
    late = ActionFactory(plan=full_plan, owner=people.manager, title="Due today", due_on=LONDON_DAY)
    url = reverse("planning:plan", args=[full_plan.key_account_id])
    html = client_for(people.manager).get(url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="actions")
    assert "overdue" in _row(html.content.decode(), late)
    assert rules.action_is_overdue(status="open", due_on=LONDON_DAY, today=TOKYO_DAY)
    assert LONDON_DAY + timedelta(days=1) == TOKYO_DAY


def _pdf_text(response) -> str:
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join("\n".join(page.extract_text() for page in reader.pages).split())


def test_the_working_plans_pdf_is_as_of_the_readers_date(client_for, people, plan, evening):
    url = reverse("planning:plan_pdf", args=[plan.key_account_id])
    # 20:00 on 10 Mar in London; 05:00 on 11 Mar in Tokyo. SHORT_DATE_FORMAT: "10 Mar 2027".
    london = _pdf_text(client_for(people.manager).get(url))
    assert "as of 10 Mar 2027" in london
    people.manager.time_zone = "Asia/Tokyo"
    people.manager.save(update_fields=["time_zone"])
    tokyo = _pdf_text(client_for(people.manager).get(url))
    assert "as of 11 Mar 2027" in tokyo and "as of 10 Mar 2027" not in tokyo


def test_a_new_measurement_starts_on_the_readers_date_and_that_date_is_taken(
    client_for, people, plan, evening
):
    objective = ObjectiveFactory(plan=plan)
    target = TargetFactory(objective=objective, kpi="Share of wallet", baseline_on=LONDON_DAY)
    people.manager.time_zone = "Asia/Tokyo"
    people.manager.save(update_fields=["time_zone"])
    client = client_for(people.manager)
    url = reverse("planning:item_add_to", args=[plan.key_account_id, "measurement", target.pk])
    plan_url = reverse("planning:plan", args=[plan.key_account_id])
    form = client.get(plan_url, {"add": f"measurement-{target.pk}"}).content.decode()
    assert re.search(r'name="measured_on"[^>]*value="2027-03-11"', form)
    # Saved as typed: the 11th is today in Tokyo, not "in the future" (London's 10th).
    response = client.post(url, {"measured_on": TOKYO_DAY.isoformat(), "actual": "21"})
    assert response.status_code == 302
    assert target.measurements.get().measured_on == TOKYO_DAY
