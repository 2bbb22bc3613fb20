"""Opening a plan item for editing shows its saved dates in the date pickers, so saving the
form without touching them keeps them (a date picker shows nothing for a dd/mm/yyyy value)."""

import re
from datetime import date

import pytest
from django.urls import reverse

from planning.models import Objective

from ..factories import ActionFactory, EngagementActivityFactory, ObjectiveFactory, TargetFactory


def browser_value(value: str | None) -> str:
    """What a browser's date picker submits: HTML's value sanitisation empties anything that
    is not an ISO date."""
    return value if value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else ""


def date_value(page: str, name: str) -> str | None:
    tag = re.search(rf'<input type="date" name="{name}"[^>]*>', page)
    assert tag, f"no date picker for {name}"
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else None


@pytest.fixture
def plan_items(plan, people):
    objective = ObjectiveFactory(plan=plan, owner=people.manager, due_on=date(2027, 7, 24))
    return {
        "objective": (objective, {"due_on": "2027-07-24"}),
        "target": (
            TargetFactory(
                objective=objective, baseline_on=date(2026, 7, 29), due_on=date(2027, 7, 24)
            ),
            {"baseline_on": "2026-07-29", "due_on": "2027-07-24"},
        ),
        "action": (
            ActionFactory(plan=plan, owner=people.manager, due_on=date(2026, 12, 3)),
            {"due_on": "2026-12-03"},
        ),
        "engagement": (
            EngagementActivityFactory(
                plan=plan, our_person=people.manager, next_due_on=date(2026, 11, 29)
            ),
            {"next_due_on": "2026-11-29"},
        ),
    }


@pytest.mark.parametrize("kind", ["objective", "target", "action", "engagement"])
def test_editing_a_plan_item_shows_its_saved_dates(client_for, people, account, plan_items, kind):
    item, dates = plan_items[kind]
    url = reverse("planning:plan", args=[account.pk]) + f"?edit={kind}-{item.pk}"
    page = client_for(people.manager).get(url).content.decode()
    for name, iso in dates.items():
        assert date_value(page, name) == iso


def test_saving_an_objective_unchanged_keeps_its_due_date(client_for, people, account, plan):
    objective = ObjectiveFactory(plan=plan, owner=people.manager, due_on=date(2027, 7, 24))
    client = client_for(people.manager)
    page = client.get(
        reverse("planning:plan", args=[account.pk]) + f"?edit=objective-{objective.pk}"
    ).content.decode()
    # Post back what the browser shows, as a user pressing Save without changes would.
    response = client.post(
        reverse("planning:item_edit", args=[account.pk, "objective", objective.pk]),
        {
            "title": objective.title,
            "rationale": objective.rationale,
            "owner": people.manager.pk,
            "due_on": browser_value(date_value(page, "due_on")),
            "revision": re.search(r'name="revision" value="(\d+)"', page).group(1),
        },
    )
    assert response.status_code == 302
    assert Objective.objects.get(pk=objective.pk).due_on == date(2027, 7, 24)
