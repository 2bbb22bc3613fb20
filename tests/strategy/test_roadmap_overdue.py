"""A roll-out step not done by its date reads 'Overdue' on the programme page, as late work
does everywhere; it read 'Planned' whatever its date."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from accounts.models import Programme
from strategy.models import RoadmapItem


def _statuses(client) -> dict[str, str]:
    html = client.get(reverse("strategy:strategy")).content.decode()
    table = re.search(r'<h2 class="h5 mt-3" id="roadmap">.*?</table>', html, re.S).group(0)
    statuses = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]:
        cells = [
            re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        statuses[cells[1]] = cells[4]  # Date, Step, Kind, Owner, Status
    return statuses


def test_a_step_past_its_date_and_not_done_is_overdue(client_for, people):
    programme = Programme.ensure()
    today = timezone.localdate()
    for title, days, done in (
        ("Selection workshop", -1, False),
        ("KAM training", -1, True),
        ("Steering committee", 0, False),
        ("Plan reviews", 1, False),
    ):
        RoadmapItem.objects.create(
            programme=programme,
            kind="workshop",
            title=title,
            due_on=today + timedelta(days=days),
            done=done,
        )
    assert _statuses(client_for(people.programme_admin)) == {
        "Selection workshop": "Overdue",
        "KAM training": "Done",
        "Steering committee": "Planned",  # due today: not late yet
        "Plan reviews": "Planned",
    }
