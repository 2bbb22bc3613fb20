"""The two-page plan PDF by design: every section on its page whatever the plan holds.

Each test plants a plan, renders the PDF the way the download does and checks what a reader
gets: exactly two pages, every section heading in the text, badges and risks whole, and (from
WeasyPrint's own layout) that no section runs past the bottom of its page, where the page's
overflow guard would silently clip it.
"""

import io
import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from common.pdf import print_document, print_stylesheet
from opportunities.models import Opportunity
from planning.models import AccountPlan, Action
from planning.presentation import PRINT_STYLESHEET, PRINT_USER_AGENT_STYLESHEET, print_layout
from planning.snapshot import hydrate, load_plan, plan_to_dict

from ..factories import (
    ActionFactory,
    EngagementActivityFactory,
    ObjectiveFactory,
    OpportunityFactory,
    StakeholderFactory,
    TargetFactory,
)
from .factories import MeasurementFactory, PlanRiskFactory

INTERNAL_HEADINGS = [
    "Value proposition",
    "Critical success factors",
    "Situation analysis (SWOT)",
    "Objectives and targets",
    "Stakeholder map",
    "Key contacts",
    "Prioritised opportunities and actions",
    "Engagement plan",
    "Top risks",
]
SWOT_LABELS = ["Strengths:", "Weaknesses:", "Opportunities:", "Threats:"]
LONG = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor "
WHOLE_RISK = "Our credit insurer caps the exposure while their net debt stays high this year"


@pytest.fixture
def plan(account, people):
    return AccountPlan.objects.create(key_account=account, period="FY2027")


def pdf_of(client, plan) -> tuple[int, str]:
    response = client.get(reverse("planning:plan_pdf", args=[plan.key_account_id]))
    assert response.status_code == 200
    if os.environ.get("KAM_KEEP_PDF"):  # to look at the pages: pdftoppm -png -r 60
        Path(os.environ["KAM_KEEP_PDF"]).write_bytes(response.content)
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), " ".join(text.split())


def laid_out(plan):
    """The plan's PDF as WeasyPrint lays it out, in the active language."""
    plan.refresh_from_db()
    snapshot = plan_to_dict(load_plan(plan))
    html = render_to_string(
        "planning/plan_print.html",
        {"doc": hydrate(snapshot), "layout": hydrate(print_layout(snapshot))},
    )
    document = print_document(html, user_agent_stylesheet=PRINT_USER_AGENT_STYLESHEET)
    rendered = document.render(stylesheets=[print_stylesheet(PRINT_STYLESHEET)])
    assert len(rendered.pages) == 2
    return rendered


def overflowing_sections(plan) -> list[str]:
    """Sections whose bottom lies below their page's box (laid out by WeasyPrint)."""
    rendered = laid_out(plan)
    late = []

    def classes(box) -> list[str]:
        element = getattr(box, "element", None)
        return (element.get("class") or "").split() if element is not None else []

    def walk(box, page_bottom):
        for child in getattr(box, "children", []):
            names = classes(child)
            if "page" in names:
                bottom = child.position_y + child.margin_height()
                walk(child, bottom)
                continue
            if "box" in names and page_bottom is not None:
                if child.position_y + child.margin_height() > page_bottom + 0.5:
                    late.append(" ".join(names))
            walk(child, page_bottom)

    for page in rendered.pages:
        walk(page._page_box, None)
    return late


def fill_maximal(
    plan,
    people,
    *,
    objectives=12,
    opportunities=12,
    actions=90,
    engagement=20,
    risks=10,
    stakeholders=40,
):
    """Every section full: long texts, many items, every status."""
    account = plan.key_account
    AccountPlan.objects.filter(pk=plan.pk).update(
        value_proposition="Value " + LONG * 30,
        value_proposition_refreshed_on=timezone.localdate(),
        strengths="Strong " + LONG * 15,
        weaknesses="Weak " + LONG * 15,
        opportunities_swot="Open " + LONG * 15,
        threats="Threat " + LONG * 15,
        critical_success_factors="\n".join(f"Factor {i} " + LONG * 3 for i in range(10)),
    )
    team = [people.manager, people.coordinator, people.team_member, people.director]
    people_rows = [
        StakeholderFactory(
            key_account=account,
            name=f"Stakeholder {i:02d} with a rather long double-barrelled name",
            title="Senior vice president of global procurement and supply chain",
            influence=["high", "medium", "low"][i % 3],
            attitude=["champion", "supporter", "neutral", "sceptic", "blocker"][i % 5],
            buying_role="gatekeeper",
        )
        for i in range(stakeholders)
    ]
    opps = [
        OpportunityFactory(
            key_account=account,
            title=(f"Opportunity {i} " + LONG * 3)[:200],
            decision=Opportunity.Decision.PURSUE,
            status=Opportunity.Status.PURSUING,
            annual_value=Decimal("1234567.89"),
        )
        for i in range(opportunities)
    ]
    for i in range(objectives):
        objective = ObjectiveFactory(
            plan=plan,
            title=(f"Objective {i} " + LONG * 3)[:200],
            rationale=LONG * 12,
            owner=people.manager,
            due_on=timezone.localdate() + timedelta(days=200),
        )
        for j in range(5):
            target = TargetFactory(
                objective=objective,
                kpi=(f"KPI {i}.{j} " + LONG * 2)[:200],
                unit="k EUR per quarter",
                baseline=Decimal("123456789.00"),
                target_value=Decimal("987654321.00"),
                # Every aim, so the widest target cell ("≥ 987.7 M") and the aims' key print.
                aim=("reach", "at_least", "at_most")[j % 3],
            )
            if j % 2:
                MeasurementFactory(target=target, actual=Decimal("555555555.00"))
    for i in range(actions):
        ActionFactory(
            plan=plan,
            title=(f"Action {i:02d} " + LONG * 3)[:200],
            owner=team[i % len(team)],
            opportunity=opps[i % len(opps)] if opps and i % 3 else None,
            status=Action.Status.WAITING,
            due_on=timezone.localdate() - timedelta(days=5),
        )
    for i in range(engagement):
        EngagementActivityFactory(
            plan=plan,
            stakeholder=people_rows[i % len(people_rows)],
            our_person=people.manager,
            purpose=(f"Engagement {i} " + LONG * 3)[:200],
        )
    for i in range(risks):
        PlanRiskFactory(
            plan=plan,
            owner=people.director,
            is_internal=False,
            description=WHOLE_RISK if i == 0 else (f"Risk {i} " + LONG * 4)[:250],
            mitigation="Mitigate " + LONG * 6,
            likelihood="high",
            impact="high" if i == 0 else "medium",
        )


def test_a_maximal_plan_shows_every_section_on_exactly_two_pages(client_for, people, plan):
    fill_maximal(plan, people)
    pages, text = pdf_of(client_for(people.manager), plan)
    assert pages == 2
    for heading in INTERNAL_HEADINGS + SWOT_LABELS:
        assert heading in text, heading
    assert "Factor 0" in text  # the critical success factors themselves
    assert "+6 more in the app" in text  # 10 factors, 4 shown
    assert "more objectives in the app" in text
    assert "more opportunities in the app" in text
    assert "more risks in the app" in text
    assert "more in the app" in text.split("Engagement plan")[1]
    assert overflowing_sections(plan) == []


def test_badges_and_risks_are_printed_whole(client_for, people, plan):
    fill_maximal(plan, people)
    _pages, text = pdf_of(client_for(people.manager), plan)
    assert "No measurement yet" in text
    assert "No measurem…" not in text
    assert "Waiting on others, overdue" in text
    assert WHOLE_RISK in text  # the most severe risk, whole
    assert "Mitigation: Mitigate lorem" in text


@pytest.mark.parametrize(
    "shape",
    [
        {"objectives": 1, "opportunities": 0, "actions": 120, "engagement": 0, "risks": 0},
        {"objectives": 20, "opportunities": 1, "actions": 3, "engagement": 30, "risks": 30},
        {"objectives": 2, "opportunities": 30, "actions": 200, "engagement": 2, "risks": 1},
    ],
    ids=["only-actions", "long-lists-elsewhere", "many-opportunities"],
)
def test_lopsided_plans_stay_on_their_pages(client_for, people, plan, shape):
    fill_maximal(plan, people, **shape)
    pages, text = pdf_of(client_for(people.manager), plan)
    assert pages == 2
    assert "Top risks" in text and "Engagement plan" in text
    assert overflowing_sections(plan) == []


def test_a_minimal_plan_still_shows_each_section(client_for, people, plan):
    pages, text = pdf_of(client_for(people.team_member), plan)
    assert pages == 2
    for heading in INTERNAL_HEADINGS:
        assert heading in text, heading
    assert "No objectives yet." in text
    assert "No pursued opportunities yet." in text
    assert "No engagement activities yet." in text
    assert "No risks recorded." in text
    assert overflowing_sections(plan) == []


@pytest.mark.parametrize("language", ["en-gb", "fr"])
def test_every_column_heading_fits_its_column(people, plan, language):
    """Most headings are not clipped (a clipped cell is a stacking context of its own, slower to
    draw: bench/README.md, Findings), so each of those must fit its column in every language,
    or it would run into the next one. Measured on WeasyPrint's own layout of a full plan."""
    fill_maximal(plan, people, objectives=2, opportunities=2, actions=4, engagement=2, risks=2)
    with translation.override(language):
        rendered = laid_out(plan)

    def descendants(box):
        for child in getattr(box, "children", []):
            yield child
            yield from descendants(child)

    headings = {}
    for page in rendered.pages:
        for box in descendants(page._page_box):
            if getattr(box, "element_tag", None) != "th" or box.style["overflow"] != "visible":
                continue  # a clipped heading ends in an ellipsis if it must
            right = box.content_box_x() + box.width
            texts = [t for t in descendants(box) if getattr(t, "text", "").strip()]
            if not texts:  # a heading left blank on purpose
                continue
            text = "".join(t.text for t in texts)
            excess = max(t.position_x + t.width for t in texts) - right
            headings[text] = max(excess, headings.get(text, excess))
    assert len(headings) >= 15  # the four tables' headings, the figures' too
    # The figures' headings are whole, not clipped ("Valeur de d…" was all the French read).
    figures = {"fr": {"Départ", "Cible", "Dernier réel"}}.get(language, {"Baseline", "Latest"})
    assert figures <= set(headings)
    too_wide = {text: round(excess, 2) for text, excess in headings.items() if excess > 0.01}
    assert too_wide == {}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_no_part_of_the_plan_runs_off_the_right_of_its_page(people, plan, language):
    """Each section's boxes stay inside the page's width: the SWOT's two quadrants were 50 %
    each plus their padding, so the table grew 8 mm past its section, whose clip then cut the
    right-hand quadrants' lines mid-word (Weaknesses, Threats). Measured on WeasyPrint's layout
    of a full plan."""
    fill_maximal(plan, people, objectives=2, opportunities=2, actions=4, engagement=2, risks=2)
    with translation.override(language):
        rendered = laid_out(plan)

    cells = {"td", "th"}  # a table cell clips its text to its column (with an ellipsis)

    def outside(box, right):
        for child in getattr(box, "children", []):
            element = getattr(child, "element", None)
            if element is not None and hasattr(child, "margin_width"):
                if child.position_x + child.margin_width() > right + 0.5:
                    yield child.element_tag, element.get("class"), child.position_x
            if getattr(child, "element_tag", None) not in cells:
                yield from outside(child, right)

    beyond = []
    for page in rendered.pages:
        content = page._page_box.children[0]  # the html element's box: the page's content area
        beyond += outside(page._page_box, content.content_box_x() + content.width)
    assert beyond == []


@pytest.mark.parametrize("language", ["en-gb", "fr"])
def test_an_overdue_actions_status_is_whole_in_every_language(people, plan, language):
    """The status column is cut with an ellipsis when its text outruns it: in French a late
    action waiting on others read 'En attente d'autres perso…', its 'en retard' lost (the
    English 'Waiting on others, overdue' fits). Read on WeasyPrint's own layout."""
    due = timezone.localdate() - timedelta(days=3)
    for status in ("waiting", "in_progress", "open"):
        ActionFactory(
            plan=plan, title=f"Chase {status}", owner=people.manager, status=status, due_on=due
        )
    with translation.override(language):
        late = str(translation.gettext("overdue"))
        rendered = laid_out(plan)

    def descendants(box):
        for child in getattr(box, "children", []):
            yield child
            yield from descendants(child)

    cells = {}
    for page in rendered.pages:
        for box in descendants(page._page_box):
            element = getattr(box, "element", None)
            if getattr(box, "element_tag", None) != "td" or "late" not in (
                element.get("class") or ""
            ):
                continue
            texts = [t for t in descendants(box) if getattr(t, "text", "").strip()]
            if texts and element not in cells:
                right = box.content_box_x() + box.width
                excess = max(t.position_x + t.width for t in texts) - right
                cells[element] = ("".join(t.text for t in texts), round(excess, 2))
    assert len(cells) == 3
    for text, excess in cells.values():
        assert text.endswith(f", {late}") and excess <= 0.01, (text, excess)


@pytest.mark.parametrize("language", ["en-gb", "fr"])
def test_every_unclipped_cell_fits_its_column(people, plan, language):
    """Cells that are not clipped (dates, figures, cadences, levels) must fit their column in
    every language, or they run into the next one; clipped cells end in an ellipsis."""
    fill_maximal(plan, people, objectives=2, opportunities=2, actions=6, engagement=5, risks=3)
    for cadence, activity in zip(
        ("weekly", "monthly", "quarterly", "half_yearly", "yearly"),
        plan.engagement_activities.all(),
        strict=False,
    ):
        activity.cadence = cadence
        activity.save()
    with translation.override(language):
        rendered = laid_out(plan)

    def descendants(box):
        for child in getattr(box, "children", []):
            yield child
            yield from descendants(child)

    too_wide, measured = {}, set()
    for page in rendered.pages:
        for box in descendants(page._page_box):
            if getattr(box, "element_tag", None) != "td" or box.style["overflow"] != "visible":
                continue
            if box.style["white_space"] != "nowrap":
                continue
            texts = [t for t in descendants(box) if getattr(t, "text", "").strip()]
            if not texts:
                continue
            measured.add("".join(t.text for t in texts))
            excess = max(t.position_x + t.width for t in texts) - (box.content_box_x() + box.width)
            if excess > 0.01:
                too_wide["".join(t.text for t in texts)] = round(excess, 2)
    assert {"Semestrielle", "Hebdomadaire"} <= measured or {"Half-yearly", "Weekly"} <= measured
    assert too_wide == {}
