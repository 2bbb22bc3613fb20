""" "Why" (the director's home, "Off track and why", and each row of the dashboard's health
table) names the off-track targets and overdue actions: each is a link to what the director
acts on — the target's row on the plan page, the action's own page (where its progress is
updated) — so that what the list counts is one click away."""

import re
from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from planning.models import AccountPlan, Action, Measurement
from tests.factories import ObjectiveFactory, TargetFactory
from tests.portfolio import health_table


def _off_track_target(account):
    """Half the time gone (100 of 200 days), none of the way: 0 % of the way, 50 % expected,
    a gap of 50 points (more than 25): off track by planning.rules.target_status."""
    today = timezone.localdate()
    plan = AccountPlan.objects.get(key_account=account, is_current=True)
    target = TargetFactory(
        objective=ObjectiveFactory(plan=plan, title="Win the spa chain"),
        kpi="Spa hotels supplied",
        baseline=Decimal("0"),
        baseline_on=today - timedelta(days=100),
        target_value=Decimal("10"),
        due_on=today + timedelta(days=100),
    )
    Measurement.objects.create(target=target, measured_on=today, actual=Decimal("0"))
    return target


def _links(html: str, account) -> dict[str, str]:
    """Link text -> address of every link in the "Why" lists of `account`."""
    return {
        text: href
        for href, text in re.findall(r'<li><a href="([^"]+)">([^<]+)</a>', html)
        if href.startswith(f"/accounts/{account.pk}/")
        and ("/actions/" in href or "#target-" in href)
    }


def test_why_links_open_the_target_and_each_overdue_action(client_for, people, portfolio):
    castello = portfolio.castello
    target = _off_track_target(castello)
    overdue = list(Action.objects.filter(plan__key_account=castello).order_by("due_on", "pk"))
    assert len(overdue) == 5  # conftest: five actions ten days late
    plan_page = reverse("planning:plan", args=[castello.pk])
    expected = {
        "Spa hotels supplied": f"{plan_page}#target-{target.pk}",
        **{a.title: reverse("delivery:action_detail", args=[castello.pk, a.pk]) for a in overdue},
    }
    client = client_for(people.director)
    for page in ("/", reverse("portfolio:dashboard")):
        links = _links(client.get(page).content.decode(), castello)
        for text, href in expected.items():
            assert links.get(text) == href, (page, text)

    # One click: the target's row is on the plan page under that anchor, and the action's
    # page is the one where the director updates its progress.
    assert f'id="target-{target.pk}"' in client.get(plan_page).content.decode()
    action_page = client.get(expected[overdue[0].title])
    assert action_page.status_code == 200
    assert "Update progress" in action_page.content.decode()


def test_why_links_for_an_executive_open_pages_they_may_read(client_for, people, portfolio):
    castello = portfolio.castello
    _off_track_target(castello)
    client = client_for(people.executive)
    links = _links(client.get(reverse("portfolio:dashboard")).content.decode(), castello)
    assert len(links) == 6
    for href in links.values():
        assert client.get(href.split("#")[0]).status_code == 200


def test_counts_link_to_the_plan_section_that_lists_them(client_for, people, portfolio):
    """The health table's overdue, at-risk and off-track counts open the plan's actions or
    objectives; the home page's account table links its plan and overdue count the same way.
    A zero is not a link."""
    castello, northwind = portfolio.castello, portfolio.northwind
    _off_track_target(castello)
    client = client_for(people.director)
    html = client.get(reverse("portfolio:dashboard")).content.decode()
    cells = health_table.row_cells(html, castello.name)
    on_track, at_risk, off_track = health_table.lines(cells["on_track"])
    plan = reverse("planning:plan", args=[castello.pk])
    hidden = f'<span class="visually-hidden"> in the plan of {castello.name}</span>'
    # Five actions ten days late (conftest), the one target planted here off track: the link
    # holds the count and what it counts.
    assert cells["overdue"] == (
        f'<a href="{plan}#actions"><span class="text-overdue">5</span>{hidden}</a>'
    )
    assert off_track == (
        f'<span class="text-nowrap"><a href="{plan}#objectives">'
        f'<span class="text-overdue">1</span> off track{hidden}</a></span>'
    )
    assert (on_track, at_risk) == (
        '<span class="text-nowrap">0 on track</span>',
        '<span class="text-nowrap">0 at risk</span>',
    )
    # Northwind: nothing overdue, nothing off track or at risk (three unmeasured targets).
    row = html[html.index(f">{northwind.name}</a><br>") :]
    row = row[: row.index("</tr>")]
    assert "#actions" not in row and "#objectives" not in row

    home = client.get("/").content.decode()
    table = home[home.index("Accounts you direct") :]
    assert f'<a href="{plan}">' in table
    assert f'<a href="{plan}#actions"><span class="text-overdue">5</span>{hidden}</a>' in table
    northwind_plan = reverse("planning:plan", args=[northwind.pk])
    assert f'<a href="{northwind_plan}#actions">' not in table


def test_why_names_a_level_to_keep_by_its_latest_value(client_for, people, portfolio):
    """A "stay at or above 8.5" target measured at 7.9 is 0.6 short, more than the 0.425 margin
    (5 % of 8.5): off track, with no share of the way to name, so Why names its latest value
    against the level (it read "never measured")."""
    today = timezone.localdate()
    plan = AccountPlan.objects.get(key_account=portfolio.castello, is_current=True)
    target = TargetFactory(
        objective=ObjectiveFactory(plan=plan, title="Keep guests happy"),
        kpi="Guest satisfaction",
        aim="at_least",
        baseline=Decimal("8.5"),
        target_value=Decimal("8.5"),
        baseline_on=today - timedelta(days=100),
        due_on=today + timedelta(days=100),
    )
    Measurement.objects.create(target=target, measured_on=today, actual=Decimal("7.9"))
    html = client_for(people.director).get(reverse("portfolio:dashboard")).content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert (
        "Guest satisfaction (Keep guests happy): latest 7.90 against 8.50 "
        "(stay at or above the target)" in text
    )
