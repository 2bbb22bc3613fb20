"""A target's aim: reach it (from the baseline, by the due date) or stay at or above / at or
below it. A level to keep ("customer satisfaction: keep 8.5") read Off track at 8.7, because
the old rule was met only by the exact value; a "stay" target is on track on its better side,
at risk within 5 % of the target on its worse side, off track beyond that or once it is due."""

import csv
import io
import re
import shutil
import subprocess
from datetime import date, timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from planning import rules, selectors, services
from planning.models import AccountPlan, Target
from tests.factories import AccountPlanFactory, ObjectiveFactory, TargetFactory

from .factories import MeasurementFactory
from .test_pdf import pdf_text, pdf_url

AT_LEAST, AT_MOST, REACH = Target.Aim.AT_LEAST, Target.Aim.AT_MOST, Target.Aim.REACH
BASE = date(2027, 1, 1)
DUE = date(2027, 12, 27)
MID = date(2027, 6, 30)


def status(aim, actual, *, target="8.5", baseline=None, today=MID):
    return rules.target_status(
        baseline=Decimal(baseline or target),
        target_value=Decimal(target),
        baseline_on=BASE,
        due_on=DUE,
        actual=None if actual is None else Decimal(actual),
        measured_on=None if actual is None else min(today, DUE),
        today=today,
        aim=aim,
    ).status


# "Stay at or above 8.5": the margin is 5 % of 8.5 = 0.425, so 8.5 − 0.425 = 8.075 is the last
# value at risk. "Stay at or below 40": the margin is 2, so 42 is the last value at risk.
@pytest.mark.parametrize(
    ("aim", "target", "actual", "expected"),
    [
        (AT_LEAST, "8.5", "8.7", rules.ON_TRACK),  # better than planned: the reported case
        (AT_LEAST, "8.5", "8.5", rules.ON_TRACK),  # exactly at the target
        (AT_LEAST, "8.5", "8.075", rules.AT_RISK),  # exactly at the tolerance
        (AT_LEAST, "8.5", "8.074", rules.OFF_TRACK),  # just past it
        (AT_MOST, "40", "31", rules.ON_TRACK),
        (AT_MOST, "40", "40", rules.ON_TRACK),
        (AT_MOST, "40", "42", rules.AT_RISK),  # 40 + 2: exactly at the tolerance
        (AT_MOST, "40", "42.01", rules.OFF_TRACK),
        (AT_LEAST, "-10", "-10.5", rules.AT_RISK),  # the margin is of |−10|: 0.5
        (AT_LEAST, "-10", "-10.51", rules.OFF_TRACK),
        (AT_MOST, "0", "0.01", rules.OFF_TRACK),  # a target of zero leaves no margin
        (AT_MOST, "0", "0", rules.ON_TRACK),
    ],
)
def test_a_stay_target_is_judged_by_its_side_and_the_tolerance(aim, target, actual, expected):
    assert status(aim, actual, target=target) == expected


def test_a_stay_target_past_its_due_date_is_off_track_unless_met():
    late = DUE + timedelta(days=1)
    assert status(AT_LEAST, "8.4", today=late) == rules.OFF_TRACK  # within the margin, but due
    assert status(AT_LEAST, "8.6", today=late) == rules.ON_TRACK
    assert status(AT_MOST, "40.5", target="40", today=late) == rules.OFF_TRACK
    assert status(AT_MOST, "39", target="40", today=late) == rules.ON_TRACK
    assert status(AT_LEAST, None) == rules.NO_DATA
    assert status(AT_LEAST, None, today=late) == rules.OFF_TRACK


def test_a_stay_target_reports_no_share_of_the_way():
    result = rules.target_status(
        baseline=Decimal("8"),
        target_value=Decimal("8.5"),
        baseline_on=BASE,
        due_on=DUE,
        actual=Decimal("8.7"),
        measured_on=MID,
        today=MID,
        aim=AT_LEAST,
    )
    assert (result.status, result.progress_percent, result.expected_percent) == (
        rules.ON_TRACK,
        None,
        None,
    )


def test_reach_keeps_the_old_rule_whatever_the_baseline():
    # Half way at half time, up and down; the baseline is ignored by the "stay" aims only.
    # 150 of 100 → 200 is half the way; MID is 180 of 360 days, half the time: on track.
    assert status(REACH, "150", baseline="100", target="200") == rules.ON_TRACK
    assert status(REACH, "8.7", target="8.5") == rules.OFF_TRACK  # "reach exactly 8.5"
    assert status(AT_LEAST, "8.7", target="8.5", baseline="9") == rules.ON_TRACK


def test_the_rule_text_names_the_aims_and_the_tolerance():
    text = str(rules.TARGET_STATUS_RULE)
    assert "Stay at or above" in text and "5 %" in text and "0.425" in text
    assert rules.stay_margin(Decimal("8.5")) == Decimal("0.425")


# ---- where the user reads it ---------------------------------------------------------------


def _planted(plan):
    """Four targets, one per aim case, each with a latest measurement today, statuses worked
    out by hand: 8.7 ≥ 8.5 on track; 8.075 is 8.5 − 0.425 (5 % of 8.5), at risk; 42.01 is past
    40 + 2 (5 % of 40), off track; 42 is exactly 40 + 2, at risk."""
    today = timezone.localdate()
    objective = ObjectiveFactory(plan=plan, title="Keep customers happy")
    rows = {}
    for kpi, aim, baseline, target, actual in (
        ("Satisfaction", AT_LEAST, "8.5", "8.5", "8.7"),
        ("Satisfaction floor", AT_LEAST, "8.5", "8.5", "8.075"),
        ("Cost to serve", AT_MOST, "40", "40", "42.01"),
        ("Complaints", AT_MOST, "40", "40", "42"),
    ):
        rows[kpi] = TargetFactory(
            objective=objective,
            kpi=kpi,
            unit="pts",
            aim=aim,
            baseline=Decimal(baseline),
            target_value=Decimal(target),
            baseline_on=today - timedelta(days=30),
            due_on=today + timedelta(days=300),
        )
        MeasurementFactory(target=rows[kpi], actual=Decimal(actual), measured_on=today)
    return rows


EXPECTED = {
    "Satisfaction": ("Stay at or above the target", "On track"),
    "Satisfaction floor": ("Stay at or above the target", "At risk"),
    "Cost to serve": ("Stay at or below the target", "Off track"),
    "Complaints": ("Stay at or below the target", "At risk"),
}


def _row_text(page: str, target: Target) -> str:
    body = re.search(rf'(?s)<tbody id="target-{target.pk}">(.*?)</tbody>', page).group(1)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_the_plan_page_shows_each_targets_aim_and_status(client_for, people, plan):
    rows = _planted(plan)
    page = client_for(people.team_member).get(reverse("planning:plan", args=[plan.key_account_id]))
    html = page.content.decode()
    for kpi, (aim, label) in EXPECTED.items():
        text = _row_text(html, rows[kpi])
        assert aim in text and label in text, (kpi, text)
        assert "% of the way" not in text  # a level to keep has no way to travel
    assert "Stay at or above (or at or below) the target" in html  # the rule shown


def _pdf_lines(response) -> list[str]:
    """The PDF as pdftotext lays it out, one printed line each, spaces squeezed."""
    assert response.status_code == 200
    out = subprocess.run(  # noqa: S603 (a fixed tool reading our own PDF)
        [shutil.which("pdftotext"), "-layout", "-", "-"],
        input=response.content,
        capture_output=True,
        check=True,
    ).stdout.decode()
    out = out.replace("\u00a0", " ").replace("\u202f", " ")
    return [" ".join(line.split()) for line in out.splitlines()]


def test_the_pdf_prints_the_aim_as_a_sign_with_its_key(client_for, people, plan):
    _planted(plan)
    client = client_for(people.manager)
    # Three targets an objective fit its rows (the fourth is "+1 more target in the app").
    for language, key, rows in (
        (
            "en",
            "≥ stay at or above, ≤ stay at or below the target",
            (
                "Satisfaction (pts) 8.50 ≥ 8.50 {due} 8.70 On track",
                "Satisfaction floor (pts) 8.50 ≥ 8.50 {due} 8.08 At risk",
                "Cost to serve (pts) 40 ≤ 40 {due} 42.01 Off track",
            ),
        ),
        (
            "fr",
            "≥ rester au niveau de la cible ou au-dessus, ≤ ou au-dessous",
            (
                "Satisfaction (pts) 8,50 ≥ 8,50 {due} 8,70 En bonne voie",
                "Satisfaction floor (pts) 8,50 ≥ 8,50 {due} 8,08 À risque",
                "Cost to serve (pts) 40 ≤ 40 {due} 42,01 Hors trajectoire",
            ),
        ),
    ):
        response = client.get(pdf_url(plan), HTTP_ACCEPT_LANGUAGE=language)
        assert pdf_text(response)[0] == 2
        lines = _pdf_lines(response)
        text = " ".join(lines)
        assert key in text, language
        with translation.override(language):
            due = date_format(timezone.localdate() + timedelta(days=300), "YEAR_MONTH_FORMAT")
        for row in rows:
            assert row.format(due=due) in lines, (row, lines)


def test_the_target_editor_offers_the_aim_and_saves_it(client_for, people, plan):
    target = TargetFactory(objective=ObjectiveFactory(plan=plan), kpi="Satisfaction")
    client = client_for(people.manager)
    url = reverse("planning:plan", args=[plan.key_account_id])
    editor = client.get(url, {"edit": f"target-{target.pk}"}).content.decode()
    assert 'name="aim"' in editor and "Stay at or below the target" in editor
    data = {
        "kpi": "Satisfaction",
        "unit": "pts",
        "baseline": "8.5",
        "baseline_on": target.baseline_on.isoformat(),
        "target_value": "8.5",
        "due_on": target.due_on.isoformat(),
        "revision": target.revision,
    }
    edit = reverse("planning:item_edit", args=[plan.key_account_id, "target", target.pk])
    client.post(edit, {**data, "aim": AT_MOST})
    target.refresh_from_db()
    assert target.aim == AT_MOST
    # A form from before aims existed (no field at all) leaves the aim as it was.
    client.post(edit, {**data, "revision": target.revision, "kpi": "Satisfaction score"})
    target.refresh_from_db()
    assert (target.kpi, target.aim) == ("Satisfaction score", AT_MOST)


def test_reaching_a_level_the_baseline_holds_is_refused_at_the_aim(client_for, people, plan):
    objective = ObjectiveFactory(plan=plan)
    today = timezone.localdate()
    response = client_for(people.manager).post(
        reverse("planning:item_add_to", args=[plan.key_account_id, "target", objective.pk]),
        {
            "kpi": "Typed satisfaction",
            "baseline": "8.5",
            "baseline_on": today.isoformat(),
            "target_value": "8.5",
            "aim": REACH,
            "due_on": (today + timedelta(days=90)).isoformat(),
        },
    )
    page = unescape(response.content.decode())
    assert "The target equals the baseline: a level to keep." in page
    assert 'value="Typed satisfaction"' in page
    assert not Target.objects.exists()


def test_the_quick_start_keeps_a_level_its_baseline_holds(client_for, people, account):
    today = timezone.localdate()
    response = client_for(people.manager).post(
        reverse("planning:plan_start", args=[account.pk]),
        {
            "period": f"FY{today.year + 1}",
            "objective": "Keep customers happy",
            "kpi": "Satisfaction",
            "baseline": "8.5",
            "baseline_on": today.isoformat(),
            "target_value": "8.5",
            "target_due_on": (today + timedelta(days=365)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert Target.objects.get(kpi="Satisfaction").aim == AT_LEAST


def test_compare_names_a_changed_aim(client_for, people, full_plan):
    target = TargetFactory(objective=ObjectiveFactory(plan=full_plan), kpi="Satisfaction")
    AccountPlan.objects.filter(pk=full_plan.pk).update(status="submitted")
    services.plan_approve(plan=full_plan, acting_user=people.director)
    Target.objects.filter(pk=target.pk).update(aim=AT_LEAST)
    url = reverse("planning:version_compare", args=[full_plan.key_account_id])
    html = client_for(people.manager).get(url, {"a": "1", "b": "0"}).content.decode()
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
    assert "Aim Reach the target Stay at or above the target" in text


def test_the_targets_csv_and_the_api_give_the_aim(client_for, people, plan):
    from api.services import api_token_create

    rows = _planted(plan)
    response = client_for(people.director).get(reverse("portfolio:targets_csv"))
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_kpi = {r[5]: dict(zip(table[0], r, strict=True)) for r in table[1:]}
    for kpi, (aim, label) in EXPECTED.items():
        assert (by_kpi[kpi]["Aim"], by_kpi[kpi]["Status"]) == (aim, label)
    secret = api_token_create(
        user=people.team_member,
        name="read",
        scope="read",
        expires_on=timezone.localdate() + timedelta(days=30),
    ).secret
    body = (
        Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
        .get(f"/api/v1/key-accounts/{plan.key_account_id}/plan/")
        .json()
    )
    aims = {t["kpi"]: t["aim"] for o in body["objectives"] for t in o["targets"]}
    assert aims["Satisfaction"] == AT_LEAST and aims["Cost to serve"] == AT_MOST
    assert rows  # planted


def test_health_counts_follow_the_aim(people, plan):
    _planted(plan)
    counts, _objectives = selectors.target_status_counts([plan.pk], today=timezone.localdate())
    # By hand: one on track, two at risk (8.075 and 42), one off track (42.01).
    assert dict(counts[plan.pk]) == {rules.ON_TRACK: 1, rules.AT_RISK: 2, rules.OFF_TRACK: 1}
    health = selectors.health_for_plans([plan])[plan.pk]
    targets_rule = next(r for r in health.rules if r.key == "targets")
    assert targets_rule.points == 10 * 1 + 5 * 2


def test_the_customer_workspace_writes_a_level_to_keep(client, people, account):
    from tests.workspace.helpers import approved_plan, customer, invite, open_link

    plan = AccountPlanFactory(
        key_account=account, value_proposition="Full shelves.", critical_success_factors="Stock."
    )
    due = timezone.localdate() + timedelta(days=200)
    TargetFactory(
        objective=ObjectiveFactory(plan=plan, title="Happy customers"),
        kpi="Satisfaction",
        unit="pts",
        aim=AT_LEAST,
        baseline=Decimal("8.5"),
        target_value=Decimal("8.5"),
        due_on=due,
    )
    approved_plan(account, people)
    open_link(client, invite(account, customer(account), people))
    page = client.get(reverse("workspace:home")).content.decode()
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", page)).split())
    shown = date_format(due, "SHORT_DATE_FORMAT")
    assert f"Satisfaction: at or above 8.50 pts until {shown}" in text


# ---- the data migration (tests/old_heads.py: `plant` writes at the old head) -----------------

MIGRATIONS_UNDER_TEST = [("planning", "0013_target_aim")]


def plant(old) -> dict:
    customer = old.get_model("accounts", "Customer").objects.create(
        reference="OLD-AIM-1", name="Held Levels Ltd"
    )
    account = old.get_model("accounts", "KeyAccount").objects.create(
        customer=customer,
        classification="strategic",
        selection_rationale="Steady.",
        selected_on=date(2026, 1, 5),
    )
    Plan = old.get_model("planning", "AccountPlan")
    plan = Plan.objects.create(
        key_account_id=account.pk, period="FY2026", health_score=40, health_on=date(2026, 6, 1)
    )
    other = Plan.objects.create(
        key_account_id=account.pk,
        period="FY2025",
        is_current=False,
        health_score=70,
        health_on=date(2026, 6, 1),
    )
    Target = old.get_model("planning", "Target")
    ids = {}
    for owner, kpi, baseline, target in (
        (plan, "Satisfaction", "8.5", "8.5"),
        (plan, "Revenue", "100", "200"),
        (other, "Cost to serve", "10", "6"),
    ):
        objective = old.get_model("planning", "Objective").objects.create(
            plan=owner, title=f"About {kpi}"
        )
        ids[kpi] = Target.objects.create(
            objective=objective,
            kpi=kpi,
            baseline=Decimal(baseline),
            baseline_on=date(2026, 1, 1),
            target_value=Decimal(target),
            due_on=date(2026, 12, 31),
        ).pk
    return {"targets": ids, "plan": plan.pk, "other": other.pk}


def test_held_levels_become_stay_at_or_above_and_their_plans_health_stale(migrated_old_heads):
    planted = migrated_old_heads[__name__]
    aims = dict(Target.objects.filter(pk__in=planted["targets"].values()).values_list("kpi", "aim"))
    assert aims == {"Satisfaction": AT_LEAST, "Revenue": REACH, "Cost to serve": REACH}
    health = dict(
        AccountPlan.objects.filter(pk__in=[planted["plan"], planted["other"]]).values_list(
            "pk", "health_on"
        )
    )
    # The plan holding the changed target is recomputed on its next refresh; the other keeps
    # its stored score.
    assert health == {planted["plan"]: None, planted["other"]: date(2026, 6, 1)}
